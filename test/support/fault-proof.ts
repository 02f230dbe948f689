import { SSP_FAULTS } from '../../src/spine/ssp-faults';
import { PROVIDER_FAULTS } from '../../src/spine/provider/faults';
import { SDS_FAULTS } from '../../src/spine/sds-faults';
import { CONSUMER_FAULTS } from '../../reference/consumer/faults';
import type { RunFaults } from '../../src/actors/run-parameters';
import { proveRun } from './proof';

/**
 * The fault proof (DESIGN.md "Proving the harness"): the features run against an SSP, a directory, a
 * reference provider and a reference consumer that each make one deliberate mistake; each run must
 * fail, and a failing scenario must be tagged with the requirement that mistake breaks. Its runs are
 * spread over several test files (test/system/fault-proof*.test.ts), so that `npm test` runs them side
 * by side; in each file the support code loads once and Cucumber runs once per fault.
 */

/** A fault, and the requirement whose scenarios must then fail (or warn, for a SHOULD). */
export type Fault = [fault: string, breaks: string];

/** The directory rules the topology features' directory can be made to forget (src/spine/directory/rules.ts). */
export const DIRECTORY_RULES = [
  'SDS-1.1-UNIQUE-ASID',
  'SDS-1.3-ONE-PROVIDER',
  'SDS-2.1-CONSUMER-NOT-CMA',
  'SDS-2.2-CONSUMER-MHS-INTERACTIONS',
  'SDS-3.1-CMA',
  'SDS-3.2-PROVIDER-INTERACTIONS',
  'SDS-3.4-SERVICE-ROOT',
  'SDS-3.5-ROOT-ONLY',
  'DIR-REFERENCES',
];

/** Every fault the proof switches on, by the part of the harness that makes it. */
export const FAULTS: Record<keyof RunFaults, Fault[]> = {
  ssp: Object.entries(SSP_FAULTS).map(([f, e]) => [f, e.breaks]),
  directory: DIRECTORY_RULES.map((rule) => [rule, rule]),
  sds: Object.entries(SDS_FAULTS).map(([f, e]) => [f, e.breaks]),
  provider: Object.entries(PROVIDER_FAULTS).map(([f, e]) => [f, e.breaks]),
  consumer: CONSUMER_FAULTS.map((f) => [f.name, f.requirement]),
};


/**
 * Run the features once per fault; in every run a judge must fail a scenario tagged with the requirement
 * that fault breaks (a broken scenario is not enough), and none may end in a harness error (the harness must judge a broken system, not
 * break on it). Where the fault names its requirement's features, only that requirement's scenarios
 * run: what is proven is that they fail, and the others would only take time. Such a run stops at its
 * first failure (each of its scenarios is tagged with the requirement, so that failure is the proof),
 * unless `proven` asks for every requirement the runs fail or warn about: those go into it.
 */
export async function proveFaults(
  common: { tlsDir: string; reportDir: string },
  kind: keyof RunFaults,
  faults: Fault[],
  paths: string[] | ((breaks: string) => string[]),
  proven?: Set<string>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [fault, breaks] of faults) {
    const narrowed = typeof paths === 'function';
    const run = await proveRun(narrowed ? paths(breaks) : paths, { ...common, faults: { [kind]: fault } }, { tags: narrowed ? `@req:${breaks}` : undefined, failFast: narrowed && proven === undefined });
    for (const r of [...run.failedRequirements, ...run.warnedRequirements]) proven?.add(r);
    const harnessErrors = run.verdict.scenarios.filter((s) => s.outcome === 'harness-error');
    if (harnessErrors.length > 0) problems.push(`${fault}: the harness broke instead of judging: ${harnessErrors.map((s) => `${s.name} (${s.reason ?? ''})`).join('; ')}`);
    // A fault that breaks a SHOULD, or only an exact code the spec leaves open, is proven by the warning
    // that names it (src/rules/rule.ts): the run passes, as it must for a conformant system.
    if (run.warnedRequirements.has(breaks) && !run.failedRequirements.has(breaks)) continue;
    if (run.verdict.exitCode === 0) problems.push(`${fault}: the run passed and warned of nothing about ${breaks} (warnings: ${run.warnings.join('; ') || 'none'})`);
    // Failed by a judge: a scenario broken (the system under test unreachable, or doing nothing to judge) shows no rule at work.
    else if (!run.verdict.scenarios.some((s) => s.outcome === 'failed' && s.tags.includes(`@req:${breaks}`))) problems.push(`${fault}: no scenario a judge failed names ${breaks} (did not pass: ${run.failedScenarios.join('; ')})`);
  }
  return problems;
}

/** Share `part` of `parts` of a list: the items whose place is `part` modulo `parts`. */
export function share<T>(items: readonly T[], part: number, parts: number): T[] {
  return items.filter((_, index) => index % parts === part - 1);
}
