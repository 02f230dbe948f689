import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { carryHistory, executorFromEnvironment, keepHistory, writeCategories, writeEnvironment, writeExecutor } from './reports/allure-report';
import { generateReport } from './reports/allure-generate';
import { dedupeAttachments } from './reports/allure-dedupe';
import { writeSingleFileReport } from './reports/single-file-report';
import type { ReportLevel } from './report-level';
import { folderBytes, memoryScratch } from './reports/memory-scratch';

export interface AllureOutcome {
  /** The report: the page (`allure-report/index.html`), or Allure's folder when the page could not be written. */
  report?: string;
  /** `page`: one file that opens from disk or from any web server; `folder`: Allure's multi-file folder, to be served. */
  form?: 'page' | 'folder';
  problems: string[];
}

export interface AllureFinishOptions {
  level: ReportLevel;
  /** The report already there was generated from these very results (a finished run reported again): kept, not generated again. */
  reuseReport?: boolean;
  /** What generates Allure's folder (default: allure-commandline, allure-generate.ts); tests give their own. */
  generate?: (resultsDir: string, reportDir: string) => Promise<void>;
}

/**
 * The Allure side of a finished run: identical attachments stored once in the results, environment,
 * executor and categories beside them, last run's history carried in, the report generated once (not
 * at `results`) and written as one page, `allure-report/index.html`, and the history kept for next
 * time. Allure's own folder is only the page's source: it is generated in memory where there is
 * room (else beside the report) and removed, so the report's data and its copies of every
 * attachment are not on disk twice (the results keep them).
 * Should the page fail, that folder is kept as the report instead. Without Java the results are
 * still there and the reason is said.
 */
export async function finishAllure(
  files: { allureResults: string; allureReport: string; allureHistory: string },
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
  const page = path.join(files.allureReport, 'index.html');
  if (options.reuseReport && existsSync(page)) {
    const folder = existsSync(path.join(files.allureReport, 'data'));
    return { ...outcome, report: folder ? files.allureReport : page, form: folder ? 'folder' : 'page' };
  }

  const onDisk = `${files.allureReport}.generating`;
  rmSync(onDisk, { recursive: true, force: true });
  rmSync(files.allureReport, { recursive: true, force: true });
  let scratch: string | undefined;
  try {
    carryHistory(files.allureHistory, files.allureResults);
    // In memory where there is room (memory-scratch.ts), else beside the report; a generation that
    // fails in memory (out of room after all) is tried once more on disk.
    scratch = memoryScratch({ purpose: 'allure', bytesNeeded: 2 * folderBytes(files.allureResults) });
  } catch (error) {
    problems.push(`the Allure report was not generated: ${(error as Error).message} (the results are in ${files.allureResults})`);
    return outcome;
  }
  const places = scratch ? [path.join(scratch, 'allure-report'), onDisk] : [onDisk];
  try {
    for (const [index, generated] of places.entries()) {
      try {
        await (options.generate ?? generateReport)(files.allureResults, generated);
        keepHistory(generated, files.allureHistory);
      } catch (error) {
        rmSync(generated, { recursive: true, force: true });
        if (index < places.length - 1) continue;
        problems.push(`the Allure report was not generated: ${(error as Error).message} (the results are in ${files.allureResults})`);
        return outcome;
      }
      return { ...outcome, ...publishReport(generated, files.allureReport, problems) };
    }
    return outcome;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The report Allure generated in `generated`, written as one page, `reportDir/index.html`, and the
 * folder removed; should the page fail, the folder itself becomes `reportDir`, and the problem is said.
 */
export function publishReport(generated: string, reportDir: string, problems: string[]): { report: string; form: 'page' | 'folder' } {
  const page = path.join(reportDir, 'index.html');
  try {
    writeSingleFileReport(generated, page);
    rmSync(generated, { recursive: true, force: true });
    return { report: page, form: 'page' };
  } catch (error) {
    const why = `the report could not be written as one page (${(error as Error).message})`;
    try {
      rmSync(reportDir, { recursive: true, force: true });
      moveFolder(generated, reportDir);
    } catch (moving) {
      problems.push(`${why}, and Allure's folder could not be put in its place (${(moving as Error).message}): it is in ${generated}`);
      return { report: generated, form: 'folder' };
    }
    problems.push(`${why}: Allure's folder is kept in its place, to be served`);
    return { report: reportDir, form: 'folder' };
  }
}

/** A rename, or a copy where the folder is on another file system (generated in memory). */
function moveFolder(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}
