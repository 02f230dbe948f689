import { AssertionError } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from '../spine/journal';
import type { ConsumerSystem } from '../sut/consumer-system';
import type { ConsumerUnderTest } from './consumer-under-test';

/** How long a consumer must be quiet after it reports before the scenario ends. */
const QUIET_MS = 300;
/** The longest the harness waits for a consumer that keeps sending. */
const MAX_WAIT_MS = 3000;
/**
 * More requests than one booking can need, even with the worked example's alternative paths and
 * three retries of each step (CORE back-off guidance): beyond this the consumer is flooding Spine.
 */
export const FLOOD_LIMIT = 100;

const describe = (e: JournalEntry) => `${e.method} ${e.service === 'ssp' ? e.target : e.url} (${e.service}, ${e.status})`;

/**
 * After a consumer scenario: wait (bounded) until the consumer is quiet, then fail the scenario if
 * it sent requests after it reported its outcome, or more than a booking can need. Either way the
 * run goes on; what it sent is in the journal and the report.
 */
export async function afterConsumerScenario(consumer: ConsumerUnderTest, inProcess: boolean): Promise<AssertionError | undefined> {
  const reportedAt = consumer.answeredAt[consumer.answeredAt.length - 1];
  if (!inProcess && reportedAt) await quiet(consumer);
  const entries = consumer.traffic().all;
  if (entries.length > FLOOD_LIMIT) {
    return new AssertionError({ message: `the consumer flooded Spine: ${entries.length} requests in one scenario (more than ${FLOOD_LIMIT}); the first ${describe(entries[0])}, the last ${describe(entries[entries.length - 1])}` });
  }
  if (!reportedAt) return undefined;
  const late = entries.filter((e) => Date.parse(e.time) > reportedAt.getTime());
  if (late.length === 0) return undefined;
  return new AssertionError({
    message: `the consumer sent ${late.length} request(s) after it reported its outcome (it must finish the worked example before it shows the result): ${late.slice(0, 3).map(describe).join('; ')}`,
  });
}

async function quiet(consumer: ConsumerUnderTest): Promise<void> {
  const started = Date.now();
  let count = consumer.traffic().all.length;
  while (Date.now() - started < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const now = consumer.traffic().all.length;
    if (now === count) return;
    count = now;
  }
}

/** Requests that reached Spine in a box while no scenario was running: written beside the reports and named on stderr, never dropped. */
export function reportUnmatched(system: ConsumerSystem, dir: string): void {
  const unmatched = system.spine.journal.unmatched();
  if (unmatched.length === 0) return;
  const file = path.join(dir, 'consumer-unmatched-requests.json');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(unmatched, null, 2));
  console.error(`gpc-conform: ${unmatched.length} request(s) reached Spine in a box while no consumer scenario was running (they match no scenario): ${unmatched.slice(0, 3).map(describe).join('; ')} — all in ${file}`);
}
