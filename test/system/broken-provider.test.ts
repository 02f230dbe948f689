import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runProvider } from '../support/gpc-conform';

/**
 * Issue 3 "broken providers": a provider that is down, hangs, drops the connection, answers
 * non-JSON or the wrong content type gets failed or broken scenarios with a clear reason, and
 * `gpc-conform run` completes with a verdict.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-broken-'));
const servers: http.Server[] = [];
const sockets = new Set<Socket>();
after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(work, { recursive: true, force: true });
});

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function brokenProvider(behaviour: Behaviour): Promise<string> {
  const server = http.createServer(behaviour);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/A20047/STU3/1/gpconnect`;
}

/** A port that was free a moment ago: nothing answers there. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/A20047/STU3/1/gpconnect`;
}

function profile(name: string, baseUrl: string, via: 'ssp' | 'direct'): string {
  const file = path.join(work, `${name}-${via}.yaml`);
  writeFileSync(
    file,
    `role: provider
name: ${name} provider
baseUrl: ${baseUrl}
asid: "918999198993"
ods: A20047
via: ${via}
testData:
  registeredPatient: "9693632109"
  registrablePatient: "9651258500"
timeouts:
  requestSeconds: 1
`,
  );
  return file;
}

const METADATA = '@req:PROV-METADATA';
const runHarness = (profileFile: string, tags: string) => runProvider(profileFile, path.join(work, path.basename(profileFile, '.yaml')), ['--tags', tags, '--report', 'results']);

for (const via of ['ssp', 'direct'] as const) {
  test(`a provider that is down breaks its scenarios, saying the connection was refused (${via})`, async () => {
    const { code, output } = await runHarness(profile('down', await closedPort(), via), METADATA);
    assert.equal(code, 1, output);
    assert.match(output, /BROKEN .*capability-statement\.feature/);
    assert.match(output, /ProviderUnreachable: .*ECONNREFUSED/);
    assert.match(output, /Verdict: non-conformance found/);
  });

  test(`a provider that never answers breaks its scenarios once the profile's timeout has passed (${via})`, async () => {
    const { code, output } = await runHarness(profile('hanging', await brokenProvider(() => undefined), via), METADATA);
    assert.equal(code, 1, output);
    assert.match(output, /ProviderUnreachable: .*no answer (from \S+ )?within 1000 ms/);
  });

  test(`a provider that drops the connection breaks its scenarios (${via})`, async () => {
    const { code, output } = await runHarness(profile('dropping', await brokenProvider((req) => req.socket.destroy()), via), METADATA);
    assert.equal(code, 1, output);
    assert.match(output, /ProviderUnreachable: .*(ECONNRESET|socket hang up)/);
  });
}

test('a provider that answers HTML fails, naming what it sent', async () => {
  const html = await brokenProvider((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Service unavailable</body></html>'));
  const { code, output } = await runHarness(profile('html', html, 'ssp'), METADATA);
  assert.equal(code, 1, output);
  assert.match(output, /FAILED .*The provider returns its capability statement/);
  assert.match(output, /is not JSON: <html>/);
});

test('a provider that labels FHIR as plain JSON fails the content-type rule', async () => {
  const plain = await brokenProvider((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.1' })),
  );
  const { code, output } = await runHarness(profile('plain-json', plain, 'direct'), '@req:PROV-CONTENT-TYPE');
  assert.equal(code, 1, output);
  assert.match(output, /PROV-CONTENT-TYPE \(SHALL\): .* answered with Content-Type "application\/json"/);
});

test('a profile naming a provider elsewhere than loopback is refused before anything runs', async () => {
  const { code, output } = await runHarness(profile('remote', 'https://gpconnect.example.nhs.uk/A20047/STU3/1/gpconnect', 'ssp'), METADATA);
  assert.equal(code, 2, output);
  assert.match(output, /not a loopback address; testing a provider elsewhere needs --allow-non-loopback/);
});

test('a start command that fails is a configuration error naming its output', async () => {
  const file = path.join(work, 'failing-start.yaml');
  writeFileSync(
    file,
    `role: provider
name: failing
baseUrl: http://127.0.0.1:{port}/A20047/STU3/1/gpconnect
asid: "918999198993"
ods: A20047
start:
  command: 'echo "cannot open database: practice.db" >&2; exit 3'
testData:
  registeredPatient: "9693632109"
  registrablePatient: "9651258500"
`,
  );
  const { code, output } = await runHarness(file, METADATA);
  assert.equal(code, 2, output);
  assert.match(output, /exited with code 3 before it was ready; its last output:\n\s+cannot open database: practice.db/);
});
