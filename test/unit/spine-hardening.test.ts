import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { System } from '../../src/gpconnect/constants';
import { HEADERS_TIMEOUT_MS } from '../../src/spine/serve';
import { SpineInABox } from '../../src/spine/spine';

// Regression tests for what fuzzing Spine in a box found (test/spine-fuzz.test.ts), one per fix.
let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
});
after(async () => {
  await spine.stop();
});

const originOf = (service: 'pds' | 'sds' | 'ssp' | 'provider') => new URL(service === 'provider' ? spine.urls.providers.A20047 : spine.urls[service]).origin;

function open(origin: string): { socket: Socket; answer: Promise<string> } {
  const url = new URL(origin);
  const socket = connect(Number(url.port), url.hostname);
  let data = '';
  socket.on('data', (d) => (data += d));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
  return { socket, answer };
}

function exchange(origin: string, bytes: string): Promise<string> {
  const { socket, answer } = open(origin);
  socket.write(bytes);
  setTimeout(() => socket.end(), 1000);
  return answer;
}

const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
const statusOf = (raw: string) => Number(raw.slice(9, 12));

test('a request refused before any handler runs gets each service its own error shape, and is journalled', async () => {
  const before = spine.journal.lastSeq;
  const pds = await exchange(originOf('pds'), 'GARBAGE\r\n\r\n');
  assert.equal(statusOf(pds), 400);
  assert.equal(bodyOf(pds).issue[0].details.coding[0].system, System.spineErrorCodeR4);
  const sds = await exchange(originOf('sds'), 'GARBAGE\r\n\r\n');
  assert.equal(bodyOf(sds).issue[0].details.coding[0].system, System.spineErrorCodeStu3ValueSet);
  assert.match(sds, new RegExp(`X-Correlation-Id: ${bodyOf(sds).id}`, 'i'), 'SDS names the correlation id in a header too');
  const ssp = await exchange(originOf('ssp'), 'GARBAGE\r\n\r\n');
  assert.equal(bodyOf(ssp).issue[0].details.coding[0].code, '400');
  assert.match(ssp, /cache-control: no-store/i, 'an SSP error must not be cached, even one its server sends');
  const provider = await exchange(originOf('provider'), 'GARBAGE\r\n\r\n');
  assert.equal(bodyOf(provider).issue[0].details.coding[0].system, System.spineErrorCodeStu3);
  const refused = spine.journal.entries().filter((e) => e.seq > before && e.refusedByServer);
  assert.deepEqual(refused.map((e) => `${e.service} ${e.status}`).sort(), ['pds 400', 'provider 400', 'sds 400', 'ssp 400']);
});

test('CONNECT is answered 405 in the service shape instead of the connection being dropped', async () => {
  const answer = await exchange(originOf('ssp'), 'CONNECT example.test:443 HTTP/1.1\r\nHost: example.test\r\n\r\n');
  assert.equal(statusOf(answer), 405);
  assert.equal(bodyOf(answer).issue[0].details.coding[0].system, System.spineOperationOutcome, 'the SSP 405 as the spec shows it');
});

test('a HEAD request with oversized headers gets its 431 without a body', async () => {
  const answer = await exchange(originOf('pds'), `HEAD / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
  assert.equal(statusOf(answer), 431);
  assert.equal(answer.slice(answer.indexOf('\r\n\r\n') + 4), '', 'a body after a HEAD answer is read as the next answer');
});

test('a client that stops in the middle of its body is answered 400 and journalled once, not as a failure of the mock', async () => {
  const seen: number[] = [];
  const listen = (e: { status: number; fault?: string }) => seen.push(e.status);
  spine.journal.on('entry', listen);
  const { socket, answer } = open(originOf('pds'));
  socket.write('POST /personal-demographics/FHIR/R4/Patient HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":');
  setTimeout(() => socket.destroy(), 300);
  await answer;
  await new Promise((r) => setTimeout(r, 300));
  spine.journal.off('entry', listen);
  assert.deepEqual(seen, [400]);
});

test('a client holding a connection with half its headers is counted, answered 408 and closed within the bound', { timeout: HEADERS_TIMEOUT_MS + 20_000 }, async () => {
  const { socket, answer } = open(originOf('sds'));
  socket.write('GET /spine-directory/FHIR/R4/Endpoint HTTP/1.1\r\nHost: x\r\n');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await spine.connections()).sds?.incomplete, 1, 'the held connection is not seen');
  const raw = await answer;
  assert.equal(statusOf(raw), 408);
  assert.equal(bodyOf(raw).issue[0].details.coding[0].system, System.spineErrorCodeStu3ValueSet);
  for (let i = 0; i < 20 && (await spine.connections()).sds?.open; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await spine.connections()).sds?.open, 0);
});

test('a client that resets the connection in the middle of its body is journalled as gone (499)', async () => {
  const seen: number[] = [];
  const listen = (e: { status: number }) => seen.push(e.status);
  spine.journal.on('entry', listen);
  const { socket, answer } = open(originOf('pds'));
  socket.write('POST /personal-demographics/FHIR/R4/Patient HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":');
  setTimeout(() => socket.resetAndDestroy(), 300);
  await answer;
  await new Promise((r) => setTimeout(r, 300));
  spine.journal.off('entry', listen);
  assert.deepEqual(seen, [499]);
});

test('stop() ends even while a client holds a connection the HTTP server no longer manages', { timeout: 20_000 }, async () => {
  const box = await SpineInABox.start({ mode: 'sockets', standInProvider: false });
  const { socket } = open(new URL(box.urls.ssp).origin);
  socket.write('CONNECT example.test:443 HTTP/1.1\r\nHost: example.test\r\n\r\n');
  await new Promise((r) => setTimeout(r, 300));
  await box.stop(); // never resolved before: server.close() waited on the detached socket
  assert.ok(socket.destroyed || socket.readableEnded);
  socket.destroy();
});

test('the SSP compares the target with the SDS address character for character; a segment must end where the address does, unless the address ends with a slash (review C4)', async () => {
  const { startsWithRoot } = await import('../../src/spine/ssp');
  assert.equal(startsWithRoot('https://p.test/A/STU3/1/gpconnect/metadata', 'https://p.test/A/STU3/1/gpconnect'), true);
  assert.equal(startsWithRoot('https://p.test/A/STU3/1/gpconnect', 'https://p.test/A/STU3/1/gpconnect'), true);
  assert.equal(startsWithRoot('https://p.test/A/STU3/1/gpconnectx/metadata', 'https://p.test/A/STU3/1/gpconnect'), false);
  assert.equal(startsWithRoot('https://supplier.thirdparty.nhs.uk/v1/fhir/metadata', 'https://supplier.thirdparty.nhs.uk/v1/fhir/'), true, 'the error page\'s own address, with its trailing slash');
  assert.equal(startsWithRoot('https://supplier.thirdparty.nhs.uk/v1/fhirx', 'https://supplier.thirdparty.nhs.uk/v1/fhir/'), false);
});

test('a server nobody listens to for refusals still answers a malformed request at once, as the stand-alone reference provider is (a TLS handshake to its plain-HTTP fault waited out the timeout)', { timeout: 20_000 }, async () => {
  const { serveHandlers } = await import('../../src/spine/serve');
  const server = await serveHandlers({ handlers: () => [] });
  try {
    const { socket, answer } = open(server.origin);
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03])); // a TLS ClientHello's first bytes
    const text = await answer;
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(text, /malformed HTTP request: HPE_INVALID_METHOD/);
  } finally {
    await server.close();
  }
});
