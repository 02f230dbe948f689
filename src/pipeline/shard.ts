import { writeFileSync } from 'node:fs';
import { buildSummary, writeSummary } from './reports/summary';
import { type RunPart } from '../results/outcome';
import { mergeJunit } from './reports/junit';
import { featuresHash, harnessIdentity } from './reports/evidence-pack';
import { outputsOf, prepareOutput, ROOT } from './layout';
import { SelectionError } from './selection';

/** Which shard of how many: `--shard 2/4` is { index: 2, count: 4 } (1-based, as CI matrices count). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** What a shard's summary says about its shard, for `gpc-conform merge` to check the shards add up. */
export interface ShardInfo extends ShardSpec {
  /** Every scenario the whole selection holds (all shards together), and this shard's: `part:uri:line`. */
  selected: number;
  planned: string[];
}

export function parseShard(text: string): ShardSpec {
  const [, i, n] = text.match(/^(\d+)\/(\d+)$/) ?? [];
  const spec = { index: Number(i), count: Number(n) };
  if (!i || spec.count < 1 || spec.index < 1 || spec.index > spec.count) throw new SelectionError(`--shard ${text}: give I/N with 1 <= I <= N (e.g. 2/4)`);
  return spec;
}

/** The reason a shard's summary gives for being partial: the merge recognises and drops it. */
export function shardReason(spec: ShardSpec): string {
  return `shard ${spec.index}/${spec.count}`;
}

/** A scenario as a shard plans it: the part it runs in and its `uri:line`, what Cucumber takes to run it alone. */
export interface PlannedScenario {
  part: string;
  uri: string;
  line: number;
}

export const plannedKey = (s: PlannedScenario) => `${s.part}:${s.uri}:${s.line}`;

/** Every scenario the parts would run, as Cucumber plans it from their paths and tags (no support code loaded). */
export async function planParts(parts: RunPart[], cwd: string): Promise<PlannedScenario[]> {
  // Loaded here, not with the module: a run without --shard never needs Cucumber in this process.
  const { loadSources } = await import('@cucumber/cucumber/api');
  const planned: PlannedScenario[] = [];
  for (const part of parts) {
    const { plan, errors } = await loadSources({ defaultDialect: 'en', paths: part.paths, names: [], tagExpression: part.tags ?? '', order: 'defined' }, { cwd });
    if (errors.length) throw new SelectionError(`${part.name}: the feature files do not parse: ${errors.map((e) => `${e.uri}: ${e.message}`).join('; ')}`);
    planned.push(...plan.map((p) => ({ part: part.name, uri: p.uri, line: p.location.line })));
  }
  return planned;
}

/**
 * The shard's share of the selection: every planned scenario sorted by part, file and line, then
 * dealt round-robin, so each is in exactly one shard, the shares differ by one at most, and the same
 * selection of the same feature files splits the same way on every machine.
 */
export function shareOf(planned: PlannedScenario[], spec: ShardSpec): PlannedScenario[] {
  const sorted = [...planned].sort((a, b) => a.part.localeCompare(b.part) || a.uri.localeCompare(b.uri) || a.line - b.line);
  return sorted.filter((_, i) => i % spec.count === spec.index - 1);
}

/**
 * The parts narrowed to the shard's share, as `uri:line` locations (as `--only` does); a part with
 * none of the share is left out. The part keeps its scope, so the requirements in scope are the whole selection's.
 */
export async function shardParts(parts: RunPart[], spec: ShardSpec, cwd: string): Promise<{ parts: RunPart[]; info: ShardInfo }> {
  const planned = await planParts(parts, cwd);
  const share = shareOf(planned, spec);
  const info: ShardInfo = { ...spec, selected: planned.length, planned: share.map(plannedKey) };
  const narrowed = parts.flatMap((part) => {
    const locations = share.filter((s) => s.part === part.name).map((s) => `${s.uri}:${s.line}`);
    return locations.length ? [{ ...part, paths: locations, scope: part.scope ?? part.paths }] : [];
  });
  return { parts: narrowed, info };
}

/** `--shard` applied to a selection (none given: the selection as it is). */
export async function applyShard(selected: { parts: RunPart[]; partialReasons: string[] }, shard: string | undefined): Promise<{ parts: RunPart[]; partialReasons: string[]; shard?: ShardInfo }> {
  if (shard === undefined) return selected;
  const spec = parseShard(shard);
  const { parts, info } = await shardParts(selected.parts, spec, ROOT);
  // Shards may run at once against one provider: each books only its share of the slots.
  const withShard = parts.map((part) => ({ ...part, parameters: { ...part.parameters, shard: `${spec.index}/${spec.count}` } }));
  return { parts: withShard, partialReasons: [...selected.partialReasons, shardReason(spec)], shard: info };
}

/**
 * A shard with nothing to run (more shards than scenarios) is not an error: it says so, and writes a
 * summary and JUnit with no scenarios and its shard, so the merge counts it as present. Exit code 0.
 */
export function writeEmptyShard(out: string, info: ShardInfo, command: string, partialReasons: string[]): number {
  prepareOutput(out);
  const files = outputsOf(out);
  const harness = { ...harnessIdentity(ROOT), featuresHash: featuresHash(ROOT) };
  const now = new Date();
  const summary = buildSummary({ results: [], root: ROOT, harness: { name: harness.name, version: harness.version, commit: harness.commit, dirty: harness.dirty ?? undefined, featuresHash: harness.featuresHash }, startedAt: now, finishedAt: now, command, partialReasons });
  summary.run.shard = info;
  writeSummary(files.summary, summary);
  writeFileSync(files.junit, mergeJunit([]));
  console.log(`Nothing to run in shard ${info.index}/${info.count}: the selection holds ${info.selected} scenario(s), all in other shards. Wrote ${files.summary} for the merge.`);
  return 0;
}
