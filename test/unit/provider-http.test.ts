/**
 * The provider at the HTTP level: the judges of gzip, of the error for a request no route serves
 * and of a booking under Prefer (src/rules/provider/http.ts), the client's gzip decoding
 * (src/http/raw-client.ts), and what the reference provider does with Accept-Encoding and Prefer
 * (src/spine/provider/http-behaviour.ts).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { gpcOutcome } from '../../src/gpconnect/outcomes';
import { decodedBody, type RawResponse } from '../../src/http/raw-client';
import { emptyBody, gzipEncoded, httpError, locationOfNewAppointment, parseRefusals, type ProviderAnswer } from '../../src/rules/provider';
import { acceptsGzip, contentCoded, honourPrefer, returnPreference } from '../../src/spine/provider/http-behaviour';
import { capabilityStatementAs } from '../../src/actors/provider/interactions';

const answer = (response: Partial<RawResponse>, body?: Record<string, unknown>): ProviderAnswer => ({
  response: { status: 200, headers: {}, body: body ? JSON.stringify(body) : '', ...response },
  body,
  asked: 'GET /metadata',
});

describe('gzip', () => {
  test('the client decodes a gzip body, keeps any other as UTF-8, and names a body that says gzip and is not', () => {
    assert.deepEqual(decodedBody(gzipSync('{"a":1}'), 'gzip'), { body: '{"a":1}' });
    assert.deepEqual(decodedBody(Buffer.from('plain'), undefined), { body: 'plain' });
    assert.match(decodedBody(Buffer.from('plain'), 'gzip').decodingProblem ?? '', /cannot be decoded as gzip/);
  });

  test('an answer is gzip-encoded when Content-Encoding says gzip and the body decoded', () => {
    assert.deepEqual(gzipEncoded(answer({ headers: { 'content-encoding': 'gzip' } })), []);
    assert.match(gzipEncoded(answer({}))[0]!, /without Content-Encoding, not gzip-encoded/);
    assert.match(gzipEncoded(answer({ headers: { 'content-encoding': 'gzip' }, decodingProblem: 'the body says gzip but is not' }))[0]!, /is not/);
  });

  test('the reference provider gzips only when Accept-Encoding names gzip (or *) with a weight above 0', async () => {
    assert.ok(acceptsGzip('gzip'));
    assert.ok(acceptsGzip('deflate, gzip;q=0.5'));
    assert.ok(acceptsGzip('*'));
    assert.ok(!acceptsGzip('gzip;q=0'));
    assert.ok(!acceptsGzip(null));
    const request = new Request('http://p.test/metadata', { headers: { 'Accept-Encoding': 'gzip' } });
    const coded = await contentCoded(request, new Response('{"resourceType":"CapabilityStatement"}', { headers: { 'content-type': 'application/fhir+json' } }));
    assert.equal(coded.headers.get('content-encoding'), 'gzip');
    assert.equal(decodedBody(Buffer.from(await coded.arrayBuffer()), 'gzip').body, '{"resourceType":"CapabilityStatement"}');
    const plain = await contentCoded(new Request('http://p.test/metadata'), new Response('{}'));
    assert.equal(plain.headers.get('content-encoding'), null);
  });
});

describe('a request no route serves', () => {
  const allowed = parseRefusals('400 BAD_REQUEST, 501 NOT_IMPLEMENTED');
  const outcome = (code: string) => gpcOutcome('invalid', code, code, 'why') as unknown as Record<string, unknown>;

  test('the error page\'s codes pass; another code with an OperationOutcome is about the exact code only', () => {
    assert.deepEqual(httpError(answer({ status: 400 }, outcome('BAD_REQUEST')), allowed), []);
    assert.deepEqual(httpError(answer({ status: 501 }, outcome('NOT_IMPLEMENTED')), allowed), []);
    const [other] = httpError(answer({ status: 405 }, outcome('BAD_REQUEST')), allowed);
    assert.equal(typeof other === 'object' && other.exactOnly, true);
  });

  test('a success, or an error that is no OperationOutcome, is a plain finding', () => {
    const [success] = httpError(answer({ status: 200 }, { resourceType: 'CapabilityStatement' }), allowed);
    assert.equal(typeof success === 'object' && !success.exactOnly, true);
    const [html] = httpError(answer({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html/>' }), allowed);
    assert.match(typeof html === 'object' ? html.text : html!, /not JSON \(Content-Type "text\/html"\), not an OperationOutcome/);
  });

  test('the capability statement request takes the verb and path Http.feature sends', () => {
    const operation = capabilityStatementAs('PATCH /metadata');
    assert.equal(operation.method, 'PATCH');
    assert.equal(operation.path, '/metadata');
    assert.throws(() => capabilityStatementAs('FETCH /metadata'), /is not/);
  });
});

describe('Prefer on a booking', () => {
  test('the return preference is read from a Prefer header among other preferences', () => {
    assert.equal(returnPreference('return=minimal'), 'minimal');
    assert.equal(returnPreference('respond-async, return="representation"'), 'representation');
    assert.equal(returnPreference('handling=strict'), undefined);
  });

  test('the reference provider drops a booking\'s body under return=minimal only, keeping its Location', () => {
    const booked = () => new Response('{"resourceType":"Appointment"}', { status: 201, headers: { location: 'http://p.test/Appointment/1/_history/1', 'content-type': 'application/fhir+json' } });
    const minimal = honourPrefer(new Request('http://p.test/Appointment', { method: 'POST', headers: { Prefer: 'return=minimal' } }), '/Appointment', booked());
    assert.equal(minimal.body, null);
    assert.equal(minimal.headers.get('location'), 'http://p.test/Appointment/1/_history/1');
    assert.notEqual(honourPrefer(new Request('http://p.test/Appointment', { method: 'POST', headers: { Prefer: 'return=representation' } }), '/Appointment', booked()).body, null);
    assert.notEqual(honourPrefer(new Request('http://p.test/Appointment', { method: 'POST', headers: { Prefer: 'return=minimal' } }), '/Appointment', booked(), { ignorePrefer: true }).body, null);
  });

  test('no body, and a Location naming the new appointment without a body to compare its id with', () => {
    const created = answer({ status: 201, headers: { location: 'https://p.test/root/Appointment/7/_history/1' } });
    assert.deepEqual(emptyBody(created), []);
    assert.deepEqual(locationOfNewAppointment(created), []);
    assert.match(emptyBody(answer({ status: 201 }, { resourceType: 'Appointment' }))[0]!, /answered with a body/);
    assert.match(locationOfNewAppointment(answer({ status: 201 }))[0]!, /without a Location header/);
  });
});
