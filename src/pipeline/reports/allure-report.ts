/**
 * What the Allure 2 report is made from besides the results the run wrote: environment.properties,
 * executor.json and categories.json in the results folder, and history carried from one run to the
 * next (nightly trends). Generation: allure-generate.ts; the single file: single-file-report.ts.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SYSTEM_UNDER_TEST_ERRORS as BROKEN_BY_THE_SYSTEM } from '../../results/outcome';

// ---------------------------------------------------------------------------------------------
// environment.properties

/**
 * One key or value escaped as java.util.Properties.store writes it (Allure 2 reads the file with
 * Properties.load): backslash, `=`, `:`, `#`, `!`, tab, newlines and form feeds are escaped; a
 * key's spaces and a value's leading spaces are escaped; anything outside printable ASCII becomes
 * \uXXXX, so the file reads the same whether it is loaded as ISO-8859-1 or UTF-8.
 */
export function escapeProperty(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    if (c === ' ') out += isKey || i === 0 ? '\\ ' : ' ';
    else if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if (c === '=' || c === ':' || c === '#' || c === '!') out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** The text of a properties file holding `props` in the order given. */
export function propertiesText(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(String(value), false)}\n`)
    .join('');
}

/**
 * Write resultsDir/environment.properties: what was tested and with what (system under test name
 * and version, harness version and commit, GP Connect version, topology). Shown on the overview's
 * Environment widget.
 */
export function writeEnvironment(resultsDir: string, props: Record<string, string>): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'environment.properties'), propertiesText(props), 'latin1');
}

// ---------------------------------------------------------------------------------------------
// executor.json

/** Allure 2's executor.json (the overview's Executors widget; buildOrder orders the trend history). */
export interface AllureExecutor {
  name: string;
  type: string;
  url?: string;
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
  reportUrl?: string;
  reportName?: string;
}

const REPORT_NAME = 'GP Connect conformance';

/**
 * The CI system running us, from its own environment variables: GitHub Actions, GitLab, Jenkins,
 * Azure Pipelines, or any other that sets CI=true. Undefined on a workstation: then no executor.json
 * is written (rather than a made-up "local" executor), because the Executors widget and the trend's
 * build links would then point at a build that does not exist; Allure's overview simply says it
 * has no executor information, which is the truth.
 */
export function executorFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  const v = (name: string): string | undefined => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const order = (value: string | undefined): number | undefined => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  const named = (base: string | undefined, n: string | undefined): string | undefined => (base && n ? `${base} #${n}` : (base ?? (n ? `#${n}` : undefined)));
  let executor: AllureExecutor | undefined;
  if (v('GITHUB_ACTIONS') === 'true') {
    const server = (v('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
    const repo = v('GITHUB_REPOSITORY');
    const runId = v('GITHUB_RUN_ID');
    executor = {
      name: 'GitHub Actions',
      type: 'github',
      url: repo ? `${server}/${repo}/actions` : server,
      buildOrder: order(v('GITHUB_RUN_NUMBER')),
      buildName: named(v('GITHUB_WORKFLOW'), v('GITHUB_RUN_NUMBER')),
      buildUrl: repo && runId ? `${server}/${repo}/actions/runs/${runId}` : undefined,
    };
  } else if (v('GITLAB_CI') === 'true') {
    executor = {
      name: 'GitLab',
      type: 'gitlab',
      url: v('CI_PROJECT_URL'),
      buildOrder: order(v('CI_PIPELINE_IID')),
      buildName: named(v('CI_JOB_NAME'), v('CI_PIPELINE_IID')),
      buildUrl: v('CI_PIPELINE_URL'),
    };
  } else if (v('JENKINS_URL')) {
    executor = {
      name: 'Jenkins',
      type: 'jenkins',
      url: v('JENKINS_URL'),
      buildOrder: order(v('BUILD_NUMBER')),
      buildName: named(v('JOB_NAME'), v('BUILD_NUMBER')),
      buildUrl: v('BUILD_URL'),
    };
  } else if (v('TF_BUILD')?.toLowerCase() === 'true') {
    // SYSTEM_COLLECTIONURI ends with a slash; the project name may hold spaces. BUILD_BUILDNUMBER is
    // often a date-like string (20260501.3), so the numeric BUILD_BUILDID orders the history.
    const collection = v('SYSTEM_COLLECTIONURI')?.replace(/\/*$/, '/');
    const project = v('SYSTEM_TEAMPROJECT');
    const projectUrl = collection && project ? `${collection}${encodeURIComponent(project)}` : collection;
    const buildId = v('BUILD_BUILDID');
    const definition = v('BUILD_DEFINITIONNAME');
    const number = v('BUILD_BUILDNUMBER');
    executor = {
      name: 'Azure Pipelines',
      type: 'azure',
      url: projectUrl,
      buildOrder: order(buildId),
      buildName: definition && number ? `${definition} ${number}` : (definition ?? number),
      buildUrl: projectUrl && collection && project && buildId ? `${projectUrl}/_build/results?buildId=${buildId}` : undefined,
    };
  } else if (/^(true|1|yes)$/i.test(v('CI') ?? '')) {
    executor = { name: 'CI', type: 'generic' };
  }
  if (!executor) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries({ ...executor, reportName: REPORT_NAME })) if (value !== undefined) out[key] = value;
  return out;
}

/** Write resultsDir/executor.json; nothing (and any old one removed) when there is no executor. */
export function writeExecutor(resultsDir: string, executor: Record<string, unknown> | undefined): void {
  const file = path.join(resultsDir, 'executor.json');
  if (!executor) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(executor, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// categories.json

/** An Allure 2 category definition (categories.json). */
export interface AllureCategory {
  name: string;
  description?: string;
  matchedStatuses?: Array<'failed' | 'broken' | 'passed' | 'skipped' | 'unknown'>;
  /** A Java regex that must match the WHOLE status message (Matcher.matches, with DOTALL). */
  messageRegex?: string;
  traceRegex?: string;
  flaky?: boolean;
}

/**
 * The errors the report files under the system under test: those that break a scenario as its doing
 * (src/results/outcome.ts), and a start command that failed, which the verdict counts as a
 * configuration error (exit code 2) but whose output is the system's own to read.
 */
export const SYSTEM_UNDER_TEST_ERRORS = [...BROKEN_BY_THE_SYSTEM, 'StartFailed'] as const;

export const SUT_CATEGORY = 'System under test unreachable or misbehaving';
export const NON_CONFORMANCE_CATEGORY = 'Non-conformance';
export const HARNESS_CATEGORY = 'Harness fault';
export const SKIPPED_CATEGORY = 'Not applicable (skipped)';
export const WARNING_CATEGORY = 'Warnings (passed)';

const SUT = `(?:${SYSTEM_UNDER_TEST_ERRORS.join('|')})`;

/**
 * The categories, written to categories.json in this order.
 *
 * Allure 2 does NOT stop at the first match: CategoriesPlugin adds a result to every category that
 * matches it (status, whole-message regex, and `flaky` equal to the result's), and only results in
 * none go to its defaults ("Product defects" for failed, "Test defects" for broken). So these are
 * written to be mutually exclusive, and a category may need more than one entry: entries with the
 * same name are one group in the report.
 *
 * The message Allure matches is allure-cucumberjs's statusDetails.message, which is Cucumber's
 * formatted error: "<ErrorClass>: <message>\n    at …" ("AssertionError [ERR_ASSERTION]: …" or
 * "AssertionError [ERR_ASSERTION]\n    + expected - actual …" for node:assert). Allure-js calls an
 * error `failed` when its name, message or stack trace contains "assert" anywhere (a frame of a
 * function called assertRefused is enough), so a ProviderUnreachable can arrive as failed: it
 * still belongs to the system-under-test category, and a failed result is a non-conformance only
 * when it is an AssertionError (anything else failed is the harness's, as in src/results/verdict.ts).
 */
const BASE_CATEGORIES: AllureCategory[] = [
  {
    name: SUT_CATEGORY,
    description: 'The system under test could not be reached, answered at transport level wrongly, or could not be started or driven.',
    matchedStatuses: ['broken'],
    messageRegex: `(?s).*\\b${SUT}\\b.*`,
  },
  {
    name: SUT_CATEGORY,
    matchedStatuses: ['failed'],
    messageRegex: `(?s)\\s*${SUT}\\b.*`,
  },
  {
    name: NON_CONFORMANCE_CATEGORY,
    description: 'The system under test answered, and the answer broke a GP Connect or Spine rule.',
    matchedStatuses: ['failed'],
    messageRegex: '(?s)\\s*AssertionError\\b.*',
  },
  {
    name: HARNESS_CATEGORY,
    description: 'The harness itself went wrong (a bug, a bad profile or configuration): not a finding about the system under test.',
    matchedStatuses: ['broken'],
    messageRegex: `(?s)(?!.*\\b${SUT}\\b).*`,
  },
  {
    name: HARNESS_CATEGORY,
    matchedStatuses: ['failed'],
    messageRegex: `(?s)(?!\\s*(?:${SUT}|AssertionError)\\b).*`,
  },
  { name: HARNESS_CATEGORY, matchedStatuses: ['unknown'] },
  {
    name: WARNING_CATEGORY,
    description: 'Passed, with a warning: a SHOULD broken, or an exact status or code that only the official provider tests or the demonstrator expect. --strict makes these failures.',
    matchedStatuses: ['passed'],
    messageRegex: '(?s)Warning: .*',
  },
  {
    name: SKIPPED_CATEGORY,
    description: 'Not run: the profile gives no data for it, or a step before it did not pass.',
    matchedStatuses: ['skipped'],
  },
];

/**
 * What categories.json holds: each entry twice, once for results Allure calls flaky (a retried
 * scenario whose outcome changed) and once for the rest, since a category only takes results whose
 * flakiness equals its own `flaky` (false when absent).
 */
export const CATEGORIES: AllureCategory[] = [...BASE_CATEGORIES, ...BASE_CATEGORIES.map((c) => ({ ...c, flaky: true }))];

/** Write resultsDir/categories.json. */
export function writeCategories(resultsDir: string): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'categories.json'), `${JSON.stringify(CATEGORIES, null, 2)}\n`);
}

/**
 * A Java regex (as Allure uses it: Pattern.compile(regex, DOTALL).matcher(text).matches()) turned
 * into a JavaScript one that matches the whole text. Handles what these categories use: a leading
 * inline `(?s)` flag group (JS takes it as the `s` flag), lookaheads, \b and \s, which mean the same
 * in both. Not a general Java-to-JS translator.
 */
export function javaFullMatch(javaRegex: string): RegExp {
  const body = javaRegex.replace(/^\(\?s\)/, '');
  if (/\(\?[a-zA-Z]/.test(body)) throw new Error(`inline flags other than a leading (?s) are not emulated: ${javaRegex}`);
  return new RegExp(`^(?:${body})$`, 's');
}

/** Whether one category takes a result, as Allure 2's CategoriesPlugin.matches decides it. */
export function categoryMatches(category: AllureCategory, result: { status?: string; message?: string; trace?: string; flaky?: boolean }): boolean {
  const statuses = category.matchedStatuses ?? [];
  const status = statuses.length === 0 || (result.status !== undefined && (statuses as string[]).includes(result.status));
  const message = category.messageRegex === undefined || (result.message !== undefined && javaFullMatch(category.messageRegex).test(result.message));
  const trace = category.traceRegex === undefined || (result.trace !== undefined && javaFullMatch(category.traceRegex).test(result.trace));
  return status && message && trace && Boolean(result.flaky) === Boolean(category.flaky);
}

/**
 * The category names a result is shown under, emulating Allure 2: every matching category (names
 * deduplicated), else its default "Product defects" (failed) or "Test defects" (broken), else none.
 */
export function categoriesOf(result: { status?: string; message?: string; trace?: string; flaky?: boolean }, categories: AllureCategory[] = CATEGORIES): string[] {
  const names = [...new Set(categories.filter((c) => categoryMatches(c, result)).map((c) => c.name))];
  if (names.length > 0) return names;
  if (result.status === 'failed') return ['Product defects'];
  if (result.status === 'broken') return ['Test defects'];
  return [];
}

// ---------------------------------------------------------------------------------------------
// history

/**
 * Before generating: copy the kept history (historyDir/*) into resultsDir/history, so the report's
 * trend, retries and "new failed" markers see earlier runs. No kept history (the first run) is fine.
 */
export function carryHistory(historyDir: string, resultsDir: string): void {
  if (!existsSync(historyDir)) return;
  const target = path.join(resultsDir, 'history');
  mkdirSync(target, { recursive: true });
  cpSync(historyDir, target, { recursive: true });
}

/** After generating: keep reportDir/history as historyDir for the next run (replacing the old copy). */
export function keepHistory(reportDir: string, historyDir: string): void {
  const source = path.join(reportDir, 'history');
  if (!existsSync(source)) return;
  rmSync(historyDir, { recursive: true, force: true });
  mkdirSync(historyDir, { recursive: true });
  cpSync(source, historyDir, { recursive: true });
}
