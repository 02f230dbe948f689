import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue, Requirement } from '../../rules/catalogue';
import { specLink } from '../../rules/catalogue';
import type { Outcome } from '../../results/outcome';
import { roleOf, tagValues } from '../../evidence/tags';

/** A scenario as written in a feature file, with its own tags and its feature's. */
export interface WrittenScenario {
  /** POSIX path relative to the project root, as Cucumber names it. */
  uri: string;
  line: number;
  name: string;
  tags: string[];
}

/** Every scenario (and scenario outline) under `features/`, read from the Gherkin text. */
export function writtenScenarios(root: string, dir = 'features'): WrittenScenario[] {
  return featureFiles(path.join(root, dir)).flatMap((file) => scenariosIn(path.relative(root, file).split(path.sep).join('/'), readFileSync(file, 'utf8')));
}

function featureFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? featureFiles(p) : p.endsWith('.feature') ? [p] : [];
    });
}

/** Tags are the `@…` lines directly above a Feature or Scenario line (comments allowed between). */
export function scenariosIn(uri: string, text: string): WrittenScenario[] {
  const lines = text.split('\n').map((l) => l.trim());
  const tagsAbove = (i: number) => {
    const tags: string[] = [];
    for (let j = i - 1; j >= 0 && (lines[j].startsWith('@') || lines[j].startsWith('#')); j--) {
      if (lines[j].startsWith('@')) tags.unshift(...lines[j].split(/\s+/).filter((t) => t.startsWith('@')));
    }
    return tags;
  };
  let featureTags: string[] = [];
  const found: WrittenScenario[] = [];
  lines.forEach((line, i) => {
    if (/^Feature:/.test(line)) featureTags = tagsAbove(i);
    const name = line.match(/^Scenario(?: Outline)?:\s*(.*)$/)?.[1];
    if (name !== undefined) found.push({ uri, line: i + 1, name, tags: [...featureTags, ...tagsAbove(i)] });
  });
  return found;
}

/** A scenario's result as the summary gives it (src/pipeline/reports/summary.ts). */
export interface ScenarioOutcome {
  id: string;
  uri: string;
  requirements: string[];
  outcome: Outcome;
}

/** How a requirement came out in a run: the worst of its scenarios, or "not run". */
export type RequirementOutcome = Outcome | 'not run';

export interface CoverageRow {
  requirement: Requirement;
  link: string;
  /** Scenarios written for it, anywhere in features/. */
  written: WrittenScenario[];
  roles: string[];
  steps: string[];
  /** With results: the outcome and the scenarios that ran. */
  outcome?: RequirementOutcome;
  ran?: string[];
}

const WORST: Outcome[] = ['harness-error', 'broken', 'failed', 'passed', 'skipped'];

export function worstOutcome(outcomes: Outcome[]): RequirementOutcome {
  return WORST.find((o) => outcomes.includes(o)) ?? 'not run';
}


/** The requirement coverage matrix: every catalogue requirement against the scenarios that check it. */
export function coverageMatrix(cat: Catalogue, written: WrittenScenario[], results?: ScenarioOutcome[]): CoverageRow[] {
  // Indexed once: a filter per requirement read every scenario's tags 230 times, the CLI's largest cost after a short run.
  const writtenFor = groupBy(written, (s) => tagValues(s.tags, 'req'));
  const ranFor = groupBy(results ?? [], (r) => r.requirements);
  return cat.requirements.map((requirement) => {
    const mine = writtenFor.get(requirement.id) ?? [];
    const row: CoverageRow = {
      requirement,
      link: specLink(requirement, cat.specBase),
      written: mine,
      roles: [...new Set(mine.flatMap((s) => roleOf(s.tags) ?? []))],
      steps: [...new Set(mine.flatMap((s) => tagValues(s.tags, 'step')))].sort(),
    };
    if (results) {
      const ran = ranFor.get(requirement.id) ?? [];
      row.outcome = worstOutcome(ran.map((r) => r.outcome));
      row.ran = ran.map((r) => r.id);
    }
    return row;
  });
}

/** Each key's items, in their order; an item under several keys is in each (once). */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

/** Requirements no scenario checks: a gap in the harness, never acceptable. */
export function uncovered(rows: CoverageRow[]): string[] {
  return rows.filter((r) => r.written.length === 0).map((r) => r.requirement.id);
}

/** The matrix as Markdown, for the evidence pack and for reading in a terminal or a CI page. */
export function coverageMarkdown(rows: CoverageRow[]): string {
  const withResults = rows.some((r) => r.outcome !== undefined);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const header = ['Requirement', 'What is checked', 'Role', 'Worked-example steps', 'Scenarios', ...(withResults ? ['Outcome (scenarios run)'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [`[${r.requirement.id}](${r.link})`, cell(r.requirement.title), r.roles.join(', '), r.steps.join(' '), String(r.written.length)];
    if (withResults) cells.push(`${r.outcome} (${r.ran?.length ?? 0})`);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const gaps = uncovered(rows);
  lines.push('', `${rows.length} requirements, ${rows.length - gaps.length} with scenarios${gaps.length ? `; no scenario: ${gaps.join(', ')}` : ''}.`);
  return lines.join('\n') + '\n';
}
