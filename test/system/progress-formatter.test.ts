import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { writtenScenarios } from '../../src/pipeline/reports/coverage';
import { PACKAGE_ROOT } from '../../src/package-root';

/**
 * The progress formatter (src/pipeline/progress-formatter.js), run for real: Cucumber on a small
 * slice of the SSP features with the `proof` profile, once all passing, once with an SSP fault that
 * fails one scenario.
 */
const root = PACKAGE_ROOT;
const work = mkdtempSync(path.join(tmpdir(), 'gpc-progress-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  exitCode: number | null;
  lines: string[];
  stderr: string;
}

function cucumber(tags: string, env: Record<string, string> = {}): Promise<Run> {
  const args = [path.join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--profile', 'proof', '--format', './src/pipeline/progress-formatter.js', '--tags', tags, 'features/ssp'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, GPC_SSP_FAULTS: '', ...env, GPC_TLS_DIR: path.join(work, 'tls') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, lines: stdout.split('\n').filter((l) => l.trim() !== ''), stderr });
    });
  });
}

/** The scenarios under features/ssp carrying the tag, as written (none of them is an outline). */
function expected(tag: string): { total: number; perFile: Map<string, number> } {
  const perFile = new Map<string, number>();
  const mine = writtenScenarios(root).filter((s) => s.uri.startsWith('features/ssp/') && s.tags.includes(tag));
  for (const s of mine) perFile.set(s.uri, (perFile.get(s.uri) ?? 0) + 1);
  return { total: mine.length, perFile };
}

const FILE_DONE = /^ {2}\[(\d+)\/(\d+)\] \d+ s (features\/\S+\.feature): (\d+) passed or skipped(?:, (\d+) not passed)?$/;
const NOT_PASSED = /^ {2}\[(\d+)\/(\d+)\] (FAILED|UNDEFINED|AMBIGUOUS|PENDING|UNKNOWN) (features\/\S+\.feature): (.+)$/;
const FINISHED = /^ {2}(\d+) of (\d+) scenarios run in \d+ s$/;

test('the proof profile names no feature paths (Cucumber 12 would add them to those on the command line)', () => {
  delete require.cache[path.join(root, 'cucumber.js')];
  const profiles = require(path.join(root, 'cucumber.js')) as Record<string, { paths?: string[]; format?: unknown[] }>;
  assert.ok(profiles.proof, 'there is a proof profile');
  assert.equal('paths' in profiles.proof, false, `proof has paths: ${JSON.stringify(profiles.proof.paths)}`);
  assert.deepEqual(profiles.proof.format, [], 'proof adds no formatter of its own');
});

test('all passing: the count to run, one line per feature file done, and the closing count', async () => {
  const want = expected('@req:SSP-FORWARD');
  assert.ok(want.total >= 2 && want.perFile.size >= 2, 'the slice spans more than one feature file');
  const run = await cucumber('@req:SSP-FORWARD');
  assert.equal(run.exitCode, 0, `cucumber failed:\n${run.lines.join('\n')}\n${run.stderr.slice(0, 3000)}`);
  const { lines } = run;

  assert.equal(lines[0], `  ${want.total} scenarios to run`);
  assert.equal(lines.filter((l) => /scenarios to run$/.test(l)).length, 1);
  assert.match(lines[lines.length - 1], FINISHED);
  assert.equal(lines[lines.length - 1].match(FINISHED)?.slice(1, 3).join(' of '), `${want.total} of ${want.total}`);

  const done = lines.slice(1, -1).map((l) => l.match(FILE_DONE));
  assert.ok(done.every(Boolean), `every line between is a feature file done:\n${lines.join('\n')}`);
  const byFile = new Map(done.map((m) => [m![3], { at: Number(m![1]), of: Number(m![2]), passed: Number(m![4]), other: m![5] }]));
  assert.equal(byFile.size, done.length, 'one line per feature file');
  assert.deepEqual(new Map([...byFile].map(([f, d]) => [f, d.passed])), want.perFile, 'each file with all its scenarios passed');
  for (const d of byFile.values()) {
    assert.equal(d.of, want.total);
    assert.equal(d.other, undefined, 'nothing failed');
  }
  // Counts so far grow, and the last file done is the last scenario.
  const ats = [...byFile.values()].map((d) => d.at);
  assert.deepEqual(ats, [...ats].sort((a, b) => a - b));
  assert.equal(ats[ats.length - 1], want.total);
  assert.ok(!lines.some((l) => NOT_PASSED.test(l)));
});

test('with an SSP fault: an immediate line naming the failed scenario and its reason, before its file is done', async () => {
  const want = expected('@req:SSP-DATA-SHARING');
  assert.deepEqual([...want.perFile.keys()], ['features/ssp/filtering.feature']);
  const run = await cucumber('@req:SSP-DATA-SHARING', { GPC_SSP_FAULTS: 'ignore-data-sharing' });
  assert.equal(run.exitCode, 1, `the fault should fail the run:\n${run.lines.join('\n')}\n${run.stderr.slice(0, 3000)}`);
  const { lines } = run;

  assert.equal(lines[0], `  ${want.total} scenarios to run`);
  const failedAt = lines.findIndex((l) => NOT_PASSED.test(l));
  assert.ok(failedAt > 0, `a line for the failed scenario:\n${lines.join('\n')}`);
  const [, at, of, status, file, name] = lines[failedAt].match(NOT_PASSED)!;
  assert.equal(status, 'FAILED');
  assert.equal(file, 'features/ssp/filtering.feature');
  assert.equal(name, 'Organisations without a data sharing agreement cannot exchange requests');
  assert.equal(Number(of), want.total);
  assert.ok(Number(at) >= 1 && Number(at) <= want.total);
  // The first line of the reason only, indented under it.
  assert.match(lines[failedAt + 1], /^ {6}SSP-DATA-SHARING \(SHALL\): expected the SSP to refuse with 403 "FOT_CHECK_FAILED_MESSAGESENDER_200000000501_MESSAGERECEIVER_\d+", it answered 200 \{$/);
  assert.ok(!lines.some((l) => /"resourceType"/.test(l)), 'the rest of the reason is not printed');
  assert.equal(lines.filter((l) => NOT_PASSED.test(l)).length, 1, 'only the one scenario failed');

  const doneAt = lines.findIndex((l) => FILE_DONE.test(l));
  assert.ok(doneAt > failedAt + 1, 'the failure is reported before its file is done');
  const d = lines[doneAt].match(FILE_DONE)!;
  assert.deepEqual([d[1], d[2], d[3], d[4], d[5]], [String(want.total), String(want.total), 'features/ssp/filtering.feature', String(want.total - 1), '1']);
  assert.equal(lines.filter((l) => FILE_DONE.test(l)).length, 1);
  assert.equal(lines[lines.length - 1].match(FINISHED)?.slice(1, 3).join(' of '), `${want.total} of ${want.total}`);
});
