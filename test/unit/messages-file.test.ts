import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { joinedMessages, MESSAGES_FILE, messagesIn, messagesPath, messagesWriter, readMessagesText } from '../../src/results/messages-file';

const dir = path.join(tmpdir(), `gpc-messages-${process.pid}`);
mkdirSync(dir, { recursive: true });

const scenario = (id: string) => [{ testCaseStarted: { id } }, { testStepFinished: { testCaseStartedId: id, testStepResult: { status: 'PASSED' } } }, { testCaseFinished: { testCaseStartedId: id } }];
const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('the messages are written compressed and read back whole', async () => {
  const file = path.join(dir, 'whole.ndjson.gz');
  const writer = messagesWriter(file);
  const envelopes = [{ meta: { protocolVersion: '27' } }, ...scenario('a'), ...scenario('b'), { testRunFinished: { success: true } }];
  for (const e of envelopes) writer.write(e);
  await writer.end();
  const bytes = readFileSync(file);
  assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'a gzip file');
  assert.deepEqual(lines(readMessagesText(file)), envelopes);
});

test('a run killed mid-write leaves every finished test case readable', async () => {
  const file = path.join(dir, 'killed.ndjson.gz');
  const writer = messagesWriter(file);
  for (const e of [...scenario('a'), ...scenario('b')]) writer.write(e);
  writer.write({ testCaseStarted: { id: 'c' } }); // not flushed: the process dies here
  await settle();
  const left = path.join(dir, 'left.ndjson.gz');
  copyFileSync(file, left); // what a kill -9 leaves: no gzip trailer
  assert.ok(statSync(left).size > 0);
  const read = lines(readMessagesText(left));
  assert.deepEqual(read.filter((e) => 'testCaseFinished' in e).length, 2);
  assert.deepEqual(read.slice(0, 6), [...scenario('a'), ...scenario('b')]);
  // A write cut off part way through a block gives what decodes, not an error.
  writeFileSync(left, readFileSync(left).subarray(0, statSync(left).size - 3));
  assert.doesNotThrow(() => readMessagesText(left));
  await writer.end();
});

test("an older run's plain messages.ndjson is found and read", () => {
  const old = path.join(dir, 'old-part');
  mkdirSync(old, { recursive: true });
  assert.equal(messagesIn(old), path.join(old, MESSAGES_FILE), 'nothing there: where a part writes');
  writeFileSync(path.join(old, 'messages.ndjson'), `${JSON.stringify({ testRunFinished: {} })}\n`);
  assert.equal(messagesIn(old), path.join(old, 'messages.ndjson'));
  assert.deepEqual(lines(readMessagesText(messagesIn(old))), [{ testRunFinished: {} }]);
  writeFileSync(messagesPath(old), gzipSync('{"meta":{}}\n'));
  assert.equal(messagesIn(old), messagesPath(old), 'the compressed stream first');
});

test("shards' messages joined: one compressed file with each shard's lines, a missing shard skipped", () => {
  const [one, two] = ['one.ndjson.gz', 'two.ndjson'].map((n) => path.join(dir, n));
  writeFileSync(one, gzipSync('{"a":1}\n{"a":2}'));
  writeFileSync(two, '{"b":1}\n');
  const joined = path.join(dir, 'joined.ndjson.gz');
  writeFileSync(joined, joinedMessages([one, path.join(dir, 'absent.ndjson.gz'), two]));
  assert.deepEqual(lines(readMessagesText(joined)), [{ a: 1 }, { a: 2 }, { b: 1 }]);
});

test('a messages file that cannot be written fails end() with the reason, not an unhandled rejection before it', async () => {
  const writer = messagesWriter(path.join(dir, 'no-such-folder', 'messages.ndjson.gz'));
  writer.write({ meta: {} });
  await settle();
  await assert.rejects(writer.end(), /ENOENT/);
});
