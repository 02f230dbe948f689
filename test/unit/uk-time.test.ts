import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUk, intlLondon, londonOffsetMinutes, londonParts, londonToInstant } from '../../src/gpconnect/uk-time';

// London time is memoised by UTC hour (src/gpconnect/uk-time.ts); Intl's reading is the truth.

function agrees(instant: Date): void {
  assert.deepEqual(londonParts(instant), intlLondon.parts(instant), `parts at ${instant.toISOString()}`);
  assert.equal(londonOffsetMinutes(instant), intlLondon.offsetMinutes(instant), `offset at ${instant.toISOString()}`);
}

test('every second around the 2026 clock changes (01:00 UTC, 29 March and 25 October) reads as Intl reads it', () => {
  for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
    for (let t = change - 2 * 3_600_000; t <= change + 2 * 3_600_000; t += 1000) agrees(new Date(t));
  }
  assert.equal(formatUk(new Date(Date.UTC(2026, 2, 29, 0, 59, 59))), '2026-03-29T00:59:59+00:00');
  assert.equal(formatUk(new Date(Date.UTC(2026, 2, 29, 1, 0, 0))), '2026-03-29T02:00:00+01:00');
  assert.equal(formatUk(new Date(Date.UTC(2026, 9, 25, 0, 59, 59))), '2026-10-25T01:59:59+01:00');
  assert.equal(formatUk(new Date(Date.UTC(2026, 9, 25, 1, 0, 0))), '2026-10-25T01:00:00+00:00');
});

test('random instants from 1900 to 2100, milliseconds included, read as Intl reads them', () => {
  let seed = 20261205;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const from = Date.UTC(1900, 0, 1);
  const to = Date.UTC(2100, 0, 1);
  for (let i = 0; i < 20_000; i++) agrees(new Date(Math.floor(from + next() * (to - from))));
});

test('a wall-clock time in the hour skipped in spring, or in the hour repeated in autumn, is its later reading', () => {
  assert.equal(londonToInstant(2026, 3, 29, 1, 30).toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(londonToInstant(2026, 10, 25, 1, 30).toISOString(), '2026-10-25T01:30:00.000Z');
});
