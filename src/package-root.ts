import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder the harness is installed in: where `features/`, `profiles/`, `data/`, `topologies/` and
 * `requirements/` are. Found from this file upwards, so it is the same whether the code runs from
 * its TypeScript sources (`src/`) or compiled (`dist/src/`), from a checkout or an installed package.
 * What a run writes goes to the working directory instead (`reports/` by default).
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gpc-conform') return dir;
    if (path.dirname(dir) === dir) throw new Error(`gpc-conform: no package.json named gpc-conform above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** A path inside the installed harness. */
export const packagePath = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts);
