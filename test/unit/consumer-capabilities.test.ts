/**
 * The consumer's MAYs (requirements/catalogue.yaml grades CONS-REGISTER and CONS-SLOTS-NEXT-WINDOW
 * MAY): their scenarios run only for a consumer whose profile declares the capability true; the
 * other capabilities are tested unless declared false.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { HarnessRun } from '../../src/actors/harness-run';
import { runParameters } from '../../src/actors/run-parameters';
import { CONSUMER_MAY_CAPABILITIES } from '../../src/actors/profiles/consumer';
import { PACKAGE_ROOT } from '../../src/package-root';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-consumer-capabilities-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The reference consumer's profile with these capabilities instead of its own. */
function profileWith(capabilities: string): string {
  const original = readFileSync(path.join(PACKAGE_ROOT, 'profiles', 'reference-consumer.yaml'), 'utf8');
  const text = original
    .replace(/\ncapabilities:\n(  .*\n)+/, `\n${capabilities}`)
    .replace('module: ../reference/consumer/driver.ts', `module: ${path.join(PACKAGE_ROOT, 'reference', 'consumer', 'driver.ts')}`);
  const file = path.join(work, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

const notApplicable = (run: HarnessRun, capability: string) => run.notApplicable(['@consumer', `@capability:${capability}`]);

test('the MAYs of consumers are registering a patient and searching another window', () => {
  assert.deepEqual([...CONSUMER_MAY_CAPABILITIES].sort(), ['registersPatients', 'retriesWithAnotherWindow']);
});

test('a consumer MAY is tested only where the profile declares it true; the other capabilities unless declared false', () => {
  const silent = new HarnessRun(runParameters({ consumerProfile: profileWith('') }));
  assert.ok(notApplicable(silent, 'registersPatients'), 'registersPatients undeclared is tested');
  assert.ok(notApplicable(silent, 'retriesWithAnotherWindow'), 'retriesWithAnotherWindow undeclared is tested');
  assert.ok(!notApplicable(silent, 'booksIntoOtherPractices'));
  assert.ok(!notApplicable(silent, 'cachesPdsTrace'));
  const declared = new HarnessRun(runParameters({ consumerProfile: profileWith('capabilities:\n  registersPatients: true\n  booksIntoOtherPractices: false\n') }));
  assert.ok(!notApplicable(declared, 'registersPatients'));
  assert.ok(notApplicable(declared, 'retriesWithAnotherWindow'));
  assert.ok(notApplicable(declared, 'booksIntoOtherPractices'));
});

test('the built-in reference consumer declares both MAYs', () => {
  const builtIn = new HarnessRun(runParameters({}));
  for (const may of CONSUMER_MAY_CAPABILITIES) assert.ok(!notApplicable(builtIn, may), may);
});

test('a reference consumer variant that leaves out a MAY declares it false: its scenario is not applicable', () => {
  const run = new HarnessRun(runParameters({ variants: { consumer: 'lowercase-bearer,does-not-register' } }));
  assert.ok(notApplicable(run, 'registersPatients'));
  assert.ok(!notApplicable(run, 'retriesWithAnotherWindow'));
  assert.ok(notApplicable(new HarnessRun(runParameters({ variants: { consumer: 'single-search-window' } })), 'retriesWithAnotherWindow'));
});
