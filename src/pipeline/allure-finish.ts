import { existsSync } from 'node:fs';
import path from 'node:path';
import { carryHistory, executorFromEnvironment, keepHistory, writeCategories, writeEnvironment, writeExecutor } from './reports/allure-report';
import { generateReport } from './reports/allure-generate';
import { dedupeAttachments, linkReportAttachments } from './reports/allure-dedupe';
import { writeSingleFileReport } from './reports/single-file-report';
import type { ReportLevel } from './report-level';

export interface AllureOutcome {
  report?: string;
  singleFile?: string;
  problems: string[];
}

export interface AllureFinishOptions {
  level: ReportLevel;
  /** The report folder already there was generated from these very results (a finished run reported again): kept, not generated again. */
  reuseReport?: boolean;
}

/**
 * The Allure side of a finished run: identical attachments stored once (in the results, and shared
 * with the report folder's copies), environment, executor and categories beside the results, last
 * run's history carried in, the report generated once as a folder (not at `results`), the single
 * file to hand over written from it (`full` only), and the history kept for next time. Without Java the results are still there and the reason is said.
 */
export async function finishAllure(
  files: { allureResults: string; allureReport: string; singleFile: string; allureHistory: string },
  environment: Record<string, string>,
  options: AllureFinishOptions,
): Promise<AllureOutcome> {
  const problems: string[] = [];
  if (!existsSync(files.allureResults)) return { problems: ['no Allure results were written (no scenario ran)'] };
  dedupeAttachments(files.allureResults);
  writeEnvironment(files.allureResults, environment);
  const executor = executorFromEnvironment();
  if (executor) writeExecutor(files.allureResults, executor);
  writeCategories(files.allureResults);
  const outcome: AllureOutcome = { problems };
  if (options.level === 'results') return outcome;
  try {
    if (!options.reuseReport || !existsSync(path.join(files.allureReport, 'index.html'))) {
      carryHistory(files.allureHistory, files.allureResults);
      await generateReport(files.allureResults, files.allureReport);
      linkReportAttachments(files.allureResults, files.allureReport);
      keepHistory(files.allureReport, files.allureHistory);
    }
    outcome.report = files.allureReport;
  } catch (error) {
    problems.push(`the Allure report was not generated: ${(error as Error).message} (the results are in ${files.allureResults})`);
    return outcome;
  }
  if (options.level === 'full') {
    try {
      writeSingleFileReport(files.allureReport, files.singleFile);
      outcome.singleFile = files.singleFile;
    } catch (error) {
      problems.push(`the single-file report was not written: ${(error as Error).message}`);
    }
  }
  return outcome;
}
