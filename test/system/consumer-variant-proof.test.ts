import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proveRun } from '../support/proof';
import { CONSUMER_VARIANTS, proveConsumerVariants } from '../support/consumer-variant-proof';

// The first half of the consumer variants (the second: consumer-variant-proof-second.test.ts).
const common = proveConsumerVariants('first');

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
