import { existsSync } from 'node:fs';
import path from 'node:path';
import { carryHistory, executorFromEnvironment, generateReport, keepHistory, writeCategories, writeEnvironment, writeExecutor } from './reports/allure-report';

export interface AllureOutcome {
  report?: string;
  singleFile?: string;
  problems: string[];
}

/**
 * The Allure side of a finished run: environment, executor and categories beside the results,
 * last run's history carried in, the report generated as a folder and as one file to hand over,
 * and the history kept for next time. Without Java the results are still there and the reason is said.
 */
export async function finishAllure(
  files: { allureResults: string; allureReport: string; singleFile: string; allureHistory: string },
  environment: Record<string, string>,
): Promise<AllureOutcome> {
  const problems: string[] = [];
  if (!existsSync(files.allureResults)) return { problems: ['no Allure results were written (no scenario ran)'] };
  writeEnvironment(files.allureResults, environment);
  const executor = executorFromEnvironment();
  if (executor) writeExecutor(files.allureResults, executor);
  writeCategories(files.allureResults);
  carryHistory(files.allureHistory, files.allureResults);
  const outcome: AllureOutcome = { problems };
  try {
    await generateReport(files.allureResults, files.allureReport);
    keepHistory(files.allureReport, files.allureHistory);
    outcome.report = files.allureReport;
    await generateReport(files.allureResults, path.dirname(files.singleFile), { singleFile: true });
    outcome.singleFile = files.singleFile;
  } catch (error) {
    problems.push(`the Allure report was not generated: ${(error as Error).message} (the results are in ${files.allureResults})`);
  }
  return outcome;
}
