import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { setAsideAsSpares, spareFolderOf } from '../evidence/spare-files';

/** Where the features, profiles and data of the harness are (the working directory may be elsewhere). */
export const ROOT = PACKAGE_ROOT;

/** Where everything of one run goes, beside each other in one folder. */
export function outputsOf(out: string) {
  return {
    summary: path.join(out, 'summary.json'),
    junit: path.join(out, 'junit.xml'),
    coverage: path.join(out, 'coverage.md'),
    parts: path.join(out, 'parts'),
    allureResults: path.join(out, 'allure-results'),
    /** The Allure report, as one page: `index.html` (the folder Allure generates is only its source). */
    allureReport: path.join(out, 'allure-report'),
    /** Kept across runs (never cleaned) so the report's trend charts grow night after night. */
    allureHistory: path.join(out, 'allure-history'),
    evidencePack: path.join(out, 'evidence-pack.tar.gz'),
  };
}

/**
 * Empty the output folder of a previous run, keeping the Allure history (and anything named in
 * `keep`). With `spares`, the previous run's Allure results are not deleted but set aside for this
 * run to write over (src/evidence/spare-files.ts); the run removes what is left of them when it ends.
 */
export function prepareOutput(out: string, keep: string[] = [], options: { spares?: boolean } = {}): void {
  mkdirSync(out, { recursive: true });
  const results = outputsOf(out).allureResults;
  if (options.spares) setAsideAsSpares(results);
  const kept = new Set([path.basename(outputsOf(out).allureHistory), ...keep, ...(options.spares ? [path.basename(spareFolderOf(results))] : [])]);
  for (const name of readdirSync(out)) if (!kept.has(name)) rmSync(path.join(out, name), { recursive: true, force: true });
}
