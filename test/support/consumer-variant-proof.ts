import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CONSUMER_VARIANTS } from '../../reference/consumer/variants';
import { proveRun } from './proof';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness"): the reference consumer, told
 * to make one conformant choice the standard leaves open (reference/consumer/variants.ts), runs
 * through every consumer feature in this process, and no scenario may fail or break (a scenario
 * skipped as not applicable is allowed). A rule that fails a variant is wrong, not strict.
 *
 * The variants are proven in two files (test/system/consumer-variant-proof*.test.ts), the first half
 * of the catalogue and the second, so that npm test runs them side by side: a consumer scenario
 * mostly waits (the quiet time after the consumer's last request), and two files fill each other's waits.
 */
/** Declares the tests of one half; returns the run parameters its work folder gives, for the file's other tests. */
export function proveConsumerVariants(half: 'first' | 'second'): { tlsDir: string; reportDir: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'gpc-variant-proof-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const common = { tlsDir: path.join(work, 'tls'), reportDir: work };
  const middle = Math.ceil(CONSUMER_VARIANTS.length / 2);
  CONSUMER_VARIANTS.forEach((variant, index) => {
    if ((index < middle) !== (half === 'first')) return;
    // Each in a random order from a fixed seed of its own: no consumer scenario may depend on another's side effects.
    const order = `random:${index + 1}`;
    test(`the consumer features pass the reference consumer with ${variant.name}: ${variant.description} (order ${order})`, async () => {
      const run = await proveRun(['features/consumer'], { ...common, variants: { consumer: variant.name } }, undefined, order);
      assert.deepEqual(run.failedScenarios, [], `allowed by: ${variant.allowedBy}`);
      assert.equal(run.verdict.exitCode, 0);
      assert.ok(run.verdict.scenarios.some((s) => s.outcome === 'passed'), 'no scenario passed');
    });
  });
  return common;
}

export { CONSUMER_VARIANTS };
