import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConformanceSummary } from './reports/summary';
import type { PartResult, RunPart } from '../results/outcome';
import { featuresHash } from './reports/evidence-pack';
import { finishRun, type ConformanceRunResult } from './conformance-run';
import { outputsOf, prepareOutput, ROOT } from './layout';
import { newRunRecord, readRunRecord, writeRunRecord, type RunRecord } from './run-record';
import { rerunArguments } from './selection';
import { shardReason, type ShardInfo } from './shard';
import { verdictOf } from '../results/verdict';
import { joinedMessages, messagesIn, messagesPath } from '../results/messages-file';
import type { ReportLevel } from './report-level';

/** One shard's output folder as the merge reads it. */
interface Shard {
  dir: string;
  summary: ConformanceSummary;
  record?: RunRecord;
  info: ShardInfo;
}

/** What the shards say about themselves, before anything is written: problems make the merge partial; errors stop it. */
export interface ShardCheck {
  shards: Shard[];
  /** Named problems: a shard missing, given twice, a scenario run in two shards, shards of different runs. */
  problems: string[];
}

/** Files of an Allure results folder that belong to the run, not to one shard's finishing step (written again by the merge). */
const PER_RUN_ALLURE_FILES = new Set(['environment.properties', 'executor.json', 'categories.json', 'history']);

/** Read the shards' summaries and check they are the N shares of one selection: every index once, no scenario twice. */
export function checkShards(dirs: string[]): ShardCheck {
  const problems: string[] = [];
  const shards: Shard[] = [];
  for (const dir of dirs) {
    const file = outputsOf(dir).summary;
    if (!existsSync(file)) throw new MergeError(`${dir} has no summary.json: not the --out of a finished shard`);
    const summary = JSON.parse(readFileSync(file, 'utf8')) as ConformanceSummary;
    if (!summary.run.shard) throw new MergeError(`${dir} is not a shard (its run had no --shard): merge joins the shards of one sharded run`);
    shards.push({ dir, summary, record: readRunRecord(dir), info: summary.run.shard });
  }
  if (shards.length === 0) throw new MergeError('give the --out folders of the shards to merge');
  const count = shards[0].info.count;
  const others = shards.filter((s) => s.info.count !== count || s.info.selected !== shards[0].info.selected);
  if (others.length) throw new MergeError(`the shards are not of one run: ${shards.map((s) => `${s.dir} is shard ${s.info.index}/${s.info.count} of ${s.info.selected} scenarios`).join('; ')}`);
  const hashes = new Set(shards.map((s) => s.summary.harness.featuresHash));
  if (hashes.size > 1) problems.push(`the shards ran different feature files (sha256 ${[...hashes].join(', ')}): their shares may overlap or leave gaps`);

  const byIndex = new Map<number, Shard[]>();
  for (const s of shards) byIndex.set(s.info.index, [...(byIndex.get(s.info.index) ?? []), s]);
  for (const [index, same] of byIndex) if (same.length > 1) problems.push(`shard ${index}/${count} given more than once (${same.map((s) => s.dir).join(', ')}): overlapping shards, its scenarios counted once per copy`);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) problems.push(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: ${missing.length} of ${count} shares of the selection did not run here`);

  const planned = new Map<string, string[]>();
  for (const s of shards) for (const key of s.info.planned) planned.set(key, [...(planned.get(key) ?? []), `${s.info.index}/${count}`]);
  const twice = [...planned].filter(([, where]) => where.length > 1 && new Set(where).size > 1);
  if (twice.length) problems.push(`${twice.length} scenario(s) planned in more than one shard (overlapping shards), e.g. ${twice[0][0]} in shards ${twice[0][1].join(' and ')}`);
  const ran = new Map<string, string[]>();
  for (const s of shards) for (const sc of s.summary.scenarios) ran.set(sc.id, [...(ran.get(sc.id) ?? []), s.dir]);
  const ranTwice = [...ran].filter(([, where]) => where.length > 1);
  if (ranTwice.length && !problems.some((p) => p.includes('more than once'))) problems.push(`${ranTwice.length} scenario(s) ran in more than one shard, e.g. ${ranTwice[0][0]} in ${ranTwice[0][1].join(' and ')}`);
  const hash = featuresHash(ROOT);
  if (!hashes.has(hash)) problems.push(`these feature files (sha256 ${hash}) are not the ones the shards ran: the requirements in scope are read from these`);
  return { shards: [...shards].sort((a, b) => a.info.index - b.info.index), problems };
}

export class MergeError extends Error {}

/**
 * One run from its shards (`gpc-conform merge --out DIR SHARD_DIR…`): each part's messages joined
 * and judged again, its JUnit suites joined, every Allure result copied, then the summary, JUnit,
 * coverage, Allure report and evidence pack written by the run's own finishing step
 * (finishRun, src/pipeline/conformance-run.ts), as if one run had run them all. A missing shard,
 * a shard given twice or a shard that was itself partial makes the merge partial, saying which.
 */
export async function mergeShards(options: { out: string; dirs: string[]; command: string; report: ReportLevel }): Promise<ConformanceRunResult> {
  const out = path.resolve(options.out);
  const dirs = options.dirs.map((d) => path.resolve(d));
  if (dirs.includes(out)) throw new MergeError(`--out ${options.out} is one of the shards: merge into a folder of its own`);
  const { shards, problems } = checkShards(dirs);
  prepareOutput(out);
  const files = outputsOf(out);

  const results = mergeParts(shards, files.parts);
  const copied = copyAllureResults(shards, files.allureResults);
  problems.push(...copied.problems);

  const first = shards[0];
  const shardReasons = new Set(shards.map((s) => shardReason(s.info)));
  const runErrors = new Set(shards.flatMap((s) => s.summary.run.parts.filter((p) => p.runError).map((p) => `${p.name}: ${p.runError}`)));
  // A reason every shard gives (the selection's: a tag filter, a requirement) is said once; one shard's own (Ctrl-C) names the shard.
  const everyShard = (r: string) => shards.every((s) => s.summary.run.partialReasons.includes(r));
  const carried = shards.flatMap((s) => s.summary.run.partialReasons.filter((r) => !shardReasons.has(r) && !runErrors.has(r)).map((r) => (everyShard(r) ? r : `${shardReason(s.info)}: ${r}`)));
  const rerunBase = mergedRerunBase(first, out);
  const multipart = rerunBase.includes(' conformance');
  const record = newRunRecord({
    command: options.command,
    rerunBase,
    startedAt: shards.map((s) => s.summary.run.startedAt).sort()[0],
    parts: results.map((r) => r.part),
    partialReasons: [...new Set([...carried, ...problems])],
    profiles: [...new Set(shards.flatMap((s) => s.record?.profiles ?? []))],
    environment: {
      ...(first.record?.environment ?? {}),
      'Merged from': shards.map((s) => `shard ${s.info.index}/${s.info.count} (${s.summary.counts.passed + s.summary.counts.failed + s.summary.counts.broken + s.summary.counts.skipped + s.summary.counts['harness-error']} scenarios, ${s.summary.run.durationSeconds} s)`).join(', '),
    },
  });
  const finishedAt = new Date(shards.map((s) => s.summary.run.finishedAt).sort().at(-1)!);
  const merged: RunRecord = { ...record, partsDone: results.map((r) => r.part.name), state: 'finished', finishedAt: finishedAt.toISOString(), report: options.report };
  const result = await finishRun(out, merged, results, {
    finishedAt,
    rerunCommand: (failed) => `${rerunBase} ${rerunArguments(failed, multipart)}`,
    report: options.report,
  });
  // As a run leaves it: `gpc-conform report --out` writes what a quick merge left out.
  writeRunRecord(out, merged);
  return result;
}

/** The shards' command without its shard and output folder: what re-runs what did not pass, reading the merged summary. */
function mergedRerunBase(first: Shard, out: string): string {
  const base = first.record?.rerunBase ?? first.summary.run.command;
  const words = base.split(' ');
  const kept = words.filter((w, i) => !['--shard', '--out', '--only'].includes(w) && !['--shard', '--out', '--only'].includes(words[i - 1]) && !w.startsWith('--shard=') && !w.startsWith('--out=') && w !== '--rerun-failed');
  return [...kept, '--out', path.relative(process.cwd(), out) || '.'].join(' ');
}

/**
 * Each part as one: its shards' Cucumber messages one after the other (IDs are unique per run, so
 * the verdict reads them as one stream), its JUnit suites joined into one suite, and a run error of
 * any shard kept (another shard's clean finish must not hide a crash).
 */
function mergeParts(shards: Shard[], partsDir: string): PartResult[] {
  const names: string[] = [];
  for (const s of shards) for (const p of s.summary.run.parts) if (!names.includes(p.name)) names.push(p.name);
  return names.map((name) => {
    const dir = path.join(partsDir, name);
    mkdirSync(dir, { recursive: true });
    const from = shards.flatMap((s) => {
      const entry = s.summary.run.parts.find((p) => p.name === name);
      return entry ? [{ shard: s, entry, dir: path.join(s.dir, 'parts', name) }] : [];
    });
    const messages = messagesPath(dir);
    writeFileSync(messages, joinedMessages(from.map((f) => messagesIn(f.dir))));
    writeFileSync(path.join(dir, 'junit.xml'), joinSuites(from.map((f) => ({ file: path.join(f.dir, 'junit.xml'), label: shardReason(f.shard.info), runError: f.entry.runError }))));
    const recorded = from.map((f) => f.shard.record?.parts.find((p) => p.name === name)).find(Boolean);
    const entry = from[0].entry;
    const part: RunPart = {
      name,
      title: entry.title,
      paths: from.flatMap((f) => f.entry.paths),
      scope: recorded?.scope ?? recorded?.paths ?? entry.paths,
      tags: entry.tags,
      parameters: {},
      systemUnderTest: entry.systemUnderTest,
    };
    const verdict = verdictOf(messages);
    const errors = from.filter((f) => f.entry.runError).map((f) => `${shardReason(f.shard.info)}: ${f.entry.runError}`);
    const runError = errors.length ? errors.join('; ') : verdict.runError;
    const exitCode = runError || verdict.counts['harness-error'] > 0 ? 2 : verdict.counts.failed + verdict.counts.broken > 0 ? 1 : 0;
    return { part, verdict: { ...verdict, runError, exitCode }, dir };
  });
}

const attribute = (tag: string, name: string) => Number(tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? 0) || 0;
const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One part's JUnit suites from its shards joined into one `<testsuite>` (what the finishing step's
 * mergeJunit takes per part), totals summed; a shard that wrote no complete suite is one error case.
 */
export function joinSuites(shards: Array<{ file: string; label: string; runError?: string }>): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  let name = 'cucumber-js';
  const cases: string[] = [];
  for (const s of shards) {
    const text = existsSync(s.file) ? readFileSync(s.file, 'utf8') : '';
    const open = text.includes('</testsuite>') ? text.match(/<testsuite\b[^>]*>/)?.[0] : undefined;
    if (!open) {
      totals.tests += 1;
      totals.errors += 1;
      cases.push(`  <testcase classname="${escapeAttribute(s.label)}" name="the run itself"><error message="${escapeAttribute(s.runError ?? `no complete JUnit results at ${s.file}`)}"/></testcase>`);
      continue;
    }
    name = open.match(/\sname="([^"]*)"/)?.[1] ?? name;
    for (const key of ['tests', 'failures', 'errors', 'skipped', 'time'] as const) totals[key] += attribute(open, key);
    cases.push(text.slice(text.indexOf(open) + open.length, text.lastIndexOf('</testsuite>')).replace(/^\n+|\s+$/g, ''));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${name}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time.toFixed(3)}">\n${cases.filter(Boolean).join('\n')}\n</testsuite>\n`;
}

/** Every shard's Allure results (test results, containers, attachments: uuid-named) into one folder; a name seen twice with other content is said. */
function copyAllureResults(shards: Shard[], target: string): { copied: number; problems: string[] } {
  mkdirSync(target, { recursive: true });
  const problems: string[] = [];
  let copied = 0;
  for (const s of shards) {
    const source = outputsOf(s.dir).allureResults;
    if (!existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (PER_RUN_ALLURE_FILES.has(name)) continue;
      const to = path.join(target, name);
      if (existsSync(to)) {
        if (!readFileSync(to).equals(readFileSync(path.join(source, name)))) problems.push(`Allure result ${name} is in more than one shard with different content: ${s.dir}'s copy left out`);
        continue;
      }
      copyFileSync(path.join(source, name), to);
      copied += 1;
    }
  }
  return { copied, problems };
}
