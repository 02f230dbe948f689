import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatError } from '@cucumber/cucumber/lib/runtime/format_error';
import {
  CATEGORIES,
  HARNESS_CATEGORY,
  NON_CONFORMANCE_CATEGORY,
  SKIPPED_CATEGORY,
  WARNING_CATEGORY,
  SUT_CATEGORY,
  carryHistory,
  categoriesOf,
  escapeProperty,
  executorFromEnvironment,
  javaFullMatch,
  keepHistory,
  propertiesText,
  writeCategories,
  writeEnvironment,
  writeExecutor,
} from '../../src/pipeline/reports/allure-report';
import { generateReport, readReportCounts } from '../../src/pipeline/reports/allure-generate';
import { writeSingleFileReport } from '../../src/pipeline/reports/single-file-report';
import { dedupeAttachments, type DedupeOutcome } from '../../src/pipeline/reports/allure-dedupe';
import { EXCHANGE_ATTACHMENT } from '../../src/evidence/evidence';
import { ProviderUnreachable } from '../../src/actors/provider/provider-under-test';
import { ExchangeFailed } from '../../src/http/raw-client';
import { DriverFailed } from '../../src/actors/drivers/driver';
import { StartFailed } from '../../src/actors/sut/process';
import { NothingToActOn } from '../../src/actors/consumer/consumer-under-test';
import { PACKAGE_ROOT } from '../../src/package-root';

// allure-cucumberjs decides failed or broken with this (an "exports" subpath the type checker cannot see).
const { getStatusFromError } = require('allure-js-commons/sdk') as { getStatusFromError: (e: Partial<Error>) => string };

/** The attachment the browser tests open: one per exchange, the exchange as it went over the wire (text/plain). */
const ATTACHMENT_NAME = EXCHANGE_ATTACHMENT;

const root = PACKAGE_ROOT;
const work = mkdtempSync(path.join(tmpdir(), 'gpc-allure-'));
after(() => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Unit tests: no java, no browser.

describe('environment.properties', () => {
  test('escapes as java.util.Properties.store does', () => {
    assert.equal(escapeProperty('System under test', true), 'System\\ under\\ test');
    assert.equal(escapeProperty('a=b:c#d!e\\f', true), 'a\\=b\\:c\\#d\\!e\\\\f');
    assert.equal(escapeProperty(' leading and inner', false), '\\ leading and inner');
    assert.equal(escapeProperty('one\ntwo\r\tthree', false), 'one\\ntwo\\r\\tthree');
    assert.equal(escapeProperty('Ünï — ✓', false), '\\u00DCn\\u00EF \\u2014 \\u2713');
    assert.equal(propertiesText({ 'GP Connect': '1.2.7', topology: 'ssp: direct=no' }), 'GP\\ Connect=1.2.7\ntopology=ssp\\: direct\\=no\n');
  });
});

describe('executor.json', () => {
  test('GitHub Actions', () => {
    assert.deepEqual(
      executorFromEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'nhs/gpc', GITHUB_RUN_ID: '123456', GITHUB_RUN_NUMBER: '42', GITHUB_WORKFLOW: 'nightly', CI: 'true' }),
      { name: 'GitHub Actions', type: 'github', url: 'https://github.com/nhs/gpc/actions', buildOrder: 42, buildName: 'nightly #42', buildUrl: 'https://github.com/nhs/gpc/actions/runs/123456', reportName: 'GP Connect conformance' },
    );
  });
  test('GitLab', () => {
    assert.deepEqual(
      executorFromEnvironment({ GITLAB_CI: 'true', CI_PIPELINE_URL: 'https://gitlab.example/p/-/pipelines/9', CI_PIPELINE_IID: '17', CI_JOB_NAME: 'conformance', CI_PROJECT_URL: 'https://gitlab.example/p', CI: 'true' }),
      { name: 'GitLab', type: 'gitlab', url: 'https://gitlab.example/p', buildOrder: 17, buildName: 'conformance #17', buildUrl: 'https://gitlab.example/p/-/pipelines/9', reportName: 'GP Connect conformance' },
    );
  });
  test('Jenkins', () => {
    assert.deepEqual(
      executorFromEnvironment({ JENKINS_URL: 'https://ci.example/', BUILD_URL: 'https://ci.example/job/gpc/5/', BUILD_NUMBER: '5', JOB_NAME: 'gpc' }),
      { name: 'Jenkins', type: 'jenkins', url: 'https://ci.example/', buildOrder: 5, buildName: 'gpc #5', buildUrl: 'https://ci.example/job/gpc/5/', reportName: 'GP Connect conformance' },
    );
  });
  test('Azure Pipelines', () => {
    assert.deepEqual(
      executorFromEnvironment({ TF_BUILD: 'True', SYSTEM_COLLECTIONURI: 'https://dev.azure.com/nhs/', SYSTEM_TEAMPROJECT: 'GP Connect', BUILD_BUILDID: '981', BUILD_BUILDNUMBER: '20260501.3', BUILD_DEFINITIONNAME: 'conformance' }),
      { name: 'Azure Pipelines', type: 'azure', url: 'https://dev.azure.com/nhs/GP%20Connect', buildOrder: 981, buildName: 'conformance 20260501.3', buildUrl: 'https://dev.azure.com/nhs/GP%20Connect/_build/results?buildId=981', reportName: 'GP Connect conformance' },
    );
  });
  test('another CI, and none', () => {
    assert.deepEqual(executorFromEnvironment({ CI: 'true' }), { name: 'CI', type: 'generic', reportName: 'GP Connect conformance' });
    assert.equal(executorFromEnvironment({}), undefined);
    assert.equal(executorFromEnvironment({ CI: 'false', GITHUB_ACTIONS: '' }), undefined);
  });
  test('no executor writes no executor.json, and removes an old one', () => {
    const dir = path.join(work, 'executor');
    writeExecutor(dir, { name: 'CI', type: 'generic' });
    assert.ok(existsSync(path.join(dir, 'executor.json')));
    writeExecutor(dir, undefined);
    assert.equal(existsSync(path.join(dir, 'executor.json')), false);
  });
});

// ---------------------------------------------------------------------------------------------
// Categories: sample messages made exactly as a run makes them (Cucumber's formatError, then
// allure-js's failed-or-broken rule), each expected in exactly one category.

interface Sample {
  id: string;
  status: 'failed' | 'broken' | 'skipped' | 'passed';
  message?: string;
  flaky?: boolean;
  expected: string;
}

function sampleFrom(id: string, error: Error, expected: string, flaky = false): Sample {
  const formatted = formatError(error, true);
  const status = getStatusFromError({ message: formatted.message, stack: formatted.exception?.stackTrace, name: formatted.exception?.type }) as 'failed' | 'broken';
  return { id, status, message: formatted.message, flaky, expected };
}

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

// A ProviderUnreachable raised under a function whose name says "assert": allure-js calls it failed.
function assertTheProviderAnswers(): void {
  throw new ProviderUnreachable('GET /B82617/STU3/1/gpconnect/metadata: the SSP could not reach the provider under test at https://127.0.0.1:1/B82617/STU3/1/gpconnect (ECONNREFUSED) and answered 502');
}
function assertWithATypo(): void {
  (undefined as unknown as { x: () => void }).x();
}

const SAMPLES: Sample[] = [
  sampleFrom('provider-unreachable', new ProviderUnreachable('provider at https://127.0.0.1:1/B82617/STU3/1/gpconnect: cannot exchange with https://127.0.0.1:1: ECONNREFUSED'), SUT_CATEGORY),
  sampleFrom('exchange-failed', new ExchangeFailed('no answer from https://127.0.0.1:40511 within 100 ms'), SUT_CATEGORY),
  sampleFrom('driver-failed', new DriverFailed("the consumer's command exited 3 without a JSON outcome as its last line: (no output)"), SUT_CATEGORY),
  sampleFrom('nothing-to-act-on', new NothingToActOn('the consumer booked no appointment it reported an id for (1 booking(s) asked), so there is none to act on'), SUT_CATEGORY),
  sampleFrom('start-failed', new StartFailed('reference provider: "node server.js" exited 1 before it was ready; its last output:\n    Error: listen EADDRINUSE'), SUT_CATEGORY),
  sampleFrom('unreachable-under-assert', thrown(assertTheProviderAnswers), SUT_CATEGORY),
  sampleFrom('flaky-unreachable', new ProviderUnreachable('provider at https://127.0.0.1:1: no answer'), SUT_CATEGORY, true),
  sampleFrom('assert-strict-equal', thrown(() => assert.equal(200, 403)), NON_CONFORMANCE_CATEGORY),
  sampleFrom('assert-ok-message', thrown(() => assert.ok(false, 'the SSP forwarded a request between organisations with no data sharing agreement (mentions DriverFailed in passing)')), NON_CONFORMANCE_CATEGORY),
  sampleFrom('assertion-error-object', new assert.AssertionError({ message: 'the consumer flooded Spine: 31 requests\nthe first GET /x' }), NON_CONFORMANCE_CATEGORY),
  sampleFrom('flaky-assert', thrown(() => assert.deepEqual({ a: 1 }, { a: 2 })), NON_CONFORMANCE_CATEGORY, true),
  sampleFrom('type-error', new TypeError("Cannot read properties of undefined (reading 'entry')"), HARNESS_CATEGORY),
  sampleFrom('plain-error', new Error('profile profiles/x.yaml: testData.nhsNumber is not a valid NHS number'), HARNESS_CATEGORY),
  sampleFrom('type-error-under-assert', thrown(assertWithATypo), HARNESS_CATEGORY),
  { id: 'skipped', status: 'skipped', expected: SKIPPED_CATEGORY },
  // A passed scenario with a warning, its message as src/pipeline/reports/allure-writer.ts writes it.
  { id: 'warned', status: 'passed', message: 'Warning: PROV-JWT-EXPIRY (SHALL, warning): GET /metadata sent directly was refused 401 with BAD_REQUEST; expected 400 BAD_REQUEST\nPROV-JWT-UNSIGNED (SHALL, warning): …', expected: WARNING_CATEGORY },
];

describe('categories.json', () => {
  test('the samples come out with the statuses the categories expect', () => {
    const status = Object.fromEntries(SAMPLES.map((s) => [s.id, s.status]));
    assert.equal(status['provider-unreachable'], 'broken');
    assert.equal(status['unreachable-under-assert'], 'failed', 'allure-js calls any error with "assert" in its stack failed');
    assert.equal(status['assert-strict-equal'], 'failed');
    assert.equal(status['type-error'], 'broken');
    assert.equal(status['type-error-under-assert'], 'failed');
    assert.match(SAMPLES.find((s) => s.id === 'provider-unreachable')!.message!, /^ProviderUnreachable: provider at/);
  });

  test('every sample is in exactly its one category (Allure keeps every match, not the first)', () => {
    for (const sample of SAMPLES) assert.deepEqual(categoriesOf(sample), [sample.expected], `${sample.id}: ${sample.message?.split('\n')[0]}`);
  });

  test('the Java-style regexes are anchored as Matcher.matches anchors them', () => {
    assert.equal(javaFullMatch('AssertionError').test('AssertionError [ERR_ASSERTION]: x'), false);
    assert.equal(javaFullMatch('(?s)AssertionError.*').test('AssertionError [ERR_ASSERTION]\n  + expected'), true);
    assert.equal(javaFullMatch('(?s).*DriverFailed.*').test('x\nDriverFailed: y'), true);
    assert.throws(() => javaFullMatch('(?i)x'), /not emulated/);
    for (const category of CATEGORIES) if (category.messageRegex) javaFullMatch(category.messageRegex);
  });

  test('the categories come in order: system under test, non-conformance, harness, warnings, skipped; each also for flaky results', () => {
    const names = [...new Set(CATEGORIES.map((c) => c.name))];
    assert.deepEqual(names, [SUT_CATEGORY, NON_CONFORMANCE_CATEGORY, HARNESS_CATEGORY, WARNING_CATEGORY, SKIPPED_CATEGORY]);
    assert.ok(CATEGORIES.some((c) => c.flaky) && CATEGORIES.some((c) => !c.flaky));
  });
});

describe('history', () => {
  test('carrying an absent history is fine; keeping replaces the old copy', () => {
    const results = path.join(work, 'history-unit', 'results');
    carryHistory(path.join(work, 'history-unit', 'none'), results);
    assert.equal(existsSync(path.join(results, 'history')), false);
    const report = path.join(work, 'history-unit', 'report');
    const kept = path.join(work, 'history-unit', 'kept');
    mkdirSync(path.join(report, 'history'), { recursive: true });
    writeFileSync(path.join(report, 'history', 'history.json'), '{}');
    mkdirSync(kept, { recursive: true });
    writeFileSync(path.join(kept, 'stale.json'), '{}');
    keepHistory(report, kept);
    assert.deepEqual(readdirSync(kept), ['history.json']);
    carryHistory(kept, results);
    assert.deepEqual(readdirSync(path.join(results, 'history')), ['history.json']);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: a real run, a real report, a real browser.

const chromiumPath = process.env.GPC_CHROMIUM ?? '/usr/bin/chromium';
const javaMissing = spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0;
const skipWhy = javaMissing
  ? 'no java: install a Java runtime (apt-get install -y openjdk-17-jre-headless) to generate Allure reports'
  : !existsSync(chromiumPath)
    ? `no chromium at ${chromiumPath}: apt-get install -y chromium, or set GPC_CHROMIUM`
    : undefined;

test('a missing java is reported as an instruction, not a stack trace', async () => {
  const results = path.join(work, 'nojava-results');
  mkdirSync(results, { recursive: true });
  await assert.rejects(generateReport(results, path.join(work, 'nojava-report'), { java: path.join(work, 'no', 'bin', 'java') }), (error: Error) => {
    assert.match(error.message, /Java runtime.*openjdk-17-jre-headless/);
    return true;
  });
});

test('a failed generation carries the tool\'s own output', { skip: javaMissing && 'no java' }, async () => {
  const results = path.join(work, 'bad-results');
  mkdirSync(results, { recursive: true });
  // A report folder that cannot be created (a file is in the way).
  writeFileSync(path.join(work, 'in-the-way'), 'x');
  await assert.rejects(generateReport(results, path.join(work, 'in-the-way', 'report')), (error: Error) => {
    assert.match(error.message, /allure generate (failed|wrote no)/);
    assert.ok(error.message.length > 'allure generate failed (exit 1): '.length + 10, error.message);
    return true;
  });
});

/** One passed result: enough for Allure to generate a report. */
function oneResult(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const uuid = '00000000-0000-4000-8000-000000000001';
  writeFileSync(path.join(dir, `${uuid}-result.json`), JSON.stringify({ uuid, historyId: 'one', name: 'one', fullName: 'one', status: 'passed', stage: 'finished', start: 1, stop: 2, labels: [], steps: [], attachments: [], parameters: [] }));
  return dir;
}

describe('generation without the wait for a cold JVM: a class-data archive in a cache folder', { skip: javaMissing && 'no java' }, () => {
  const results = oneResult(path.join(work, 'cds-results'));
  const generated = (report: string) => existsSync(path.join(report, 'index.html')) && existsSync(path.join(report, 'widgets', 'summary.json'));
  const timed = async (label: string, report: string, cacheDir: string) => {
    const started = Date.now();
    await generateReport(results, report, { cacheDir });
    console.log(`# ${label}: ${Date.now() - started} ms`);
  };

  test('the first generation makes the archive, whole; the next maps it in', async () => {
    const cache = path.join(work, 'cds-cache');
    await timed('generation making the archive', path.join(work, 'cds-1'), cache);
    const archives = readdirSync(cache);
    assert.equal(archives.length, 1, archives.join(', '));
    assert.match(archives[0], /^allure-2\.46\.1-[0-9a-f]{16}\.jsa$/, 'renamed into place, no temporary file left');
    await timed('generation with the archive', path.join(work, 'cds-2'), cache);
    assert.ok(generated(path.join(work, 'cds-2')));
    assert.deepEqual(readdirSync(cache), archives);
  });

  test('a broken archive never fails a generation: the report is generated without it', async () => {
    const cache = path.join(work, 'cds-broken');
    await generateReport(results, path.join(work, 'cds-3'), { cacheDir: cache });
    const [archive] = readdirSync(cache);
    // Cut short, as a disk filling up would leave it: mapping it in crashes the JVM.
    const file = path.join(cache, archive);
    chmodSync(file, 0o644);
    truncateSync(file, 1024 * 1024);
    await generateReport(results, path.join(work, 'cds-4'), { cacheDir: cache });
    assert.ok(generated(path.join(work, 'cds-4')));
    const left = readdirSync(cache).map((name) => statSync(path.join(cache, name)).size);
    console.log(`# the broken archive: ${left.length ? `${left} bytes left` : 'discarded'}`);
    assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith(`gpc-conform-allure-${process.pid}-`)), [], 'no crash report left behind');
  });

  test('a cache folder that cannot be written costs the speed-up, never the report', async () => {
    const inTheWay = path.join(work, 'cds-not-a-folder');
    writeFileSync(inTheWay, 'a file where the cache folder would be');
    await generateReport(results, path.join(work, 'cds-5'), { cacheDir: inTheWay });
    assert.ok(generated(path.join(work, 'cds-5')));
    assert.equal(readFileSync(inTheWay, 'utf8'), 'a file where the cache folder would be');
  });
});

interface Counts {
  total: number;
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
}

/** The outcome of each scenario's last attempt, from Cucumber's messages, judged as Allure judges it. */
function countMessages(file: string): Counts {
  const rank: Record<string, number> = { passed: 0, skipped: 1, failed: 2, broken: 3 };
  const worst = new Map<string, string>();
  const done: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.testCaseStarted) worst.set(m.testCaseStarted.id, 'passed');
    else if (m.testStepFinished) {
      const r = m.testStepFinished.testStepResult;
      const outcome = r.status === 'PASSED' ? 'passed' : r.status === 'SKIPPED' || r.status === 'PENDING' ? 'skipped' : r.status === 'FAILED' && /^AssertionError/.test(r.exception?.type ?? '') ? 'failed' : 'broken';
      const id = m.testStepFinished.testCaseStartedId;
      if (rank[outcome] > rank[worst.get(id) ?? 'passed']) worst.set(id, outcome);
    } else if (m.testCaseFinished && !m.testCaseFinished.willBeRetried) done.push(m.testCaseFinished.testCaseStartedId);
  }
  const counts: Counts = { total: done.length, passed: 0, failed: 0, broken: 0, skipped: 0 };
  for (const id of done) counts[worst.get(id) as keyof Omit<Counts, 'total'>] += 1;
  return counts;
}

function runCucumber(out: string): Promise<{ code: number | null; stderr: string }> {
  const args = [
    path.join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'),
    '--profile', 'proof',
    // A formatter with an output file: the name quoted, then the file (toolchain.md pitfall 2).
    '--format', `"allure-cucumberjs/reporter":"${path.join(out, 'allure.out')}"`,
    '--format-options', JSON.stringify({ resultsDir: path.join(out, 'results') }),
    '--format', `message:${path.join(out, 'messages.ndjson')}`,
    '--tags', '@req:SSP-FORWARD or @req:SSP-DATA-SHARING',
    'features/ssp',
  ];
  return new Promise((resolve, reject) => {
    // ignore-data-sharing: the SSP forwards between organisations with no agreement, so the
    // SSP-DATA-SHARING scenario fails (a non-conformance) and the SSP-FORWARD ones pass.
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, GPC_SSP_FAULTS: 'ignore-data-sharing', GPC_TLS_DIR: path.join(out, 'tls') }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stderr })));
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv', '.ico': 'image/x-icon', '.png': 'image/png', '.woff': 'font/woff', '.woff2': 'font/woff2' };

/** A static file server for the report folder on 127.0.0.1 (an Allure report over file:// shows nothing). */
function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let file = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (file.endsWith('/')) file += 'index.html';
    const full = path.join(dir, file);
    if (!full.startsWith(dir + path.sep) || !existsSync(full)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(full)] ?? 'application/octet-stream' }).end(readFileSync(full));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

const ENVIRONMENT = {
  'System under test': 'Reference provider',
  'System under test version': '0.1.0 (build 7: "synthetic")',
  'Harness version': '0.1.0',
  'Harness commit': 'abc1234',
  'GP Connect version': '1.2.7',
  Topology: 'ssp = through Spine',
};

/** Attachment files of a results folder, as allure-js names them. */
const attachmentFiles = (dir: string) => readdirSync(dir).filter((n) => n.includes('-attachment'));

/**
 * Two scenarios' exchanges are byte for byte the same only when they fall in the same second (the
 * JWT's iat), so whether the run shares an attachment between results depends on the clock. Here one
 * result is given a copy of another's attachment, as the run would have written it, so the check of
 * the one stored file never does.
 */
function shareAnAttachment(dir: string): void {
  const files = readdirSync(dir).filter((n) => n.endsWith('-result.json'));
  const withAttachments = files.map((name) => ({ name, result: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) })).filter((r) => attachmentsIn(r.result).length > 0);
  assert.ok(withAttachments.length >= 2, 'the run gave fewer than two results with attachments');
  const [from, to] = withAttachments;
  const original = attachmentsIn(from.result)[0] as { name: string; source: string; type?: string };
  const copy = `${'0'.repeat(8)}-share-4000-8000-${'0'.repeat(12)}-attachment${path.extname(original.source)}`;
  writeFileSync(path.join(dir, copy), readFileSync(path.join(dir, original.source)));
  to.result.attachments = [...(to.result.attachments ?? []), { name: original.name, source: copy, type: original.type }];
  writeFileSync(path.join(dir, to.name), JSON.stringify(to.result));
}

/** Every attachment a result or report test case refers to, wherever it is (steps, fixtures). */
function attachmentsIn(value: unknown, found: Array<{ name: string; source: string }> = []): Array<{ name: string; source: string }> {
  if (Array.isArray(value)) for (const item of value) attachmentsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'attachments' && Array.isArray(child)) found.push(...child);
      else attachmentsIn(child, found);
    }
  }
  return found;
}
const sourcesIn = (value: unknown) => attachmentsIn(value).map((a) => a.source);

/**
 * On the categories page: the non-conformance, its failed result, and in it the first "HTTP
 * exchange" attachment (every step opened until it shows). The text the attachment shows.
 */
async function openFailedExchange(page: Page, base: string): Promise<string> {
  await page.goto(`${base}#categories`);
  const group = page.locator('.node[data-node-kind="group"]', { has: page.locator('.node__name', { hasText: NON_CONFORMANCE_CATEGORY }) }).first();
  await group.locator('.node__title').first().click(); // the category
  await group.locator('.node__children .node__title').first().click(); // its message
  await group.locator('a.node__leaf').first().click(); // the test result
  const pane = page.locator('.side-by-side__right');
  await pane.locator('.test-result-overview, .test-result').first().waitFor();
  assert.match(await pane.innerText(), new RegExp(`Categories:\\s*${NON_CONFORMANCE_CATEGORY}`));
  const name = pane.locator('.attachment-row__name', { hasText: new RegExp(`^${ATTACHMENT_NAME}$`) });
  assert.ok((await name.count()) > 0, `the failed result holds no "${ATTACHMENT_NAME}" attachment`);
  for (let i = 0; i < 20 && (await name.filter({ visible: true }).count()) === 0; i++) {
    const closed = pane.locator('.step:not(.step_expanded) > .step__title_hasContent').filter({ visible: true });
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
  await pane.locator('.attachment-row', { has: page.locator('.attachment-row__name', { hasText: new RegExp(`^${ATTACHMENT_NAME}$`) }) }).filter({ visible: true }).first().click();
  const preview = pane.locator('.attachment-row_selected + .attachment-row__preview .attachment-preview').first();
  await preview.waitFor();
  return preview.innerText();
}

describe('the generated report, in a browser', { skip: skipWhy }, () => {
  const out = path.join(work, 'e2e');
  const results = path.join(out, 'results');
  const first = path.join(out, 'report-1');
  const report = path.join(out, 'report-2');
  const single = path.join(out, 'single');
  const served = path.join(out, 'served');
  const history = path.join(out, 'history');
  let counts: Counts;
  let attachmentsWritten: number;
  let dedupe: DedupeOutcome;
  let browser: Browser;
  let page: Page;
  let server: { url: string; close: () => Promise<void> };

  before(async () => {
    mkdirSync(out, { recursive: true });
    const run = await runCucumber(out);
    assert.ok(existsSync(path.join(out, 'messages.ndjson')), `the run wrote no messages (exit ${run.code}): ${run.stderr.slice(0, 2000)}`);
    counts = countMessages(path.join(out, 'messages.ndjson'));
    assert.equal(run.code, 1, `one scenario must fail on purpose: ${JSON.stringify(counts)} ${run.stderr.slice(0, 1000)}`);
    assert.ok(counts.failed >= 1 && counts.passed >= 1, JSON.stringify(counts));

    shareAnAttachment(results);
    attachmentsWritten = attachmentFiles(results).length;
    dedupe = dedupeAttachments(results);
    writeEnvironment(results, ENVIRONMENT);
    writeCategories(results);
    writeExecutor(results, executorFromEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'nhs/gpc-conform', GITHUB_RUN_ID: '9001', GITHUB_RUN_NUMBER: '12', GITHUB_WORKFLOW: 'nightly' }));
    // The first night: a report folder, and the single file written from it.
    await generateReport(results, first);
    console.log(`# single file: ${writeSingleFileReport(first, path.join(single, 'index.html'))} bytes`);
    // The second night: history kept, carried in, the report generated again.
    keepHistory(first, history);
    carryHistory(history, results);
    await generateReport(results, report);
    // What a run keeps is the page (src/pipeline/allure-finish.ts): served here as a web server would.
    writeSingleFileReport(report, path.join(served, 'index.html'));

    server = await serve(served);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-GB'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the report counts what Cucumber ran', () => {
    assert.deepEqual(readReportCounts(report), { ...counts, unknown: 0 });
  });

  test('the overview loads, with the number of test cases, the environment and the executor', async () => {
    await page.goto(server.url);
    await page.locator('[data-id="summary"] .splash__title').waitFor();
    assert.equal(await page.locator('[data-id="summary"] .splash__title').innerText(), String(counts.total));
    assert.match(await page.locator('[data-id="summary"] .widget__title').innerText(), /GP Connect conformance/);
    // The widget shows five rows and a "Show all" row.
    const showAll = page.locator('[data-id="environment"] .table__row', { hasText: /^Show all$/i });
    if ((await showAll.count()) > 0) await showAll.click();
    const rows = await page.locator('[data-id="environment"] .table__row:not(:has(.table__col_center))').evaluateAll((els) => els.map((el) => Array.from(el.querySelectorAll('.table__col'), (c) => (c as HTMLElement).innerText.trim())));
    assert.deepEqual(rows, Object.entries(ENVIRONMENT));
    assert.match(await page.locator('[data-id="executors"]').innerText(), /GitHub Actions[\s\S]*nightly #12/);
    await page.locator('[data-id="categories"] .table__row', { hasText: NON_CONFORMANCE_CATEGORY }).waitFor();
    // Two nights: the trend chart has something to show.
    assert.equal(await page.locator('[data-id="history-trend"] .widget__noitems').count(), 0);
    await page.screenshot({ path: path.join(tmpdir(), 'gpc-allure-overview.png') });
  });

  test('the status counts shown match the run', async () => {
    await page.goto(`${server.url}#suites`);
    const shown: Record<string, number> = {};
    for (const status of ['passed', 'failed', 'broken', 'skipped']) shown[status] = Number(await page.locator(`.status-toggle [data-status="${status}"]`).innerText());
    assert.deepEqual(shown, { passed: counts.passed, failed: counts.failed, broken: counts.broken, skipped: counts.skipped });
  });

  test('the categories page shows the failure as a non-conformance, and its HTTP exchange opens', async () => {
    const text = await openFailedExchange(page, server.url);
    assert.match(text, /HTTP\/1\.1 \d{3}/, text.slice(0, 500));
    await page.screenshot({ path: path.join(tmpdir(), 'gpc-allure-attachment.png') });
  });

  test('the single file opens from disk: the scenarios, and an exchange attachment', async () => {
    assert.deepEqual(readdirSync(single), ['index.html']);
    const other = await browser.newPage();
    const failures: string[] = [];
    other.on('pageerror', (error) => failures.push(error.message));
    other.on('request', (request) => {
      if (!/^(file|data|blob):/.test(request.url())) failures.push(`the page called out to ${request.url()}`);
    });
    try {
      const file = pathToFileURL(path.join(single, 'index.html')).href;
      await other.goto(file);
      await other.locator('[data-id="summary"] .splash__title').waitFor({ timeout: 15_000 });
      assert.equal(await other.locator('[data-id="summary"] .splash__title').innerText(), String(counts.total));
      const text = await openFailedExchange(other, file);
      assert.match(text, /HTTP\/1\.1 \d{3}/, text.slice(0, 500));
      assert.deepEqual(failures, []);
      await other.screenshot({ path: path.join(tmpdir(), 'gpc-allure-single-file.png') });
    } finally {
      await other.close();
    }
  });

  test('no analytics: neither report loads a googletagmanager script', () => {
    for (const file of [path.join(first, 'index.html'), path.join(report, 'index.html'), path.join(single, 'index.html'), path.join(served, 'index.html')]) {
      const html = readFileSync(file, 'utf8');
      assert.ok(html.includes('<body>'), file);
      assert.doesNotMatch(html, /googletagmanager|gtag\(/, file);
    }
  });

  test('identical attachments are stored once, and the report reads the one file for every result that shares it', () => {
    assert.ok(dedupe.filesAfter < dedupe.filesBefore, `the run attached the same bytes more than once: ${JSON.stringify(dedupe)}`);
    console.log(`# attachments: ${attachmentsWritten} written, ${dedupe.filesAfter} kept (${dedupe.bytesSaved} bytes not stored twice)`);
    assert.equal(attachmentFiles(results).length, dedupe.filesAfter);
    // A results file referenced from two test results: in the report, both show one attachment, its content the file's.
    const referencedFrom = new Map<string, Set<string>>();
    for (const name of readdirSync(results).filter((n) => n.endsWith('-result.json'))) {
      const result = JSON.parse(readFileSync(path.join(results, name), 'utf8'));
      for (const source of sourcesIn(result)) referencedFrom.set(source, new Set([...(referencedFrom.get(source) ?? []), result.name as string]));
    }
    const shared = [...referencedFrom].find(([, names]) => names.size > 1);
    assert.ok(shared, 'no attachment is shared between two scenarios');
    const [source, names] = shared;
    const inReport = new Set<string>();
    for (const name of readdirSync(path.join(report, 'data', 'test-cases'))) {
      const testCase = JSON.parse(readFileSync(path.join(report, 'data', 'test-cases', name), 'utf8'));
      if (!names.has(testCase.name)) continue;
      const attachment = attachmentsIn(testCase).find((a) => readFileSync(path.join(report, 'data', 'attachments', a.source)).equals(readFileSync(path.join(results, source))));
      assert.ok(attachment, `${testCase.name} shows the shared attachment`);
      inReport.add(attachment.source);
    }
    assert.equal(inReport.size, 1, 'one file in the report for every result that shares it');
  });

  test('history carries from one night to the next', () => {
    const entries = JSON.parse(readFileSync(path.join(report, 'history', 'history.json'), 'utf8')) as Record<string, { items: unknown[] }>;
    assert.equal(Object.keys(entries).length, counts.total);
    for (const [id, entry] of Object.entries(entries)) assert.equal(entry.items.length, 2, id);
    const trend = JSON.parse(readFileSync(path.join(report, 'widgets', 'history-trend.json'), 'utf8')) as unknown[];
    assert.equal(trend.length, 2);
  });

  test('Allure itself puts every sample in exactly its category (the Java regexes match)', async () => {
    const samples = path.join(out, 'samples');
    mkdirSync(samples, { recursive: true });
    const start = Date.now();
    for (const [i, s] of SAMPLES.entries()) {
      const result = {
        uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        historyId: `sample-${s.id}`,
        testCaseId: `sample-${s.id}`,
        name: s.id,
        fullName: `samples#${s.id}`,
        status: s.status,
        statusDetails: { ...(s.message ? { message: s.message, trace: s.message } : {}), ...(s.flaky ? { flaky: true } : {}) },
        stage: 'finished',
        start: start + i,
        stop: start + i + 1,
        labels: [{ name: 'suite', value: 'samples' }],
        steps: [],
        attachments: [],
        parameters: [],
      };
      writeFileSync(path.join(samples, `${result.uuid}-result.json`), JSON.stringify(result));
    }
    writeCategories(samples);
    const sampleReport = path.join(out, 'samples-report');
    await generateReport(samples, sampleReport);
    interface Node { name: string; children?: Node[] }
    const tree = JSON.parse(readFileSync(path.join(sampleReport, 'data', 'categories.json'), 'utf8')) as Node;
    const placed = new Map<string, string[]>();
    const leaves = (node: Node): string[] => (node.children ? node.children.flatMap(leaves) : [node.name]);
    for (const category of tree.children ?? []) for (const leaf of leaves(category)) placed.set(leaf, [...(placed.get(leaf) ?? []), category.name]);
    for (const s of SAMPLES) assert.deepEqual(placed.get(s.id), [s.expected], `${s.id} (${s.status}${s.flaky ? ', flaky' : ''}): ${s.message?.split('\n')[0]}`);
  });
});
