/** The bench's figures as plain-text tables, every comparison with its ratio. */
import type { LatencyFigures } from './latency';
import { describeCounts } from './messages';
import { fmt, ratio, table } from './stats';
import type { SideFigures, SuiteFigures } from './summary';

export function latencyTable(l: LatencyFigures): string {
  return [
    `Mock latency: GET /metadata (${l.payloadBytes}-byte CapabilityStatement), loopback, keep-alive; SSP -> stand-in provider against a bare node:http server with the same payload`,
    table([
      ['', 'p50 ms', 'p99 ms', 'req/s'],
      ['SSP -> stand-in provider', fmt(l.ssp.p50Ms, 3), fmt(l.ssp.p99Ms, 3), fmt(l.ssp.reqPerSec, 0)],
      ['bare node:http', fmt(l.bare.p50Ms, 3), fmt(l.bare.p99Ms, 3), fmt(l.bare.reqPerSec, 0)],
      ['ratio SSP / bare', fmt(ratio(l.ssp.p50Ms, l.bare.p50Ms), 2), fmt(ratio(l.ssp.p99Ms, l.bare.p99Ms), 2), fmt(ratio(l.ssp.reqPerSec, l.bare.reqPerSec), 3)],
    ]),
    `  (the SSP path is two HTTP hops, consumer -> SSP -> provider, with every check and both journalled; the journal held ${l.journalSize} exchanges)`,
  ].join('\n');
}

export function overheadTable(harness: SideFigures, bare: SideFigures, rounds: number, runs: number): string {
  const row = (name: string, h: number, b: number, d = 1) => [name, fmt(h, d), fmt(b, d), fmt(ratio(h, b), 2)];
  const kinds = Object.keys(harness.byKind);
  return [
    `Harness overhead: the same feature (${rounds} rounds each of the capability statement and free slots scenarios, same HTTP calls through the SSP) run by the harness and by bare Cucumber with plain fetch; best of ${runs} run(s) each`,
    table([
      ['', 'harness', 'bare', 'harness / bare'],
      row('per scenario, median ms', harness.medianMs, bare.medianMs),
      row('per scenario, mean ms', harness.meanMs, bare.meanMs),
      row('per scenario, p90 ms', harness.p90Ms, bare.p90Ms),
      ...kinds.map((k) => row(`  ${k}, median ms`, harness.byKind[k], bare.byKind[k] ?? NaN)),
      row('first scenario ms', harness.firstScenarioMs, bare.firstScenarioMs),
      row('start-up ms (spawn -> test run started)', harness.startupMs, bare.startupMs, 0),
      row('BeforeAll ms (test run started -> first scenario)', harness.readyMs, bare.readyMs, 0),
      row('process wall ms', harness.wallMs, bare.wallMs, 0),
      row('peak RSS MB', harness.peakMb, bare.peakMb),
    ]),
    `  scenarios: harness ${describeCounts(harness.counts)}; bare ${describeCounts(bare.counts)} (the first scenario of each is left out of the per-scenario figures)`,
  ].join('\n');
}

const best = (runs: SuiteFigures['serial']) => runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));

export function suiteTable(s: SuiteFigures, paths: string): string {
  const [bs, bp] = [best(s.serial), best(s.parallel)];
  const lines = [
    `Full suite (${paths}), Cucumber straight (serial, then --parallel ${s.workers}), best of ${s.serial.length} run(s) each`,
    table([
      ['', 'serial', `parallel ${s.workers}`, 'parallel / serial'],
      ['wall s (best)', fmt(s.bestSerialMs / 1000, 2), fmt(s.bestParallelMs / 1000, 2), fmt(ratio(s.bestParallelMs, s.bestSerialMs), 2)],
      ['  of which start-up to the first scenario s', fmt(bs.toFirstScenarioMs / 1000, 2), fmt(bp.toFirstScenarioMs / 1000, 2), fmt(ratio(bp.toFirstScenarioMs, bs.toFirstScenarioMs), 2)],
      ['scenario time summed over workers s', fmt(bs.scenarioSumMs / 1000, 2), fmt(bp.scenarioSumMs / 1000, 2), fmt(ratio(bp.scenarioSumMs, bs.scenarioSumMs), 2)],
      ['peak RSS MB, sum over the process tree', fmt(s.peakSerialMb, 0), fmt(s.peakParallelMb, 0), fmt(s.memoryRatio, 2)],
      ['peak RSS MB, largest process', fmt(Math.max(...s.serial.map((r) => r.peakLargestMb)), 0), fmt(Math.max(...s.parallel.map((r) => r.peakLargestMb)), 0), ''],
    ]),
    `  speed-up (serial / parallel): ${fmt(s.speedUp, 2)}x`,
    `  (wall = start-up to the first scenario, then the scenarios; with --parallel every worker loads all the support code again)`,
  ];
  for (const [mode, runs] of [['serial', s.serial], ['parallel', s.parallel]] as const) {
    runs.forEach((r, i) => lines.push(`  ${mode} run ${i + 1}: ${fmt(r.wallMs / 1000, 2)} s (first scenario after ${fmt(r.toFirstScenarioMs / 1000, 2)} s; scenarios ${fmt(r.scenarioSumMs / 1000, 2)} s summed), ${r.scenarios} scenarios (${describeCounts(r.counts)}), ${r.processes} processes, exit ${r.exitCode}`));
  }
  if (!s.countsEqual) lines.push('', '  !!! THE RUNS DID NOT RUN THE SAME SCENARIOS WITH THE SAME OUTCOMES: the wall times are not comparable !!!');
  return lines.join('\n');
}
