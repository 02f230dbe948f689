/**
 * `npm run bench`: figures, each beside a baseline measured in the same run (a ratio) or beside its
 * target (issue 14, bench/targets.ts), each with the machine's load while it was taken. Nothing here
 * asserts a time. The parts (bench/*.ts):
 *   1. Mock latency: SSP -> stand-in provider against a bare node:http server (p50, p99, req/s).
 *   2. Harness overhead per scenario: the same feature (capability statement and free slots, same
 *      HTTP calls through the SSP) run by the harness, evidence on, and by bare Cucumber with plain fetch (bench/bare/).
 *   3. The full reference suite (the `ci` profile's areas), Cucumber straight, serial and with --parallel.
 *   4. The main job, warm (`gpc-conform conformance`, twice, the second timed): wall time against its
 *      scenarios' own time, each part, the reports after them; and its outputs' sizes.
 *   5. One re-run (`gpc-conform run --only <scenario>`) against a provider already running, split into
 *      start-up, the scenario and the reports, beside bare Cucumber running one trivial scenario.
 *   6. --parallel that pays: the provider features (one part, as gpc-conform run runs it) against a
 *      provider taking 50 ms an answer, serial against --parallel 2, and each worker's extra start-up.
 *   7. `npm test`'s stage times (reports/test-stages.json, or run first with BENCH_TESTS=1).
 *   8. FHIR validation against the official StructureDefinitions: start-up, a 14-day free-slots Bundle and a
 *      booking, each in a fresh process, beside a baseline validator build (BENCH_BASELINE_VALIDATOR) when given.
 *   Peak memory (VmHWM) of every measured process tree, and of this process.
 * Children write into a temp dir, but for the TLS material Spine in a box generates once into reports/tls
 * (the gpc-conform commands run from the harness's folder, as a developer runs them, so a warm run
 * finds it there); the figures go to stdout and to BENCH_OUT as JSON.
 *
 * Knobs (environment):
 *   BENCH_QUICK=1          a short run: 300 requests, 1 s throughput, 5 rounds, one run of each side, no full
 *                          suite (BENCH_SUITE=1: the SSP area), the main job once (no warm-up), one re-run, and
 *                          slot search only (@step:4c) for --parallel
 *   BENCH_REQUESTS         sequential requests for latency (2000)
 *   BENCH_CONCURRENCY      concurrent clients for throughput (16)
 *   BENCH_SECONDS          seconds of throughput per server (3)
 *   BENCH_ROUNDS           rounds of each overhead scenario per side (25: 50 scenarios each side)
 *   BENCH_OVERHEAD_RUNS    runs of each side, alternating; the one with the least median is compared (2)
 *   BENCH_SUITE=0          leave out the full suite (BENCH_SUITE=1 brings it back in a quick run)
 *   BENCH_SUITE_RUNS       runs of the suite each way, alternating; the best of each is compared (2)
 *   BENCH_SUITE_PATHS      comma-separated feature paths instead of every area
 *   BENCH_PARALLEL         Cucumber --parallel workers for the suite (os.availableParallelism(), at least 2)
 *   BENCH_MAIN=0           leave out the main job and its output sizes
 *   BENCH_RERUN=0          leave out the re-run
 *   BENCH_RERUNS           re-runs (and bare runs), alternating; medians compared (5)
 *   BENCH_RERUN_ONLY       the scenario re-run, as FILE:LINE (features/provider/capability-statement.feature:13)
 *   BENCH_PAYS=0           leave out --parallel that pays
 *   BENCH_DELAY_MS         what the slow provider adds to every answer (50)
 *   BENCH_PAYS_WORKERS     --parallel N for the provider features (2)
 *   BENCH_PAYS_RUNS        runs of each mode, alternating; the best of each is compared (2)
 *   BENCH_PAYS_TAGS        a tag expression narrowing those features (none: every provider feature; quick: @step:4c)
 *   BENCH_TESTS=1          run `npm test` first, so its stage times are this run's
 *   BENCH_VALIDATION=0     leave out FHIR validation
 *   BENCH_BASELINE_VALIDATOR  another build's dist/src/fhir/validate.js, measured beside ours
 *   BENCH_OUT              where the JSON goes (reports/bench.json)
 *   BENCH_KEEP=1           keep the temp dir (message streams, the main job's outputs) and print where it is
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCucumber, ROOT } from '../bench/cucumber-run';
import { measureMockLatency } from '../bench/latency';
import { withLoad, type LoadSpan } from '../bench/load';
import { measureMainJob } from '../bench/main-job';
import { measureOutputSizes } from '../bench/output-sizes';
import { kindOf, overheadFeature } from '../bench/overhead-feature';
import { measureParallelPays } from '../bench/parallel-pays';
import { latencyTable, overheadTable, suiteTable } from '../bench/print';
import { mainJobTable, parallelTable, rerunTable, sizesTable, testStagesTable } from '../bench/print-targets';
import { measureRerun, RERUN_SCENARIO } from '../bench/rerun';
import { measureValidation, validationTable } from '../bench/fhir-validation';
import { kbToMb, ratio } from '../bench/stats';
import { bestSide, sideFigures, suiteFigures, suiteRun, type SideFigures, type SuiteRunFigures } from '../bench/summary';
import { TARGETS } from '../bench/targets';
import { readTestStages, runNpmTest } from '../bench/test-stages';

const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, normal: number, short: number) => Number(process.env[name] ?? (quick ? short : normal));
const on = (name: string) => process.env[name] !== '0';
const options = {
  quick,
  requests: num('BENCH_REQUESTS', 2000, 300),
  concurrency: num('BENCH_CONCURRENCY', 16, 16),
  seconds: num('BENCH_SECONDS', 3, 1),
  rounds: num('BENCH_ROUNDS', 25, 5),
  overheadRuns: num('BENCH_OVERHEAD_RUNS', 2, 1),
  suite: quick ? process.env.BENCH_SUITE === '1' : on('BENCH_SUITE'),
  suiteRuns: num('BENCH_SUITE_RUNS', 2, 1),
  suitePaths: process.env.BENCH_SUITE_PATHS ?? (quick ? 'features/ssp/**/*.feature' : ''),
  parallel: Math.max(2, Number(process.env.BENCH_PARALLEL ?? os.availableParallelism())),
  main: on('BENCH_MAIN'),
  mainWarmUp: !quick,
  rerun: on('BENCH_RERUN'),
  reruns: num('BENCH_RERUNS', 5, 1),
  rerunOnly: process.env.BENCH_RERUN_ONLY ?? RERUN_SCENARIO,
  pays: on('BENCH_PAYS'),
  delayMs: num('BENCH_DELAY_MS', 50, 50),
  paysWorkers: num('BENCH_PAYS_WORKERS', 2, 2),
  paysRuns: num('BENCH_PAYS_RUNS', 2, 1),
  paysTags: process.env.BENCH_PAYS_TAGS ?? (quick ? '@step:4c' : ''),
  tests: process.env.BENCH_TESTS === '1',
  validation: on('BENCH_VALIDATION'),
  out: process.env.BENCH_OUT ?? path.join(ROOT, 'reports/bench.json'),
};

/** Bare and harness runs alternate, so a burst of load elsewhere hits both; the run with the least median is kept each side. */
async function overhead(tmp: string) {
  const feature = path.join(tmp, 'overhead.feature');
  writeFileSync(feature, overheadFeature(options.rounds));
  const runs: Record<'bare' | 'harness', SideFigures[]> = { bare: [], harness: [] };
  for (let i = 1; i <= options.overheadRuns; i++) {
    for (const side of ['bare', 'harness'] as const) {
      const run = await runCucumber(`${side}-${i}`, side, [feature], tmp);
      if (run.exitCode !== 0) console.error(`  (${run.label} run exited ${run.exitCode ?? run.signal}:\n${run.outputTail})`);
      runs[side].push(sideFigures(run, kindOf));
    }
  }
  return { harness: bestSide(runs.harness), bare: bestSide(runs.bare), runs };
}

async function suite(tmp: string) {
  if (options.suitePaths) process.env.BENCH_SUITE_PATHS = options.suitePaths;
  const serial: SuiteRunFigures[] = [];
  const parallel: SuiteRunFigures[] = [];
  for (let i = 1; i <= options.suiteRuns; i++) {
    console.error(`  suite run ${i} of ${options.suiteRuns}: serial, then --parallel ${options.parallel} ...`);
    serial.push(suiteRun(await runCucumber(`suite-serial-${i}`, 'suite', [], tmp)));
    parallel.push(suiteRun(await runCucumber(`suite-parallel-${i}`, 'suite', ['--parallel', String(options.parallel)], tmp)));
  }
  return suiteFigures(options.parallel, serial, parallel);
}

/** A part of the bench when it is switched on, with the load around it. */
async function part<T>(wanted: boolean, title: string, measure: () => Promise<T>): Promise<{ result: T; load: LoadSpan } | undefined> {
  if (!wanted) return undefined;
  console.error(`bench: ${title} ...`);
  return withLoad(measure);
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gpc-bench-'));
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  try {
    const tests = await part(options.tests, 'npm test (BENCH_TESTS=1), its output on stderr', () => runNpmTest(ROOT));
    const latency = (await part(true, 'mock latency', () => measureMockLatency(options)))!;
    const over = (await part(true, 'harness overhead (bare and harness, alternating)', () => overhead(tmp)))!;
    const suiteResult = await part(options.suite, 'full suite', () => suite(tmp));
    const mainOut = path.join(tmp, 'main-job');
    const mainJob = await part(options.main, `the main job${options.mainWarmUp ? ', twice (the second timed)' : ', once'}`, () => measureMainJob(mainOut, options.mainWarmUp));
    const sizes = mainJob ? measureOutputSizes(mainOut) : undefined;
    const rerun = await part(options.rerun, `one re-run and bare Cucumber, ${options.reruns} time(s) each`, () => measureRerun(tmp, options.reruns, options.rerunOnly));
    const pays = await part(options.pays, `--parallel that pays (provider features, ${options.delayMs} ms an answer)`, () =>
      measureParallelPays(tmp, { delayMs: options.delayMs, workers: options.paysWorkers, runs: options.paysRuns, tags: options.paysTags }),
    );
    const validation = await part(options.validation, 'FHIR validation (fresh processes)', async () => measureValidation());
    const stages = readTestStages(ROOT, startedAt, tests !== undefined);
    const benchMaxRssMb = kbToMb(process.resourceUsage().maxRSS);

    console.log(`gpc-conform bench, ${startedAt.toISOString()}, Node ${process.version}, ${os.availableParallelism()} CPUs, load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}${quick ? ', BENCH_QUICK' : ''}`);
    const sections = [
      latencyTable(latency.result),
      overheadTable(over.result.harness, over.result.bare, options.rounds, options.overheadRuns),
      suiteResult && suiteTable(suiteResult.result, options.suitePaths || 'every area of the ci profile'),
      mainJob && mainJobTable(mainJob.result, mainJob.load),
      sizes && sizesTable(sizes),
      rerun && rerunTable(rerun.result, rerun.load),
      pays && parallelTable(pays.result, pays.load),
      testStagesTable(stages),
      validation && validationTable(validation.result),
      `This bench process (latency part, the delaying proxy, spawning the rest): peak RSS ${benchMaxRssMb.toFixed(0)} MB`,
    ];
    for (const section of sections) if (section) console.log(`\n${section}`);

    const json = {
      date: startedAt.toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverageAtStart: loadBefore,
      loadAverageAtEnd: os.loadavg(),
      options,
      targets: TARGETS,
      /** Each figure over its target: at or under 1, met; but parallelSpeedUp (serial / parallel) pays above 1. */
      againstTargets: {
        npmTest: ratio(stages?.totalSeconds, TARGETS.npmTestSeconds),
        mainJob: ratio(mainJob && mainJob.result.wallMs / 1000, TARGETS.mainJobSeconds),
        rerun: ratio(rerun && rerun.result.median.wallMs / 1000, TARGETS.rerunSeconds),
        outputs: ratio(sizes && kbToMb(sizes.totalBytes / 1024), TARGETS.outputsMb),
        singleFile: ratio(sizes && kbToMb(sizes.singleFileBytes / 1024), TARGETS.singleFileMb),
        workerStartup: ratio(pays && Math.max(...pays.result.workerExtraStartupMs.map((w) => w.extraMs)) / 1000, TARGETS.workerStartupSeconds),
        parallelSpeedUp: pays?.result.speedUp,
      },
      latency: { ...latency.result, load: latency.load, ratios: { p50: ratio(latency.result.ssp.p50Ms, latency.result.bare.p50Ms), p99: ratio(latency.result.ssp.p99Ms, latency.result.bare.p99Ms), throughput: ratio(latency.result.ssp.reqPerSec, latency.result.bare.reqPerSec) } },
      overhead: {
        ...over.result,
        load: over.load,
        ratios: {
          perScenarioMedian: ratio(over.result.harness.medianMs, over.result.bare.medianMs),
          perScenarioMean: ratio(over.result.harness.meanMs, over.result.bare.meanMs),
          startup: ratio(over.result.harness.startupMs, over.result.bare.startupMs),
          peakMemory: ratio(over.result.harness.peakMb, over.result.bare.peakMb),
        },
      },
      suite: suiteResult && { ...suiteResult.result, load: suiteResult.load },
      mainJob: mainJob && { ...mainJob.result, load: mainJob.load },
      outputSizes: sizes,
      rerun: rerun && { ...rerun.result, load: rerun.load },
      parallelPays: pays && { ...pays.result, load: pays.load },
      testStages: stages && { ...stages, npmTestExitCode: tests?.result },
      fhirValidation: validation && { ...validation.result, load: validation.load },
      benchProcess: { maxRssMb: benchMaxRssMb },
    };
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, JSON.stringify(json, null, 2) + '\n');
    const shown = path.relative(process.cwd(), options.out);
    console.log(`\nFigures as JSON: ${shown.startsWith('..') ? options.out : shown}`);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`Message streams and the main job's outputs kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
