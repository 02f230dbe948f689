/**
 * One re-run, as a supplier fixing one failure does it: `gpc-conform run --role provider --only
 * <one scenario>` against a provider already running and answering at once (the reference
 * provider, `gpc-conform serve-provider`, started before any timing). Several runs, the median
 * of each figure, split into start-up, the scenario and what comes after; beside bare Cucumber
 * running one trivial scenario (Node and Cucumber starting: the least any run can take), the same
 * number of times, alternating.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCucumber } from './cucumber-run';
import { runGpcConform, type GpcRun } from './gpc-run';
import { partFigures } from './part-figures';
import { referenceRunningProfile, startReferenceProvider } from './running-provider';
import { median, ratio } from './stats';

export const RERUN_SCENARIO = 'features/provider/capability-statement.feature:13';

export interface RerunSplit {
  wallMs: number;
  exitCode: number | null;
  /** spawn -> testRunStarted: the command, its part's process, Node, Cucumber, the support code. */
  startupMs: number;
  /** testRunStarted -> the scenario started (BeforeAll hooks). */
  beforeScenarioMs: number;
  /** The scenario itself (its Before hooks start Spine in a box). */
  scenarioMs: number;
  /** The scenario finished -> the command exited: the part's end, then every report. */
  afterMs: number;
  /** testRunFinished -> exit: the reports (summary, JUnit, coverage, the Allure report, the evidence pack at full). */
  reportsMs: number;
  scenarios: number;
}

export function rerunSplit(run: Pick<GpcRun, 'wallMs' | 'exitCode' | 'spawnedAtMs' | 'parts'>): RerunSplit {
  const parts = run.parts.map((p) => partFigures(run.spawnedAtMs, p));
  const part = parts[0];
  return {
    wallMs: run.wallMs,
    exitCode: run.exitCode,
    startupMs: part?.runStartedMs ?? NaN,
    beforeScenarioMs: part ? part.firstScenarioMs - part.runStartedMs : NaN,
    scenarioMs: part?.scenarioSumMs ?? NaN,
    afterMs: part ? run.wallMs - part.lastScenarioMs : NaN,
    reportsMs: part ? run.wallMs - part.runFinishedMs : NaN,
    scenarios: parts.reduce((n, p) => n + p.scenarios, 0),
  };
}

/** The bare baseline's run: wall time, and spawn -> testRunStarted. */
export interface TrivialRun {
  wallMs: number;
  startupMs: number;
  exitCode: number | null;
}

export interface RerunFigures {
  scenario: string;
  runs: RerunSplit[];
  /** The median of each figure over the runs (each its own median: they need not add up exactly). */
  median: Omit<RerunSplit, 'exitCode' | 'scenarios'>;
  trivialRuns: TrivialRun[];
  trivial: { wallMs: number; startupMs: number };
  /** re-run wall / bare Cucumber wall (medians) */
  wallRatio: number;
  startupRatio: number;
}

export function rerunFigures(scenario: string, runs: RerunSplit[], trivialRuns: TrivialRun[]): RerunFigures {
  const med = (key: keyof RerunFigures['median']) => median(runs.map((r) => r[key]));
  const m = { wallMs: med('wallMs'), startupMs: med('startupMs'), beforeScenarioMs: med('beforeScenarioMs'), scenarioMs: med('scenarioMs'), afterMs: med('afterMs'), reportsMs: med('reportsMs') };
  const trivial = { wallMs: median(trivialRuns.map((r) => r.wallMs)), startupMs: median(trivialRuns.map((r) => r.startupMs)) };
  return { scenario, runs, median: m, trivialRuns, trivial, wallRatio: ratio(m.wallMs, trivial.wallMs), startupRatio: ratio(m.startupMs, trivial.startupMs) };
}

/** A feature with one scenario whose one step does nothing (bench/trivial/). */
export const TRIVIAL_FEATURE = `Feature: Bench: nothing but Node and Cucumber starting

  Scenario: Nothing happens
    Given nothing happens
`;

export async function measureRerun(tmp: string, times: number, scenario = RERUN_SCENARIO): Promise<RerunFigures> {
  const provider = await startReferenceProvider(ROOT, path.join(tmp, 'rerun-provider.log'));
  try {
    const profile = path.join(tmp, 'running-provider.yaml');
    writeFileSync(profile, referenceRunningProfile(ROOT, provider.baseUrl, 'gpc-conform reference provider (already running)'));
    const feature = path.join(tmp, 'trivial.feature');
    writeFileSync(feature, TRIVIAL_FEATURE);
    const runs: RerunSplit[] = [];
    const trivialRuns: TrivialRun[] = [];
    for (let i = 1; i <= times; i++) {
      const run = await runGpcConform(`rerun-${i}`, ['run', '--role', 'provider', '--profile', profile, '--only', scenario], path.join(tmp, 'rerun'));
      if (run.exitCode !== 0) console.error(`  (re-run ${i} exited ${run.exitCode ?? run.signal}:\n${run.outputTail})`);
      runs.push(rerunSplit(run));
      const bare = await runCucumber(`trivial-${i}`, 'trivial', [feature], tmp);
      trivialRuns.push({ wallMs: bare.wallMs, startupMs: bare.startupMs ?? NaN, exitCode: bare.exitCode });
    }
    return rerunFigures(scenario, runs, trivialRuns);
  } finally {
    await provider.stop();
  }
}
