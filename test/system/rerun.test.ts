import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gpcConform } from '../support/gpc-conform';
import type { ConformanceSummary } from '../../src/pipeline/reports/summary';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-rerun-'));
after(() => rmSync(work, { recursive: true, force: true }));

const summaryOf = (out: string) => JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as ConformanceSummary;
const rerunLine = (output: string) => output.match(/Re-run what did not pass:\n\s+(.*)/)?.[1];

/** The printed command, run as the user would paste it (it starts `node bin/gpc-conform`). */
function runPrinted(command: string) {
  const args = command.split(' ');
  assert.deepEqual(args.slice(0, 2), ['node', 'bin/gpc-conform'], command);
  return gpcConform(args.slice(2));
}

// The loop is the same for either role (src/pipeline/selection.ts): here the reference consumer in the
// harness's process, whose 82 scenarios cost a seventh of the provider's 577.
test('the re-run loop: a failure prints the exact command that re-runs it, and the re-run is that scenario alone, marked partial', async () => {
  const out = path.join(work, 'loop');
  // Allure's folder is generated in memory (here a folder of the test's own) and nothing of it is left.
  const memory = path.join(work, 'memory');
  mkdirSync(memory);
  const first = await gpcConform(['run', '--role', 'consumer', '--profile', 'profiles/reference-consumer.yaml', '--faults', 'amend-moves-start', '--out', out, '--report', 'quick'], { env: { GPC_REPORT_SCRATCH: memory } });
  assert.equal(first.code, 1, first.output);
  assert.deepEqual(readdirSync(memory), [], 'nothing left of the report folder made in memory');
  assert.deepEqual(readdirSync(path.join(out, 'allure-report')), ['index.html']);
  const full = summaryOf(out);
  assert.equal(full.run.partial, false);
  const failed = full.scenarios.filter((s) => s.outcome === 'failed');
  assert.ok(failed.length > 0 && failed.length < full.scenarios.length, 'some, not all, scenarios fail');
  assert.equal(full.requirements.find((r) => r.id === 'CONS-AMEND-ONLY-ALLOWED')?.outcome, 'failed');
  assert.equal(full.requirements.find((r) => r.id === 'CONS-PDS-TRACE')?.outcome, 'passed');

  const printed = rerunLine(first.output);
  assert.ok(printed, first.output);
  for (const s of failed) assert.ok(printed.includes(`--only ${s.location}`), `${printed} names ${s.location}`);
  assert.equal(full.run.rerunCommand, printed, 'the summary carries the same command');
  assert.match(readFileSync(path.join(out, 'allure-results', 'environment.properties'), 'utf8'), /Re-run\\ what\\ did\\ not\\ pass=node bin\/gpc-conform run/);

  const again = await runPrinted(printed);
  assert.equal(again.code, 1, again.output);
  const rerun = summaryOf(out);
  assert.deepEqual(rerun.scenarios.map((s) => s.id).sort(), failed.map((s) => s.id).sort(), 'the re-run ran exactly what failed');
  assert.equal(rerun.run.partial, true);
  assert.match(rerun.run.partialReasons.join(' '), /only features\/consumer\//);
  assert.match(again.output, /This is a partial run/);
  assert.equal(rerun.requirements.find((r) => r.id === 'CONS-PDS-TRACE')?.outcome, 'not run');

  // A re-run is quick unless asked: the report, as one page and nothing else, no evidence pack, and it says how to write it.
  assert.deepEqual(readdirSync(path.join(out, 'allure-report')), ['index.html'], 'the report is one page: the folder Allure generated is gone');
  assert.ok(!existsSync(path.join(out, 'allure-report.generating')) && !existsSync(path.join(out, 'evidence-pack.tar.gz')));
  const how = again.output.match(/Left out \(--report quick\): the evidence pack\. Write what was left out, from this run, with:\n\s+(node bin\/gpc-conform report --out \S+ --report full)/)?.[1];
  assert.ok(how, again.output);
  const report = path.join(out, 'allure-report', 'index.html');
  const generatedAt = statSync(report).mtimeMs;
  const history = readFileSync(path.join(out, 'allure-history', 'history.json'), 'utf8');
  const written = await runPrinted(how);
  assert.equal(written.code, 1, written.output);
  assert.ok(existsSync(path.join(out, 'evidence-pack.tar.gz')), written.output);
  assert.doesNotMatch(written.output, /Left out/);
  assert.equal(statSync(report).mtimeMs, generatedAt, 'the report of the finished run is kept, not generated again');
  assert.equal(readFileSync(path.join(out, 'allure-history', 'history.json'), 'utf8'), history, 'the run is not counted twice in the trend');
  assert.deepEqual(summaryOf(out).scenarios.map((s) => s.id), rerun.scenarios.map((s) => s.id));

  // --rerun-failed reads the previous summary: without the fault the failures now pass.
  const fixed = await gpcConform(['run', '--role', 'consumer', '--profile', 'profiles/reference-consumer.yaml', '--out', out, '--rerun-failed', '--report', 'results']);
  assert.equal(fixed.code, 0, fixed.output);
  assert.deepEqual(summaryOf(out).scenarios.map((s) => s.outcome), failed.map(() => 'passed'));
  assert.match(fixed.output, /Verdict: conformant for what ran \(a partial run\)/);
  const nothingLeft = await gpcConform(['run', '--role', 'consumer', '--profile', 'profiles/reference-consumer.yaml', '--out', out, '--rerun-failed']);
  assert.equal(nothingLeft.code, 0, nothingLeft.output);
  assert.match(nothingLeft.output, /Nothing to run/);
});

test('one requirement or one worked-example step runs only its scenarios', async () => {
  const byRequirement = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--out', path.join(work, 'req'), '--requirement', 'PROV-REGISTER', '--report', 'results']);
  assert.equal(byRequirement.code, 0, byRequirement.output);
  const req = summaryOf(path.join(work, 'req'));
  assert.ok(req.scenarios.length > 0);
  for (const s of req.scenarios) assert.ok(s.requirements.includes('PROV-REGISTER'), `${s.id} checks PROV-REGISTER`);
  assert.equal(req.run.partial, true);

  const byStep = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--out', path.join(work, 'step'), '--step', '6', '--report', 'results']);
  assert.equal(byStep.code, 0, byStep.output);
  const step = summaryOf(path.join(work, 'step'));
  assert.ok(step.scenarios.length > 0);
  for (const s of step.scenarios) assert.ok(s.steps.some((code) => code.startsWith('6')), `${s.id} is in step 6 (${s.steps})`);

  const unknown = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--out', path.join(work, 'bad'), '--requirement', 'PROV-NOPE']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.output, /not in requirements\/catalogue.yaml: PROV-NOPE/);
});
