/** Turning measured runs into the bench's figures. Pure: the same runs give the same figures. */
import { statusCounts, type RunTimings, type ScenarioTiming } from './messages';
import { totalHwmKb, type ProcessPeak } from './proc';
import { kbToMb, mean, median, quantile, ratio } from './stats';

export interface RunInput {
  wallMs: number;
  exitCode: number | null;
  spawnedAtMs: number;
  peaks: ProcessPeak[];
  timings: RunTimings;
}

export interface SuiteRunFigures {
  wallMs: number;
  exitCode: number | null;
  scenarios: number;
  counts: Record<string, number>;
  /** Sum of every process's peak RSS in the tree (coordinator, workers, anything they started). */
  peakTreeMb: number;
  /** The largest single process's peak RSS. */
  peakLargestMb: number;
  processes: number;
  /** spawn -> the first scenario started: with --parallel, the workers' own start-up (each loads all support code). */
  toFirstScenarioMs: number;
  /** Sum of every scenario's duration (across workers). */
  scenarioSumMs: number;
}

export function suiteRun(run: RunInput): SuiteRunFigures {
  const counts = statusCounts(run.timings.scenarios);
  return {
    wallMs: run.wallMs,
    exitCode: run.exitCode,
    scenarios: run.timings.scenarios.length,
    counts,
    peakTreeMb: kbToMb(totalHwmKb(run.peaks)),
    peakLargestMb: kbToMb(Math.max(0, ...run.peaks.map((p) => p.hwmKb))),
    processes: run.peaks.length,
    toFirstScenarioMs: Math.min(...run.timings.scenarios.map((t) => t.startedMs)) - run.spawnedAtMs,
    scenarioSumMs: run.timings.scenarios.reduce((sum, t) => sum + t.durationMs, 0),
  };
}

export interface SuiteFigures {
  workers: number;
  serial: SuiteRunFigures[];
  parallel: SuiteRunFigures[];
  /** Best (least) wall time of each mode's runs. */
  bestSerialMs: number;
  bestParallelMs: number;
  /** serial / parallel: above 1 is a speed-up. */
  speedUp: number;
  /** Every run ran the same number of scenarios with the same outcomes. */
  countsEqual: boolean;
  peakSerialMb: number;
  peakParallelMb: number;
  /** parallel / serial, of the tree's summed peaks (the larger of each mode's runs). */
  memoryRatio: number;
}

/** Two runs ended with the same number of scenarios in each status. */
export const sameCounts = (a: Record<string, number>, b: Record<string, number>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function suiteFigures(workers: number, serial: SuiteRunFigures[], parallel: SuiteRunFigures[]): SuiteFigures {
  const all = [...serial, ...parallel];
  const bestSerialMs = Math.min(...serial.map((r) => r.wallMs));
  const bestParallelMs = Math.min(...parallel.map((r) => r.wallMs));
  const peakSerialMb = Math.max(...serial.map((r) => r.peakTreeMb));
  const peakParallelMb = Math.max(...parallel.map((r) => r.peakTreeMb));
  return {
    workers,
    serial,
    parallel,
    bestSerialMs,
    bestParallelMs,
    speedUp: ratio(bestSerialMs, bestParallelMs),
    countsEqual: all.every((r) => r.scenarios === all[0].scenarios && sameCounts(r.counts, all[0].counts)),
    peakSerialMb,
    peakParallelMb,
    memoryRatio: ratio(peakParallelMb, peakSerialMb),
  };
}

export interface SideFigures {
  scenarios: number;
  counts: Record<string, number>;
  wallMs: number;
  /** spawn -> testRunStarted: Node, Cucumber and the support code loaded. */
  startupMs: number;
  /** testRunStarted -> first scenario started (BeforeAll hooks: the bare side starts its Spine here). */
  readyMs: number;
  /** The first scenario (the harness starts its Spine in the first scenario's Before hook). */
  firstScenarioMs: number;
  /** Per scenario, the first left out: median, mean, p90. */
  medianMs: number;
  meanMs: number;
  p90Ms: number;
  /** Median per scenario kind (first left out). */
  byKind: Record<string, number>;
  peakMb: number;
}

export function sideFigures(run: RunInput, kindOf: (name: string) => string): SideFigures {
  const scenarios = [...run.timings.scenarios].sort((a, b) => a.startedMs - b.startedMs);
  const rest = scenarios.slice(1);
  const durations = rest.map((s) => s.durationMs);
  const kinds = new Map<string, ScenarioTiming[]>();
  for (const s of rest) kinds.set(kindOf(s.name), [...(kinds.get(kindOf(s.name)) ?? []), s]);
  const runStarted = run.timings.runStartedMs;
  return {
    scenarios: scenarios.length,
    counts: statusCounts(scenarios),
    wallMs: run.wallMs,
    startupMs: runStarted === undefined ? NaN : runStarted - run.spawnedAtMs,
    readyMs: runStarted === undefined || !scenarios[0] ? NaN : scenarios[0].startedMs - runStarted,
    firstScenarioMs: scenarios[0]?.durationMs ?? NaN,
    medianMs: median(durations),
    meanMs: mean(durations),
    p90Ms: quantile(durations, 0.9),
    byKind: Object.fromEntries([...kinds].map(([k, list]) => [k, median(list.map((s) => s.durationMs))])),
    peakMb: kbToMb(totalHwmKb(run.peaks)),
  };
}

/** Of several runs of one side, the one with the least per-scenario median (best of N). */
export function bestSide(runs: SideFigures[]): SideFigures {
  return runs.reduce((a, b) => (b.medianMs < a.medianMs || Number.isNaN(a.medianMs) ? b : a));
}
