/**
 * Installable as users install tools (issue 13): `npm pack` gives a package that, installed into an
 * empty folder, runs a provider check against its built-in reference provider, writing everything
 * into that folder and nothing into itself. The install is offline: npm takes every dependency from
 * its cache (filled by `npm ci`), at the versions the harness's npm-shrinkwrap.json pins.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-package-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Lockfile {
  packages: Record<string, { version?: string; license?: string; dev?: boolean; dependencies?: Record<string, string>; bin?: unknown; engines?: unknown }>;
}

/** The folder's lockfile as a networked `npm install <tarball>` would write it: the tarball, and the harness's own pinned dependencies. */
function lockfileFor(tarball: string): object {
  const shrinkwrap = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'npm-shrinkwrap.json'), 'utf8')) as Lockfile;
  const harness = shrinkwrap.packages[''];
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const spec = `file:${path.basename(tarball)}`;
  const packages: Lockfile['packages'] = {
    '': { dependencies: { 'gpc-conform': spec } },
    'node_modules/gpc-conform': { version: harness.version, resolved: spec, integrity, license: harness.license, dependencies: harness.dependencies, bin: harness.bin, engines: harness.engines } as Lockfile['packages'][string],
  };
  for (const [where, entry] of Object.entries(shrinkwrap.packages)) if (where && !entry.dev) packages[where] = entry;
  return { name: 'supplier-folder', lockfileVersion: 3, requires: true, packages };
}

test('npm pack gives a package that runs a provider check from an empty folder', () => {
  const packed = path.join(work, 'packed');
  mkdirSync(packed);
  // --ignore-scripts: the tests run on the build npm test has just made (prepare would rebuild dist/ under the other tests' feet).
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packed], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const [name] = readdirSync(packed).filter((f) => f.endsWith('.tgz'));
  assert.ok(name, 'npm pack wrote no tarball');
  const listing = execFileSync('tar', ['-tzf', path.join(packed, name)], { encoding: 'utf8' }).split('\n');
  for (const needed of ['package/dist/BUILT', 'package/dist/bin/cli.js', 'package/dist/support/hooks.js', 'package/features/provider/capability-statement.feature', 'package/profiles/reference-provider.yaml', 'package/data/practices/A20047.yaml', 'package/topologies/default.yaml', 'package/requirements/catalogue.yaml', 'package/npm-shrinkwrap.json']) {
    assert.ok(listing.includes(needed), `the package lacks ${needed}`);
  }
  assert.ok(!listing.some((f) => f.startsWith('package/dist/test/') || f.startsWith('package/reports/')), 'the package carries the tests or a run');

  const folder = path.join(work, 'supplier');
  mkdirSync(folder);
  const tarball = path.join(folder, name);
  writeFileSync(tarball, readFileSync(path.join(packed, name)));
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'supplier-folder', private: true, dependencies: { 'gpc-conform': `file:${name}` } }, null, 2));
  writeFileSync(path.join(folder, 'package-lock.json'), JSON.stringify(lockfileFor(tarball), null, 2));
  const install = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: folder, encoding: 'utf8' });
  assert.equal(install.status, 0, `npm ci --offline failed (the npm cache needs what npm ci fetched for the harness): ${install.stderr.slice(-2000)}`);

  const installed = path.join(folder, 'node_modules', 'gpc-conform');
  const run = spawnSync(path.join(folder, 'node_modules', '.bin', 'gpc-conform'), ['run', '--role', 'provider', '--profile', 'reference-provider', '--only', 'features/provider/capability-statement.feature:13', '--out', 'out'], { cwd: folder, encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  assert.match(output, /Provider conformance: 1 passed, 0 failed/);
  const summary = JSON.parse(readFileSync(path.join(folder, 'out', 'summary.json'), 'utf8')) as { counts: { passed: number } };
  assert.equal(summary.counts.passed, 1);
  assert.ok(existsSync(path.join(folder, 'out', 'allure-report', 'index.html')), `no Allure report: ${output}`);
  // It ran its compiled code, and wrote nothing into itself.
  assert.doesNotMatch(output, /ts-node/);
  assert.ok(!existsSync(path.join(installed, 'reports')), 'the run wrote into the installed package');
});
