import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gpcConform, root } from '../support/gpc-conform';
import { findLeaks } from '../support/leaks';

/**
 * The consumer reads the key it expects from CONSUMER_EXPECTS_KEY, the harness the key it sends from
 * HOOK_API_KEY (the profile's driver.headersFromEnv), so a wrong key can be tried.
 *
 * Secrets never reach a report or a log (issue 6, security): a consumer whose hook sits behind an
 * API key gets it from the environment (driver.headersFromEnv), and the key is found nowhere in
 * what the run writes or prints, even when the consumer itself prints it in its log.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-secrets-'));
after(() => rmSync(work, { recursive: true, force: true }));

const HOOK_KEY = 'hk-synthetic-7f3a9c2e5b1d4e6f';

function keyedProfile(): string {
  const text = readFileSync(path.join(root, 'profiles/reference-consumer-http.yaml'), 'utf8')
    .replace(/command: node \.\.\/bin\/gpc-conform serve-consumer --port \{port\}/, `command: 'echo "hook key in use: $CONSUMER_EXPECTS_KEY"; exec node ${path.join(root, 'bin/gpc-conform')} serve-consumer --port {port} --hook-key-env CONSUMER_EXPECTS_KEY'`)
    .replace(/driver:\n  kind: http\n/, 'driver:\n  kind: http\n  headersFromEnv: { X-Api-Key: HOOK_API_KEY }\n');
  assert.match(text, /--hook-key-env/);
  assert.match(text, /headersFromEnv/);
  const file = path.join(work, 'keyed-consumer.yaml');
  writeFileSync(file, text);
  return file;
}

/** `full` where the evidence pack and the single file are searched for the key, `results` where only the outcome matters. */
const runKeyed = (out: string, env: Record<string, string>, report: 'full' | 'results' = 'results') =>
  gpcConform(['run', '--role', 'consumer', '--profile', keyedProfile(), '--out', path.join(work, out), '--tags', '@happy-path', '--report', report], { env });

test('a hook behind an API key: the key from the environment is sent, and appears in no output, report, evidence pack or log', async () => {
  const run = await runKeyed('keyed', { HOOK_API_KEY: HOOK_KEY, CONSUMER_EXPECTS_KEY: HOOK_KEY }, 'full');
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(findLeaks([path.join(work, 'keyed')], { 'hook API key': HOOK_KEY }, run.output), []);
  // The consumer printed its key, and the log kept the line without it: the log is where it should be and was read.
  assert.match(readFileSync(path.join(work, 'keyed/parts/consumer/consumer-under-test.log'), 'utf8'), /hook key in use: \[redacted\]/);
});

test('a hook key the consumer refuses breaks the scenarios, saying the hook refused the harness', async () => {
  const run = await runKeyed('wrong-key', { HOOK_API_KEY: 'hk-synthetic-not-the-one', CONSUMER_EXPECTS_KEY: HOOK_KEY });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /BROKEN/);
  assert.match(run.output, /refused the harness \(401\)/);
});

test('a hook key variable that is not set is a configuration error naming it', async () => {
  const run = await runKeyed('unset', { CONSUMER_EXPECTS_KEY: HOOK_KEY });
  assert.equal(run.code, 2, run.output);
  assert.match(run.output, /driver\.headersFromEnv\.X-Api-Key: the environment variable HOOK_API_KEY is not set/);
});
