import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeUnsecuredJwt } from '../../src/gpconnect/jwt';
import { TrafficJournal } from '../../src/spine/journal';
import { headerValue, truncateBody, MAX_JOURNAL_BODY } from '../../src/gpconnect/exchange';

const exchange = (headers: Record<string, string> = {}) => ({
  time: new Date().toISOString(),
  durationMs: 1,
  service: 'ssp' as const,
  method: 'GET',
  url: 'http://127.0.0.1/x',
  target: '/x',
  requestHeaders: headers,
  requestBody: '',
  status: 200,
  responseHeaders: {},
  responseBody: '',
});

test('entries carry the running scenario; those outside any scenario are reported as unmatched', () => {
  const j = new TrafficJournal();
  j.record(exchange());
  j.beginScenario('A');
  j.record(exchange());
  j.endScenario();
  assert.equal(j.entries({ scenario: 'A' }).length, 1);
  assert.equal(j.unmatched().length, 1);
  assert.deepEqual(j.entries().map((e) => e.seq), [1, 2]);
});

test('the bearer token is decoded into the entry', () => {
  const j = new TrafficJournal();
  const e = j.record(exchange({ authorization: `Bearer ${encodeUnsecuredJwt({ sub: 'u1' })}` }));
  assert.equal(e.jwt?.payload?.sub, 'u1');
  assert.equal(j.record(exchange({ authorization: 'Basic x' })).jwt, undefined);
});

test('settled() waits for records still being written', async () => {
  const j = new TrafficJournal();
  let done = false;
  j.track(new Promise((r) => setTimeout(() => ((done = true), r(undefined)), 20)));
  await j.settled();
  assert.ok(done);
});

test('headers are looked up whatever their case; huge bodies are cut and say so', () => {
  assert.equal(headerValue({ 'ssp-interactionid': 'x' }, 'Ssp-InteractionID'), 'x');
  const cut = truncateBody('a'.repeat(MAX_JOURNAL_BODY + 10));
  assert.match(cut, /body cut at \d+ of \d+ characters/);
});

test('the journal stays within its limits: ended scenarios go first, the running one is kept, and what went is counted', () => {
  const j = new TrafficJournal(undefined, { maxEntries: 5, maxChars: 1_000_000 });
  j.beginScenario('old');
  for (let i = 0; i < 4; i++) j.record(exchange());
  j.endScenario();
  j.record(exchange()); // outside any scenario
  j.beginScenario('now');
  for (let i = 0; i < 4; i++) j.record(exchange());
  assert.equal(j.size, 5);
  assert.equal(j.entries({ scenario: 'now' }).length, 4, 'the running scenario lost entries while older ones were there to drop');
  assert.equal(j.dropped, 4);
  assert.equal(j.entriesSince(0, 'now').length, 4);
  assert.equal(j.lastSeq, 9);
  const big = new TrafficJournal(undefined, { maxEntries: 100, maxChars: 10_000 });
  for (let i = 0; i < 10; i++) big.record({ ...exchange(), requestBody: 'x'.repeat(3000) });
  assert.ok(big.heldChars <= 10_000 && big.size <= 3, `held ${big.heldChars} chars in ${big.size} entries`);
  assert.equal(big.droppedUnmatched, big.dropped);
});
