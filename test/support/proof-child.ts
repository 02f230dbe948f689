import { runProof, type ProofRequest } from './proof-run';

/**
 * The process proof runs happen in: one of `npm test`'s pool (test/support/proof-pool.ts), or a proof
 * file's own when it runs alone (test/support/proof.ts). Inside a test file, node:test tracks every
 * asynchronous resource (an async hook with destroy tracking on every promise): a tenth or more of a
 * proof's CPU, measured. Here the runs have none of it, and the support code loads once for all of
 * them. Requests come one at a time; each answer says the process's memory (the pool lets a large one
 * go); the process ends with its parent's channel.
 */
let queue: Promise<void> = Promise.resolve();
process.on('message', (message: { id: number; request: ProofRequest }) => {
  queue = queue.then(async () => {
    try {
      process.send?.({ id: message.id, run: await runProof(message.request), rss: process.memoryUsage.rss() });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
