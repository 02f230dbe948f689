/**
 * The main job, warm: `gpc-conform conformance --out <tmp>` twice into the same folder (the second
 * finds the build, the file caches and the Allure history as a nightly job does), the second timed.
 * Its wall time against the time its scenarios themselves took: its parts run side by side, so the
 * job can be no shorter than its longest part's scenarios; the rest is the harness's overhead
 * (start-up, Spine in a box, evidence, reports).
 */
import { runGpcConform, type GpcRun } from './gpc-run';
import { addCounts, partFigures, type PartFigures } from './part-figures';
import { totalHwmKb } from './proc';
import { kbToMb, ratio } from './stats';

export interface MainJobFigures {
  wallMs: number;
  exitCode: number | null;
  /** The first (unmeasured) run's wall time and exit code, for the record (NaN and null when there was none: BENCH_QUICK). */
  coldWallMs: number;
  coldExitCode: number | null;
  parts: PartFigures[];
  counts: Record<string, number>;
  /** The longest part's scenarios, summed: the least the job could take with no overhead at all. */
  scenariosMs: number;
  /** Every part's scenarios, summed. */
  scenariosAllPartsMs: number;
  /** wall - scenariosMs */
  overheadMs: number;
  /** wall / scenariosMs */
  wallOverScenarios: number;
  /** spawn -> the last part's testRunFinished. */
  partsDoneMs: number;
  /** The last part done -> the command's exit: summary, JUnit, coverage, the Allure report (one page), evidence pack. */
  reportsMs: number;
  peakTreeMb: number;
}

export function mainJobFigures(warm: Pick<GpcRun, 'wallMs' | 'exitCode' | 'spawnedAtMs' | 'peaks' | 'parts'>, cold?: Pick<GpcRun, 'wallMs' | 'exitCode'>): MainJobFigures {
  const parts = warm.parts.map((p) => partFigures(warm.spawnedAtMs, p));
  const scenariosMs = Math.max(0, ...parts.map((p) => p.scenarioSumMs));
  const partsDoneMs = parts.length ? Math.max(...parts.map((p) => p.runFinishedMs)) : NaN;
  return {
    wallMs: warm.wallMs,
    exitCode: warm.exitCode,
    coldWallMs: cold?.wallMs ?? NaN,
    coldExitCode: cold?.exitCode ?? null,
    parts,
    counts: addCounts(parts),
    scenariosMs,
    scenariosAllPartsMs: parts.reduce((sum, p) => sum + p.scenarioSumMs, 0),
    overheadMs: warm.wallMs - scenariosMs,
    wallOverScenarios: ratio(warm.wallMs, scenariosMs),
    partsDoneMs,
    reportsMs: warm.wallMs - partsDoneMs,
    peakTreeMb: kbToMb(totalHwmKb(warm.peaks)),
  };
}

/** Both runs (or, with no warm-up, one), the last measured; the output folder is left for the sizes. */
export async function measureMainJob(out: string, warmUp: boolean): Promise<MainJobFigures> {
  const args = ['conformance'];
  const cold = warmUp ? await runGpcConform('main-job-cold', args, out) : undefined;
  const warm = await runGpcConform('main-job-warm', args, out);
  if (warm.exitCode !== 0) console.error(`  (the main job exited ${warm.exitCode ?? warm.signal}:\n${warm.outputTail})`);
  return mainJobFigures(warm, cold);
}
