/**
 * Reading a Cucumber message stream (the `message:` formatter's NDJSON) for the bench: when the run
 * started and finished, and each scenario's start, finish, worker and outcome. Pure: text in, figures out.
 */

export interface ScenarioTiming {
  name: string;
  startedMs: number;
  finishedMs: number;
  durationMs: number;
  /** The worst step status (PASSED, FAILED, SKIPPED, UNDEFINED, ...). */
  status: string;
  workerId?: string;
}

export interface RunTimings {
  /** Epoch ms of testRunStarted / testRunFinished (undefined when the stream lacks them). */
  runStartedMs?: number;
  runFinishedMs?: number;
  /** Final attempts only (a retried attempt is left out), in the order they finished. */
  scenarios: ScenarioTiming[];
}

interface Timestamp {
  seconds: number;
  nanos: number;
}

export const toMs = (t: Timestamp): number => t.seconds * 1000 + Math.round(t.nanos / 1e6);

/** Worse first: a scenario's status is the worst of its steps'. */
const SEVERITY = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN', 'SKIPPED', 'PASSED'];

export function worse(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const rank = (s: string) => (SEVERITY.indexOf(s) === -1 ? 0 : SEVERITY.indexOf(s));
  return rank(b) < rank(a) ? b : a;
}

export function parseMessages(ndjson: string): RunTimings {
  const pickleNames = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const started = new Map<string, { testCaseId: string; ms: number; workerId?: string }>();
  const statuses = new Map<string, string>();
  const run: RunTimings = { scenarios: [] };
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line) as Record<string, any>;
    if (m.pickle) pickleNames.set(m.pickle.id, m.pickle.name);
    else if (m.testCase) caseToPickle.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testRunStarted) run.runStartedMs = toMs(m.testRunStarted.timestamp);
    else if (m.testRunFinished) run.runFinishedMs = toMs(m.testRunFinished.timestamp);
    else if (m.testCaseStarted) {
      const s = m.testCaseStarted;
      started.set(s.id, { testCaseId: s.testCaseId, ms: toMs(s.timestamp), workerId: s.workerId });
    } else if (m.testStepFinished) {
      const f = m.testStepFinished;
      statuses.set(f.testCaseStartedId, worse(statuses.get(f.testCaseStartedId), f.testStepResult.status));
    } else if (m.testCaseFinished) {
      const f = m.testCaseFinished;
      const s = started.get(f.testCaseStartedId);
      if (!s || f.willBeRetried) continue;
      const finishedMs = toMs(f.timestamp);
      run.scenarios.push({
        name: pickleNames.get(caseToPickle.get(s.testCaseId) ?? '') ?? '?',
        startedMs: s.ms,
        finishedMs,
        durationMs: finishedMs - s.ms,
        status: statuses.get(f.testCaseStartedId) ?? 'PASSED',
        workerId: s.workerId,
      });
    }
  }
  return run;
}

/** How many scenarios ended in each status, e.g. { PASSED: 270, FAILED: 2 }. */
export function statusCounts(scenarios: ScenarioTiming[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of scenarios) counts[s.status] = (counts[s.status] ?? 0) + 1;
  return counts;
}

/** "270 passed, 2 failed" */
export function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([status, n]) => `${n} ${status.toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'no scenarios';
}
