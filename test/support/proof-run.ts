import type { Envelope } from '@cucumber/messages';
import type { RunParameters } from '../../src/actors/run-parameters';
import { runFeatures } from '../../src/pipeline/cucumber';
import { verdictOfMessages } from '../../src/results/verdict';
import type { Verdict } from '../../src/results/outcome';
import { noteLine } from '../../src/results/rule-note';

// What one proof run found. This module must not import node:test: it runs in the proof's own
// process (test/support/proof-child.ts), away from the test runner's bookkeeping.

export interface ProofRun {
  verdict: Verdict;
  /** Requirements (`@req:` tags) of the scenarios that did not pass. */
  failedRequirements: Set<string>;
  /** Names of the scenarios that did not pass, with why. */
  failedScenarios: string[];
  /** Requirements the judges warned about (src/rules/rule.ts): a SHOULD broken, or an exact code from outside the spec. */
  warnedRequirements: Set<string>;
  /** Each warning, named: "scenario: PROV-X (SHOULD, warning): finding". */
  warnings: string[];
}

/** The request a proof file's process sends its proof process (test/support/proof.ts). */
export interface ProofRequest {
  paths: string[];
  parameters: Partial<RunParameters>;
  tags?: string;
  order?: string;
}

/**
 * The features through Cucumber's API in this process: the support code loads on the first run
 * only, so a proof of a hundred faults costs a hundred runs of the scenarios concerned, not a
 * hundred Cucumber start-ups. `order` is Cucumber's (`defined`, or `random:<seed>`).
 */
export async function runProof({ paths, parameters, tags, order }: ProofRequest): Promise<ProofRun> {
  const messages: Envelope[] = [];
  await runFeatures({ paths, tags, order, parameters: { evidence: false, ...parameters }, quiet: true, onMessage: (e) => messages.push(e) });
  const verdict = verdictOfMessages(messages);
  const failed = verdict.scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  return {
    verdict,
    failedRequirements: new Set(failed.flatMap((s) => s.tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice(5)))),
    failedScenarios: failed.map((s) => `${s.name} (${s.outcome}: ${s.reason ?? ''})`),
    warnedRequirements: new Set(verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => n.requirement))),
    warnings: verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => `${s.name}: ${noteLine(n)}`)),
  };
}
