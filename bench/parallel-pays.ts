/**
 * Does `--parallel` pay? The provider features, run as one part of `gpc-conform run --role
 * provider` runs them (bench/part-run.ts: Cucumber's API in a process of its own, every output but
 * the reports after), against a provider that takes its time answering (the reference provider
 * behind bench/delay-proxy.ts, 50 ms an answer), serially and with `--parallel N`, in the same run,
 * alternating. The speed-up, and what each worker costs to start: from the messages, when each
 * worker's first scenario started after the test run started, beside when the serial run's first
 * scenario did (its support code is loaded by then), the difference being the worker's extra start-up.
 * The command around the part and the reports after it are the same either way: the main job and
 * the re-run measure them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cucumber-run';
import { startDelayProxy, type DelayProxy } from './delay-proxy';
import type { GpcRun } from './gpc-run';
import type { RunTimings } from './messages';
import { addCounts, partFigures } from './part-figures';
import { runPartProcess } from './part-run';
import { totalHwmKb } from './proc';
import { referenceRunningProfile, servicePath, startReferenceProvider } from './running-provider';
import { kbToMb, ratio } from './stats';
import { sameCounts } from './summary';

export interface WorkerFigures {
  /** Cucumber's workerId ("serial" for a run without workers). */
  workerId: string;
  /** testRunStarted -> this worker's first scenario started. */
  firstStartMs: number;
  /** Its first scenario's own duration (Spine in a box starts in the first scenario's Before hook). */
  firstScenarioMs: number;
  scenarios: number;
  scenarioSumMs: number;
  /** testRunStarted -> this worker's last scenario finished. */
  lastFinishMs: number;
}

/** Each worker's scenarios, from the messages, in worker order. */
export function workerFigures(timings: RunTimings): WorkerFigures[] {
  const start = timings.runStartedMs ?? Math.min(...timings.scenarios.map((s) => s.startedMs));
  const byWorker = new Map<string, RunTimings['scenarios']>();
  for (const s of timings.scenarios) byWorker.set(s.workerId ?? 'serial', [...(byWorker.get(s.workerId ?? 'serial') ?? []), s]);
  return [...byWorker]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([workerId, list]) => {
      const first = list.reduce((a, b) => (b.startedMs < a.startedMs ? b : a));
      return {
        workerId,
        firstStartMs: first.startedMs - start,
        firstScenarioMs: first.durationMs,
        scenarios: list.length,
        scenarioSumMs: list.reduce((sum, s) => sum + s.durationMs, 0),
        lastFinishMs: Math.max(...list.map((s) => s.finishedMs)) - start,
      };
    });
}

export interface ProviderSuiteRun {
  wallMs: number;
  exitCode: number | null;
  scenarios: number;
  counts: Record<string, number>;
  /** The part's Cucumber run: testRunStarted -> testRunFinished. */
  cucumberMs: number;
  /** spawn -> testRunStarted: the part's process, Node, Cucumber and the support code. */
  startupMs: number;
  /** testRunFinished -> exit: the part's files closed, the process gone. */
  endMs: number;
  scenarioSumMs: number;
  workers: WorkerFigures[];
  /** Answers the delaying proxy held during this run. */
  delayedAnswers: number;
  peakTreeMb: number;
  processes: number;
}

export function providerSuiteRun(run: Pick<GpcRun, 'wallMs' | 'exitCode' | 'spawnedAtMs' | 'peaks' | 'parts'>, delayedAnswers: number): ProviderSuiteRun {
  const parts = run.parts.map((p) => partFigures(run.spawnedAtMs, p));
  const part = parts[0];
  return {
    wallMs: run.wallMs,
    exitCode: run.exitCode,
    scenarios: parts.reduce((n, p) => n + p.scenarios, 0),
    counts: addCounts(parts),
    cucumberMs: part ? part.runFinishedMs - part.runStartedMs : NaN,
    startupMs: part?.runStartedMs ?? NaN,
    endMs: part ? run.wallMs - part.runFinishedMs : NaN,
    scenarioSumMs: part?.scenarioSumMs ?? NaN,
    workers: run.parts[0] ? workerFigures(run.parts[0].timings) : [],
    delayedAnswers,
    peakTreeMb: kbToMb(totalHwmKb(run.peaks)),
    processes: run.peaks.length,
  };
}

export interface ParallelFigures {
  delayMs: number;
  workers: number;
  /** A tag expression narrowing the provider features (BENCH_QUICK: slot search); empty: all of them. */
  tags: string;
  serialRuns: ProviderSuiteRun[];
  parallelRuns: ProviderSuiteRun[];
  /** The best (least wall) run of each mode. */
  serial: ProviderSuiteRun;
  parallel: ProviderSuiteRun;
  /** serial / parallel wall: above 1, --parallel pays. */
  speedUp: number;
  /** serial / parallel, of the Cucumber run alone (no start-up, no reports). */
  cucumberSpeedUp: number;
  /** testRunStarted -> first scenario, serially: the support code is loaded already. */
  serialToFirstScenarioMs: number;
  /** Per worker: its first scenario's start after the run's, less the serial run's. */
  workerExtraStartupMs: Array<{ workerId: string; extraMs: number }>;
  countsEqual: boolean;
}

const best = (runs: ProviderSuiteRun[]) => runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));

export function parallelFigures(o: { delayMs: number; workers: number; tags: string }, serialRuns: ProviderSuiteRun[], parallelRuns: ProviderSuiteRun[]): ParallelFigures {
  const serial = best(serialRuns);
  const parallel = best(parallelRuns);
  const serialToFirstScenarioMs = serial.workers[0]?.firstStartMs ?? NaN;
  const all = [...serialRuns, ...parallelRuns];
  return {
    ...o,
    serialRuns,
    parallelRuns,
    serial,
    parallel,
    speedUp: ratio(serial.wallMs, parallel.wallMs),
    cucumberSpeedUp: ratio(serial.cucumberMs, parallel.cucumberMs),
    serialToFirstScenarioMs,
    workerExtraStartupMs: parallel.workers.map((w) => ({ workerId: w.workerId, extraMs: w.firstStartMs - serialToFirstScenarioMs })),
    countsEqual: all.every((r) => r.scenarios === all[0].scenarios && sameCounts(r.counts, all[0].counts)),
  };
}

export interface ParallelOptions {
  delayMs: number;
  workers: number;
  runs: number;
  /** A tag expression narrowing the provider features; empty: all of them. */
  tags: string;
}

/**
 * A fresh slow provider for one run, started before and stopped after the timing: the reference
 * provider keeps what a run did (a patient registered, a slot booked), and a second run against the
 * same one would find it and fail where the first passed.
 */
async function withSlowProvider<T>(dir: string, delayMs: number, run: (profile: string, proxy: DelayProxy) => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const provider = await startReferenceProvider(ROOT, path.join(dir, 'slow-provider.log'));
  const proxy = await startDelayProxy(provider, delayMs);
  try {
    const profile = path.join(dir, 'slow-provider.yaml');
    writeFileSync(profile, referenceRunningProfile(ROOT, `${proxy.origin}${servicePath('A20047')}`, `gpc-conform reference provider, ${delayMs} ms an answer`));
    return await run(profile, proxy);
  } finally {
    await proxy.close();
    await provider.stop();
  }
}

export async function measureParallelPays(tmp: string, o: ParallelOptions): Promise<ParallelFigures> {
  const serialRuns: ProviderSuiteRun[] = [];
  const parallelRuns: ProviderSuiteRun[] = [];
  for (let i = 1; i <= o.runs; i++) {
    for (const [mode, workers, into] of [['serial', undefined, serialRuns], [`parallel-${o.workers}`, o.workers, parallelRuns]] as const) {
      console.error(`  provider features, ${o.delayMs} ms an answer, run ${i} of ${o.runs}: ${mode} ...`);
      const label = `provider-${mode}-${i}`;
      const dir = path.join(tmp, label);
      const figures = await withSlowProvider(dir, o.delayMs, async (profile, proxy) => {
        const run = await runPartProcess(label, path.join(dir, 'part'), { paths: ['features/provider'], tags: o.tags || undefined, parameters: { providerProfile: profile, reportDir: dir }, parallel: workers });
        if (run.exitCode !== 0) console.error(`  (${label} exited ${run.exitCode ?? run.signal}:\n${run.outputTail})`);
        return providerSuiteRun(run, proxy.forwarded);
      });
      into.push(figures);
    }
  }
  return parallelFigures(o, serialRuns, parallelRuns);
}
