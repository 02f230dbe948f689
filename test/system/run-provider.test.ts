import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gpcConform } from '../support/gpc-conform';
import { verdictOf } from '../../src/results/verdict';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-run-'));
after(() => rmSync(work, { recursive: true, force: true }));

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const readyAt = (output: string) => output.match(/is ready at (\S+)/)?.[1];

test('a provider started from its profile is judged conformant (exit 0), and is stopped afterwards', async () => {
  const { code, output } = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider-process.yaml', '--out', path.join(work, 'process'), '--report', 'results']);
  assert.equal(code, 0, output);
  assert.match(output, /Verdict: conformant \(exit code 0\)/);
  assert.match(output, /^\d+ passed, 0 failed$/m);
  const url = readyAt(output);
  assert.ok(url, output);
  assert.equal(await portOpen(url), false, 'the provider the run started still listens');
});

test('a non-conformant provider is exit 1, each failure named with its requirement', async () => {
  // The requirement the fault breaks is enough to see it named: the whole suite under a fault is the fault proof's and the re-run test's.
  const { code, output } = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--faults', 'book-without-location', '--requirement', 'PROV-BOOK', '--out', path.join(work, 'fault'), '--report', 'results']);
  assert.equal(code, 1, output);
  assert.match(output, /FAILED .*book-an-appointment\.feature:\d+ Booking a free slot/);
  assert.match(output, /PROV-BOOK \(SHALL\): POST \/Appointment answered 201 without a Location header/);
  // --report results: no Java, no Allure report; it says so and how to write it from what is on disk.
  const dir = path.join(work, 'fault');
  assert.ok(!existsSync(path.join(dir, 'allure-report')) && existsSync(path.join(dir, 'junit.xml')) && existsSync(path.join(dir, 'allure-results')));
  assert.match(output, /Left out \(--report results\): the Allure report and the evidence pack\./);
  const written = await gpcConform(['report', '--out', dir, '--report', 'quick']);
  assert.equal(written.code, 1, written.output);
  assert.ok(existsSync(path.join(dir, 'allure-report', 'index.html')) && !existsSync(path.join(dir, 'evidence-pack.tar.gz')), written.output);
});

test('Ctrl-C during a run stops the provider it started (exit 2)', async () => {
  let interrupted = false;
  const { code, output } = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider-process.yaml', '--out', path.join(work, 'interrupted'), '--report', 'results'], {
    // Interrupted once the scenarios are under way: both the provider and the Cucumber run must stop.
    onOutput: (text, kill) => {
      if (!interrupted && readyAt(text) && /scenarios to run/.test(text)) {
        interrupted = true;
        kill('SIGINT');
      }
    },
  });
  assert.equal(code, 2, output);
  assert.equal(await portOpen(readyAt(output)!), false, 'the provider outlived the interrupted run');
  assert.doesNotMatch(output, /Verdict: conformant/, 'the run went on after Ctrl-C');
});

test('configuration errors are exit 2 and name what is wrong', async () => {
  const bad = path.join(work, 'bad.yaml');
  writeFileSync(bad, 'role: provider\nname: x\nbaseUrl: http://127.0.0.1:1/fhir\nasid: "1"\nods: A20047\ntestData: {}\n');
  const profile = await gpcConform(['run', '--role', 'provider', '--profile', bad]);
  assert.equal(profile.code, 2);
  assert.match(profile.output, /asid: must match pattern/);
  assert.match(profile.output, /testData.registeredPatient: required, missing/);
  const fault = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--faults', 'no-such-fault']);
  assert.equal(fault.code, 2);
  assert.match(fault.output, /no-such-fault/);
  // A provider profile given for a consumer run is refused for what it is, field by field.
  const role = await gpcConform(['run', '--role', 'consumer', '--profile', bad]);
  assert.equal(role.code, 2);
  assert.match(role.output, /role: must be "consumer"/);
  const noRole = await gpcConform(['run', '--profile', bad]);
  assert.equal(noRole.code, 2);
  assert.match(noRole.output, /give --role provider or --role consumer/);
  for (const command of [['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml'], ['conformance'], ['merge', '--out', path.join(work, 'merged'), work], ['report', '--out', work]]) {
    const level = await gpcConform([...command, '--report', 'everything']);
    assert.equal(level.code, 2, level.output);
    assert.match(level.output, /--report must be full, quick or results, not "everything"/, command[0]);
  }
});

/** A Cucumber messages stream of one scenario whose one step ended as given. */
function stream(file: string, stepResult: object | undefined, finished = true): string {
  const lines = [
    { gherkinDocument: { uri: 'features/x.feature', feature: { children: [{ scenario: { id: 's1', location: { line: 7 } } }] } } },
    { pickle: { id: 'p1', name: 'A scenario', uri: 'features/x.feature', tags: [{ name: '@req:PROV-X' }], astNodeIds: ['s1'] } },
    { testCase: { id: 'tc1', pickleId: 'p1' } },
    { testCaseStarted: { id: 'st1', testCaseId: 'tc1' } },
    ...(stepResult ? [{ testStepFinished: { testCaseStartedId: 'st1', testStepResult: stepResult } }] : []),
    { testCaseFinished: { testCaseStartedId: 'st1', willBeRetried: false } },
    ...(finished ? [{ testRunFinished: { success: true } }] : []),
  ];
  const target = path.join(work, file);
  writeFileSync(target, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return target;
}

test('the verdict: assertion failures are non-conformance, an unreachable provider is broken, anything else is the harness', () => {
  const passed = verdictOf(stream('passed.ndjson', { status: 'PASSED' }));
  assert.equal(passed.exitCode, 0);
  assert.equal(passed.scenarios[0].line, 7);
  const failed = verdictOf(stream('failed.ndjson', { status: 'FAILED', exception: { type: 'AssertionError', message: 'PROV-X: wrong\nmore' } }));
  assert.deepEqual([failed.exitCode, failed.scenarios[0].outcome, failed.scenarios[0].reason], [1, 'failed', 'PROV-X: wrong']);
  const broken = verdictOf(stream('broken.ndjson', { status: 'FAILED', exception: { type: 'ProviderUnreachable', message: 'ECONNREFUSED' } }));
  assert.deepEqual([broken.exitCode, broken.scenarios[0].outcome], [1, 'broken']);
  const harness = verdictOf(stream('harness.ndjson', { status: 'FAILED', exception: { type: 'TypeError', message: 'x is undefined' } }));
  assert.deepEqual([harness.exitCode, harness.scenarios[0].outcome], [2, 'harness-error']);
  const undefinedStep = verdictOf(stream('undefined.ndjson', { status: 'UNDEFINED' }));
  assert.equal(undefinedStep.exitCode, 2);
  const skipped = verdictOf(stream('skipped.ndjson', { status: 'SKIPPED' }));
  assert.deepEqual([skipped.exitCode, skipped.counts.skipped], [0, 1]);
});

test('a run cut off mid-way keeps what completed and is a harness error, saying so', () => {
  const cut = verdictOf(stream('cut.ndjson', { status: 'PASSED' }, false));
  assert.equal(cut.exitCode, 2);
  assert.equal(cut.counts.passed, 1);
  assert.match(cut.runError ?? '', /stopped before it finished/);
  assert.match(verdictOf(path.join(work, 'missing.ndjson')).runError ?? '', /no results/);
});

test('a scenario with two steps that did not pass keeps both reasons (a failed Then, then a late request found after it)', () => {
  const lines = [
    { gherkinDocument: { uri: 'features/x.feature', feature: { children: [{ scenario: { id: 's1', location: { line: 7 } } }] } } },
    { pickle: { id: 'p1', name: 'A scenario', uri: 'features/x.feature', tags: [], astNodeIds: ['s1'] } },
    { testCase: { id: 'tc1', pickleId: 'p1' } },
    { testCaseStarted: { id: 'st1', testCaseId: 'tc1' } },
    { testStepFinished: { testCaseStartedId: 'st1', testStepResult: { status: 'FAILED', exception: { type: 'AssertionError', message: 'CONS-PDS-TRACE: never traced' } } } },
    { testStepFinished: { testCaseStartedId: 'st1', testStepResult: { status: 'FAILED', exception: { type: 'AssertionError', message: 'a request after it reported its outcome' } } } },
    { testCaseFinished: { testCaseStartedId: 'st1', willBeRetried: false } },
    { testRunFinished: { success: false } },
  ];
  const file = path.join(work, 'two.ndjson');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const [scenario] = verdictOf(file).scenarios;
  assert.equal(scenario.reason, 'CONS-PDS-TRACE: never traced');
  assert.deepEqual(scenario.reasons, ['CONS-PDS-TRACE: never traced', 'a request after it reported its outcome']);
});
