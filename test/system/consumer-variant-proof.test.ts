import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSUMER_VARIANTS } from '../../reference/consumer/variants';
import { proofWork, proveRun } from '../support/proof';
import { consumerVariants } from '../support/consumer-variant-proof';

// The consumer variant proof (test/support/consumer-variant-proof.ts), share 1 of 2; share 2 is
// consumer-variant-proof-2.test.ts.
for (const { title, prove } of consumerVariants(1, 2)) test(title, prove);

const common = proofWork('gpc-variant-proof-');

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
