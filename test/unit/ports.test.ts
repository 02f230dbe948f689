import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ephemeralRangeStart, freeLoopbackPort } from '../../src/http/ports';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

test('a port for a started system is picked below the kernel ephemeral range, and is free', async () => {
  const below = ephemeralRangeStart();
  for (let i = 0; i < 20; i += 1) {
    const port = await freeLoopbackPort();
    assert.ok(port >= 10_000 && port < below, `${port} lies in 10000..${below - 1}`);
    (await listen(port)).close();
  }
});

test('a port something listens on is passed over for the next pick', async () => {
  const taken = await freeLoopbackPort();
  const server = await listen(taken);
  try {
    const below = ephemeralRangeStart();
    const fractionOf = (port: number) => (port - 10_000 + 0.5) / (below - 10_000);
    const picks = [fractionOf(taken), fractionOf(taken === 10_000 ? 10_001 : taken - 1)];
    const port = await freeLoopbackPort('127.0.0.1', () => picks.shift() ?? Math.random());
    assert.notEqual(port, taken);
    assert.equal(port, taken === 10_000 ? 10_001 : taken - 1);
  } finally {
    server.close();
  }
});

test('the ephemeral range is read from the kernel file, or the IANA dynamic range taken when it cannot be', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpc-ports-'));
  writeFileSync(path.join(dir, 'range'), '40000\t60999\n');
  assert.equal(ephemeralRangeStart(path.join(dir, 'range')), 40_000);
  writeFileSync(path.join(dir, 'garbage'), 'not a range');
  assert.equal(ephemeralRangeStart(path.join(dir, 'garbage')), 49_152);
  assert.equal(ephemeralRangeStart(path.join(dir, 'missing')), 49_152);
});
