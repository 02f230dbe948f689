import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featuresTagged, proofWork } from '../support/proof';
import { FAULTS, proveFaults, share } from '../support/fault-proof';

// The fault proof's reference provider faults, share 1 of 2 (test/support/fault-proof.ts): a file per share,
// so that `npm test` runs them side by side.
const common = proofWork();

test('each reference provider fault (share 1 of 2) fails the provider features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(common, 'provider', share(FAULTS.provider, 1, 2), (breaks) => featuresTagged(breaks, 'features/provider')), []);
});
