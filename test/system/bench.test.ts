import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startDelayProxy, translate, translateBearer, translatedBody } from '../../bench/delay-proxy';
import { loadText } from '../../bench/load';
import { mainJobFigures } from '../../bench/main-job';
import { describeCounts, parseMessages, statusCounts, worse } from '../../bench/messages';
import { measureOutputSizes, outputSizes } from '../../bench/output-sizes';
import { kindOf, overheadFeature } from '../../bench/overhead-feature';
import { parallelFigures, providerSuiteRun } from '../../bench/parallel-pays';
import { mainJobTable, parallelTable, rerunTable, sizesTable, testStagesTable } from '../../bench/print-targets';
import { descendants, parsePpid, parseStatus, runMeasured, totalHwmKb } from '../../bench/proc';
import { RERUN_SCENARIO, rerunFigures, rerunSplit, TRIVIAL_FEATURE } from '../../bench/rerun';
import { runningProviderProfile, servicePath } from '../../bench/running-provider';
import { fmt, median, quantile, ratio, table } from '../../bench/stats';
import { bestSide, sideFigures, suiteFigures, suiteRun, type SideFigures } from '../../bench/summary';
import { againstTarget } from '../../bench/targets';
import { parseTestStages } from '../../bench/test-stages';
import { scratchFolder } from '../support/scratch';
import { proveRun } from '../support/proof';

const scratch = scratchFolder('gpc-bench-test-');
const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** A message stream as Cucumber writes it: two scenarios, the second retried once, in parallel workers. */
function stream(): string {
  const m = (o: object) => JSON.stringify(o);
  return [
    m({ meta: { protocolVersion: '32.2.0' } }),
    m({ pickle: { id: 'p1', name: 'Capability statement, round 1' } }),
    m({ pickle: { id: 'p2', name: 'Free slots, round 1' } }),
    m({ testRunStarted: { id: 'r', timestamp: ts(1_000_000) } }),
    m({ testCase: { id: 'c1', pickleId: 'p1', testSteps: [] } }),
    m({ testCase: { id: 'c2', pickleId: 'p2', testSteps: [] } }),
    m({ testCaseStarted: { id: 's1', testCaseId: 'c1', attempt: 0, timestamp: ts(1_000_500), workerId: '0' } }),
    m({ testCaseStarted: { id: 's2', testCaseId: 'c2', attempt: 0, timestamp: ts(1_000_510), workerId: '1' } }),
    m({ testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'PASSED' } } }),
    m({ testStepFinished: { testCaseStartedId: 's2', testStepResult: { status: 'FAILED' } } }),
    m({ testCaseFinished: { testCaseStartedId: 's2', timestamp: ts(1_000_600), willBeRetried: true } }),
    m({ testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'SKIPPED' } } }),
    m({ testCaseFinished: { testCaseStartedId: 's1', timestamp: ts(1_000_540), willBeRetried: false } }),
    m({ testCaseStarted: { id: 's3', testCaseId: 'c2', attempt: 1, timestamp: ts(1_000_700), workerId: '1' } }),
    m({ testStepFinished: { testCaseStartedId: 's3', testStepResult: { status: 'PASSED' } } }),
    m({ testCaseFinished: { testCaseStartedId: 's3', timestamp: ts(1_000_725), willBeRetried: false } }),
    m({ testRunFinished: { success: true, timestamp: ts(1_001_000) } }),
    '',
  ].join('\n');
}

test('a message stream gives each final attempt with its name, duration, worker and worst step status', () => {
  const run = parseMessages(stream());
  assert.equal(run.runStartedMs, 1_000_000);
  assert.equal(run.runFinishedMs, 1_001_000);
  assert.deepEqual(
    run.scenarios.map((s) => [s.name, s.durationMs, s.workerId, s.status]),
    [
      ['Capability statement, round 1', 40, '0', 'SKIPPED'],
      ['Free slots, round 1', 25, '1', 'PASSED'],
    ],
  );
  assert.deepEqual(statusCounts(run.scenarios), { SKIPPED: 1, PASSED: 1 });
  assert.equal(describeCounts({ PASSED: 270, FAILED: 2 }), '270 passed, 2 failed');
  assert.equal(worse('PASSED', 'UNDEFINED'), 'UNDEFINED');
  assert.equal(worse('FAILED', 'PASSED'), 'FAILED');
});

test('per-scenario figures leave the first scenario out and time start-up from the spawn', () => {
  const fig = sideFigures({ wallMs: 2000, exitCode: 0, spawnedAtMs: 999_200, peaks: [{ pid: 1, name: 'node', hwmKb: 2048 }], timings: parseMessages(stream()) }, kindOf);
  assert.equal(fig.startupMs, 800);
  assert.equal(fig.readyMs, 500);
  assert.equal(fig.firstScenarioMs, 40);
  assert.equal(fig.medianMs, 25);
  assert.deepEqual(fig.byKind, { 'Free slots': 25 });
  assert.equal(fig.peakMb, 2);
});

test('suite figures: best wall time of each mode, speed-up, summed memory, and unequal runs are flagged', () => {
  const run = (wallMs: number, kb: number[], counts: Record<string, number>) => ({ wallMs, exitCode: 0, spawnedAtMs: 0, peaks: kb.map((hwmKb, pid) => ({ pid, name: 'node', hwmKb })), timings: { scenarios: Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ name: 'x', startedMs: 0, finishedMs: 1, durationMs: 1, status }))) } });
  const serial = [suiteRun(run(12_000, [300 * 1024], { PASSED: 10 })), suiteRun(run(10_000, [310 * 1024], { PASSED: 10 }))];
  const parallel = [suiteRun(run(6_000, [100 * 1024, 250 * 1024, 250 * 1024], { PASSED: 10 })), suiteRun(run(5_000, [100 * 1024, 250 * 1024, 260 * 1024], { PASSED: 10 }))];
  const fig = suiteFigures(2, serial, parallel);
  assert.equal(fig.bestSerialMs, 10_000);
  assert.equal(fig.bestParallelMs, 5_000);
  assert.equal(fig.speedUp, 2);
  assert.equal(fig.peakSerialMb, 310);
  assert.equal(fig.peakParallelMb, 610);
  assert.equal(parallel[1].peakLargestMb, 260);
  assert.equal(serial[0].scenarioSumMs, 10);
  assert.equal(serial[0].toFirstScenarioMs, 0);
  assert.equal(fig.countsEqual, true);
  const unequal = suiteFigures(2, serial, [suiteRun(run(5_000, [1], { PASSED: 9, FAILED: 1 }))]);
  assert.equal(unequal.countsEqual, false);
});

test('/proc parsing: parent pid past a command name with spaces and parentheses, VmHWM, and the process tree', () => {
  assert.equal(parsePpid('4242 (node (worker) x) S 4200 4242 4200 0 -1'), 4200);
  assert.deepEqual(parseStatus('Name:\tnode\nState:\tS\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n'), { name: 'node', hwmKb: 123456 });
  assert.deepEqual(parseStatus('Name:\tnode\nState:\tZ (zombie)\n'), { name: 'node', hwmKb: undefined });
  const parentOf = new Map([[2, 1], [3, 2], [4, 2], [5, 9], [6, 4]]);
  assert.deepEqual(descendants(2, parentOf).sort(), [2, 3, 4, 6]);
  assert.equal(totalHwmKb([{ pid: 1, name: 'a', hwmKb: 10 }, { pid: 2, name: 'b', hwmKb: 5 }]), 15);
});

test('stats: quantiles, ratios that never divide by nothing, figures and tables', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 10);
  assert.ok(Number.isNaN(median([])));
  assert.equal(ratio(6, 3), 2);
  assert.ok(Number.isNaN(ratio(1, 0)));
  assert.ok(Number.isNaN(ratio(undefined, 1)));
  assert.equal(fmt(NaN), 'n/a');
  assert.equal(fmt(1.234, 2), '1.23');
  assert.equal(table([['', 'a'], ['long name', '1.0']]), '                a\n  long name   1.0');
});

test('the overhead feature has each scenario once per round, and scenario names give their kind', () => {
  const text = overheadFeature(3);
  assert.equal(text.match(/^ {6}\| \d+ \|$/gm)?.length, 6);
  assert.match(text, /^@provider$/m);
  assert.equal(kindOf('Free slots, round 12'), 'Free slots');
});

test('the overhead feature runs with the harness\'s own steps and passes against the reference provider (a bench scenario that breaks measures nothing)', async () => {
  const file = path.join(scratch.fresh('overhead'), 'overhead.feature');
  writeFileSync(file, overheadFeature(1));
  const run = await proveRun([file], { tlsDir: path.join(path.dirname(file), 'tls'), reportDir: path.dirname(file) });
  assert.deepEqual(run.failedScenarios, []);
  assert.deepEqual(run.verdict.scenarios.map((s) => [kindOf(s.name), s.outcome]), [['Capability statement', 'passed'], ['Free slots', 'passed']]);
});

test('a measured child process reports its wall time, exit code and its own peak memory', { skip: !existsSync('/proc/self/status') }, async () => {
  // Holds about 64 MB for a while, so the poll sees it.
  const run = await runMeasured(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); setTimeout(() => process.exit(b[0] === 1 ? 3 : 4), 600)'], { cwd: process.cwd(), env: process.env, pollMs: 50 });
  assert.equal(run.exitCode, 3);
  assert.ok(run.wallMs > 0);
  assert.equal(run.peaks[0]?.name, 'node');
  assert.ok(run.peaks[0].hwmKb > 64 * 1024, `peak ${run.peaks[0].hwmKb} kB`);
});

test('the peaks cover the whole process tree: a grandchild is counted', { skip: !existsSync('/proc/self/status') }, async () => {
  const grandchild = `require('node:child_process').spawnSync(process.execPath, ['-e', 'const b = Buffer.alloc(48 * 1024 * 1024, 1); setTimeout(() => {}, 600)'], { stdio: 'inherit' })`;
  const run = await runMeasured(process.execPath, ['-e', grandchild], { cwd: process.cwd(), env: process.env, pollMs: 50 });
  assert.equal(run.exitCode, 0);
  assert.ok(run.peaks.length >= 2, `processes seen: ${JSON.stringify(run.peaks)}`);
  assert.ok(run.peaks.slice(1).some((p) => p.hwmKb > 48 * 1024));
});

test('of several runs of one side, the one with the least per-scenario median is kept', () => {
  const side = (medianMs: number) => ({ medianMs }) as unknown as SideFigures;
  assert.equal(bestSide([side(30), side(12), side(20)]).medianMs, 12);
  assert.equal(bestSide([side(NaN), side(20)]).medianMs, 20);
});

// Issue 14's figures: the main job, a re-run, the outputs, --parallel that pays, npm test's stages.

/** A part as readParts gives it: its message stream read, with scenarios at the given ms (from the run's start at 10_000). */
function part(name: string, runStart: number | undefined, scenarios: Array<[start: number, end: number, workerId?: string]>, runEnd?: number) {
  return {
    name,
    timings: {
      runStartedMs: runStart,
      runFinishedMs: runEnd,
      scenarios: scenarios.map(([startedMs, finishedMs, workerId], i) => ({ name: `s${i}`, startedMs, finishedMs, durationMs: finishedMs - startedMs, status: 'PASSED', workerId })),
    },
  };
}

test('the main job: wall against its longest part\'s scenarios, each part from the spawn, and the reports after the last part', () => {
  const warm = {
    wallMs: 30_000,
    exitCode: 0,
    spawnedAtMs: 10_000,
    peaks: [{ pid: 1, name: 'node', hwmKb: 1024 }, { pid: 2, name: 'java', hwmKb: 2048 }],
    parts: [part('reference', 12_000, [[12_500, 20_500], [20_500, 26_500]], 27_000), part('consumer-http', 11_000, [[11_500, 15_500]], 16_000)],
  };
  const f = mainJobFigures(warm, { wallMs: 40_000, exitCode: 0 });
  assert.equal(f.scenariosMs, 14_000);
  assert.equal(f.scenariosAllPartsMs, 18_000);
  assert.equal(f.overheadMs, 16_000);
  assert.equal(f.partsDoneMs, 17_000);
  assert.equal(f.reportsMs, 13_000);
  assert.equal(f.coldWallMs, 40_000);
  assert.equal(f.peakTreeMb, 3);
  assert.deepEqual(f.counts, { PASSED: 3 });
  assert.deepEqual(
    f.parts.map((p) => [p.name, p.runStartedMs, p.firstScenarioMs, p.lastScenarioMs, p.runFinishedMs, p.scenarioSumMs]),
    [
      ['reference', 2_000, 2_500, 16_500, 17_000, 14_000],
      ['consumer-http', 1_000, 1_500, 5_500, 6_000, 4_000],
    ],
  );
  const once = mainJobFigures(warm);
  assert.ok(Number.isNaN(once.coldWallMs));
  assert.equal(once.coldExitCode, null);
  const table = mainJobTable(f, { before: [1, 1, 1], after: [2, 2, 2] });
  assert.match(table, /wall \(the command, end to end\)\s+30\.00\s+not met: 2\.00 x the 15 s target/);
  assert.match(table, /reference\s+2\.00\s+2\.50\s+14\.00\s+17\.00\s+2 passed/);
});

test('a re-run splits into start-up, before the scenario, the scenario and after; the medians stand beside bare Cucumber', () => {
  const split = rerunSplit({ wallMs: 9_000, exitCode: 0, spawnedAtMs: 10_000, parts: [part('provider', 13_000, [[13_200, 14_000]], 14_050)] });
  assert.deepEqual(split, { wallMs: 9_000, exitCode: 0, startupMs: 3_000, beforeScenarioMs: 200, scenarioMs: 800, afterMs: 5_000, reportsMs: 4_950, scenarios: 1 });
  const noMessages = rerunSplit({ wallMs: 500, exitCode: 2, spawnedAtMs: 0, parts: [] });
  assert.ok(Number.isNaN(noMessages.startupMs) && Number.isNaN(noMessages.afterMs));
  const runs = [split, { ...split, wallMs: 7_000, startupMs: 2_000 }, { ...split, wallMs: 8_000, startupMs: 4_000 }];
  const f = rerunFigures(RERUN_SCENARIO, runs, [{ wallMs: 1_000, startupMs: 800, exitCode: 0 }, { wallMs: 2_000, startupMs: 900, exitCode: 0 }, { wallMs: 4_000, startupMs: 1_000, exitCode: 0 }]);
  assert.equal(f.median.wallMs, 8_000);
  assert.equal(f.median.startupMs, 3_000);
  assert.equal(f.trivial.wallMs, 2_000);
  assert.equal(f.wallRatio, 4);
  assert.equal(f.startupRatio, 3_000 / 900);
  const table = rerunTable(f, { before: [1, 1, 1], after: [1, 1, 1] });
  assert.match(table, /wall \(spawn -> exit\)\s+8\.00\s+2\.00\s+4\.00/);
  assert.match(table, /wall not met: 2\.67 x the 3 s target/);
  assert.match(TRIVIAL_FEATURE, /^\s+Given nothing happens$/m);
});

test('--parallel that pays: each worker\'s first scenario against the serial run\'s, the speed-ups, and unequal runs flagged', () => {
  const serialTimings = part('provider', 13_000, [[13_400, 15_000], [15_000, 17_000], [17_000, 19_000]], 19_100);
  const parallelTimings = part('provider', 13_000, [[14_000, 15_600, '0'], [14_300, 16_000, '1'], [15_600, 17_000, '0']], 17_100);
  const serial = providerSuiteRun({ wallMs: 12_000, exitCode: 0, spawnedAtMs: 10_000, peaks: [], parts: [serialTimings] }, 30);
  const parallel = providerSuiteRun({ wallMs: 10_000, exitCode: 0, spawnedAtMs: 10_000, peaks: [], parts: [parallelTimings] }, 30);
  assert.deepEqual(serial.workers.map((w) => [w.workerId, w.firstStartMs, w.firstScenarioMs, w.scenarios]), [['serial', 400, 1_600, 3]]);
  assert.deepEqual(
    parallel.workers.map((w) => [w.workerId, w.firstStartMs, w.firstScenarioMs, w.scenarios, w.scenarioSumMs, w.lastFinishMs]),
    [
      ['0', 1_000, 1_600, 2, 3_000, 4_000],
      ['1', 1_300, 1_700, 1, 1_700, 3_000],
    ],
  );
  assert.equal(serial.cucumberMs, 6_100);
  assert.equal(parallel.endMs, 2_900);
  const f = parallelFigures({ delayMs: 50, workers: 2, tags: '' }, [serial], [parallel, { ...parallel, wallMs: 11_000 }]);
  assert.equal(f.parallel.wallMs, 10_000);
  assert.equal(f.speedUp, 1.2);
  assert.equal(f.cucumberSpeedUp, 6_100 / 4_100);
  assert.deepEqual(f.workerExtraStartupMs, [{ workerId: '0', extraMs: 600 }, { workerId: '1', extraMs: 900 }]);
  assert.equal(f.countsEqual, true);
  const table = parallelTable(f, { before: [1, 1, 1], after: [1, 1, 1] });
  assert.match(table, /--parallel 2 pays/);
  assert.match(table, /worker 1: first scenario at 1\.30 s, extra start-up 0\.90 s \(met: 0\.90 x the 1 s target\)/);
  const unequal = parallelFigures({ delayMs: 50, workers: 2, tags: '' }, [serial], [{ ...parallel, counts: { PASSED: 2, FAILED: 1 } }]);
  assert.equal(unequal.countsEqual, false);
  assert.match(parallelTable(unequal, { before: [1, 1, 1], after: [1, 1, 1] }), /NOT COMPARABLE/i);
});

test('output sizes: every file under each top-level entry, the largest first, the total and the single file against their targets', () => {
  const dir = scratch.fresh('sizes');
  mkdirSync(path.join(dir, 'allure-report'), { recursive: true });
  writeFileSync(path.join(dir, 'allure-report', 'index.html'), 'x'.repeat(3000));
  mkdirSync(path.join(dir, 'parts', 'reference'), { recursive: true });
  writeFileSync(path.join(dir, 'parts', 'reference', 'messages.ndjson'), 'x'.repeat(1000));
  writeFileSync(path.join(dir, 'parts', 'job.json'), 'x'.repeat(500));
  writeFileSync(path.join(dir, 'summary.json'), 'x'.repeat(20));
  const sizes = measureOutputSizes(dir);
  assert.deepEqual(sizes.entries, [{ name: 'allure-report', bytes: 3000, files: 1 }, { name: 'parts', bytes: 1500, files: 2 }, { name: 'summary.json', bytes: 20, files: 1 }]);
  assert.equal(sizes.totalBytes, 4520);
  assert.equal(sizes.singleFileBytes, 3000);
  assert.ok(Number.isNaN(outputSizes([], NaN).singleFileBytes));
  const table = sizesTable(outputSizes([{ name: 'allure-results', bytes: 64 * 1024 * 1024, files: 9 }], 5 * 1024 * 1024));
  assert.match(table, /total\s+64\.0\s+9\s+not met: 2\.00 x the 32 MB target/);
  assert.match(table, /index\.html\)\s+5\.0\s+1\s+met: 0\.50 x the 10 MB target/);
});

test('npm test\'s stage record: read when whole, refused when not, printed with its commit, age and total against five minutes', () => {
  const record = { date: '2026-12-04T10:00:00.000Z', commit: '0123456789abcdef', dirty: true, loadAverageAtStart: [1.5, 1, 1], loadAverageAtEnd: [2.5, 2, 2], stages: [{ label: 'build', seconds: 6 }, { label: 'tests', seconds: 200 }, { label: 'features', seconds: 94 }], totalSeconds: 300, passed: 400, failed: 0, skipped: 2 };
  assert.deepEqual(parseTestStages(JSON.stringify(record)), record);
  assert.equal(parseTestStages('{"date":"x","commit":"y","stages":[{"label":"build"}],"totalSeconds":1}'), undefined);
  assert.equal(parseTestStages('not json'), undefined);
  const table = testStagesTable({ ...record, file: 'reports/test-stages.json', ranByThisBench: false, ageHours: 2 });
  assert.match(table, /taken 2026-12-04T10:00:00\.000Z on commit 0123456789 \(with local changes\), 2\.0 h before this bench; load 1\.50 -> 2\.50/);
  assert.match(table, /tests\s+200\.0\s+67/);
  assert.match(table, /total\s+300\.0\s+met: 1\.00 x the 300 s target/);
  assert.match(testStagesTable(undefined), /no reports\/test-stages\.json yet/);
  const beside = { ...record, stages: [{ label: 'tests', seconds: 280 }, { label: 'features', seconds: 25, beside: 'tests' }], totalSeconds: 281 };
  assert.deepEqual(parseTestStages(JSON.stringify(beside)), beside);
  assert.match(testStagesTable({ ...beside, file: 'reports/test-stages.json', ranByThisBench: false, ageHours: 2 }), /features\s+25\.0\s+9\s+beside tests/);
});

test('targets: a figure is met at or under its target, and a missing figure says so', () => {
  assert.equal(againstTarget(15, 15, 's'), 'met: 1.00 x the 15 s target');
  assert.equal(againstTarget(30, 15, 's'), 'not met: 2.00 x the 15 s target');
  assert.equal(againstTarget(NaN, 15, 's'), 'n/a (target 15 s)');
  assert.equal(loadText({ before: [1.234, 0, 0], after: [2, 0, 0] }, 2), 'load 1.23 -> 2.00 (1-min average, 2 CPUs)');
});

test('a running provider\'s profile: the process profile without its start, pointing where it is told', () => {
  const yaml = 'role: provider\nname: x\nbaseUrl: http://127.0.0.1:{port}/A20047/STU3/1/gpconnect\nstart:\n  command: serve\n  ready:\n    logLine: listening at\ntestData:\n  registeredPatient: "9693632109"\n';
  const profile = parseYaml(runningProviderProfile(yaml, 'http://127.0.0.1:4000/A20047/STU3/1/gpconnect', 'already running'));
  assert.deepEqual(profile, { role: 'provider', name: 'already running', baseUrl: 'http://127.0.0.1:4000/A20047/STU3/1/gpconnect', testData: { registeredPatient: '9693632109' } });
  assert.equal(servicePath('B82617'), '/B82617/STU3/1/gpconnect');
});

test('the delaying proxy translates the service root both ways: in the JWT\'s claims and body on the way in, in the body and Location on the way out', async () => {
  const claims = (auth: string) => JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString());
  const jwt = (aud: string) => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud, sub: 'ü' })).toString('base64url')}.`;
  assert.deepEqual(claims(translateBearer(jwt('http://a:1/root'), 'http://a:1', 'http://b:2')), { aud: 'http://b:2/root', sub: 'ü' });
  assert.equal(translateBearer('Basic abc', 'a', 'b'), 'Basic abc');
  assert.equal(translate('x http://a:1/p y http://a:1/q', 'http://a:1', 'http://b:2'), 'x http://b:2/p y http://b:2/q');

  let seen: { aud?: string; body?: string; host?: string } = {};
  const backend = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { aud: claims(req.headers.authorization!).aud, body, host: req.headers.host };
      res.writeHead(201, { 'content-type': 'application/fhir+json', location: `${inside}/Appointment/1` });
      res.end(JSON.stringify({ fullUrl: `${inside}/Appointment/1` }));
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  const inside = `http://127.0.0.1:${port}`;
  const proxy = await startDelayProxy({ port }, 50);
  try {
    const started = Date.now();
    const res = await fetch(`${proxy.origin}/Appointment`, { method: 'POST', headers: { authorization: jwt(`${proxy.origin}/root`) }, body: `{"ref":"${proxy.origin}/Patient/2"}` });
    const text = await res.text();
    assert.ok(Date.now() - started >= 45, 'the answer is held');
    assert.equal(res.status, 201);
    assert.equal(seen.aud, `${inside}/root`);
    assert.equal(seen.body, `{"ref":"${inside}/Patient/2"}`);
    assert.equal(seen.host, `127.0.0.1:${port}`);
    assert.equal(res.headers.get('location'), `${proxy.origin}/Appointment/1`);
    assert.deepEqual(JSON.parse(text), { fullUrl: `${proxy.origin}/Appointment/1` });
    assert.equal(proxy.forwarded, 1);
  } finally {
    await proxy.close();
    await new Promise<void>((r) => backend.close(() => r()));
  }
});

test('the delaying proxy keeps a gzip-encoded answer gzip-encoded, the address in it translated (the provider features ask for gzip)', async () => {
  const { gzipSync, gunzipSync } = await import('node:zlib');
  const backend = http.createServer((req, res) => {
    const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = Buffer.from(JSON.stringify({ fullUrl: `${inside}/Organization/7` }));
    res.writeHead(200, { 'content-type': 'application/fhir+json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(gzip ? gzipSync(body) : body);
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  const inside = `http://127.0.0.1:${port}`;
  const proxy = await startDelayProxy({ port }, 0);
  try {
    const answer = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      http.get(`${proxy.origin}/Organization/7`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    assert.equal(answer.encoding, 'gzip');
    assert.deepEqual(JSON.parse(gunzipSync(answer.body).toString()), { fullUrl: `${proxy.origin}/Organization/7` });
  } finally {
    await proxy.close();
    await new Promise<void>((r) => backend.close(() => r()));
  }
});

test('the delaying proxy sends back as it came an answer in an encoding it cannot unpack, or gzip that is not', async () => {
  const { gzipSync, gunzipSync } = await import('node:zlib');
  const brotli = Buffer.from([0x1b, 0x03, 0x00, 0xf8]);
  assert.equal(translatedBody(brotli, 'br', 'http://a:1', 'http://b:2'), brotli);
  const notGzip = Buffer.from('http://a:1/x');
  assert.equal(translatedBody(notGzip, 'gzip', 'http://a:1', 'http://b:2'), notGzip);
  assert.equal(translatedBody(Buffer.from('http://a:1/x'), '', 'http://a:1', 'http://b:2'), 'http://b:2/x');
  assert.equal(gunzipSync(translatedBody(gzipSync('http://a:1/x'), 'gzip', 'http://a:1', 'http://b:2') as Buffer).toString(), 'http://b:2/x');
});
