import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { SpineInABox } from '../src/spine/spine';
import type { HarnessRun } from '../src/actors/harness-run';
import type { ConsumerUnderTest } from '../src/actors/consumer/consumer-under-test';
import { ProviderScenario } from '../src/actors/provider/provider-scenario';
import { SspScenario } from '../src/actors/provider/ssp-scenario';
import { TopologyScenario } from '../src/actors/topology/topology-scenario';
import { need } from '../src/actors/scenario-state';

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

  constructor(options: IWorldOptions) {
    super(options);
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
