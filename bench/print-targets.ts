/**
 * The figures issue 14 asks for as plain-text tables, each beside its baseline from the same run
 * (a ratio) or its target (bench/targets.ts), each with the machine's load while it was measured.
 */
import { loadText, type LoadSpan } from './load';
import type { MainJobFigures } from './main-job';
import { describeCounts } from './messages';
import type { OutputSizes } from './output-sizes';
import type { ParallelFigures, ProviderSuiteRun } from './parallel-pays';
import type { RerunFigures } from './rerun';
import { fmt, kbToMb, ratio, table } from './stats';
import { againstTarget, TARGETS } from './targets';
import type { TestStagesFigures } from './test-stages';

const s = (ms: number, d = 2) => fmt(ms / 1000, d);
const mb = (bytes: number) => fmt(kbToMb(bytes / 1024), 1);

export function mainJobTable(f: MainJobFigures, load: LoadSpan): string {
  return [
    `The main job${Number.isNaN(f.coldWallMs) ? ': node bin/gpc-conform conformance --out <tmp>, one run (BENCH_QUICK: no warm-up run before it)' : ', warm: node bin/gpc-conform conformance --out <tmp>, the second of 2 runs into the same folder'}; ${loadText(load)}`,
    table([
      ['', 's', ''],
      ['wall (the command, end to end)', s(f.wallMs), againstTarget(f.wallMs / 1000, TARGETS.mainJobSeconds, 's')],
      ['its scenarios (the longest part, summed)', s(f.scenariosMs), `wall / scenarios ${fmt(f.wallOverScenarios, 2)}`],
      ['harness overhead (wall - scenarios)', s(f.overheadMs), ''],
      ['the parts (spawn -> the last part finished)', s(f.partsDoneMs), ''],
      ['reports after the parts (-> exit)', s(f.reportsMs), ''],
      ['every part\'s scenarios, summed', s(f.scenariosAllPartsMs), ''],
      ['first run (not timed), wall', s(f.coldWallMs), ''],
    ]),
    '  Each part, side by side, in s from the command\'s spawn:',
    table([
      ['part', 'test run started', 'first scenario', 'scenarios summed', 'finished', 'scenarios'],
      ...f.parts.map((p) => [p.name, s(p.runStartedMs), s(p.firstScenarioMs), s(p.scenarioSumMs), s(p.runFinishedMs), describeCounts(p.counts)]),
    ]),
    `  exit ${f.exitCode} (first run: ${f.coldExitCode ?? 'none'}); peak RSS of the process tree, summed: ${fmt(f.peakTreeMb, 0)} MB`,
  ].join('\n');
}

export function sizesTable(o: OutputSizes): string {
  return [
    'The main job\'s outputs: bytes per top-level entry of its --out folder (MB = 2^20 bytes; a hard-linked file counted once, in the first entry by name)',
    table([
      ['entry', 'MB', 'files', ''],
      ...o.entries.map((e) => [e.name, mb(e.bytes), String(e.files), '']),
      ['total', mb(o.totalBytes), String(o.entries.reduce((n, e) => n + e.files, 0)), againstTarget(kbToMb(o.totalBytes / 1024), TARGETS.outputsMb, 'MB')],
      ['the Allure report, one file (allure-report/index.html)', mb(o.singleFileBytes), '1', againstTarget(kbToMb(o.singleFileBytes / 1024), TARGETS.singleFileMb, 'MB')],
    ]),
  ].join('\n');
}

export function rerunTable(f: RerunFigures, load: LoadSpan): string {
  const m = f.median;
  return [
    `One re-run: gpc-conform run --role provider --only ${f.scenario}, against the reference provider already running (serve-provider); median of ${f.runs.length}, beside bare Cucumber running one trivial scenario; ${loadText(load)}`,
    table([
      ['', 're-run s', 'bare s', 're-run / bare'],
      ['wall (spawn -> exit)', s(m.wallMs), s(f.trivial.wallMs), fmt(f.wallRatio, 2)],
      ['  start-up (spawn -> test run started)', s(m.startupMs), s(f.trivial.startupMs), fmt(f.startupRatio, 2)],
      ['  before the scenario (BeforeAll)', s(m.beforeScenarioMs), '', ''],
      ['  the scenario', s(m.scenarioMs), '', ''],
      ['  after the scenario (-> exit)', s(m.afterMs), '', ''],
      ['    of which the reports (test run finished -> exit)', s(m.reportsMs), '', ''],
    ]),
    `  wall ${againstTarget(m.wallMs / 1000, TARGETS.rerunSeconds, 's')}`,
    `  re-runs: ${f.runs.map((r) => `${s(r.wallMs)} s (exit ${r.exitCode}, ${r.scenarios} scenario)`).join(', ')}; bare: ${f.trivialRuns.map((r) => `${s(r.wallMs)} s`).join(', ')}`,
  ].join('\n');
}

export function parallelTable(f: ParallelFigures, load: LoadSpan): string {
  const row = (name: string, pick: (r: ProviderSuiteRun) => number, d = 2, scale = 1000) => [name, fmt(pick(f.serial) / scale, d), fmt(pick(f.parallel) / scale, d), fmt(ratio(pick(f.serial), pick(f.parallel)), 2)];
  const lines = [
    `--parallel that pays: the provider features${f.tags ? ` tagged ${f.tags} (a subset: the target is for all of them)` : ''}, as a part of gpc-conform run runs them (its own process, Cucumber's API, every output but the reports after), against the reference provider behind a proxy that holds every answer ${f.delayMs} ms; serial and --parallel ${f.workers}, alternating, best of ${f.serialRuns.length} run(s) each; ${loadText(load)}`,
    table([
      ['', 'serial', `parallel ${f.workers}`, 'serial / parallel'],
      row('the part\'s wall s (spawn -> exit)', (r) => r.wallMs),
      row('  start-up s (spawn -> test run started)', (r) => r.startupMs),
      row('  the Cucumber run s (test run started -> finished)', (r) => r.cucumberMs),
      row('  its end s (test run finished -> exit)', (r) => r.endMs),
      row('scenarios summed over workers s', (r) => r.scenarioSumMs),
      row('answers the proxy held', (r) => r.delayedAnswers, 0, 1),
      row('peak RSS MB, summed over the process tree', (r) => r.peakTreeMb, 0, 1),
    ]),
    `  speed-up (serial / parallel): ${fmt(f.speedUp, 2)}x the part, ${fmt(f.cucumberSpeedUp, 2)}x the Cucumber run alone: --parallel ${f.workers} ${f.speedUp > 1 ? 'pays' : 'does not pay'}`,
    `  serial: the first scenario started ${s(f.serialToFirstScenarioMs)} s after the test run (the support code already loaded) and took ${s(f.serial.workers[0]?.firstScenarioMs ?? NaN)} s`,
    ...f.parallel.workers.map((w, i) => `  worker ${w.workerId}: first scenario at ${s(w.firstStartMs)} s, extra start-up ${s(f.workerExtraStartupMs[i].extraMs)} s (${againstTarget(f.workerExtraStartupMs[i].extraMs / 1000, TARGETS.workerStartupSeconds, 's')}); its first scenario took ${s(w.firstScenarioMs)} s; ${w.scenarios} scenarios, ${s(w.scenarioSumMs)} s summed`),
    `  runs: ${[...f.serialRuns.map((r) => ['serial', r] as const), ...f.parallelRuns.map((r) => [`parallel ${f.workers}`, r] as const)].map(([mode, r]) => `${mode} ${s(r.wallMs)} s (${describeCounts(r.counts)})`).join(', ')}`,
  ];
  if (!f.countsEqual) lines.push('  !!! THE RUNS DID NOT RUN THE SAME SCENARIOS WITH THE SAME OUTCOMES: the times are not comparable !!!');
  return lines.join('\n');
}

export function testStagesTable(t: TestStagesFigures | undefined): string {
  if (!t) return 'npm test stages: no reports/test-stages.json yet (run `npm test`, or the bench with BENCH_TESTS=1)';
  const when = t.ranByThisBench ? 'run by this bench (BENCH_TESTS=1)' : `${fmt(t.ageHours, 1)} h before this bench`;
  const load = t.loadAverageAtStart ? `; load ${t.loadAverageAtStart[0].toFixed(2)} -> ${t.loadAverageAtEnd?.[0].toFixed(2) ?? '?'} (1-min average)` : '';
  const counts = t.passed === undefined ? '' : `; ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`;
  return [
    `npm test stages: taken ${t.date} on commit ${t.commit.slice(0, 10)}${t.dirty ? ' (with local changes)' : ''}, ${when}${load}${counts}`,
    table([
      ['stage', 's', '% of total', ''],
      ...t.stages.map((st) => [st.label, fmt(st.seconds, 1), fmt(ratio(st.seconds, t.totalSeconds) * 100, 0), st.beside ? `beside ${st.beside}` : '']),
      ['total', fmt(t.totalSeconds, 1), '', againstTarget(t.totalSeconds, TARGETS.npmTestSeconds, 's')],
    ]),
  ].join('\n');
}
