import { proveConsumerVariants } from '../support/consumer-variant-proof';

// The second half of the consumer variants (the first, and the refusal of an unknown one: consumer-variant-proof.test.ts).
proveConsumerVariants('second');
