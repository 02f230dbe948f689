import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { TopologyDraft } from '../../src/spine/directory/edits';
import { PACKAGE_ROOT } from '../../src/package-root';

const root = PACKAGE_ROOT;
const cli = path.join(root, 'bin/gpc-conform');
const work = mkdtempSync(path.join(tmpdir(), 'gpc-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

test('check-topology accepts the default topology (exit 0)', () => {
  const r = run('check-topology');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /valid — 18 organisations, 17 systems/);
});

test('check-topology names the entry and rule of a broken file (exit 2)', () => {
  const draft = new TopologyDraft();
  draft.registerAsCma('200000000359');
  const file = path.join(work, 'broken.yaml');
  writeFileSync(file, draft.toYaml());
  const r = run('check-topology', file);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ASID 200000000359.*\[SDS-2\.1-CONSUMER-NOT-CMA\]/);
});

test('an unknown command is a usage error (exit 2)', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('spine refuses to bind a non-loopback address unless told to', () => {
  const r = run('spine', '--host', '0.0.0.0');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /binds loopback only unless --allow-non-loopback/);
});

test('spine prints what a supplier needs, journals to a file, and stops cleanly on Ctrl-C', async () => {
  const journal = path.join(work, 'traffic.jsonl');
  const child = spawn(process.execPath, [cli, 'spine', '--journal', journal], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /PDS FHIR R4\s+http:\/\/127\.0\.0\.1:\d+\/personal-demographics\/FHIR\/R4/);
  assert.match(out, /A20047\s+ASID 918999198993\s+party key A20047-821870/);
  assert.match(out, /CHC01\s+ASID 200000000401/);
  const pds = out.match(/PDS FHIR R4\s+(\S+)/)![1];
  const ssp = out.match(/SSP\s+(http:\/\/127\.0\.0\.1:(\d+))/)!;
  const res = await fetch(`${pds}/Patient/9693632109`, { headers: { 'X-Request-ID': '60E0B220-8136-4CA5-AE46-1D97EF59D068' } });
  assert.equal(res.status, 200);
  await res.text();
  assert.ok(await portOpen(Number(ssp[2])), 'the SSP is listening');
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.match(out, /Stopped\. 1 exchanges were journalled/);
  assert.equal(await portOpen(Number(ssp[2])), false, 'the SSP port is closed after Ctrl-C');
  assert.ok(existsSync(journal));
  const [entry] = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(entry.service, 'pds');
  assert.equal(entry.status, 200);
});
