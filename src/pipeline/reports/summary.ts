import { writeFileSync } from 'node:fs';
import { slug, type Outcome, type PartResult, type RunPart, type ScenarioSummary } from '../../results/outcome';
import { messagesIn } from '../../results/messages-file';
import { catalogue } from '../../rules/catalogue';
import { coverageMatrix, writtenScenarios, type RequirementOutcome } from './coverage';
import { roleOf, tagValues } from '../../evidence/tags';

export interface HarnessIdentity {
  name: string;
  version: string;
  commit: string;
  dirty?: boolean;
  featuresHash?: string;
}

export interface ConformanceSummary {
  harness: HarnessIdentity;
  run: {
    startedAt: string;
    finishedAt: string;
    durationSeconds: number;
    /** The command that ran, and the one that re-runs what did not pass. */
    command: string;
    rerunCommand?: string;
    /** True when only some scenarios ran (a filter, a re-run, a run cut short). */
    partial: boolean;
    partialReasons: string[];
    /** Set when the run was cut short (Ctrl-C, or killed and reported by `gpc-conform report`): why, and what had not finished. */
    incomplete?: string;
    parts: Array<{ name: string; title: string; paths: string[]; tags?: string; systemUnderTest?: RunPart['systemUnderTest']; messages: string; runError?: string; exitCode: number }>;
    /** One shard of a sharded run (`--shard I/N`, src/pipeline/shard.ts), for `gpc-conform merge` to check the shards add up. */
    shard?: { index: number; count: number; selected: number; planned: string[] };
  };
  verdict: { exitCode: 0 | 1 | 2; meaning: string };
  counts: Record<Outcome, number>;
  /** Warnings, counted apart: a SHOULD broken, or an exact value only the official tests or the demonstrator expect. They never change the exit code (without --strict). */
  warnings: { count: number; scenarios: number };
  roles: Record<string, Record<Outcome, number>>;
  requirements: Array<{ id: string; title: string; link: string; outcome: RequirementOutcome; scenarios: string[] }>;
  scenarios: ScenarioSummary[];
}

export const VERDICTS = ['conformant', 'non-conformance found', 'harness or configuration error'] as const;
const emptyCounts = (): Record<Outcome, number> => ({ passed: 0, failed: 0, broken: 0, skipped: 0, 'harness-error': 0 });

/**
 * The scenarios of all parts with stable IDs: `part:features/dir/file#scenario-name` (then `~2` for
 * a repeated name: which one in its file, src/results/verdict.ts, so a parallel, sharded or filtered run gives the same IDs).
 */
export function scenarioSummaries(results: PartResult[]): ScenarioSummary[] {
  const seen = new Map<string, number>();
  return results.flatMap(({ part, verdict }) =>
    verdict.scenarios.map((s) => {
      const base = `${part.name}:${s.uri.replace(/\.feature$/, '')}#${slug(s.name)}`;
      const n = s.occurrence ?? (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return {
        id: n === 1 ? base : `${base}~${n}`,
        part: part.name,
        name: s.name,
        uri: s.uri,
        line: s.line,
        location: `${s.uri}:${s.line ?? ''}`,
        role: roleOf(s.tags),
        steps: tagValues(s.tags, 'step'),
        requirements: tagValues(s.tags, 'req'),
        outcome: s.outcome,
        reason: s.reason,
        ...(s.reasons ? { reasons: s.reasons } : {}),
        ...(s.notes ? { notes: s.notes } : {}),
      };
    }),
  );
}

export interface SummaryInput {
  results: PartResult[];
  root: string;
  harness: HarnessIdentity;
  startedAt: Date;
  finishedAt: Date;
  command: string;
  rerunCommand?: (failed: ScenarioSummary[]) => string | undefined;
  partialReasons: string[];
}

/** The JSON conformance summary: requirement → outcome → scenarios, with the run's parameters. */
export function buildSummary(input: SummaryInput): ConformanceSummary {
  const scenarios = scenarioSummaries(input.results);
  const counts = emptyCounts();
  const roles: Record<string, Record<Outcome, number>> = {};
  for (const s of scenarios) {
    counts[s.outcome] += 1;
    const role = s.role ?? 'other';
    (roles[role] ??= emptyCounts())[s.outcome] += 1;
  }
  const partialReasons = [...input.partialReasons];
  for (const { part, verdict } of input.results) if (verdict.runError) partialReasons.push(`${part.name}: ${verdict.runError}`);
  const exitCode = Math.max(0, ...input.results.map((r) => r.verdict.exitCode)) as 0 | 1 | 2;
  // The requirements in scope: those with a scenario in the feature files this run covers.
  const covered = input.results.flatMap((r) => r.part.scope ?? r.part.paths);
  const inScope = (uri: string) => covered.some((p) => uri === p || uri.startsWith(p.replace(/\/?$/, '/')));
  const matrix = coverageMatrix(catalogue(), writtenScenarios(input.root), scenarios).filter((row) => row.written.some((s) => inScope(s.uri)));
  const failed = scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  const warned = scenarios.map((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').length).filter((n) => n > 0);
  return {
    harness: input.harness,
    run: {
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      durationSeconds: Math.round((input.finishedAt.getTime() - input.startedAt.getTime()) / 100) / 10,
      command: input.command,
      rerunCommand: failed.length ? input.rerunCommand?.(failed) : undefined,
      partial: partialReasons.length > 0,
      partialReasons,
      parts: input.results.map(({ part, verdict, dir }) => ({
        name: part.name,
        title: part.title,
        paths: part.paths,
        tags: part.tags,
        systemUnderTest: part.systemUnderTest,
        messages: messagesIn(dir),
        runError: verdict.runError,
        exitCode: verdict.exitCode,
      })),
    },
    verdict: { exitCode, meaning: VERDICTS[exitCode] },
    counts,
    warnings: { count: warned.reduce((a, b) => a + b, 0), scenarios: warned.length },
    roles,
    requirements: matrix.map((row) => ({ id: row.requirement.id, title: row.requirement.title, link: row.link, outcome: row.outcome ?? 'not run', scenarios: row.ran ?? [] })),
    scenarios,
  };
}

export function writeSummary(file: string, summary: ConformanceSummary): void {
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
}
