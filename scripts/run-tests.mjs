// `npm test`'s stage 2 (scripts/test-all.js): the test files, several at a time, started in the
// order given. `node --test <files>` sorts its files by name (Node 20), so the longest files, which
// test-all.js puts first, started wherever their names fell (the provider variant proofs four
// minutes in, a 26-second fuzz among the last); node:test's run() keeps the order.
//   node scripts/run-tests.mjs <concurrency> <tap file> <file-times file> <test files…>
// Prints the spec reporter to stdout, writes TAP and each file's time (file-times-reporter.mjs).
import { createWriteStream } from 'node:fs';
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
