import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { SpineInABox } from '../src/spine/spine';
import type { HarnessRun } from '../src/actors/harness-run';
import type { ConsumerUnderTest } from '../src/actors/consumer/consumer-under-test';
import { ProviderScenario } from '../src/actors/provider/provider-scenario';
import { SspScenario } from '../src/actors/provider/ssp-scenario';
import { TopologyScenario } from '../src/actors/topology/topology-scenario';
import { need } from '../src/actors/scenario-state';
import { RuleBook, type Findings } from '../src/rules/rule';
import { RULE_NOTE_MEDIA_TYPE } from '../src/results/rule-note';

/** The parts a scenario plays, each with its own state; the Before hook (support/hooks.ts) casts them from the tags. */
export interface ScenarioRoles {
  provider?: ProviderScenario;
  consumer?: ConsumerUnderTest;
  ssp?: SspScenario;
  topology?: TopologyScenario;
}

/** One scenario's state. Spine in a box itself is shared by the worker; its journal separates scenarios. */
export class GpcWorld extends World {
  spine!: SpineInABox;
  /** This run's systems and parameters (support/hooks.ts). */
  run!: HarnessRun;
  /** The journal's name for this scenario. */
  scenarioId = '';
  /** The journal sequence number up to which exchanges are already attached to the report. */
  evidenceSeq = 0;
  roles: ScenarioRoles = {};
  /** The requirements the scenario's @req tags name; the first is the one it is about. */
  requirements: string[] = [];
  private ruleBook?: RuleBook;

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** Set by the Before hook: whether warnings fail (--strict, or the profile's `strict`). */
  beginRules(strict: boolean, requirements: string[]): void {
    this.requirements = requirements;
    this.ruleBook = new RuleBook({ strict, record: (note) => this.attach(JSON.stringify(note), { mediaType: RULE_NOTE_MEDIA_TYPE, fileName: 'rule-note.json' }) });
  }

  /** Judge one requirement (src/rules/rule.ts): a failure fails the step, a warning is recorded and the step passes. */
  judge(requirement: string, findings: Findings): void {
    need(this.ruleBook, 'rule book (support/hooks.ts Before)').judge(requirement, findings);
  }

  /** The rule's situation never arose (the system stopped earlier): the step is skipped, naming why. */
  notReached(requirement: string, why: string): 'skipped' {
    return need(this.ruleBook, 'rule book (support/hooks.ts Before)').notReached(requirement, why);
  }

  /** Judge the requirement the scenario is about: its first @req tag. */
  judgeScenario(findings: Findings): void {
    this.judge(need(this.requirements[0], 'requirement (tag the scenario @req:<id>)'), findings);
  }

  /** Provider conformance (scenarios tagged @provider). */
  get provider(): ProviderScenario {
    return need(this.roles.provider, 'provider under test (tag the feature @provider)');
  }

  /** Consumer conformance (scenarios tagged @consumer). */
  get consumer(): ConsumerUnderTest {
    return need(this.roles.consumer, 'consumer under test (tag the feature @consumer)');
  }

  /** The harness as a consumer sending through Spine in a box's SSP. */
  get ssp(): SspScenario {
    return (this.roles.ssp ??= new SspScenario(this.spine, this.scenarioId));
  }

  /** The directory: topologies edited, loaded and looked up. */
  get topology(): TopologyScenario {
    return (this.roles.topology ??= new TopologyScenario(this.spine, this.run.skippedDirectoryRules));
  }
}

setWorldConstructor(GpcWorld);
