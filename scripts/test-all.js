#!/usr/bin/env node
// `npm test`: the harness's own tests, ending with one plain "N passed, N failed" line.
//   1. the build, which is the type gate (tsc emits dist/ in the same pass);
//   2. the unit tests (test/unit: in-process) and the system tests (test/system: they start
//      gpc-conform, Cucumber, servers, chromium or java), compiled, several files at a time;
//   3. every feature against the built-in reference systems, in one Cucumber run, started beside
//      stage 2 (its output is printed after stage 2's, whole).
// The figures of each stage are printed and written to reports/test-stages.json (with the commit and
// the date), which `npm run bench` prints beside its target.
const { spawn, spawnSync } = require('node:child_process');
const { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reports = path.join(root, 'reports');
mkdirSync(reports, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const stages = [];
const startedAt = new Date();
const loadAtStart = os.loadavg();

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = (Date.now() - started) / 1000;
  stages.push({ label, seconds });
  console.log(`=== ${label}: exit ${result.status ?? result.signal} after ${seconds.toFixed(1)} s`);
  return result.status === 0;
}

// 1. The build: types checked, dist/ written; skipped when dist/ is newer than everything it is built
//    from (a build that just ran, as `npm ci` runs one), since its stamp is written only once tsc passed.
const { buildCurrent } = require('../bin/build-state.js');
if (process.env.GPC_TEST_BUILD !== '1' && buildCurrent()) {
  console.log('\n=== build: dist/ is current (dist/BUILT is newer than every source, test and script), not built again');
  stages.push({ label: 'build', seconds: 0, skipped: 'current' });
  totals.passed += 1;
} else if (run('build', 'npm', ['run', '--silent', 'build'])) totals.passed += 1;
else {
  totals.failed += 1;
  failures.push('build (tsc: the type gate)');
}

// 2. Unit and system tests, compiled, several files at a time: many of them wait (on timeouts, on
//    the quiet time after a consumer, on processes starting) more than they compute. The longest
//    files of the last run start first, so none of them starts last; without a last run, in the
//    order of test/file-times.json (refresh it from reports/test-files.json now and then).
const testFiles = (dir) => {
  const full = path.join(root, 'dist', 'test', dir);
  return existsSync(full) ? readdirSync(full).filter((f) => f.endsWith('.test.js')).map((f) => path.join('dist', 'test', dir, f)) : [];
};
const fileTimesFile = path.join(reports, 'test-files.json');
// This machine's last run, else the times committed with the tests (test/file-times.json, a fresh clone's order).
const readTimes = (file) => {
  try {
    const times = JSON.parse(readFileSync(file, 'utf8'));
    return Object.fromEntries(Object.entries(times).map(([name, ms]) => [path.isAbsolute(name) ? path.relative(root, name) : name, ms]));
  } catch {
    return undefined;
  }
};
const lastTimes = readTimes(fileTimesFile) ?? readTimes(path.join(root, 'test', 'file-times.json')) ?? {};
const timeOf = (file) => lastTimes[file];
const files = [...testFiles('system'), ...testFiles('unit')];
const ordered = files
  .map((file, index) => ({ file, index, ms: timeOf(file) }))
  // A file with no time yet (a new one) counts as the longest: started early, it cannot end last.
  .sort((a, b) => (b.ms ?? Infinity) - (a.ms ?? Infinity) || a.index - b.index)
  .map((f) => f.file);
const tap = path.join(reports, 'tests.tap');
rmSync(tap, { force: true });
const concurrency = Number(process.env.GPC_TEST_CONCURRENCY) || Math.max(3, os.availableParallelism() + 1);
const scratch = scratchFolder();
if (scratch) {
  // Not left in memory by an interrupted run: removed on the way out, whichever way that is.
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(signal, () => process.exit(code));
}
const json = path.join(reports, 'ci', 'cucumber.json');
rmSync(json, { force: true });
const features = startFeatures();
// Through node:test's run() (scripts/run-tests.mjs): `node --test` would sort the files by name.
run('tests', process.execPath, [path.join(__dirname, 'run-tests.mjs'), String(concurrency), tap, fileTimesFile, ...ordered], scratch ? { TMPDIR: scratch } : {});
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (name) => Number((tapText.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) || [])[1] || 0);
if (!tapText) {
  totals.failed += 1;
  failures.push('the tests did not report');
}
totals.passed += count('pass');
totals.failed += count('fail') + count('cancelled');
totals.skipped += count('skipped') + count('todo');
for (const m of tapText.matchAll(/^\s*not ok \d+ - (.*)$/gm)) failures.push(`test: ${m[1]}`);

// 3. Every feature against the built-in reference systems: one Cucumber run (started before stage 2,
//    beside it), its JSON read back when it ends.
features.then(() => {
  countFeatures();
  finish();
});

function countFeatures() {
  if (!existsSync(json)) {
    totals.failed += 1;
    failures.push('the features wrote no results');
    return;
  }
  for (const feature of JSON.parse(readFileSync(json, 'utf8'))) {
    for (const scenario of feature.elements || []) {
      const statuses = (scenario.steps || []).map((s) => s.result && s.result.status);
      if (statuses.every((s) => s === 'passed')) totals.passed += 1;
      else if (statuses.some((s) => s === 'failed' || s === 'undefined' || s === 'ambiguous' || s === 'pending')) {
        totals.failed += 1;
        failures.push(`features: ${feature.uri} — ${scenario.name}`);
      } else totals.skipped += 1;
    }
  }
}

/**
 * Stage 3, started before stage 2 and beside it: Cucumber is one process that uses little more than
 * one core while stage 2's files wait on processes and timeouts, so it costs stage 2 a few seconds
 * rather than its own ~20. Its output goes to reports/ci/features.log (spawnSync holds this process
 * while stage 2 runs, so a pipe would fill and stop Cucumber), printed whole when it ends.
 */
function startFeatures() {
  const command = [path.join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--profile', 'ci'];
  const log = path.join(reports, 'ci', 'features.log');
  mkdirSync(path.dirname(log), { recursive: true });
  const out = openSync(log, 'w');
  const started = Date.now();
  const child = spawn(process.execPath, command, { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, ...(scratch ? { TMPDIR: scratch } : {}) } });
  closeSync(out);
  process.on('exit', () => child.exitCode === null && child.signalCode === null && child.kill());
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      // Its end is its last write: 'close' is seen only once stage 2's spawnSync has returned.
      const lastWrite = Math.max(...[log, json].filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
      const seconds = (Math.min(Date.now(), lastWrite) - started) / 1000;
      console.log(`\n=== features (started beside the tests): node ${command.join(' ')}`);
      process.stdout.write(readFileSync(log, 'utf8'));
      console.log(`=== features: exit ${code ?? signal} after ${seconds.toFixed(1)} s`);
      stages.push({ label: 'features', seconds, beside: 'tests' });
      resolve(code === 0);
    });
    child.on('error', (error) => {
      console.log(`\n=== features: could not start: ${error.message}`);
      stages.push({ label: 'features', seconds: 0, beside: 'tests' });
      resolve(false);
    });
  });
}

/**
 * Where the tests' scratch folders go (TMPDIR for stages 2 and 3): a folder in memory, as the
 * harness makes one for Allure's report folder (src/pipeline/reports/memory-scratch.ts: /dev/shm
 * when it is a tmpfs with room, here 2 GiB), unless TMPDIR is set; else the system's temporary
 * folder. The tests create some tens of thousands of files (reports, evidence, certificates), and on
 * this project's CI machines (ext4 without a journal, docs/benchmark.md) a file created soon after
 * many deletions costs up to ~0.9 ms of the kernel's CPU against ~0.01 ms on tmpfs. Removed at the
 * end; one left by a run that was killed outright (its process gone) is removed by the next.
 */
function scratchFolder() {
  if (process.env.TMPDIR) return undefined;
  try {
    // Built in stage 1; without a build the tests cannot run anyway, and the temporary folder does.
    const { memoryScratch } = require('../dist/src/pipeline/reports/memory-scratch.js');
    const dir = memoryScratch({ purpose: 'tests', bytesNeeded: 2 ** 30, env: {} });
    if (dir) console.log(`\n=== scratch folders (TMPDIR) in ${dir}: a RAM file system, where files are cheap to create`);
    return dir;
  } catch {
    return undefined;
  }
}

/** The closing lines: each stage's time, what failed, and "N passed, N failed". */
function finish() {
  const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;
  console.log(`\nStages: ${stages.map((s) => `${s.label} ${s.seconds.toFixed(1)} s${s.beside ? ` (beside ${s.beside})` : ''}`).join(', ')}, total ${totalSeconds.toFixed(1)} s`);
  writeStages(totalSeconds);
  if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exitCode = totals.failed === 0 && totals.passed > 0 ? 0 : 1;
}

/** The stage times, for `npm run bench`: when, on which commit, on how loaded a machine, and how it ended. */
function writeStages(totalSeconds) {
  const git = (...args) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const record = {
    date: startedAt.toISOString(),
    commit: git('rev-parse', 'HEAD') ?? 'unknown',
    dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    node: process.version,
    cpus: os.availableParallelism(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    stages,
    totalSeconds,
    passed: totals.passed,
    failed: totals.failed,
    skipped: totals.skipped,
  };
  writeFileSync(path.join(reports, 'test-stages.json'), JSON.stringify(record, null, 2) + '\n');
}
