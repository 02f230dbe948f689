import { test } from 'node:test';
import { eachVariant } from '../support/provider-variant-proof';

// The provider variant proof one conformant variant at a time, share 2 of 3 (test/support/provider-variant-proof.ts):
// a file per share, so that `npm test` runs them side by side.
for (const { title, prove } of eachVariant(2, 3)) test(title, prove);
