import { AssertionError } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from '../../gpconnect/exchange';
import { HEADERS_TIMEOUT_MS } from '../../spine/serve';
import { DEFAULT_ACTION_SECONDS, type ConsumerSystem } from '../sut/consumer-system';
import type { ConsumerUnderTest } from './consumer-under-test';

/** How long a consumer must be quiet after it reports before the scenario ends, unless its profile says (timeouts.quietSeconds). */
export const DEFAULT_QUIET_SECONDS = 0.3;
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
export async function afterConsumerScenario(consumer: ConsumerUnderTest): Promise<AssertionError | undefined> {
  const quietMs = (consumer.system.profile.timeouts?.quietSeconds ?? DEFAULT_QUIET_SECONDS) * 1000;
  const reportedAt = consumer.answeredAt[consumer.answeredAt.length - 1];
  // Asked more often than it answered: its action ran past actionSeconds and the step gave up on it.
  const timedOutAt = consumer.asked.length > consumer.outcomes.length ? new Date() : undefined;
  if (timedOutAt) await lateWork(consumer, quietMs);
  else if (quietMs > 0 && reportedAt) await quiet(consumer, quietMs);
  const entries = consumer.traffic().all;
  if (entries.length > FLOOD_LIMIT) {
    return new AssertionError({ message: `the consumer flooded Spine: ${entries.length} requests in one scenario (more than ${FLOOD_LIMIT}); the first ${describe(entries[0])}, the last ${describe(entries[entries.length - 1])}` });
  }
  const held = await heldConnections(consumer);
  if (held) return new AssertionError({ message: held });
  if (timedOutAt) {
    const late = entries.filter((e) => Date.parse(e.time) >= timedOutAt.getTime());
    if (late.length === 0) return undefined;
    return new AssertionError({
      message: `the consumer went on working after the scenario timed out (its action ran past actionSeconds, ${actionSecondsOf(consumer)} s) and sent ${late.length} request(s) after that: ${late.slice(0, 3).map(describe).join('; ')}`,
    });
  }
  if (!reportedAt) return undefined;
  const late = entries.filter((e) => Date.parse(e.time) > reportedAt.getTime());
  if (late.length === 0) return undefined;
  return new AssertionError({
    message: `the consumer sent ${late.length} request(s) after it reported its outcome (it must finish the worked example before it shows the result): ${late.slice(0, 3).map(describe).join('; ')}`,
  });
}

function actionSecondsOf(consumer: ConsumerUnderTest): number {
  return consumer.system.profile.timeouts?.actionSeconds ?? DEFAULT_ACTION_SECONDS;
}

/**
 * A timed-out action may still be running in the consumer: what it sends now belongs to this
 * scenario, not the next. Wait (at most another actionSeconds) until the driver says the action is
 * over, or, for a driver that cannot tell, until the consumer is quiet.
 */
async function lateWork(consumer: ConsumerUnderTest, quietMs: number): Promise<void> {
  const idle = consumer.system.driver.idle?.();
  if (!idle) return quiet(consumer, Math.max(quietMs, DEFAULT_QUIET_SECONDS * 1000));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, actionSecondsOf(consumer) * 1000)))]);
  clearTimeout(timer);
  if (quietMs > 0) await quiet(consumer, quietMs);
}

/** Connections the consumer opened and left holding a request it never finished (slowloris), by service; undefined when none. */
async function heldConnections(consumer: ConsumerUnderTest): Promise<string | undefined> {
  const held = Object.entries(await consumer.system.spine.connections()).filter(([, c]) => c && c.incomplete > 0);
  if (held.length === 0) return undefined;
  const total = held.reduce((sum, [, c]) => sum + c!.incomplete, 0);
  return (
    `the consumer held ${total} connection(s) open to Spine without finishing a request (${held.map(([service, c]) => `${service}: ${c!.incomplete}`).join(', ')}); ` +
    `Spine in a box answers such a connection 408 and closes it after ${HEADERS_TIMEOUT_MS / 1000} s`
  );
}

async function quiet(consumer: ConsumerUnderTest, quietMs: number): Promise<void> {
  const started = Date.now();
  let count = consumer.traffic().all.length;
  while (Date.now() - started < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
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
  const dropped = system.spine.journal.droppedUnmatched;
  const more = dropped > 0 ? ` (and ${dropped} more the journal let go of to stay within its memory limits)` : '';
  console.error(`gpc-conform: ${unmatched.length} request(s) reached Spine in a box while no consumer scenario was running (they match no scenario)${more}: ${unmatched.slice(0, 3).map(describe).join('; ')} — all in ${file}`);
}
