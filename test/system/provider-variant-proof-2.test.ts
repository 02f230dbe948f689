import { proveEachVariant } from '../support/provider-variant-proof';

// The provider variant proof one conformant variant at a time, share 2 of 3 (test/support/provider-variant-proof.ts):
// a file per share, so that `npm test` runs them side by side.
proveEachVariant(2, 3);
