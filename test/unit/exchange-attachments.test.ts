import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { decodeJwt } from '../../src/gpconnect/jwt';

// Read once when the module loads: a secret-looking variable set before it is cut out of every attachment.
process.env.GPC_EXAMPLE_API_KEY = 'synthetic-api-key-0123456789';
const evidence = require('../../src/evidence/evidence') as typeof import('../../src/evidence/evidence');
const { BODY_INLINE_LIMIT, EXCHANGE_ATTACHMENT, JWT_ATTACHMENT, RESPONSE_BODY_ATTACHMENT, REQUEST_BODY_ATTACHMENT, TOKEN_INLINE_LIMIT, exchangeAttachments } = evidence;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const TOKEN = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://consumer.example', reason_for_request: 'directcare' })}.`;

/** A free-slots Bundle of about `bytes` bytes, as the provider would send it. */
function bundle(bytes: number): string {
  const slot = (i: number) => ({ resourceType: 'Slot', id: `slot-${i}`, status: 'free', start: '2026-12-05T09:00:00+00:00' });
  const count = Math.ceil(bytes / JSON.stringify({ resource: slot(0) }).length);
  return JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: Array.from({ length: count }, (_, i) => ({ resource: slot(i) })) });
}

function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    seq: 7,
    time: '2026-12-04T10:00:00.000Z',
    durationMs: 12,
    service: 'ssp',
    method: 'GET',
    url: 'https://ssp.test/https://provider.test/A20047/STU3/1/gpconnect/Slot?status=free',
    target: '/https://provider.test/A20047/STU3/1/gpconnect/Slot?status=free',
    requestHeaders: { accept: 'application/fhir+json', authorization: `Bearer ${TOKEN}` },
    requestBody: '',
    jwt: decodeJwt(TOKEN),
    status: 200,
    responseHeaders: { 'content-type': 'application/fhir+json;charset=utf-8' },
    responseBody: bundle(240 * 1024),
    ...overrides,
  };
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const named = (attachments: ReturnType<typeof exchangeAttachments>, name: string) => attachments.find((a) => a.name === name);

test('a large body is attached on its own with the same bytes, and the exchange text names it by size and sha256', () => {
  const e = entry();
  const attachments = exchangeAttachments(e);
  assert.deepEqual(attachments.map((a) => a.name), [EXCHANGE_ATTACHMENT, RESPONSE_BODY_ATTACHMENT, JWT_ATTACHMENT]);
  const body = named(attachments, RESPONSE_BODY_ATTACHMENT)!;
  assert.ok(Buffer.isBuffer(body.content) && body.content.equals(Buffer.from(e.responseBody)), 'the attachment holds the body as it went over the wire');
  assert.equal(body.contentType, 'application/json');
  assert.equal(body.fileExtension, '.json');
  const text = String(named(attachments, EXCHANGE_ATTACHMENT)!.content);
  assert.ok(text.includes(`[response body: ${Buffer.byteLength(e.responseBody)} bytes, sha256 ${sha256(e.responseBody)}, attached beside this exchange as "Response body"]`), text.slice(-400));
  assert.ok(!text.includes('"resourceType":"Bundle"'), 'the body is not repeated in the exchange text');
  assert.match(text, /^HTTP\/1\.1 200$/m);
  assert.match(text, /^content-type: application\/fhir\+json;charset=utf-8$/m);
});

test('a body up to the limit stays in the exchange text; one byte more goes apart', () => {
  const atLimit = 'x'.repeat(BODY_INLINE_LIMIT);
  const inline = exchangeAttachments(entry({ method: 'POST', requestBody: atLimit, requestHeaders: { 'content-type': 'text/plain' }, responseBody: '{}', jwt: undefined }));
  assert.deepEqual(inline.map((a) => a.name), [EXCHANGE_ATTACHMENT]);
  assert.ok(String(inline[0].content).includes(atLimit));

  const over = exchangeAttachments(entry({ method: 'POST', requestBody: `${atLimit}y`, requestHeaders: { 'content-type': 'text/plain' }, responseBody: '{}', jwt: undefined }));
  assert.deepEqual(over.map((a) => a.name), [EXCHANGE_ATTACHMENT, REQUEST_BODY_ATTACHMENT]);
  assert.equal(over[1].contentType, 'text/plain');
  assert.match(String(over[0].content), /\[request body: 2049 bytes, sha256 [0-9a-f]{64}, attached beside this exchange as "Request body"\]/);
});

test('the decoded JWT does not repeat a short token: the exchange text has it, as sent', () => {
  const attachments = exchangeAttachments(entry());
  const jwt = JSON.parse(String(named(attachments, JWT_ATTACHMENT)!.content)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(jwt), ['header', 'payload', 'signature', 'problems']);
  assert.deepEqual(jwt.payload, { iss: 'https://consumer.example', reason_for_request: 'directcare' });
  assert.ok(!String(named(attachments, JWT_ATTACHMENT)!.content).includes(TOKEN));
  assert.ok(String(named(attachments, EXCHANGE_ATTACHMENT)!.content).includes(`authorization: Bearer ${TOKEN}`));
});

test('a long token is kept whole in the decoded JWT, once for both legs, and the exchange text names it', () => {
  const claims = { iss: 'https://consumer.example', reason_for_request: 'directcare', requesting_practitioner: { name: [{ family: 'x'.repeat(300) }] } };
  const long = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  assert.ok(long.length > TOKEN_INLINE_LIMIT && TOKEN.length <= TOKEN_INLINE_LIMIT);
  const legs = ['ssp', 'provider'].map((service) =>
    exchangeAttachments(entry({ service: service as JournalEntry['service'], requestHeaders: { accept: 'application/fhir+json', authorization: `Bearer ${long}` }, jwt: decodeJwt(long) })),
  );
  for (const attachments of legs) {
    const text = String(named(attachments, EXCHANGE_ATTACHMENT)!.content);
    assert.ok(!text.includes(long), 'the token is not in the exchange text');
    assert.ok(text.includes(`authorization: Bearer [token: ${long.length} characters, sha256 ${sha256(long)}, whole in "${JWT_ATTACHMENT}" beside this exchange]`), text);
    const jwt = JSON.parse(String(named(attachments, JWT_ATTACHMENT)!.content)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(jwt), ['token', 'header', 'payload', 'signature', 'problems']);
    assert.equal(jwt.token, long, 'the token exactly as sent');
    assert.deepEqual(jwt.payload, claims);
  }
  // The two legs' JWT attachments are the same bytes: the report stores them once (allure-dedupe.ts).
  assert.equal(String(named(legs[0], JWT_ATTACHMENT)!.content), String(named(legs[1], JWT_ATTACHMENT)!.content));
  // A token without a decoded JWT attachment to hold it stays in the header.
  const undecoded = exchangeAttachments(entry({ requestHeaders: { authorization: `Bearer ${long}` }, jwt: undefined }));
  assert.ok(String(named(undecoded, EXCHANGE_ATTACHMENT)!.content).includes(`authorization: Bearer ${long}`));
});

test('a long token with a secret in it: cut out of the JWT attachment, and the reference names the token as kept there', () => {
  const secret = process.env.GPC_EXAMPLE_API_KEY!;
  const long = `${b64({ alg: 'none', typ: 'JWT' })}.${'x'.repeat(300)}${secret}.`;
  const attachments = exchangeAttachments(entry({ requestHeaders: { authorization: `Bearer ${long}` }, jwt: decodeJwt(long) }));
  const kept = (JSON.parse(String(named(attachments, JWT_ATTACHMENT)!.content)) as { token: string }).token;
  const text = String(named(attachments, EXCHANGE_ATTACHMENT)!.content);
  assert.ok(!kept.includes(secret) && !text.includes(secret));
  assert.ok(text.includes(`[token: ${kept.length} characters, sha256 ${sha256(kept)}, whole in`), text);
});

test('secrets are cut out of a body attached on its own, and its sha256 is of what is attached', () => {
  const secret = process.env.GPC_EXAMPLE_API_KEY!;
  const attachments = exchangeAttachments(entry({ responseBody: bundle(8 * 1024).replace('slot-3', secret) }));
  const body = named(attachments, RESPONSE_BODY_ATTACHMENT)!;
  assert.ok(!body.content.toString().includes(secret));
  assert.ok(body.content.toString().includes('[redacted]'));
  assert.ok(String(named(attachments, EXCHANGE_ATTACHMENT)!.content).includes(sha256(body.content)));
});

test('an XML body is attached as XML, indented, beside the exchange text that keeps it as it went over the wire', () => {
  const { toXml } = require('../../src/fhir/xml') as typeof import('../../src/fhir/xml');
  const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'synthetic-api-key-0123456789 & more' }] };
  const wire = toXml(oo);
  const attachments = exchangeAttachments(entry({ status: 400, responseHeaders: { 'content-type': 'application/fhir+xml;charset=utf-8' }, responseBody: wire }));
  const text = attachments.find((a) => a.name === EXCHANGE_ATTACHMENT)!.content.toString();
  assert.ok(text.includes('<?xml version="1.0" encoding="UTF-8"?><OperationOutcome xmlns="http://hl7.org/fhir"><issue>'), 'the exchange text holds the wire bytes, not a JSON string');
  const pretty = attachments.find((a) => a.name === `${RESPONSE_BODY_ATTACHMENT}${evidence.XML_BODY_SUFFIX}`);
  assert.ok(pretty, attachments.map((a) => a.name).join(', '));
  assert.equal(pretty.contentType, 'application/xml');
  assert.equal(pretty.fileExtension, '.xml');
  assert.match(pretty.content.toString(), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<OperationOutcome xmlns="http:\/\/hl7.org\/fhir">\n  <issue>\n    <severity value="error"\/>/);
  assert.ok(!pretty.content.toString().includes('synthetic-api-key-0123456789'), 'secrets are cut out of the indented body too');
  assert.ok(!attachments.some((a) => a.name === `${REQUEST_BODY_ATTACHMENT}${evidence.XML_BODY_SUFFIX}`), 'no request body, no attachment');
});
