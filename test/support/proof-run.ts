import type { Envelope } from '@cucumber/messages';
import { LATITUDES_MET_MEDIA_TYPE, type RunParameters } from '../../src/actors/run-parameters';
import { runFeatures } from '../../src/pipeline/cucumber';
import { verdictOfMessages } from '../../src/results/verdict';
import type { Verdict } from '../../src/results/outcome';
import { noteLine } from '../../src/results/rule-note';
import { setConsultations, type ConsumerVariantName } from '../../reference/consumer/variants';

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
  /**
   * Given `probeLatitudes`: for each answer-only variant of the reference provider, the scenarios
   * (`uri:line`) where it would have answered otherwise (src/spine/provider/variants.ts latitudesMet).
   */
  latitudesMet: Record<string, string[]>;
  /**
   * Given `probeConsumerVariants`: for each reference consumer variant, the scenarios (`uri:line`) whose
   * choices asked about it, `*` for outside any scenario (reference/consumer/variants.ts setConsultations).
   */
  consumerVariantsAsked: Record<string, string[]>;
}

/** The request a proof file's process sends its proof process (test/support/proof.ts). */
export interface ProofRequest {
  paths: string[];
  parameters: Partial<RunParameters>;
  tags?: string;
  order?: string;
  /**
   * Requests with the same key are one run: `npm test`'s pool runs the first and answers the others
   * with its result (the variant proof's probe, which every file of it needs). Give it only to a run
   * whose result does not depend on the rest of the request (its report folder).
   */
  shareAs?: string;
  /**
   * Note, per scenario, the reference consumer's variants its choices asked about (ProofRun.consumerVariantsAsked).
   */
  probeConsumerVariants?: boolean;
  /**
   * Stop at the first scenario that does not pass (Cucumber's failFast; the rest are skipped): for a
   * fault's run narrowed to its requirement's scenarios, where the first failure is already the proof.
   */
  failFast?: boolean;
}

/**
 * The features through Cucumber's API in this process: the support code loads on the first run
 * only, so a proof of a hundred faults costs a hundred runs of the scenarios concerned, not a
 * hundred Cucumber start-ups. `order` is Cucumber's (`defined`, or `random:<seed>`).
 */
export async function runProof({ paths, parameters, tags, order, probeConsumerVariants, failFast }: ProofRequest): Promise<ProofRun> {
  const messages: Envelope[] = [];
  const latitudes = new ScenarioNotes(LATITUDES_MET_MEDIA_TYPE);
  const asked = new ScenarioNotes();
  const consulted = probeConsumerVariants ? new ConsumerConsultations(asked) : undefined;
  try {
    await runFeatures({ paths, tags, order, failFast, parameters: { evidence: false, ...parameters }, quiet: true, onMessage: (e) => {
      messages.push(e);
      latitudes.see(e);
      asked.see(e);
      consulted?.see(e);
    } });
  } finally {
    consulted?.end();
  }
  const verdict = verdictOfMessages(messages);
  const failed = verdict.scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  return {
    verdict,
    failedRequirements: new Set(failed.flatMap((s) => s.tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice(5)))),
    failedScenarios: failed.map((s) => `${s.name} (${s.outcome}: ${s.reason ?? ''})`),
    warnedRequirements: new Set(verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => n.requirement))),
    warnings: verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => `${s.name}: ${noteLine(n)}`)),
    latitudesMet: latitudes.byVariant(),
    consumerVariantsAsked: asked.byVariant(),
  };
}

/** Variants noted per scenario, from the messages as they come: the scenarios' attachments of `mediaType`, or what `note` is told. */
class ScenarioNotes {
  /** Each pickle's `uri:line` (an example's own row, for an outline), then each test case's and each attempt's. */
  private readonly where = new Map<string, string>();
  private readonly met = new Map<string, Set<string>>();

  constructor(private readonly mediaType?: string) {}

  see(e: Envelope): void {
    if (e.pickle) this.where.set(e.pickle.id, `${e.pickle.uri}:${e.pickle.location?.line}`);
    if (e.testCase) this.where.set(e.testCase.id, this.where.get(e.testCase.pickleId) ?? '');
    if (e.testCaseStarted) this.where.set(e.testCaseStarted.id, this.where.get(e.testCaseStarted.testCaseId) ?? '');
    if (this.mediaType === undefined || e.attachment?.mediaType !== this.mediaType) return;
    if (!e.attachment.testCaseStartedId) throw new Error(`a ${this.mediaType} attachment belongs to no scenario: ${JSON.stringify(e.attachment)}`);
    this.note(e.attachment.testCaseStartedId, JSON.parse(e.attachment.body) as string[]);
  }

  /** The variants `met` in the scenario of this attempt (`testCaseStartedId`), or outside any scenario (`*`). */
  note(testCaseStartedId: string | undefined, met: Iterable<string>): void {
    const where = testCaseStartedId === undefined ? '*' : this.where.get(testCaseStartedId);
    if (!where) throw new Error(`variants were noted for no scenario (attempt ${testCaseStartedId})`);
    for (const variant of met) {
      if (!this.met.has(variant)) this.met.set(variant, new Set());
      this.met.get(variant)!.add(where);
    }
  }

  byVariant(): Record<string, string[]> {
    return Object.fromEntries([...this.met].map(([variant, where]) => [variant, [...where].sort()]));
  }
}

/**
 * The reference consumer's variants asked about, per scenario: the consumer runs in this process
 * (its module driver), so its choices are collected from the moment an attempt starts to the moment it
 * finishes (the After hooks, the quiet time among them, included), and outside them under `*`.
 */
class ConsumerConsultations {
  private readonly outside = new Set<ConsumerVariantName>();
  private current: { id: string; asked: Set<ConsumerVariantName> } | undefined;

  constructor(private readonly into: ScenarioNotes) {
    setConsultations(this.outside);
  }

  see(e: Envelope): void {
    if (e.testCaseStarted) {
      this.current = { id: e.testCaseStarted.id, asked: new Set() };
      setConsultations(this.current.asked);
    }
    if (e.testCaseFinished && this.current) {
      this.into.note(this.current.id, this.current.asked);
      this.current = undefined;
      setConsultations(this.outside);
    }
  }

  end(): void {
    setConsultations(undefined);
    this.into.note(undefined, this.outside);
  }
}
