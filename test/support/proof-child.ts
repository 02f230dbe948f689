import { runProof, type ProofRequest } from './proof-run';

/**
 * The process a proof file's runs happen in (started by test/support/proof.ts). Inside a test
 * file, node:test tracks every asynchronous resource (an async hook with destroy tracking on every
 * promise): a tenth or more of a proof's CPU, measured. Here the runs have none of it, and still one
 * support-code load for all of a file's runs. Requests come one at a time; the process ends with
 * its parent's channel.
 */
let queue: Promise<void> = Promise.resolve();
process.on('message', (message: { id: number; request: ProofRequest }) => {
  queue = queue.then(async () => {
    try {
      process.send?.({ id: message.id, run: await runProof(message.request) });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
