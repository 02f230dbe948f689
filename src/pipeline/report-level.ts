/**
 * How much a run writes (`--report full|quick|results`). Each writes the summary, JUnit, coverage
 * and the Allure results; `quick` adds the Allure report (one page); `full` adds what is handed over:
 * the evidence pack. A re-run of what failed is for the supplier at their
 * desk, so it is `quick` unless asked. `results` needs no Java: for a pipeline that reads JUnit and
 * the summary, with the reports written later by `gpc-conform report` if anyone asks.
 */
export type ReportLevel = 'full' | 'quick' | 'results';

export const REPORT_LEVELS: readonly ReportLevel[] = ['full', 'quick', 'results'];

export const REPORT_LEVEL_USAGE = `      --report full|quick|results        full (default): the Allure report and the evidence pack;
                                         quick (default with --only and --rerun-failed): without the pack;
                                         results: the summary, JUnit, coverage and Allure results only (no Java)`;

export const REPORT_LEVEL_OPTION = { report: { type: 'string' } } as const;

/** What each level leaves out, in words. */
export const LEFT_OUT: Record<ReportLevel, string | undefined> = {
  full: undefined,
  quick: 'the evidence pack',
  results: 'the Allure report and the evidence pack',
};

/** `--report`, or the default: quick for a re-run (`--only`, `--rerun-failed`), else full. */
export function reportLevelOption(value: string | undefined, rerun: boolean): ReportLevel {
  if (value === undefined) return rerun ? 'quick' : 'full';
  if ((REPORT_LEVELS as readonly string[]).includes(value)) return value as ReportLevel;
  throw new Error(`--report must be full, quick or results, not "${value}"`);
}
