import type { RunPart, ScenarioSummary } from '../results/outcome';
import { catalogue } from '../rules/catalogue';
import { existsSync, readFileSync } from 'node:fs';
import type { ConformanceSummary } from './reports/summary';

/** What to run of the whole suite: the options `run` and `conformance` share. */
export interface Selection {
  tags?: string;
  /** Requirement IDs: only their scenarios (`@req:ID`). */
  requirement?: string[];
  /** Worked-example steps (`4a`, or `4` for all of 4a–4d): only their scenarios. */
  step?: string[];
  /** `uri:line` or `part:uri:line`: only these scenarios. */
  only?: string[];
  /** Only what did not pass in the previous run with the same output folder. */
  rerunFailed?: boolean;
}

export const SELECTION_USAGE = `      --tags EXPR                        only the scenarios matching a Cucumber tag expression
      --requirement ID                   only the scenarios checking this requirement (repeatable), e.g. PROV-BOOK
      --step CODE                        only this worked-example step (repeatable), e.g. 4a, or 4 for 4a-4d
      --only [PART:]FILE:LINE            only this scenario (repeatable), as the re-run command prints it
      --rerun-failed                     only what did not pass in the previous run with the same --out
      --parallel N                       N Cucumber workers per part, each with its own Spine in a box (default 1)
      --shard I/N                        only the I-th of N shares of the selected scenarios (CI matrices; join with merge)`;

export const SELECTION_OPTIONS = {
  tags: { type: 'string' },
  requirement: { type: 'string', multiple: true },
  step: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  'rerun-failed': { type: 'boolean', default: false },
  parallel: { type: 'string' },
  shard: { type: 'string' },
} as const;

/** `--parallel N`: Cucumber worker processes per part; 1 (or none) is a serial run. */
export function parallelOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new SelectionError(`--parallel ${value}: give a number of workers from 1 to 64`);
  return n;
}

export class SelectionError extends Error {}

function anyOf(tags: string[]): string {
  return tags.length === 1 ? tags[0] : `(${tags.join(' or ')})`;
}

function stepTags(code: string): string[] {
  if (/^[1-6]$/.test(code)) return ['a', 'b', 'c', 'd'].map((leg) => `@step:${code}${leg}`);
  if (/^[1-6][a-d]$/.test(code)) return [`@step:${code}`];
  throw new SelectionError(`--step ${code}: a worked-example step is 1 to 6, with a leg a to d (e.g. 4a)`);
}

/**
 * The parts to run and why the run is partial. Filters narrow every part; `--only` and
 * `--rerun-failed` keep only the parts holding the scenarios asked for, with those locations as paths.
 */
export function selectParts(all: RunPart[], selection: Selection, previousSummary: string): { parts: RunPart[]; partialReasons: string[] } {
  const reasons: string[] = [];
  const filters: string[] = [];
  if (selection.tags) {
    filters.push(`(${selection.tags})`);
    reasons.push(`tags ${selection.tags}`);
  }
  if (selection.requirement?.length) {
    const known = catalogue().byId;
    const unknown = selection.requirement.filter((id) => !known.has(id));
    if (unknown.length) throw new SelectionError(`--requirement: not in requirements/catalogue.yaml: ${unknown.join(', ')}`);
    filters.push(anyOf(selection.requirement.map((id) => `@req:${id}`)));
    reasons.push(`requirements ${selection.requirement.join(', ')}`);
  }
  if (selection.step?.length) {
    filters.push(anyOf(selection.step.flatMap(stepTags)));
    reasons.push(`worked-example steps ${selection.step.join(', ')}`);
  }
  let locations: Map<string, string[]> | undefined;
  if (selection.rerunFailed) {
    locations = failedLocations(previousSummary);
    reasons.push(`re-run of what did not pass in the previous run (${[...locations.values()].flat().length} scenarios)`);
  } else if (selection.only?.length) {
    locations = new Map();
    for (const only of selection.only) {
      const [, partName, location] = only.match(/^(?:([\w-]+):)?(.+\.feature:\d+)$/) ?? [];
      if (!location) throw new SelectionError(`--only ${only}: give FILE:LINE or PART:FILE:LINE (e.g. features/provider/book.feature:12)`);
      const parts = partName ? all.filter((p) => p.name === partName) : all.filter((p) => p.paths.some((dir) => location.startsWith(dir.replace(/\/?$/, '/'))));
      if (parts.length === 0) throw new SelectionError(`--only ${only}: no part of this run ${partName ? `is called ${partName} (parts: ${all.map((p) => p.name).join(', ')})` : 'runs that file'}`);
      for (const part of parts) locations.set(part.name, [...(locations.get(part.name) ?? []), location]);
    }
    reasons.push(`only ${selection.only.join(' ')}`);
  }
  const parts = all
    .filter((part) => !locations || locations.has(part.name))
    .map((part) => {
      const tags = [part.tags ? `(${part.tags})` : '', ...filters].filter(Boolean).join(' and ');
      return { ...part, paths: locations ? locations.get(part.name)! : part.paths, scope: part.paths, tags: tags || undefined };
    });
  return { parts, partialReasons: reasons };
}

/** `--only` arguments for the scenarios given, or `--rerun-failed` when there are too many to list. */
export function rerunArguments(failed: ScenarioSummary[], multipart: boolean, limit = 15): string {
  if (failed.length > limit) return '--rerun-failed';
  return failed.map((s) => `--only ${multipart ? `${s.part}:` : ''}${s.location}`).join(' ');
}

/** The locations that did not pass in a previous run's summary, by part: what `--rerun-failed` runs. */
export function failedLocations(summaryFile: string): Map<string, string[]> {
  if (!existsSync(summaryFile)) throw new Error(`--rerun-failed: there is no previous run at ${summaryFile} (run without it first, with the same --out)`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as ConformanceSummary;
  const byPart = new Map<string, string[]>();
  for (const s of summary.scenarios) if (s.outcome !== 'passed' && s.outcome !== 'skipped') byPart.set(s.part, [...(byPart.get(s.part) ?? []), s.location]);
  return byPart;
}
