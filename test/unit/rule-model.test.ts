import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { exactOnly, gradeOf, RuleBook } from '../../src/rules/rule';
import type { Catalogue, Requirement } from '../../src/rules/catalogue';
import { RULE_NOTE_MEDIA_TYPE, type RuleNote } from '../../src/results/rule-note';
import { verdictOfMessages } from '../../src/results/verdict';
import { NothingToActOn } from '../../src/actors/consumer/consumer-under-test';
import { mergeJunit } from '../../src/pipeline/reports/junit';
import { AllureResultsWriter } from '../../src/pipeline/reports/allure-writer';
import { categoriesOf, WARNING_CATEGORY } from '../../src/pipeline/reports/allure-report';
import { scratchFolder } from '../support/scratch';
import { printRunResult } from '../../src/pipeline/print';

const scratch = scratchFolder('rule-model-');
const REQUIREMENTS: Requirement[] = [
  { id: 'R-SHALL', title: 'A shall rule', section: 'page.html', source: 's', level: 'SHALL', cite: 'https://example.test/page.md', quote: 'SHALL do it' },
  { id: 'R-SHOULD', title: 'A should rule', section: 'page.html', source: 's', level: 'SHOULD' },
  { id: 'R-CODE', title: 'Refused, with the demonstrator code', section: 'page.html', source: 's', level: 'SHALL', exact: { from: 'demo', where: 'Controller.cs' } },
  { id: 'R-DEFAULT', title: 'No level given', section: 'page.html', source: 's' },
];
const CATALOGUE: Catalogue = { specBase: 'https://spec.test/', requirements: REQUIREMENTS, byId: new Map(REQUIREMENTS.map((r) => [r.id, r])) };
const req = (id: string) => CATALOGUE.byId.get(id)!;

function book(strict = false): { rules: RuleBook; notes: RuleNote[] } {
  const notes: RuleNote[] = [];
  return { rules: new RuleBook({ strict, record: (n) => notes.push(n), catalogue: CATALOGUE }), notes };
}

describe('grading a finding by its requirement', () => {
  test('a SHALL broken fails; a SHOULD broken warns; no level is SHALL', () => {
    assert.equal(gradeOf(req('R-SHALL'), { text: 'x' }, false), 'failure');
    assert.equal(gradeOf(req('R-SHOULD'), { text: 'x' }, false), 'warning');
    assert.equal(gradeOf(req('R-DEFAULT'), { text: 'x' }, false), 'failure');
  });

  test('only the exact code at odds, where the code is not the spec’s, warns; refusing nothing still fails', () => {
    assert.equal(gradeOf(req('R-CODE'), exactOnly('answered 400 BAD_REQUEST'), false), 'warning');
    assert.equal(gradeOf(req('R-CODE'), { text: 'accepted it' }, false), 'failure');
    assert.equal(gradeOf(req('R-SHALL'), exactOnly('another code'), false), 'failure', 'the spec gives the code: it is the rule');
  });

  test('strict makes every finding a failure', () => {
    assert.equal(gradeOf(req('R-SHOULD'), { text: 'x' }, true), 'failure');
    assert.equal(gradeOf(req('R-CODE'), exactOnly('x'), true), 'failure');
  });
});

describe('RuleBook', () => {
  test('nothing found: nothing recorded, the step passes', () => {
    const { rules, notes } = book();
    rules.judge('R-SHALL', []);
    assert.deepEqual(notes, []);
  });

  test('a failure is recorded and fails the step with the rule, its level and the finding first, then the source quoted', () => {
    const { rules, notes } = book();
    assert.throws(
      () => rules.judge('R-SHALL', ['expected 404, saw 200']),
      (error: unknown) => {
        assert.ok(error instanceof AssertionError);
        const lines = error.message.split('\n');
        assert.equal(lines[0], 'R-SHALL (SHALL): expected 404, saw 200');
        assert.ok(error.message.includes('rule: A shall rule'));
        assert.ok(error.message.includes('https://example.test/page.md — "SHALL do it"'));
        return true;
      },
    );
    assert.equal(notes.length, 1);
    assert.deepEqual({ ...notes[0] }, { requirement: 'R-SHALL', level: 'SHALL', grade: 'failure', title: 'A shall rule', finding: 'expected 404, saw 200', source: 'https://example.test/page.md', quote: 'SHALL do it' });
  });

  test('a warning is recorded and the step passes; the source falls back to the published page', () => {
    const { rules, notes } = book();
    rules.judge('R-SHOULD', ['no Last-Modified']);
    assert.equal(notes[0]!.grade, 'warning');
    assert.equal(notes[0]!.source, 'https://spec.test/page.html');
  });

  test('an exact code from the demonstrator warns and says where it comes from', () => {
    const { rules, notes } = book();
    rules.judge('R-CODE', [exactOnly('refused with 422 INVALID_RESOURCE, the demonstrator answers 400 BAD_REQUEST')]);
    assert.equal(notes[0]!.grade, 'warning');
    assert.match(notes[0]!.exactFrom ?? '', /the demonstrator \(Controller\.cs\)/);
  });

  test('strict: the warning fails', () => {
    const { rules } = book(true);
    assert.throws(() => rules.judge('R-SHOULD', ['no Last-Modified']), AssertionError);
  });

  test('a rule not in the catalogue is the harness’s error, not an assertion', () => {
    const { rules } = book();
    assert.throws(() => rules.judge('R-NONE', ['x']), (e: unknown) => !(e instanceof AssertionError) && /no requirement R-NONE/.test(String(e)));
  });

  test('a rule not reached is recorded and skips the step', () => {
    const { rules, notes } = book();
    assert.equal(rules.notReached('R-SHALL', 'the consumer stopped at PDS (R-OTHER failed)'), 'skipped');
    assert.equal(notes[0]!.grade, 'not-reached');
  });
});

/** A Cucumber messages stream of one scenario whose steps ended as given, with these notes attached. */
function messages(statuses: string[], notes: RuleNote[]): unknown[] {
  return [
    { gherkinDocument: { feature: { children: [{ scenario: { id: 's1', location: { line: 3 } } }] } } },
    { pickle: { id: 'p1', name: 'A scenario', uri: 'features/a.feature', tags: [{ name: '@req:R-SHALL' }], astNodeIds: ['s1'] } },
    { testCase: { id: 'tc1', pickleId: 'p1' } },
    { testCaseStarted: { id: 'run1', testCaseId: 'tc1' } },
    ...notes.map((n) => ({ attachment: { testCaseStartedId: 'run1', mediaType: RULE_NOTE_MEDIA_TYPE, body: JSON.stringify(n), contentEncoding: 'IDENTITY' } })),
    ...statuses.map((status) => ({ testStepFinished: { testCaseStartedId: 'run1', testStepResult: { status } } })),
    { testCaseFinished: { testCaseStartedId: 'run1' } },
    { testRunFinished: { success: true } },
  ];
}

const note = (grade: RuleNote['grade'], finding = 'f'): RuleNote => ({ requirement: 'R-SHOULD', level: 'SHOULD', grade, title: 't', finding, source: 'https://spec.test/page.html' });

describe('the verdict reads the notes', () => {
  test('a passed scenario with warnings stays passed; the warnings are counted apart; the exit code is 0', () => {
    const verdict = verdictOfMessages(messages(['PASSED'], [note('warning', 'a'), note('warning', 'b')]));
    assert.equal(verdict.counts.passed, 1);
    assert.equal(verdict.warnings, 2);
    assert.equal(verdict.exitCode, 0);
    assert.deepEqual(verdict.scenarios[0]!.notes!.map((n) => n.finding), ['a', 'b']);
  });

  test('a rule not reached: the scenario is skipped, naming why', () => {
    const verdict = verdictOfMessages(messages(['PASSED', 'SKIPPED'], [note('not-reached', 'the consumer stopped at PDS')]));
    assert.equal(verdict.scenarios[0]!.outcome, 'skipped');
    assert.equal(verdict.scenarios[0]!.reason, 'not reached: the consumer stopped at PDS');
    assert.equal(verdict.exitCode, 0);
  });

  test("a consumer that booked nothing breaks the scenario that acts on its booking (its doing, exit code 1); any other error is the harness's (exit code 2)", () => {
    const failedWith = (error: Error) => {
      const stream = messages(['PASSED'], []);
      // As Cucumber reports a thrown error (format_error.js): its constructor's name and its message.
      stream.splice(5, 0, { testStepFinished: { testCaseStartedId: 'run1', testStepResult: { status: 'FAILED', exception: { type: error.constructor.name, message: error.message } } } });
      return verdictOfMessages(stream);
    };
    const nothing = failedWith(new NothingToActOn('the consumer booked no appointment it reported an id for (1 booking(s) asked), so there is none to act on'));
    assert.equal(nothing.scenarios[0]!.outcome, 'broken');
    assert.match(nothing.scenarios[0]!.reason!, /^NothingToActOn: the consumer booked no appointment/);
    assert.equal(nothing.exitCode, 1);
    const other = failedWith(new TypeError('x is undefined'));
    assert.equal(other.scenarios[0]!.outcome, 'harness-error');
    assert.equal(other.exitCode, 2);
  });

  test('an attachment that is not a note is ignored', () => {
    const stream = messages(['PASSED'], []);
    stream.splice(4, 0, { attachment: { testCaseStartedId: 'run1', mediaType: RULE_NOTE_MEDIA_TYPE, body: '{"nonsense":1}' } });
    assert.equal(verdictOfMessages(stream).scenarios[0]!.notes, undefined);
  });
});

describe('warnings in JUnit and Allure', () => {
  test('JUnit: each warned test case gets a warning property and the note in its output', () => {
    const dir = scratch.fresh('junit');
    const file = path.join(dir, 'junit.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?>\n<testsuite name="Cucumber" time="1" tests="2" skipped="0" failures="0" errors="0">\n  <testcase classname="F" name="Warned" time="0.1">\n    <system-out><![CDATA[Given x....passed]]></system-out>\n  </testcase>\n  <testcase classname="F" name="Clean" time="0.1"/>\n</testsuite>\n',
    );
    const xml = mergeJunit([{ name: 'p', title: 'Part', file, warnings: [{ name: 'Warned', notes: [note('warning', 'no Last-Modified')] }] }]);
    assert.match(xml, /<testcase classname="p\.F" name="Warned" time="0\.1"><properties><property name="warning" value="R-SHOULD \(SHOULD, warning\): no Last-Modified"\/><\/properties>/);
    assert.match(xml, /Given x\.\.\.\.passed\n\s*WARNING R-SHOULD \(SHOULD, warning\): no Last-Modified \(https:\/\/spec\.test\/page\.html\)\]\]><\/system-out>/);
    assert.match(xml, /<testcase classname="p\.F" name="Clean" time="0\.1"\/>/);
    assert.match(xml, /failures="0"/);
  });

  test('Allure: the note’s step is named after it, shown as JSON, and a passed result with warnings falls in the Warnings category', () => {
    const dir = scratch.fresh('allure');
    const writer = new AllureResultsWriter(dir);
    writer.writeAttachment('n1-attachment.json', Buffer.from(JSON.stringify(note('warning', 'no Last-Modified'))));
    const result = { uuid: 'r1', status: 'passed', labels: [], steps: [{ name: 'Then x', steps: [{ name: 'rule-note.json', steps: [], attachments: [{ name: 'rule-note.json', source: 'n1-attachment.json', type: RULE_NOTE_MEDIA_TYPE }] }] }] };
    writer.writeResult(result);
    const written = JSON.parse(readFileSync(path.join(dir, 'r1-result.json'), 'utf8'));
    const step = written.steps[0].steps[0];
    assert.equal(step.name, 'Warning: R-SHOULD (SHOULD, warning): no Last-Modified');
    assert.equal(step.attachments[0].type, 'application/json');
    assert.equal(written.statusDetails.message, 'Warning: R-SHOULD (SHOULD, warning): no Last-Modified');
    assert.deepEqual(categoriesOf({ status: written.status, message: written.statusDetails.message }), [WARNING_CATEGORY]);
    assert.deepEqual(categoriesOf({ status: 'passed' }), [], 'a clean pass is in no category');
  });
});

describe('the printed summary', () => {
  test('names each failure’s rule, level and source, each warning apart, and the warnings on the verdict line; the exit code stays the outcomes’', () => {
    const failure: RuleNote = { requirement: 'R-SHALL', level: 'SHALL', grade: 'failure', title: 't', finding: 'expected 404, saw 200', source: 'https://example.test/page.md', quote: 'SHALL do it' };
    const scenario = (name: string, outcome: 'passed' | 'failed' | 'skipped', notes: RuleNote[], reason?: string) => ({ id: name, part: 'p', name, uri: 'features/a.feature', line: 3, location: 'features/a.feature:3', steps: [], requirements: [], outcome, notes, ...(reason ? { reason } : {}) });
    const summary = {
      run: { parts: [{ name: 'p' }], partial: false, partialReasons: [] },
      roles: {},
      requirements: [],
      counts: { passed: 1, failed: 1, broken: 0, skipped: 1, 'harness-error': 0 },
      warnings: { count: 1, scenarios: 1 },
      verdict: { exitCode: 1, meaning: 'non-conformance found' },
      scenarios: [scenario('Broken', 'failed', [failure], 'R-SHALL (SHALL): expected 404, saw 200'), scenario('Warned', 'passed', [note('warning', 'no Last-Modified')]), scenario('Later', 'skipped', [note('not-reached', 'PDS refused the trace')], 'not reached: PDS refused the trace')],
    };
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      printRunResult({ summary, allure: {}, report: 'results', problems: [] } as unknown as Parameters<typeof printRunResult>[0], scratch.fresh('print'));
    } finally {
      console.log = log;
    }
    const text = lines.join('\n');
    assert.match(text, /FAILED\s+features\/a\.feature:3 Broken\n\s+R-SHALL \(SHALL\): expected 404, saw 200\n\s+https:\/\/example\.test\/page\.md — "SHALL do it"/);
    assert.match(text, /Warnings \(these scenarios passed; --strict makes warnings failures\):\n\s+WARNING\s+features\/a\.feature:3 Warned\n\s+R-SHOULD \(SHOULD, warning\): no Last-Modified/);
    assert.match(text, /NOT REACHED\s+features\/a\.feature:3 Later\n\s+not reached: PDS refused the trace/);
    assert.match(text, /Verdict: non-conformance found, with 1 warning in 1 scenario \(exit code 1\)/);
    assert.match(text, /\n1 passed, 1 failed$/);
  });
});
