/**
 * The Allure side of a finished run (src/pipeline/allure-finish.ts): the report Allure generated
 * becomes one page and its folder goes; a page that cannot be written leaves the folder as the
 * report; a finished run reported again keeps what it has; Allure's folder is made in memory where
 * there is room, else on disk, and nothing of it is left.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { finishAllure, publishReport } from '../../src/pipeline/allure-finish';
import { scratchFolder } from '../support/scratch';
import { SCRATCH_ENV } from '../../src/pipeline/reports/memory-scratch';

const scratch = scratchFolder('gpc-allure-finish-');

test('a generated report becomes one page and its folder goes; a page that cannot be written leaves the folder as the report, and says why', () => {
  const out = scratch.fresh('publish');
  const generated = path.join(out, 'allure-report.generating');
  const reportDir = path.join(out, 'allure-report');
  mkdirSync(path.join(generated, 'data'), { recursive: true });
  writeFileSync(path.join(generated, 'index.html'), '<!doctype html><html><body><div id="content"></div></body></html>');
  writeFileSync(path.join(generated, 'data', 'x.json'), '{}');
  const problems: string[] = [];
  assert.deepEqual(publishReport(generated, reportDir, problems), { report: path.join(reportDir, 'index.html'), form: 'page' });
  assert.deepEqual(readdirSync(reportDir), ['index.html']);
  assert.ok(!existsSync(generated));
  assert.deepEqual(problems, []);

  mkdirSync(generated, { recursive: true });
  writeFileSync(path.join(generated, 'index.html'), '<!doctype html><p>cut off');
  assert.deepEqual(publishReport(generated, reportDir, problems), { report: reportDir, form: 'folder' });
  assert.deepEqual(readdirSync(reportDir), ['index.html']);
  assert.equal(readFileSync(path.join(reportDir, 'index.html'), 'utf8'), '<!doctype html><p>cut off');
  assert.ok(!existsSync(generated));
  assert.match(problems.join('\n'), /could not be written as one page \(single-file report: .*has no <\/body>\): Allure's folder is kept in its place/);
});

test('a finished run reported again keeps its report: the page as a page, an older run\'s Allure folder as a folder to serve', async () => {
  const out = scratch.fresh('reuse');
  const files = { allureResults: path.join(out, 'allure-results'), allureReport: path.join(out, 'allure-report'), allureHistory: path.join(out, 'allure-history') };
  mkdirSync(files.allureResults, { recursive: true });
  mkdirSync(files.allureReport, { recursive: true });
  writeFileSync(path.join(files.allureReport, 'index.html'), '<!doctype html><p>the page');
  assert.deepEqual(await finishAllure(files, {}, { level: 'quick', reuseReport: true }), { problems: [], report: path.join(files.allureReport, 'index.html'), form: 'page' });
  mkdirSync(path.join(files.allureReport, 'data'));
  assert.deepEqual(await finishAllure(files, {}, { level: 'full', reuseReport: true }), { problems: [], report: files.allureReport, form: 'folder' });
  assert.equal(readFileSync(path.join(files.allureReport, 'index.html'), 'utf8'), '<!doctype html><p>the page', 'kept as it was');
});

describe('where Allure\'s folder is generated: in memory where there is room, else on disk, and nothing is left of it', () => {
  const withScratch = async <T>(value: string, body: () => Promise<T>): Promise<T> => {
    const before = process.env[SCRATCH_ENV];
    process.env[SCRATCH_ENV] = value;
    try {
      return await body();
    } finally {
      if (before === undefined) delete process.env[SCRATCH_ENV];
      else process.env[SCRATCH_ENV] = before;
    }
  };
  const runFolder = (label: string) => {
    const out = scratch.fresh(label);
    const files = { allureResults: path.join(out, 'allure-results'), allureReport: path.join(out, 'allure-report'), allureHistory: path.join(out, 'allure-history') };
    mkdirSync(files.allureResults, { recursive: true });
    writeFileSync(path.join(files.allureResults, 'a-result.json'), JSON.stringify({ uuid: 'a', name: 'one', status: 'passed' }));
    return { out, files };
  };
  /** A stand-in for allure generate: a page and a history, or a failure where `fails` says. */
  const generator = (used: string[], fails: (reportDir: string) => boolean) => async (_results: string, reportDir: string) => {
    used.push(reportDir);
    if (fails(reportDir)) throw new Error(`no room in ${reportDir}`);
    mkdirSync(path.join(reportDir, 'history'), { recursive: true });
    writeFileSync(path.join(reportDir, 'history', 'history.json'), '{}');
    writeFileSync(path.join(reportDir, 'index.html'), '<!doctype html><html><body><div id="content"></div></body></html>');
  };

  test('in memory: the page is written, the history kept, and the memory folder removed', async () => {
    const { out, files } = runFolder('memory');
    const memory = scratch.fresh('memory-parent');
    const used: string[] = [];
    const outcome = await withScratch(memory, () => finishAllure(files, {}, { level: 'quick', generate: generator(used, () => false) }));
    assert.deepEqual(outcome, { problems: [], report: path.join(files.allureReport, 'index.html'), form: 'page' });
    assert.equal(used.length, 1);
    assert.ok(used[0].startsWith(memory + path.sep), `generated in ${used[0]}`);
    assert.deepEqual(readdirSync(memory), [], 'nothing left in memory');
    assert.ok(existsSync(path.join(files.allureHistory, 'history.json')));
    assert.ok(!existsSync(path.join(out, 'allure-report.generating')));
  });

  test('a generation that fails in memory is tried once more on disk; one that fails on disk too is said, and nothing is left', async () => {
    const { out, files } = runFolder('fallback');
    const memory = scratch.fresh('fallback-parent');
    const used: string[] = [];
    const outcome = await withScratch(memory, () => finishAllure(files, {}, { level: 'quick', generate: generator(used, (dir) => dir.startsWith(memory)) }));
    assert.deepEqual(outcome, { problems: [], report: path.join(files.allureReport, 'index.html'), form: 'page' });
    assert.deepEqual(used.slice(1), [path.join(out, 'allure-report.generating')]);
    assert.deepEqual(readdirSync(memory), []);

    const failing: string[] = [];
    const failed = await withScratch(memory, () => finishAllure(files, {}, { level: 'quick', generate: generator(failing, () => true) }));
    assert.equal(failing.length, 2);
    assert.match(failed.problems.join('\n'), /the Allure report was not generated: no room in .*allure-report\.generating \(the results are in /);
    assert.equal(failed.report, undefined);
    assert.deepEqual(readdirSync(memory), []);
    assert.ok(!existsSync(path.join(out, 'allure-report.generating')));
  });

  test('a history that cannot be carried in is said, as a generation that failed, not thrown', async () => {
    const { files } = runFolder('bad-history');
    writeFileSync(files.allureHistory, 'a file where the history folder should be');
    const used: string[] = [];
    const outcome = await finishAllure(files, {}, { level: 'quick', generate: generator(used, () => false) });
    assert.deepEqual(used, []);
    assert.match(outcome.problems.join('\n'), /the Allure report was not generated: .* \(the results are in /);
  });

  test('GPC_REPORT_SCRATCH=off, or a scratch that cannot be made, generates on disk', async () => {
    const { out, files } = runFolder('off');
    const used: string[] = [];
    await withScratch('off', () => finishAllure(files, {}, { level: 'quick', generate: generator(used, () => false) }));
    const notAFolder = path.join(out, 'a-file');
    writeFileSync(notAFolder, '');
    await withScratch(notAFolder, () => finishAllure(files, {}, { level: 'quick', generate: generator(used, () => false) }));
    assert.deepEqual(used, [path.join(out, 'allure-report.generating'), path.join(out, 'allure-report.generating')]);
    assert.deepEqual(readdirSync(files.allureReport), ['index.html']);
  });
});

test('a page that cannot be written from a folder generated in memory: the folder is moved to disk as the report', { skip: !tmpfsAvailable() && 'no tmpfs at /dev/shm' }, () => {
  const generated = mkdtempSync(path.join('/dev/shm', 'gpc-allure-finish-test-'));
  try {
    writeFileSync(path.join(generated, 'index.html'), '<!doctype html><p>cut off');
    const reportDir = path.join(scratch.fresh('cross-device'), 'allure-report');
    const problems: string[] = [];
    assert.deepEqual(publishReport(generated, reportDir, problems), { report: reportDir, form: 'folder' });
    assert.equal(readFileSync(path.join(reportDir, 'index.html'), 'utf8'), '<!doctype html><p>cut off');
    assert.ok(!existsSync(generated));
    assert.match(problems.join('\n'), /Allure's folder is kept in its place/);
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
});

function tmpfsAvailable(): boolean {
  try {
    return statfsSync('/dev/shm').type === 0x01021994;
  } catch {
    return false;
  }
}
