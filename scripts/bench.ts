/**
 * `npm run bench`: figures, each beside a baseline measured in the same run, as ratios. Nothing here
 * asserts a time. Four parts (bench/*.ts):
 *   1. Mock latency: SSP -> stand-in provider against a bare node:http server (p50, p99, req/s).
 *   2. Harness overhead per scenario: the same feature (capability statement and free slots, same
 *      HTTP calls through the SSP) run by the harness and by bare Cucumber with plain fetch (bench/bare/).
 *   3. The full reference suite (the `ci` profile's areas), serial and with Cucumber's --parallel.
 *   4. Peak memory (VmHWM) of every measured process tree, and of this process.
 * Children write only into a temp dir; the figures go to stdout and to BENCH_OUT as JSON.
 *
 * Knobs (environment):
 *   BENCH_QUICK=1        short run: 300 requests, 1 s throughput, 5 rounds, one run of each side and each suite mode, SSP area only
 *   BENCH_REQUESTS       sequential requests for latency (2000)
 *   BENCH_CONCURRENCY    concurrent clients for throughput (16)
 *   BENCH_SECONDS        seconds of throughput per server (3)
 *   BENCH_ROUNDS         rounds of each overhead scenario per side (25: 50 scenarios each side)
 *   BENCH_OVERHEAD_RUNS  runs of each side, alternating; the one with the least median is compared (2)
 *   BENCH_SUITE=0        leave out the full suite
 *   BENCH_SUITE_RUNS     runs of the suite each way, alternating; the best of each is compared (2)
 *   BENCH_SUITE_PATHS    comma-separated feature paths instead of every area
 *   BENCH_PARALLEL       Cucumber --parallel workers (os.availableParallelism(), at least 2)
 *   BENCH_OUT            where the JSON goes (reports/bench.json)
 *   BENCH_KEEP=1         keep the temp dir (message streams) and print where it is
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCucumber, ROOT } from '../bench/cucumber-run';
import { measureMockLatency } from '../bench/latency';
import { kindOf, overheadFeature } from '../bench/overhead-feature';
import { latencyTable, overheadTable, suiteTable } from '../bench/print';
import { kbToMb, ratio } from '../bench/stats';
import { bestSide, sideFigures, suiteFigures, suiteRun, type SideFigures, type SuiteRunFigures } from '../bench/summary';

const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, normal: number, short: number) => Number(process.env[name] ?? (quick ? short : normal));
const options = {
  quick,
  requests: num('BENCH_REQUESTS', 2000, 300),
  concurrency: num('BENCH_CONCURRENCY', 16, 16),
  seconds: num('BENCH_SECONDS', 3, 1),
  rounds: num('BENCH_ROUNDS', 25, 5),
  overheadRuns: num('BENCH_OVERHEAD_RUNS', 2, 1),
  suite: process.env.BENCH_SUITE !== '0',
  suiteRuns: num('BENCH_SUITE_RUNS', 2, 1),
  suitePaths: process.env.BENCH_SUITE_PATHS ?? (quick ? 'features/ssp/**/*.feature' : ''),
  parallel: Math.max(2, Number(process.env.BENCH_PARALLEL ?? os.availableParallelism())),
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

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gpc-bench-'));
  const loadBefore = os.loadavg();
  try {
    console.error('bench: mock latency ...');
    const latency = await measureMockLatency(options);
    console.error('bench: harness overhead (bare and harness, alternating) ...');
    const over = await overhead(tmp);
    console.error('bench: full suite ...');
    const suiteResult = options.suite ? await suite(tmp) : undefined;
    const benchMaxRssMb = kbToMb(process.resourceUsage().maxRSS);

    console.log(`gpc-conform bench, ${new Date().toISOString()}, Node ${process.version}, ${os.availableParallelism()} CPUs, load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' ')}${quick ? ', BENCH_QUICK' : ''}`);
    console.log('');
    console.log(latencyTable(latency));
    console.log('');
    console.log(overheadTable(over.harness, over.bare, options.rounds, options.overheadRuns));
    console.log('');
    if (suiteResult) console.log(suiteTable(suiteResult, options.suitePaths || 'every area of the ci profile') + '\n');
    console.log(`This bench process (latency part, spawning the rest): peak RSS ${benchMaxRssMb.toFixed(0)} MB`);

    const json = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.availableParallelism(),
      loadAverageAtStart: loadBefore,
      options,
      latency: { ...latency, ratios: { p50: ratio(latency.ssp.p50Ms, latency.bare.p50Ms), p99: ratio(latency.ssp.p99Ms, latency.bare.p99Ms), throughput: ratio(latency.ssp.reqPerSec, latency.bare.reqPerSec) } },
      overhead: {
        ...over,
        ratios: {
          perScenarioMedian: ratio(over.harness.medianMs, over.bare.medianMs),
          perScenarioMean: ratio(over.harness.meanMs, over.bare.meanMs),
          startup: ratio(over.harness.startupMs, over.bare.startupMs),
          peakMemory: ratio(over.harness.peakMb, over.bare.peakMb),
        },
      },
      suite: suiteResult,
      benchProcess: { maxRssMb: benchMaxRssMb },
    };
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, JSON.stringify(json, null, 2) + '\n');
    const shown = path.relative(process.cwd(), options.out);
    console.log(`Figures as JSON: ${shown.startsWith('..') ? options.out : shown}`);
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`Message streams kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
