import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { RawResponse } from '../src/http/raw-client';
import type { Directory } from '../src/spine/directory/directory';
import type { TopologyDraft } from '../src/spine/directory/edits';
import type { DirectoryError } from '../src/spine/directory/load';
import type { PreparedRequest } from '../src/actors/provider/ssp-exchange';
import type { ProviderAddress } from '../src/actors/provider/sds-client';
import type { SpineInABox } from '../src/spine/spine';
import type { ProviderProfile } from '../src/actors/profiles/load';
import type { ProviderAnswer } from '../src/rules/provider';
import type { ProviderUnderTest } from '../src/actors/provider/provider-under-test';
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
  /** Provider conformance: the profile of the provider under test, its latest answer, the NHS number asked for. */
  providerProfile?: ProviderProfile;
  provider?: ProviderUnderTest;
  providerAnswer?: ProviderAnswer;
  searchedNhsNumber?: string;
  slotWindow?: { start: string; end: string };
  booking?: Record<string, unknown>;
  bookedSlotId?: string;
  /** Search for free slots: the query last sent (name/value pairs) and the Slot ids a search without filters offered. */
  slotQuery?: Array<[string, string]>;
  slotsOfferedWithoutFilters?: string[];
  /** Read an appointment: the Appointment the provider answered the booking with. */
  bookedAppointment?: Record<string, any>;
  sdsAnswer?: { provider?: ProviderAddress; error?: Error };
  /** Consumer conformance: the consumer under test (scenarios tagged @consumer). */
  consumer?: ConsumerUnderTest;
  /** The journal sequence number up to which exchanges are already attached to the report. */
  evidenceSeq = 0;

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** The provider under test (scenarios tagged @provider). */
  get providerUnderTest(): ProviderUnderTest {
    return this.need(this.provider, 'provider under test (tag the feature @provider)');
  }

  /** The consumer under test (scenarios tagged @consumer). */
  get consumerUnderTest(): ConsumerUnderTest {
    return this.need(this.consumer, 'consumer under test (tag the feature @consumer)');
  }

  need<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`the scenario has no ${what} yet: a Given step is missing`);
    return value;
  }
}

setWorldConstructor(GpcWorld);
