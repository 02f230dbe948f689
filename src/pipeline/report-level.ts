/**
 * How much a run writes (`--report full|quick`). Both write the summary, JUnit, coverage and the
 * Allure report folder; `full` adds what is handed over: the single-file report and the evidence
 * pack. A re-run of what failed is for the supplier at their desk, so it is `quick` unless asked.
 */
export type ReportLevel = 'full' | 'quick';

export const REPORT_LEVEL_USAGE = `      --report full|quick                full (default): also the single-file report and the evidence pack;
                                         quick (default with --only and --rerun-failed): without them`;

export const REPORT_LEVEL_OPTION = { report: { type: 'string' } } as const;

/** What `quick` leaves out, in words. */
export const LEFT_OUT_BY_QUICK = 'the single-file report and the evidence pack';

/** `--report`, or the default: quick for a re-run (`--only`, `--rerun-failed`), else full. */
export function reportLevelOption(value: string | undefined, rerun: boolean): ReportLevel {
  if (value === undefined) return rerun ? 'quick' : 'full';
  if (value === 'full' || value === 'quick') return value;
  throw new Error(`--report must be full or quick, not "${value}"`);
}
