import { After, AfterAll, Before, setDefaultTimeout } from '@cucumber/cucumber';
import * as allure from 'allure-js-commons';
import { SpineInABox } from './spine/spine';
import { parseSspFaults } from './spine/ssp-faults';
import { parseSdsFaults } from './spine/sds-faults';
import { parseProviderFaults } from '../reference/provider/faults';
import { loadProviderProfile, type ProviderProfile } from './profiles/load';
import { startProviderSystem, type ProviderSystem, DEFAULT_REQUEST_SECONDS } from './sut/provider-system';
import type { GpcWorld } from './world';

/**
 * Provider conformance: the provider under test named by GPC_PROVIDER_PROFILE (the built-in
 * reference provider by default). Loaded when the support code loads, so a bad profile stops the
 * run before any scenario with every problem named.
 */
const providerProfile: ProviderProfile = loadProviderProfile(process.env.GPC_PROVIDER_PROFILE ?? 'profiles/reference-provider.yaml');
const requestSeconds = providerProfile.timeouts?.requestSeconds ?? DEFAULT_REQUEST_SECONDS;

// Above the SSP timeout scenarios, and room for a step's first request to the provider under test
// to time out and be reported as such rather than as a step timeout (toolchain.md pitfall 12).
setDefaultTimeout(Math.max(30_000, (requestSeconds + 5) * 2 * 1000));

/** GPC_SSP_FAULTS makes the SSP simulator misbehave on purpose: the harness's own proof (test/fault-proof.test.ts). */
const sspFaults = parseSspFaults(process.env.GPC_SSP_FAULTS);
const sdsFaults = parseSdsFaults(process.env.GPC_SDS_FAULTS);

/** GPC_PROVIDER_FAULTS makes the reference provider misbehave on purpose (reference/provider/faults.ts). */
const providerFaults = parseProviderFaults(process.env.GPC_PROVIDER_FAULTS);

/** One Spine in a box per worker over plain HTTP, and one over mutual TLS started on first use. */
const spines: { plain?: Promise<SpineInABox>; mtls?: Promise<SpineInABox> } = {};
let providerSystem: Promise<ProviderSystem> | undefined;

/** Started on first use; a provider with a start command is started here unless `gpc-conform run` already did. */
function provider(): Promise<ProviderSystem> {
  return (providerSystem ??= startProviderSystem(providerProfile, {
    faults: providerFaults,
    allowNonLoopback: process.env.GPC_ALLOW_NON_LOOPBACK === '1',
    logFile: 'reports/provider-under-test.log',
  }));
}

/**
 * `@capability:<name>` marks scenarios for something a provider may declare it does not do
 * (registerPatient, readAppointment, xml): skipped, not failed, when its profile says false.
 */
function declinedCapability(tags: string[]): string | undefined {
  const capabilities = (providerProfile.capabilities ?? {}) as Record<string, boolean | undefined>;
  return tags.map((t) => t.match(/^@capability:(\w+)$/)?.[1]).find((name) => name !== undefined && capabilities[name] === false);
}

export function plainSpine(): Promise<SpineInABox> {
  return (spines.plain ??= SpineInABox.start({ mode: 'sockets', sspFaults, sdsFaults }));
}

export function mtlsSpine(): Promise<SpineInABox> {
  return (spines.mtls ??= SpineInABox.start({ mode: 'sockets', sspFaults, sdsFaults, tls: true, tlsDir: process.env.GPC_TLS_DIR ?? 'reports/tls' }));
}

Before(async function (this: GpcWorld, { pickle }) {
  this.scenarioId = `${pickle.uri}:${pickle.astNodeIds.join('+')}:${pickle.name}`;
  const tagged = (name: string) => pickle.tags.some((t) => t.name === name);
  if (tagged('@provider') && declinedCapability(pickle.tags.map((t) => t.name))) return 'skipped';
  const system = tagged('@provider') ? await provider() : undefined;
  const spine = system ? system.spine : tagged('@mtls') ? await mtlsSpine() : await plainSpine();
  if (system) {
    this.providerProfile = system.provider.profile;
    this.provider = system.provider;
  }
  spine.reset();
  spine.journal.beginScenario(this.scenarioId);
  this.spine = spine;
  const role = pickle.tags.map((t) => t.name.slice(1)).find((t) => ['consumer', 'provider', 'ssp', 'topology'].includes(t));
  if (role) await allure.epic(role);
});

After(async function (this: GpcWorld) {
  if (!this.spine) return; // skipped before it began (a declined capability)
  await this.spine.journal.settled();
  this.spine.journal.endScenario();
});

AfterAll(async () => {
  for (const started of [spines.plain, spines.mtls, providerSystem]) if (started) await (await started).stop();
});
