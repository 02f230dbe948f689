import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CONSUMER_VARIANTS } from '../../reference/consumer/variants';
import { proveRun } from '../support/proof';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness"): the reference consumer, told
 * to make one conformant choice the standard leaves open (reference/consumer/variants.ts), runs
 * through every consumer feature in this process, and no scenario may fail or break (a scenario
 * skipped as not applicable is allowed). A rule that fails a variant is wrong, not strict.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-variant-proof-'));
after(() => rmSync(work, { recursive: true, force: true }));
const common = { tlsDir: path.join(work, 'tls'), reportDir: work };

// Each in a random order from a fixed seed of its own: no consumer scenario may depend on another's side effects.
CONSUMER_VARIANTS.forEach((variant, index) => {
  const order = `random:${index + 1}`;
  test(`the consumer features pass the reference consumer with ${variant.name}: ${variant.description} (order ${order})`, async () => {
    const run = await proveRun(['features/consumer'], { ...common, variants: { consumer: variant.name } }, undefined, order);
    assert.deepEqual(run.failedScenarios, [], `allowed by: ${variant.allowedBy}`);
    assert.equal(run.verdict.exitCode, 0);
    assert.ok(run.verdict.scenarios.some((s) => s.outcome === 'passed'), 'no scenario passed');
  });
});

test('an unknown consumer variant is refused, naming the known ones', async () => {
  const run = await proveRun(['features/consumer/pds-trace.feature'], { ...common, variants: { consumer: 'no-such-variant' } });
  assert.notEqual(run.verdict.exitCode, 0);
  assert.ok(run.failedScenarios.length > 0);
  const known = CONSUMER_VARIANTS.map((v) => v.name).join(', ');
  assert.ok(
    run.failedScenarios.every((s) => s.includes('no-such-variant') && s.includes(known)),
    `every scenario should be broken naming the unknown variant and the known ones (${known}):\n${run.failedScenarios.join('\n')}`,
  );
});
