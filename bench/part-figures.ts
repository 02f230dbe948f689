/**
 * Where the time of one `gpc-conform` command went, from its parts' message streams, every figure
 * in ms from the moment the command was spawned. Pure: the same run gives the same figures.
 */
import { statusCounts } from './messages';
import type { PartTimings } from './gpc-run';

export interface PartFigures {
  name: string;
  scenarios: number;
  counts: Record<string, number>;
  /** spawn -> the part's testRunStarted: the command, the part's process, Node, Cucumber and the support code. */
  runStartedMs: number;
  /** spawn -> the part's first scenario started (BeforeAll hooks, and with --parallel the workers' start-up). */
  firstScenarioMs: number;
  /** spawn -> the part's last scenario finished. */
  lastScenarioMs: number;
  /** spawn -> the part's testRunFinished. */
  runFinishedMs: number;
  /** Every scenario's own duration, summed (across workers). */
  scenarioSumMs: number;
}

export function partFigures(spawnedAtMs: number, part: PartTimings): PartFigures {
  const { timings } = part;
  const scenarios = timings.scenarios;
  const since = (ms: number | undefined) => (ms === undefined ? NaN : ms - spawnedAtMs);
  const first = scenarios.length ? Math.min(...scenarios.map((s) => s.startedMs)) : undefined;
  const last = scenarios.length ? Math.max(...scenarios.map((s) => s.finishedMs)) : undefined;
  return {
    name: part.name,
    scenarios: scenarios.length,
    counts: statusCounts(scenarios),
    runStartedMs: since(timings.runStartedMs),
    firstScenarioMs: since(first),
    lastScenarioMs: since(last),
    runFinishedMs: since(timings.runFinishedMs ?? last),
    scenarioSumMs: scenarios.reduce((sum, s) => sum + s.durationMs, 0),
  };
}

/** Counts of every part added up. */
export function addCounts(parts: Array<{ counts: Record<string, number> }>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const part of parts) for (const [status, n] of Object.entries(part.counts)) total[status] = (total[status] ?? 0) + n;
  return total;
}
