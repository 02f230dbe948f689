import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gpcConform, root } from '../support/gpc-conform';

/**
 * Issue 4 "broken consumers": a consumer that never calls, calls too late, floods the mocks, sends
 * garbage or hangs gets failed or broken scenarios with a clear reason, and the run completes in
 * bounded time with a verdict.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-broken-consumer-'));
after(() => rmSync(work, { recursive: true, force: true }));

function profileFor(exported: string): string {
  const file = path.join(work, `${exported}.yaml`);
  writeFileSync(
    file,
    [
      'role: consumer',
      `name: broken consumer (${exported})`,
      'identity: { asid: "200000000359", ods: UCC01 }',
      `driver: { kind: module, module: ${JSON.stringify(path.join(root, 'test/fixtures/broken-consumers.ts'))}, export: ${exported} }`,
      'timeouts: { actionSeconds: 2 }',
    ].join('\n'),
  );
  return file;
}

async function runAgainst(exported: string, tags: string) {
  const started = Date.now();
  const out = path.join(work, exported);
  const result = await gpcConform(['run', '--role', 'consumer', '--profile', profileFor(exported), '--out', out, '--tags', tags, '--report', 'results']);
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

test('a consumer that never calls fails, naming the PDS trace it never made', async () => {
  const run = await runAgainst('neverCalls', '@req:CONS-PDS-TRACE');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /FAILED[^\n]*\n\s*CONS-PDS-TRACE/);
});

test('a consumer that sends after it reported fails, naming the late request', async () => {
  const run = await runAgainst('callsLate', '@req:CONS-PDS-TRACE');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /after it reported its outcome[^\n]*GET [^\n]*Patient\/9693632109/);
});

test('a consumer that floods Spine fails, naming the flood', async () => {
  const run = await runAgainst('floods', '@req:CONS-PDS-TRACE');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /flooded Spine: 15\d requests in one scenario/);
});

test('a consumer that sends garbage fails on the rules it breaks', async () => {
  const run = await runAgainst('sendsGarbage', '@req:CONS-SERVICE-ROOT');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /CONS-SERVICE-ROOT/);
});

test('a consumer that never answers is broken within its action timeout, and the run ends', async () => {
  const run = await runAgainst('hangs', '@req:CONS-PDS-TRACE');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /BROKEN[^\n]*\n[^\n]*did not finish booking within 2000 ms/);
  assert.ok(run.seconds < 60, `the run took ${run.seconds} s`);
});

test('a consumer that calls after the scenario timed out is broken in time, and its late requests are named in that scenario, not the next', async () => {
  const run = await runAgainst('callsAfterTimeout', '@req:CONS-PDS-TRACE or @req:CONS-PDS-STOP');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /did not finish booking within 2000 ms/);
  assert.match(run.output, /went on working after the scenario timed out \(its action ran past actionSeconds, 2 s\) and sent 1 request\(s\) after that: GET [^\n]*Patient\/9693632109/);
  assert.doesNotMatch(run.output, /match no scenario/, 'the late request landed outside any scenario');
  const summary = JSON.parse(readFileSync(path.join(work, 'callsAfterTimeout', 'summary.json'), 'utf8'));
  assert.ok(summary, 'no summary.json');
  assert.ok(run.seconds < 90, `the run took ${run.seconds} s`);
});

test('a consumer that holds connections open without finishing its requests fails naming them, and the run ends', async () => {
  const run = await runAgainst('holdsConnectionsOpen', '@req:CONS-PDS-TRACE');
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /held 3 connection\(s\) open to Spine without finishing a request \(pds: 1, sds: 1, ssp: 1\)/);
  assert.ok(existsSync(path.join(work, 'holdsConnectionsOpen', 'summary.json')), 'no summary.json');
  assert.ok(run.seconds < 60, `the run took ${run.seconds} s: held connections kept it from ending`);
});
