import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../package-root';

/** True when this code runs compiled (dist/), false when from its TypeScript sources. */
const RUNNING_COMPILED = __filename.endsWith('.js');

/**
 * Load a module a profile names (a module driver, a page object). A TypeScript file of the harness's
 * own (the reference consumer's driver, its page object) loads from its compiled copy in dist/ when
 * the harness runs compiled and the copy is current; any other TypeScript file (a supplier's) loads
 * through ts-node, registered on first need, in transpile-only mode.
 */
export function loadProfileModule(file: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(resolveProfileModule(file)) as Record<string, unknown>;
}

export function resolveProfileModule(file: string): string {
  if (!file.endsWith('.ts')) return file;
  const inside = path.relative(PACKAGE_ROOT, file);
  if (RUNNING_COMPILED && !inside.startsWith('..') && !path.isAbsolute(inside)) {
    const compiled = path.join(PACKAGE_ROOT, 'dist', inside.replace(/\.ts$/, '.js'));
    if (existsSync(compiled) && (!existsSync(file) || statSync(compiled).mtimeMs >= statSync(file).mtimeMs)) return compiled;
  }
  registerTypeScript();
  return file;
}

function registerTypeScript(): void {
  if (require.extensions['.ts']) return;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
}
