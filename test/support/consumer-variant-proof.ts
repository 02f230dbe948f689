import assert from 'node:assert/strict';
import { CONSUMER_VARIANTS } from '../../reference/consumer/variants';
import { conformantRun, proofWork, proveRun, scenariosNamed, scenariosOf } from './proof';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness"): the reference consumer, told
 * to make one conformant choice the standard leaves open (reference/consumer/variants.ts), runs
 * through every consumer scenario where the choice is asked about, and no scenario may fail or break (a scenario
 * skipped as not applicable is allowed). A rule that fails a variant is wrong, not strict. The
 * variants are spread over test/system/consumer-variant-proof*.test.ts, run side by side by `npm test`.
 */

/**
 * The probe, from the conformant run (test/support/proof.ts conformantRun): per consumer scenario, the
 * variants the reference consumer's choices asked about (`hasVariant`, reference/consumer/variants.ts).
 * A variant nothing asked about in a scenario cannot change what the consumer does there, so its run
 * takes only the scenarios the probe names (all of them, for one asked about outside any scenario).
 */
export function probeConsultations(common: { tlsDir: string; reportDir: string }): Promise<Record<string, string[]>> {
  return conformantRun(common, 'consumer').then((run) => {
    assert.deepEqual(run.failedScenarios, [], 'the conformant run, the probe of the reference consumer as it is, failed');
    return run.consumerVariantsAsked;
  });
}

/**
 * The variants whose place in the catalogue is `part` modulo `parts`, each in a random order from a
 * fixed seed of its own (its place, from 1): no consumer scenario may depend on another's side effects.
 * The test file makes each a test, so that `npm test` times it as that file's.
 */
export function consumerVariants(part: number, parts: number): Array<{ title: string; prove: () => Promise<void> }> {
  const common = proofWork('gpc-variant-proof-');
  const probe = probeConsultations(common);
  probe.catch(() => undefined); // its failure is each variant's test's, when it awaits it
  return CONSUMER_VARIANTS.flatMap((variant, index) => {
    if (index % parts !== part - 1) return [];
    const order = `random:${index + 1}`;
    return [
      {
        title: `the consumer scenarios whose choices ask about ${variant.name} pass the reference consumer with it: ${variant.description} (order ${order})`,
        prove: async () => {
          const paths = scenariosOf(variant.name, await probe, ['features/consumer']);
          const run = await proveRun(paths, { ...common, variants: { consumer: variant.name } }, { order });
          assert.deepEqual(run.failedScenarios, [], `allowed by: ${variant.allowedBy}`);
          assert.equal(run.verdict.exitCode, 0);
          const named = scenariosNamed(paths);
          if (named !== undefined) assert.equal(run.verdict.scenarios.length, named, `the run did not take exactly the ${named} scenarios the probe named`);
          assert.ok(run.verdict.scenarios.length > 0, 'no scenario ran');
          // A scenario is skipped only for the MAY the variant leaves out (its only scenario may be that one).
          const declined = `@capability:${(variant as { declares?: string }).declares}`;
          const skipped = run.verdict.scenarios.filter((s) => s.outcome === 'skipped' && !s.tags.includes(declined));
          assert.deepEqual(skipped.map((s) => s.name), [], 'skipped, though the variant declares no capability they need false');
        },
      },
    ];
  });
}
