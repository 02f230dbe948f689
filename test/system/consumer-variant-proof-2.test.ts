import { test } from 'node:test';
import { consumerVariants } from '../support/consumer-variant-proof';

// The consumer variant proof (test/support/consumer-variant-proof.ts), share 2 of 2: a file of its own, so
// that `npm test` runs it beside share 1 (consumer-variant-proof.test.ts).
for (const { title, prove } of consumerVariants(2, 2)) test(title, prove);
