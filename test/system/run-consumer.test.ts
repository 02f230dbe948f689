import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gpcConform, root } from '../support/gpc-conform';

/**
 * `gpc-conform run --role consumer`: a consumer is testable with nothing but a profile. The
 * reference consumer as a process, driven through its HTTP hook and through its web UI, is
 * conformant; a fault is named; a bad profile stops the run before anything starts.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-run-consumer-'));
after(() => rmSync(work, { recursive: true, force: true }));

const runConsumer = (profile: string, out: string, extra: string[] = []) => gpcConform(['run', '--role', 'consumer', '--profile', profile, '--out', path.join(work, out), ...extra]);

test('the reference consumer as a process, driven through its HTTP hook, is conformant (two workers, each with its own consumer)', async () => {
  const run = await runConsumer('profiles/reference-consumer-http.yaml', 'http', ['--parallel', '2']);
  assert.equal(run.code, 0, run.output);
  // One organisation only: the scenarios for several organisations (the two shared-systems ones, and a
  // booking from an organisation without a type) do not apply and are skipped, not failed.
  assert.match(run.output, /Consumer conformance: \d+ passed, 0 failed, 0 broken, 3 skipped, 0 harness errors/);
  assert.match(run.output, /^\d+ passed, 0 failed$/m);
  for (const file of ['parts/consumer/messages.ndjson.gz', 'junit.xml', 'summary.json', 'coverage.md', 'evidence-pack.tar.gz', 'allure-report/index.html']) {
    assert.ok(existsSync(path.join(work, 'http', file)), `${file} written`);
  }
});

test('the reference consumer driven through its web UI in chromium books on the happy path', async () => {
  const run = await runConsumer('profiles/reference-consumer-browser.yaml', 'browser', ['--tags', '@happy-path', '--report', 'results']);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /Consumer conformance: 4 passed, 0 failed/);
});

test('a consumer fault is named with the rule it breaks, exit code 1', async () => {
  const run = await runConsumer('profiles/reference-consumer.yaml', 'fault', ['--faults', 'reuse-trace-id', '--tags', '@req:CONS-TRACE-ID', '--report', 'results']);
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /FAILED[^\n]*Every request has a trace ID of its own\n\s*CONS-TRACE-ID/);
});

test('a bad consumer profile stops the run before anything starts, naming the field', async () => {
  const file = path.join(work, 'bad.yaml');
  writeFileSync(file, 'role: consumer\nname: x\nidentity: { asid: "12", ods: UCC01 }\ndriver: { kind: http }\n');
  const run = await runConsumer(file, 'bad');
  assert.equal(run.code, 2, run.output);
  assert.match(run.output, /identity\.asid: must match pattern/);
  writeFileSync(file, 'role: consumer\nname: x\nidentity: { asid: "200000000359", ods: UCC01 }\ndriver: { kind: http }\n');
  const second = await runConsumer(file, 'bad');
  assert.equal(second.code, 2, second.output);
  assert.match(second.output, /driver\.url: required for a http driver, missing/);
});

test('--faults is refused for a consumer that does not take them, and an unknown fault is named', async () => {
  const file = path.join(work, 'no-faults.yaml');
  writeFileSync(file, readFileSync(path.join(root, 'profiles/reference-consumer-http.yaml'), 'utf8').replace(/\n.*\n    GPC_CONSUMER_FAULTS: "\{faults\}"/, '').replace('command: node ../bin/gpc-conform', `command: node ${JSON.stringify(path.join(root, 'bin/gpc-conform'))}`));
  const refused = await runConsumer(file, 'refused', ['--faults', 'reuse-trace-id']);
  assert.equal(refused.code, 2, refused.output);
  assert.match(refused.output, /--faults only applies to the reference consumer/);
  const unknown = await runConsumer('profiles/reference-consumer-http.yaml', 'unknown', ['--faults', 'no-such-mistake']);
  assert.equal(unknown.code, 2, unknown.output);
  assert.match(unknown.output, /unknown reference consumer fault\(s\) no-such-mistake/);
});

test('over mutual TLS the consumer gets the CA and its client certificate through placeholders, and is conformant', async () => {
  const file = path.join(work, 'mtls.yaml');
  const http = readFileSync(path.join(root, 'profiles/reference-consumer-http.yaml'), 'utf8');
  writeFileSync(
    file,
    http
      .replace('start:', 'mutualTls: true\nstart:')
      .replace('command: node ../bin/gpc-conform', `command: node ${JSON.stringify(path.join(root, 'bin/gpc-conform'))}`)
      .replace('    GPC_CONSUMER_TIMEOUT_MS: "5000"', ['    GPC_CONSUMER_TIMEOUT_MS: "5000"', '    GPC_CONSUMER_TLS_CA_FILE: "{caFile}"', '    GPC_CONSUMER_TLS_CERT_FILE: "{clientCertFile}"', '    GPC_CONSUMER_TLS_KEY_FILE: "{clientKeyFile}"'].join('\n')),
  );
  // Only the verdict is looked at: no Allure report (no Java), as the harness's tests do where they do not read it.
  const run = await runConsumer(file, 'mtls', ['--tags', '@req:CONS-SSP-TO or @req:CONS-PDS-TRACE', '--report', 'results']);
  assert.equal(run.code, 0, run.output);
  // Three scenarios carry those tags: the PDS trace, Ssp-To, and booking into a practice the user chose (sds-lookup.feature).
  assert.match(run.output, /Consumer conformance: 3 passed, 0 failed/);
  // Passing at all proves the handshake: over TLS the SSP refuses a connection without the client certificate (495/496).
});
