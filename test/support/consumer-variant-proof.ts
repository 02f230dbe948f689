import assert from 'node:assert/strict';
import { CONSUMER_VARIANTS } from '../../reference/consumer/variants';
import { proofWork, proveRun } from './proof';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness"): the reference consumer, told
 * to make one conformant choice the standard leaves open (reference/consumer/variants.ts), runs
 * through every consumer feature in this process, and no scenario may fail or break (a scenario
 * skipped as not applicable is allowed). A rule that fails a variant is wrong, not strict. The
 * variants are spread over test/system/consumer-variant-proof*.test.ts, run side by side by `npm test`.
 */

/**
 * The variants whose place in the catalogue is `part` modulo `parts`, each in a random order from a
 * fixed seed of its own (its place, from 1): no consumer scenario may depend on another's side effects.
 * The test file makes each a test, so that `npm test` times it as that file's.
 */
export function consumerVariants(part: number, parts: number): Array<{ title: string; prove: () => Promise<void> }> {
  const common = proofWork('gpc-variant-proof-');
  return CONSUMER_VARIANTS.flatMap((variant, index) => {
    if (index % parts !== part - 1) return [];
    const order = `random:${index + 1}`;
    return [
      {
        title: `the consumer features pass the reference consumer with ${variant.name}: ${variant.description} (order ${order})`,
        prove: async () => {
          const run = await proveRun(['features/consumer'], { ...common, variants: { consumer: variant.name } }, undefined, order);
          assert.deepEqual(run.failedScenarios, [], `allowed by: ${variant.allowedBy}`);
          assert.equal(run.verdict.exitCode, 0);
          assert.ok(run.verdict.scenarios.some((s) => s.outcome === 'passed'), 'no scenario passed');
        },
      },
    ];
  });
}
