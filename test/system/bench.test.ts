import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { describeCounts, parseMessages, statusCounts, worse } from '../../bench/messages';
import { kindOf, overheadFeature } from '../../bench/overhead-feature';
import { descendants, parsePpid, parseStatus, runMeasured, totalHwmKb } from '../../bench/proc';
import { fmt, median, quantile, ratio, table } from '../../bench/stats';
import { bestSide, sideFigures, suiteFigures, suiteRun, type SideFigures } from '../../bench/summary';

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
