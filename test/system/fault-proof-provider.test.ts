import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PROVIDER_FAULTS } from '../../src/spine/provider/faults';
import { featuresTagged, proveFaultsFail } from '../support/proof';

/**
 * The fault proof's largest part (the rest, and the check that the whole catalogue is proven, is in
 * fault-proof.test.ts; a file of its own so that npm test runs the two side by side): the reference
 * provider made to break each rule in turn fails the provider features, naming the rule it breaks.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-proof-'));
after(() => rmSync(work, { recursive: true, force: true }));
const common = { tlsDir: path.join(work, 'tls'), reportDir: work };

test('each reference provider fault fails the provider features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaultsFail(common, 'provider', Object.entries(PROVIDER_FAULTS).map(([f, e]) => [f, e.breaks]), (breaks) => featuresTagged(breaks, 'features/provider')), []);
});
