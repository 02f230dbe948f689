import { test } from 'node:test';
import { PROVIDER_VARIANTS } from '../../src/spine/provider/variants';
import { provePasses, reachesEverything, seedOf, variantProofWork } from '../support/variant-proof';

/**
 * The provider variant proof's longer half (the rest is in provider-variant-proof.test.ts; two files,
 * so that npm test runs them side by side): each variant whose choice reaches every answer (a header
 * on all of them, a resource in many interactions) passes every provider feature, and so do all the
 * variants at once.
 */
const common = variantProofWork();

for (const name of Object.keys(PROVIDER_VARIANTS).filter(reachesEverything)) {
  test(`the provider features pass the conformant variant ${name}, in a random order (seed ${seedOf(name)})`, (t) => provePasses(common, name, seedOf(name), t));
}

test('the provider features pass every conformant variant at once, in a random order (seed 1000)', () => provePasses(common, Object.keys(PROVIDER_VARIANTS).join(','), 1000));
