import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { RawResponse } from '../src/http/raw-client';
import type { Directory } from '../src/spine/directory/directory';
import type { TopologyDraft } from '../src/spine/directory/edits';
import type { DirectoryError } from '../src/spine/directory/load';
import type { PreparedRequest } from '../src/actors/provider/ssp-exchange';
import type { ProviderAddress } from '../src/actors/provider/sds-client';
import type { SpineInABox } from '../src/spine/spine';
import type { ProviderScenario } from '../src/actors/provider/provider-scenario';
import { need } from '../src/actors/scenario-state';
import type { ConsumerUnderTest } from '../src/actors/consumer/consumer-under-test';
import type { HarnessRun } from '../src/actors/harness-run';

/** One scenario's state. Spine in a box itself is shared by the worker; its journal separates scenarios. */
export class GpcWorld extends World {
  spine!: SpineInABox;
  /** This run's systems and parameters (support/hooks.ts). */
  run!: HarnessRun;
  /** The journal's name for this scenario. */
  scenarioId = '';
  prepared?: PreparedRequest;
  response?: RawResponse;
  /** The client certificate the harness presents as the consumer over mutual TLS (undefined: none). */
  clientCertificate?: { cert: string; key: string };
  draft?: TopologyDraft;
  loaded?: { directory?: Directory; error?: DirectoryError };
  topologySystems?: string[];
  /** Provider conformance (scenarios tagged @provider), set by the Before hook. */
  providerScenario?: ProviderScenario;
  sdsAnswer?: { provider?: ProviderAddress; error?: Error };
  /** Consumer conformance: the consumer under test (scenarios tagged @consumer). */
  consumer?: ConsumerUnderTest;
  /** The journal sequence number up to which exchanges are already attached to the report. */
  evidenceSeq = 0;

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** Provider conformance (scenarios tagged @provider). */
  get provider(): ProviderScenario {
    return need(this.providerScenario, 'provider under test (tag the feature @provider)');
  }

  /** The consumer under test (scenarios tagged @consumer). */
  get consumerUnderTest(): ConsumerUnderTest {
    return this.need(this.consumer, 'consumer under test (tag the feature @consumer)');
  }

  need<T>(value: T | undefined, what: string): T {
    return need(value, what);
  }
}

setWorldConstructor(GpcWorld);
