import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featuresTagged, proofWork } from '../support/proof';
import { FAULTS, proveFaults } from '../support/fault-proof';

// The fault proof's reference consumer faults (test/support/fault-proof.ts), in a file of their own so that
// `npm test` runs them beside the others.
const common = proofWork();

test('each reference consumer fault fails the consumer features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(common, 'consumer', FAULTS.consumer, (breaks) => featuresTagged(breaks, 'features/consumer')), []);
});
