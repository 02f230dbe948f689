// `npm test`'s stage 2 (scripts/test-all.js): the test files, several at a time, started in the
// order given. `node --test <files>` sorts its files by name (Node 20), so the longest files, which
// test-all.js puts first, started wherever their names fell (the provider variant proofs four
// minutes in, a 26-second fuzz among the last); node:test's run() keeps the order.
//   node scripts/run-tests.mjs <concurrency> <tap file> <file-times file> <test files…>
// Prints the spec reporter to stdout, writes TAP and each file's time (file-times-reporter.mjs).
// The proof files share proof processes, as many as files run at once (test/support/proof-pool.ts).
import { createWriteStream, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import fileTimes from './file-times-reporter.mjs';

const [concurrency, tapFile, timesFile, ...files] = process.argv.slice(2);
if (!Number(concurrency) || !tapFile || !timesFile || files.length === 0) {
  console.error('usage: node scripts/run-tests.mjs <concurrency> <tap file> <file-times file> <test files…>');
  process.exit(2);
}

const { startProofPool } = createRequire(import.meta.url)('../dist/test/support/proof-pool.js');
// A Unix socket's path has room for about a hundred bytes (Node cuts a longer one short without a word).
const socketName = `gpc-proof-pool-${process.pid}.sock`;
const socketPath = [tmpdir(), '/tmp'].map((dir) => path.join(dir, socketName)).find((p) => Buffer.byteLength(p) <= 100) ?? path.join(tmpdir(), socketName);
rmSync(socketPath, { force: true });
// Without the pool (a socket path too long for the system, say) each proof file starts its own process.
const pool = await startProofPool(socketPath, Number(concurrency)).catch((error) => {
  console.log(`proof processes: no shared pool (${error.message}); each proof file starts its own`);
  return undefined;
});
if (pool) process.env.GPC_PROOF_POOL = socketPath;

const events = run({ files, concurrency: Number(concurrency) });
events.on('test:fail', () => {
  process.exitCode = 1;
});
// One stream of events, three reporters.
const branch = () => {
  const copy = new PassThrough({ objectMode: true });
  events.pipe(copy);
  return copy;
};
await Promise.all([
  pipeline(branch(), new spec(), process.stdout, { end: false }),
  pipeline(branch(), tap, createWriteStream(tapFile)),
  pipeline(branch(), fileTimes, createWriteStream(timesFile)),
]);
if (pool) {
  await pool.close();
  rmSync(socketPath, { force: true });
  console.log(`proof processes: ${pool.started()} started for every proof file (test/support/proof-pool.ts)`);
}
