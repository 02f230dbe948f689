import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { NOTHING_RAN, verdictOf } from '../results/verdict';
import { messagesPath } from '../results/messages-file';
import { buildSummary, writeSummary, type ConformanceSummary } from './reports/summary';
import { type PartResult, type RunPart, type ScenarioResult, type ScenarioSummary } from '../results/outcome';
import { mergeJunit, type ScenarioWarnings } from './reports/junit';
import { catalogue } from '../rules/catalogue';
import { coverageMarkdown, coverageMatrix, writtenScenarios } from './reports/coverage';
import { finishAllure, type AllureOutcome } from './allure-finish';
import { featuresHash, harnessIdentity, writeEvidencePack } from './reports/evidence-pack';
import { secretEnvNamesIn, secretsFromEnvironment } from '../evidence/redact';
import type { ShardInfo } from './shard';
import { newRunRecord, unfinishedParts, writeRunRecord, type RunRecord } from './run-record';
import { holdGroup, signalGroup } from '../actors/sut/lifeline';
import type { PartJob } from './part-runner';
import { outputsOf, prepareOutput, ROOT } from './layout';
import { removeSpares } from '../evidence/spare-files';
import type { ReportLevel } from './report-level';
import { NATIVE_MATCH_INDICES } from './native-match-indices';

export interface ConformanceRunOptions {
  out: string;
  parts: RunPart[];
  /** The command as the user would type it again. */
  command: string;
  /** The command that re-runs only what did not pass. */
  rerunCommand: (failed: ScenarioSummary[]) => string;
  /** Why this run is not the whole suite, when it is not (a filter, a re-run). */
  partialReasons: string[];
  /** The profiles used, for the evidence pack (redacted there). */
  profiles: string[];
  environment: Record<string, string>;
  /** Files already in the output folder that belong to this run (a provider's log): kept. */
  keep?: string[];
  /** Cucumber worker processes per part (`--parallel N`); each worker has its own Spine in a box (support/hooks.ts). */
  parallel?: number;
  /** Parts run at once (default: all of them). */
  jobs?: number;
  /** This run is one shard of a selection (`--shard I/N`): said in the summary for `gpc-conform merge`. */
  shard?: ShardInfo;
  /** What to write at the end (`--report`, src/pipeline/report-level.ts). */
  report: ReportLevel;
}

export interface ConformanceRunResult {
  summary: ConformanceSummary;
  allure: AllureOutcome;
  evidencePack?: string;
  /** What was written: `quick` leaves out the evidence pack, `results` the Allure report too. */
  report: ReportLevel;
  problems: string[];
}

/** The Cucumber run in progress, so that an interruption stops it and the results so far are still reported. */
const current: { children: Set<ChildProcess>; interrupted?: string } = { children: new Set() };

/**
 * One conformance run: each part in turn (a Cucumber process each, every report format at once),
 * then the evidence from what they wrote: the JSON summary, one JUnit file, the coverage matrix, the
 * Allure report (one page) and, at `--report full`, the evidence pack. Whatever
 * happens to a part (a crash, Ctrl-C) the evidence is still written from what completed, and says the run is partial.
 * `<out>/run.json` says what the run is doing as it goes: if the harness itself is killed, what the
 * parts wrote is still there and `gpc-conform report` writes the evidence from it (finishRun).
 */
export async function runConformance(options: ConformanceRunOptions): Promise<ConformanceRunResult> {
  const out = path.resolve(options.out);
  prepareOutput(out, options.keep, { spares: true });
  const startedAt = new Date();
  const record = newRunRecord({
    command: options.command,
    rerunBase: options.rerunCommand([]).trim(),
    startedAt: startedAt.toISOString(),
    parts: options.parts,
    partialReasons: options.partialReasons,
    profiles: options.profiles,
    environment: options.environment,
    shard: options.shard,
    report: options.report,
  });
  writeRunRecord(out, record);
  const stop = (signal: NodeJS.Signals) => {
    current.interrupted = `interrupted by ${signal}`;
    // Each part is a process group of its own (its workers too): all of them are told.
    for (const child of current.children) if (child.pid) signalGroup(child.pid, 'SIGINT');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const results: PartResult[] = [];
  // Parts run side by side, up to `jobs` at once: while one waits on a consumer or a browser, another uses the cores.
  const jobs = Math.max(1, Math.min(options.jobs ?? options.parts.length, options.parts.length));
  const prefixed = jobs > 1;
  const width = Math.max(...options.parts.map((p) => p.name.length));
  const done: Array<PartResult | undefined> = new Array(options.parts.length);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: jobs }, async () => {
        while (next < options.parts.length && !current.interrupted) {
          const index = next++;
          const part = options.parts[index];
          const prefix = prefixed ? `${part.name.padEnd(width)} | ` : undefined;
          done[index] = await runPart(part, path.join(outputsOf(out).parts, part.name), outputsOf(out).allureResults, { parallel: options.parallel ?? part.parallel, prefix });
          if (!current.interrupted) record.partsDone.push(part.name);
          writeRunRecord(out, record);
        }
      }),
    );
    for (const result of done) if (result) results.push(result);
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  if (current.interrupted) record.interrupted = `${current.interrupted}: ${unfinishedParts(record, results).join('; ')}`;
  current.interrupted = undefined;
  writeRunRecord(out, record);
  const result = await finishRun(out, record, results, { finishedAt: new Date(), rerunCommand: options.rerunCommand, report: options.report });
  writeRunRecord(out, { ...record, state: 'finished', finishedAt: result.summary.run.finishedAt });
  return result;
}

/**
 * The evidence of a run from what its parts wrote: the JSON summary, one JUnit file, the coverage
 * matrix, the Allure report (one page) and, at `full`, the evidence pack. At the end of a run, and
 * again by `gpc-conform report` from what is on disk (a run that was killed: `killed` says what had
 * not finished; a finished run keeps its Allure report: `reuseAllureReport`).
 */
export async function finishRun(
  out: string,
  record: RunRecord,
  results: PartResult[],
  options: { finishedAt: Date; rerunCommand?: (failed: ScenarioSummary[]) => string; killed?: string; report: ReportLevel; reuseAllureReport?: boolean },
): Promise<ConformanceRunResult> {
  const files = outputsOf(out);
  const partialReasons = [...record.partialReasons];
  // A filter may leave a part with nothing to run (a requirement only the SSP features check): fine,
  // as long as something ran somewhere.
  const filtered = record.partialReasons.length > 0;
  const ranSomething = results.some((r) => r.verdict.scenarios.length > 0);
  for (const r of results) {
    if (filtered && ranSomething && r.verdict.runError === NOTHING_RAN) r.verdict = { ...r.verdict, runError: undefined, exitCode: r.verdict.counts['harness-error'] > 0 ? 2 : 0 };
  }
  if (filtered && !ranSomething) partialReasons.push('no scenario matched the selection');
  const incomplete = options.killed ?? record.interrupted;
  if (incomplete) partialReasons.push(incomplete);

  const harness = { ...harnessIdentity(ROOT), featuresHash: featuresHash(ROOT) };
  const summary = buildSummary({
    results,
    root: ROOT,
    harness: { name: harness.name, version: harness.version, commit: harness.commit, dirty: harness.dirty ?? undefined, featuresHash: harness.featuresHash },
    startedAt: new Date(record.startedAt),
    finishedAt: options.finishedAt,
    command: record.command,
    rerunCommand: options.rerunCommand,
    partialReasons,
  });
  if (results.length === 0) summary.verdict = { exitCode: 2, meaning: 'harness or configuration error' };
  if (record.shard) summary.run.shard = record.shard;
  if (incomplete) summary.run.incomplete = incomplete;
  writeSummary(files.summary, summary);
  writeFileSync(files.junit, mergeJunit(results.map((r) => ({ name: r.part.name, title: r.part.title, file: path.join(r.dir, 'junit.xml'), runError: r.verdict.runError, warnings: warningsOf(r.verdict.scenarios) }))));
  writeFileSync(files.coverage, coverageMarkdown(coverageMatrix(catalogue(), writtenScenarios(ROOT), summary.scenarios)));

  const problems: string[] = [];
  const allure = await finishAllure(files, {
    ...record.environment,
    'Harness version': `${harness.name} ${harness.version}`,
    'Harness commit': `${harness.commit}${harness.dirty ? ' (with local changes)' : ''}`,
    'Feature files (sha256)': harness.featuresHash,
    ...(summary.run.partial ? { 'Partial run': summary.run.partialReasons.join('; ') } : {}),
    ...(summary.run.rerunCommand ? { 'Re-run what did not pass': summary.run.rerunCommand } : {}),
  }, { level: options.report, reuseReport: options.reuseAllureReport });
  problems.push(...allure.problems);

  const evidencePack = options.report === 'full' ? packEvidence(files, record, summary, allure, problems) : undefined;
  removeSpares(files.allureResults);
  return { summary, allure, evidencePack, report: options.report, problems };
}

/** The evidence pack (`full` only): the reports, the Allure report's page, the profiles with secrets taken out, the manifest. */
function packEvidence(files: ReturnType<typeof outputsOf>, record: RunRecord, summary: ConformanceSummary, allure: AllureOutcome, problems: string[]): string | undefined {
  try {
    const secrets = secretsFromEnvironment(process.env, record.profiles.flatMap((p) => secretEnvNamesIn(readProfileQuietly(p))));
    return writeEvidencePack({
      archive: files.evidencePack,
      root: ROOT,
      files: [
        { name: 'summary.json', path: files.summary },
        { name: 'junit.xml', path: files.junit },
        { name: 'coverage.md', path: files.coverage },
        ...(allure.form === 'page' && allure.report ? [{ name: 'allure-report.html', path: allure.report }] : []),
      ],
      profiles: record.profiles,
      run: { command: record.command, verdict: summary.verdict, counts: summary.counts, partial: summary.run.partial, partialReasons: summary.run.partialReasons, startedAt: summary.run.startedAt, durationSeconds: summary.run.durationSeconds },
      secrets,
    }).archive;
  } catch (error) {
    problems.push(`the evidence pack was not written: ${(error as Error).message}`);
    return undefined;
  }
}

/** For the names of the environment variables it keeps secrets in; a profile that cannot be read has none to give. */
function readProfileQuietly(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The command that starts a part's process: the compiled part runner, or its source through ts-node.
 * Cucumber's workers are started with the part's own Node options, so the `--require` of the native
 * match indices (src/pipeline/native-match-indices.ts) reaches them too, before they load Cucumber.
 */
export function partRunnerCommand(job: string): string[] {
  const compiled = __filename.endsWith('.js');
  return compiled
    ? ['--require', NATIVE_MATCH_INDICES, path.join(__dirname, 'part-runner.js'), job]
    : ['--require', 'ts-node/register/transpile-only', '--require', NATIVE_MATCH_INDICES, path.join(__dirname, 'part-runner.ts'), job];
}

/**
 * One part: a process of its own (src/pipeline/part-runner.ts) running the features through
 * Cucumber's API, writing messages, JUnit and Allure results, and printing progress, each line
 * prefixed with the part's name when parts run side by side. No Cucumber JSON: it would hold every
 * attachment again, base64 of base64 (the messages have it all).
 */
function runPart(part: RunPart, dir: string, allureResults: string, options: { parallel?: number; prefix?: string }): Promise<PartResult> {
  mkdirSync(dir, { recursive: true });
  const messages = messagesPath(dir);
  const jobFile = path.join(dir, 'job.json');
  const job: PartJob = {
    paths: part.paths,
    tags: part.tags,
    parameters: { reportDir: dir, ...part.parameters },
    parallel: options.parallel,
    messages,
    junit: path.join(dir, 'junit.xml'),
    allureResults,
  };
  writeFileSync(jobFile, JSON.stringify(job, null, 2));
  console.log(`\n${part.title}`);
  return new Promise((resolve) => {
    // A process group of its own, held by the lifeline: if this process is killed outright, the
    // part (its workers, and through their own lifelines what they started) goes with it.
    const child = spawn(process.execPath, partRunnerCommand(jobFile), { env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current.children.add(child);
    const release = child.pid ? holdGroup(child.pid) : () => undefined;
    forwardLines(child.stdout!, process.stdout, options.prefix);
    forwardLines(child.stderr!, process.stderr, options.prefix);
    child.on('close', () => {
      current.children.delete(child);
      // A worker left behind (its coordinator gone) would keep its Spine's ports: nothing of the group stays.
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
      release();
      resolve({ part, verdict: verdictOf(messages), dir });
    });
    child.on('error', (error) => resolve({ part, verdict: { ...verdictOf(messages), exitCode: 2, runError: `the part could not be started: ${error.message}` }, dir }));
  });
}

/** A child's output, line by line, each line prefixed (parts side by side), as it comes. */
function forwardLines(from: NodeJS.ReadableStream, to: NodeJS.WritableStream, prefix?: string): void {
  let pending = '';
  from.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) to.write(prefix && line ? `${prefix}${line}\n` : `${line}\n`);
  });
  from.on('end', () => {
    if (pending) to.write(prefix ? `${prefix}${pending}\n` : `${pending}\n`);
  });
}

/** Each scenario's warnings, for the JUnit file. */
function warningsOf(scenarios: ScenarioResult[]): ScenarioWarnings[] {
  return scenarios.flatMap((s) => {
    const notes = (s.notes ?? []).filter((n) => n.grade === 'warning');
    return notes.length > 0 ? [{ name: s.name, notes }] : [];
  });
}
