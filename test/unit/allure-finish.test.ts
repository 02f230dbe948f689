/**
 * The Allure side of a finished run (src/pipeline/allure-finish.ts): the report Allure generated
 * becomes one page and its folder goes; a page that cannot be written leaves the folder as the
 * report; a finished run reported again keeps what it has.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { finishAllure, publishReport } from '../../src/pipeline/allure-finish';
import { scratchFolder } from '../support/scratch';

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
