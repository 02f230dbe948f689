// Which code the harness runs: compiled (dist/, built by `npm run build`, which `npm ci` runs) when
// it is current, else the TypeScript sources through ts-node, so an edited step runs without a build.
// Plain JavaScript: it decides before any TypeScript can load.
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** The folders whose TypeScript is compiled into dist/. */
const SOURCES = ['src', 'support', 'steps', 'reference', 'profiles', 'bin'];
/** Written by `npm run build` once tsc has finished: the build is as new as this file. */
const STAMP = path.join(ROOT, 'dist', 'BUILT');

function newestSource(dir, newest = 0) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(full, newest);
    else if (/\.(ts|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * 'compiled' when dist/ holds a build at least as new as every source file; 'sources' otherwise
 * (GPC_RUN_SOURCES=1 asks for the sources whatever the build).
 */
function codeMode() {
  if (process.env.GPC_RUN_SOURCES === '1') return 'sources';
  if (!existsSync(STAMP)) return 'sources';
  // An installed harness (inside node_modules) runs what it shipped: its files' times are when npm unpacked them.
  if (ROOT.split(path.sep).includes('node_modules')) return 'compiled';
  const built = statSync(STAMP).mtimeMs;
  for (const dir of SOURCES) if (newestSource(path.join(ROOT, dir)) > built) return 'sources';
  return 'compiled';
}

/**
 * Whether `npm run build` has nothing to do: dist/ was stamped after every file it compiles (the
 * harness, its tests and scripts) and the configuration that shapes it. `npm test` then skips its
 * build stage: the stamp is written only after tsc passed, so the type gate held.
 */
function buildCurrent() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  for (const dir of [...SOURCES, 'test', 'scripts']) if (newestSource(path.join(ROOT, dir)) > built) return false;
  for (const file of ['tsconfig.json', 'package.json']) if (existsSync(path.join(ROOT, file)) && statSync(path.join(ROOT, file)).mtimeMs > built) return false;
  return true;
}

/** `node bin/build-state.js --stamp`: the last step of `npm run build`. */
function stamp() {
  require('node:fs').writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (require.main === module && process.argv[2] === '--stamp') stamp();

module.exports = { ROOT, codeMode, buildCurrent };
