import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { finishRun } from '../../src/pipeline/conformance-run';
import { printRunResult } from '../../src/pipeline/print';
import { killedReason, readRunRecord, stillRunning, writeRunRecord } from '../../src/pipeline/run-record';
import { verdictOf } from '../../src/results/verdict';
import { messagesIn } from '../../src/results/messages-file';
import type { PartResult } from '../../src/results/outcome';
import { REPORT_LEVEL_OPTION, reportLevelOption, type ReportLevel } from '../../src/pipeline/report-level';

export const REPORT_USAGE = `  gpc-conform report --out DIR           write the reports again from what a run left in DIR: after a run
                                         that was killed (marked incomplete, saying which part had not finished)
      --report full|quick|results        what to write (default: what the run was asked for); full after a
                                         quick run adds the evidence pack, quick
                                         after a results run the Allure report`;

/**
 * The evidence of a run from what is on disk: each part's messages and JUnit, the Allure results and
 * `run.json`. A run that was killed (its record still says running, its process is gone) is reported
 * as incomplete with the reason; a finished run gets the same reports it wrote itself.
 */
export async function report(argv: string[]): Promise<number> {
  let out: string;
  let asked: ReportLevel | undefined;
  try {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, ...REPORT_LEVEL_OPTION }, strict: true });
    if (!values.out) throw new Error('give --out DIR, the folder of the run');
    out = path.resolve(values.out);
    asked = values.report === undefined ? undefined : reportLevelOption(values.report, false);
  } catch (error) {
    console.error(`gpc-conform report: ${(error as Error).message}`);
    return 2;
  }
  let record;
  try {
    record = readRunRecord(out);
  } catch (error) {
    console.error(`gpc-conform report: ${out}/run.json cannot be read: ${(error as Error).message}`);
    return 2;
  }
  if (!record) {
    console.error(`gpc-conform report: no run in ${out} (it has no run.json; a run writes one as it starts)`);
    return 2;
  }
  if (stillRunning(record)) {
    console.error(`gpc-conform report: the run in ${out} is still going (pid ${record.pid}): wait for it, or stop it with Ctrl-C (it then writes its reports itself)`);
    return 2;
  }

  const results: PartResult[] = [];
  for (const part of record.parts) {
    const dir = path.join(out, 'parts', part.name);
    if (!existsSync(dir)) continue;
    results.push({ part: { ...part, parameters: {} }, verdict: verdictOf(messagesIn(dir)), dir });
  }
  let killed: string | undefined;
  let finishedAt = record.finishedAt ? new Date(record.finishedAt) : undefined;
  let kept = record;
  if (record.state !== 'finished') {
    const reason = (killed = record.killed ?? killedReason(record, results));
    finishedAt ??= lastWritten(results) ?? new Date(record.startedAt);
    if (record.state === 'running') kept = { ...record, state: 'killed', killed: reason, finishedAt: finishedAt.toISOString() };
    console.log(`The run in ${out} did not finish: ${reason}.\nWriting its reports from what it left.`);
  }
  const level = asked ?? record.report ?? 'full';
  writeRunRecord(out, { ...kept, report: level });
  const result = await finishRun(out, record, results, {
    finishedAt: finishedAt ?? new Date(),
    rerunCommand: record.rerunBase ? () => `${record.rerunBase} --rerun-failed` : undefined,
    killed,
    report: level,
    // A finished run's report folder was generated from these very results: only what it left out is written.
    reuseAllureReport: record.state === 'finished',
  });
  printRunResult(result, out);
  return result.summary.verdict.exitCode;
}

/** When the parts last wrote a result: when a killed run stopped. */
function lastWritten(results: PartResult[]): Date | undefined {
  const times = results.map((r) => messagesIn(r.dir)).filter(existsSync).map((f) => statSync(f).mtimeMs);
  return times.length ? new Date(Math.max(...times)) : undefined;
}
