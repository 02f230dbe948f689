import path from 'node:path';
import { catalogue } from '../../src/rules/catalogue';
import { coverageMarkdown, coverageMatrix, uncovered, writtenScenarios } from '../../src/pipeline/reports/coverage';
import { PACKAGE_ROOT } from '../../src/package-root';

export const COVERAGE_USAGE = `  gpc-conform coverage                   the requirement coverage matrix: every requirement and the scenarios that check it`;

/** Prints the matrix; exit 1 when a requirement has no scenario (a gap in the harness itself). */
export function coverage(_argv: string[]): number {
  const rows = coverageMatrix(catalogue(), writtenScenarios(PACKAGE_ROOT));
  process.stdout.write(coverageMarkdown(rows));
  return uncovered(rows).length ? 1 : 0;
}
