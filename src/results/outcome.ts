/**
 * The outcome model: how a scenario ended, what a run of Cucumber gave, and the stable names the
 * reports use for them. Every room that reports or reads results shares these, so none of them
 * depends on another for its types.
 */
import type { RuleNote } from './rule-note';

/** How one scenario ended, as a supplier reads it. */
export type Outcome = 'passed' | 'failed' | 'broken' | 'skipped' | 'harness-error';

/**
 * The errors that break a scenario as the system under test's doing, not the harness's: it could not
 * be talked to (ProviderUnreachable, ExchangeFailed, DriverFailed), or it did not do what the scenario
 * needs to go on (NothingToActOn: a consumer that booked nothing has nothing to cancel). Read by the
 * verdict (src/results/verdict.ts) and the Allure report's categories.
 */
export const SYSTEM_UNDER_TEST_ERRORS = ['ProviderUnreachable', 'ExchangeFailed', 'DriverFailed', 'NothingToActOn'] as const;

export interface ScenarioResult {
  name: string;
  uri: string;
  line?: number;
  tags: string[];
  outcome: Outcome;
  /** The first line of the reason, for failed, broken and harness errors. */
  reason?: string;
  /** Every step's reason, when more than one step did not pass (a failed Then, then a late request found after it). */
  reasons?: string[];
  /** What the judges found, rule by rule: the failures (with their level and source) and the warnings, which do not fail the scenario. */
  notes?: RuleNote[];
  /**
   * Which of the scenarios with this name (as an ID slug) in its feature file this is, counting
   * every one written (the outline's example rows too), not only those that ran: the same number
   * in a serial, parallel, sharded or filtered run.
   */
  occurrence?: number;
}

export interface Verdict {
  scenarios: ScenarioResult[];
  counts: Record<Outcome, number>;
  /** Warnings found, counted apart from the outcomes: they never change the exit code (without --strict they are not failures). */
  warnings: number;
  /** 0 conformant, 1 non-conformance found (failed or broken by the system under test), 2 harness or configuration error. */
  exitCode: 0 | 1 | 2;
  /** Why the run itself went wrong, when it did. */
  runError?: string;
  /** How many scenarios Cucumber was to run (all of them are announced before the first starts); `scenarios` holds those that finished. */
  planned?: number;
}

/** One Cucumber run within a conformance run: some features against one set of systems. */
export interface RunPart {
  /** Short and stable: it prefixes scenario IDs ("reference", "consumer-http", "provider"). */
  name: string;
  title: string;
  /** Feature paths, or `uri:line` locations when re-running. */
  paths: string[];
  /** The feature paths the part covers when whole, when `paths` has been narrowed to locations: the requirements in scope. */
  scope?: string[];
  tags?: string;
  /** What the part is about, as Cucumber's world parameters (src/actors/run-parameters.ts): the profiles, faults, where its files go. */
  parameters: Record<string, unknown>;
  /**
   * Cucumber workers for this part when the run does not say (`--parallel`): for a part whose time
   * is mostly the system under test's and the quiet waits after it, not this machine's processors.
   */
  parallel?: number;
  systemUnderTest?: { role: 'provider' | 'consumer'; name: string; version?: string; profile: string };
}

export interface PartResult {
  part: RunPart;
  verdict: Verdict;
  /** Where its Cucumber messages, JSON and JUnit are. */
  dir: string;
}

export interface ScenarioSummary {
  /** Stable across runs and machines: part, feature path and scenario name. */
  id: string;
  part: string;
  name: string;
  uri: string;
  line?: number;
  /** `uri:line`, what Cucumber takes to run this scenario alone. */
  location: string;
  role?: string;
  steps: string[];
  requirements: string[];
  outcome: Outcome;
  reason?: string;
  /** Every reason, when more than one step did not pass. */
  reasons?: string[];
  /** What the judges found, rule by rule (src/results/rule-note.ts). */
  notes?: RuleNote[];
}

/** A name as an ID: lower case, words joined by hyphens. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
