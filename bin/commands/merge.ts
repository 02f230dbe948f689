import { parseArgs } from 'node:util';
import { MergeError, mergeShards } from '../../src/pipeline/merge';
import { printRunResult } from '../../src/pipeline/print';
import { REPORT_LEVEL_OPTION, REPORT_LEVEL_USAGE, reportLevelOption, type ReportLevel } from '../../src/pipeline/report-level';

export const MERGE_USAGE = `  gpc-conform merge --out DIR SHARD_DIR...
                                         join the --out folders of a sharded run (--shard I/N) into one run: summary,
                                         JUnit, coverage, Allure report and evidence pack; a missing or repeated shard is named
${REPORT_LEVEL_USAGE.replace(' (default with --only and --rerun-failed)', '')}`;

/** The shards of one sharded run as one run's evidence; the exit code is the joined verdict (2 when the shards do not fit together). */
export async function merge(argv: string[]): Promise<number> {
  let out: string;
  let dirs: string[];
  let level: ReportLevel;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, ...REPORT_LEVEL_OPTION }, allowPositionals: true, strict: true });
    level = reportLevelOption(values.report, false);
    if (!values.out) throw new Error('give --out DIR, where the merged run goes');
    if (positionals.length === 0) throw new Error('give the --out folders of the shards to merge');
    out = values.out;
    dirs = positionals;
  } catch (error) {
    console.error(`gpc-conform merge: ${(error as Error).message}`);
    return 2;
  }
  try {
    const result = await mergeShards({ out, dirs, command: ['node bin/gpc-conform merge', ...argv].join(' '), report: level });
    printRunResult(result, out);
    return result.summary.verdict.exitCode;
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    console.error(`gpc-conform merge: ${error.message}`);
    return 2;
  }
}
