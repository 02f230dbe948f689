import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { SpineInABox } from '../../src/spine/spine';

// Malformed requests to every mock get a spec-shaped error and never take a server down.
let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets' });
});
after(async () => {
  await spine.stop();
});

/** Write raw bytes to a server and read its whole answer (bounded in time). */
function rawExchange(origin: string, bytes: string | Buffer): Promise<string> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (e) => (chunks.length ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(e)));
    socket.end(bytes);
  });
}

function statusAndOutcome(raw: string): { status: number; body: { resourceType?: string } } {
  const status = Number(raw.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
  const bodyText = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const json = bodyText.slice(bodyText.indexOf('{'), bodyText.lastIndexOf('}') + 1);
  return { status, body: JSON.parse(json) };
}

const origins = () => ({ pds: new URL(spine.urls.pds).origin, sds: new URL(spine.urls.sds).origin, ssp: spine.urls.ssp });

async function stillServing(): Promise<void> {
  const res = await fetch(`${spine.urls.pds}/Patient/9693632109`, { headers: { 'X-Request-ID': '60E0B220-8136-4CA5-AE46-1D97EF59D068' } });
  assert.equal(res.status, 200, 'PDS stopped serving after bad input');
  const sds = await fetch(`${spine.urls.sds}/Device`, { headers: { apikey: 'x' } });
  assert.equal(sds.status, 400, 'SDS stopped serving after bad input');
}

for (const service of ['pds', 'sds', 'ssp'] as const) {
  test(`${service}: a malformed request line gets a 400 OperationOutcome`, async () => {
    const { status, body } = statusAndOutcome(await rawExchange(origins()[service], 'GARBAGE\r\n\r\n'));
    assert.equal(status, 400);
    assert.equal(body.resourceType, 'OperationOutcome');
  });

  test(`${service}: oversized headers get a 431 OperationOutcome`, async () => {
    const { status, body } = statusAndOutcome(await rawExchange(origins()[service], `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`));
    assert.equal(status, 431);
    assert.equal(body.resourceType, 'OperationOutcome');
  });

  test(`${service}: an oversized body gets a 413 OperationOutcome`, async () => {
    const res = await fetch(`${origins()[service]}/${service === 'ssp' ? 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/Appointment' : 'x'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: Buffer.alloc(11 * 1024 * 1024, 0x61),
    }).catch((e: Error) => e);
    if (res instanceof Error) assert.fail(`the ${service} server dropped the connection instead of answering 413: ${res.message}`);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
  });

  test(`${service}: an unknown path and a wrong method get spec-shaped errors`, async () => {
    const base = service === 'pds' ? spine.urls.pds : service === 'sds' ? spine.urls.sds : spine.urls.ssp;
    const unknown = await fetch(`${base}/NoSuchThing`, { headers: { apikey: 'x', 'X-Request-ID': '60E0B220-8136-4CA5-AE46-1D97EF59D068' } });
    assert.ok([400, 404].includes(unknown.status), `unknown path answered ${unknown.status}`);
    assert.equal(((await unknown.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
    const wrong = await fetch(`${base}/${service === 'sds' ? 'Endpoint' : service === 'pds' ? 'Patient/9693632109' : 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata'}`, { method: 'DELETE', headers: { apikey: 'x' } });
    assert.equal(wrong.status, 405);
    assert.equal(((await wrong.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
  });
}

test('ssp: invalid JSON in a booking is carried to the provider untouched, not parsed by the SSP', async () => {
  const res = await fetch(`${spine.urls.ssp}/https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/Appointment`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: '{"resourceType": "Appointment", ',
  });
  // Refused for its missing headers (400), which is the SSP's business; the body is the provider's.
  assert.equal(res.status, 400);
  assert.equal(((await res.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
});

test('a header with a duplicated or invalid value never crashes a server', async () => {
  const raw = await rawExchange(origins().ssp, 'GET /https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata HTTP/1.1\r\nHost: x\r\nSsp-From: 1\r\nSsp-From: 2\r\nConnection: close\r\n\r\n');
  const { status, body } = statusAndOutcome(raw);
  assert.equal(status, 400);
  assert.equal(body.resourceType, 'OperationOutcome');
  await stillServing();
});

test('after all of that every server still answers', stillServing);

test('the journal keeps the request target exactly as sent on the wire', async () => {
  const raw = `GET ${new URL(spine.urls.sds).pathname}/Endpoint?organization=https://fhir.nhs.uk/Id/ods-organization-code|A20047&identifier=x%7Cy HTTP/1.1\r\nHost: x\r\napikey: k\r\nConnection: close\r\n\r\n`;
  await rawExchange(origins().sds, raw);
  await spine.journal.settled();
  const entry = spine.journal.last('sds');
  assert.equal(entry?.target, `${new URL(spine.urls.sds).pathname}/Endpoint?organization=https://fhir.nhs.uk/Id/ods-organization-code|A20047&identifier=x%7Cy`);
});
