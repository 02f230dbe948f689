/**
 * Answers Spine in a box wrote whole (src/gpconnect/whole-bodies.ts): the journal and the socket
 * server take their bytes as they are, and an answer whose body is a stream (a fault that stalls or
 * cuts it short) is still read as one, so that what the client and the journal see is the same either way.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { http as mswHttp } from 'msw/core/http';
import { jsonOf, sameBody, textOf, wholeBodyOf, wholeResponse } from '../../src/gpconnect/whole-bodies';
import { serveHandlers } from '../../src/spine/serve';
import { journaled } from '../../src/spine/service';
import { TrafficJournal } from '../../src/spine/journal';

const text = JSON.stringify({ resourceType: 'Patient', name: [{ text: 'Zoë Ä' }] });

test('a whole answer keeps its bytes; a copy with other headers keeps them too; a stream read since is no longer known', async () => {
  const whole = wholeResponse(text, { status: 200, headers: { 'content-type': 'application/fhir+json' } });
  assert.equal(Buffer.from(wholeBodyOf(whole)!).toString('utf8'), text);
  const relabelled = sameBody(whole, { status: 201, headers: { 'content-type': 'application/fhir+json; charset=utf-8' } });
  assert.equal(relabelled.status, 201);
  assert.equal(await textOf(relabelled), text);
  assert.deepEqual(await jsonOf(relabelled), JSON.parse(text));
  assert.equal(await relabelled.text(), text, 'its own stream carries the same bytes');
  assert.equal(wholeBodyOf(relabelled), undefined, 'read as a stream, it is not taken as whole again');
  assert.equal(wholeResponse(null, { status: 204 }).body, null);
});

test('a whole answer is read as Response.text() reads it: UTF-8, a leading byte order mark dropped', async () => {
  for (const body of [`\uFEFF${text}`, text, '']) {
    assert.equal(await textOf(wholeResponse(body, { status: 200 })), await new Response(body).text());
  }
});

test('an answer made elsewhere is read from its stream, and a copy of it is a stream too', async () => {
  const streamed = new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(text)), c.close()) }));
  assert.equal(wholeBodyOf(streamed), undefined);
  assert.equal(await textOf(streamed), text, 'read from a clone');
  const copy = sameBody(streamed, { status: 200 });
  assert.equal(wholeBodyOf(copy), undefined);
  assert.equal(await copy.text(), text);
});

/** One GET to the server: status, headers and body as the client saw them. */
function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    }).on('error', reject);
  });
}

test('the socket server writes a whole answer as it writes a streamed one (chunked, the same bytes); the journal has each body whole', async () => {
  const journal = new TrafficJournal();
  const onFault = (message: string) => new Response(message, { status: 500 });
  const server = await serveHandlers({
    handlers: (origin) => [
      mswHttp.get(`${origin}/whole`, journaled('provider', journal, onFault, () => wholeResponse(text, { status: 200, headers: { 'content-type': 'application/fhir+json' } }))),
      mswHttp.get(`${origin}/streamed`, journaled('provider', journal, onFault, () =>
        new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(text.slice(0, 10))), c.enqueue(new TextEncoder().encode(text.slice(10))), c.close()) }), { status: 200 }),
      )),
    ],
  });
  try {
    const whole = await get(`${server.origin}/whole`);
    const streamed = await get(`${server.origin}/streamed`);
    for (const answer of [whole, streamed]) {
      assert.equal(answer.body, text);
      assert.equal(answer.headers['transfer-encoding'], 'chunked', 'the head is written before the body, whole or not');
      assert.equal(answer.headers['content-length'], undefined);
    }
    await journal.settled();
    assert.deepEqual(journal.entries().map((e) => [e.url.replace(server.origin, ''), e.responseBody]), [['/whole', text], ['/streamed', text]]);
  } finally {
    await server.close();
  }
});
