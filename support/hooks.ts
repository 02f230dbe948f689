import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import * as allure from 'allure-js-commons';
import { SpineInABox } from './spine/spine';
import { parseSspFaults } from './spine/ssp-faults';
import { parseSdsFaults } from './spine/sds-faults';
import { parseProviderFaults } from '../reference/provider/faults';
import { loadProviderProfile, type ProviderProfile } from './profiles/load';
import type { GpcWorld } from './world';

// Above the SSP timeout scenarios and the slowest exchange the harness waits for (toolchain.md pitfall 12).
setDefaultTimeout(30_000);

/** GPC_SSP_FAULTS makes the SSP simulator misbehave on purpose: the harness's own proof (test/fault-proof.test.ts). */
const sspFaults = parseSspFaults(process.env.GPC_SSP_FAULTS);
const sdsFaults = parseSdsFaults(process.env.GPC_SDS_FAULTS);

/** GPC_PROVIDER_FAULTS makes the reference provider misbehave on purpose (reference/provider/faults.ts). */
const providerFaults = parseProviderFaults(process.env.GPC_PROVIDER_FAULTS);

/** One Spine in a box per worker over plain HTTP, and one over mutual TLS started on first use. */
const spines: { plain?: Promise<SpineInABox>; mtls?: Promise<SpineInABox>; provider?: Promise<SpineInABox> } = {};
let providerProfile: ProviderProfile | undefined;

/**
 * Provider conformance: the provider under test named by GPC_PROVIDER_PROFILE (the built-in
 * reference provider by default), behind Spine in a box's SSP. Only the built-in reference
 * provider can be the system under test so far; other profiles come with the rest of issue 3.
 */
function providerSpine(): Promise<SpineInABox> {
  providerProfile ??= loadProviderProfile(process.env.GPC_PROVIDER_PROFILE ?? 'profiles/reference-provider.yaml');
  return (spines.provider ??= SpineInABox.start({ mode: 'sockets', referenceProvider: { faults: providerFaults } }));
}

export function plainSpine(): Promise<SpineInABox> {
  return (spines.plain ??= SpineInABox.start({ mode: 'sockets', sspFaults, sdsFaults }));
}

export function mtlsSpine(): Promise<SpineInABox> {
  return (spines.mtls ??= SpineInABox.start({ mode: 'sockets', sspFaults, sdsFaults, tls: true, tlsDir: process.env.GPC_TLS_DIR ?? 'reports/tls' }));
}

BeforeAll(async () => {
  await plainSpine();
});

Before(async function (this: GpcWorld, { pickle }) {
  this.scenarioId = `${pickle.uri}:${pickle.astNodeIds.join('+')}:${pickle.name}`;
  const tagged = (name: string) => pickle.tags.some((t) => t.name === name);
  const spine = tagged('@provider') ? await providerSpine() : tagged('@mtls') ? await mtlsSpine() : await plainSpine();
  if (tagged('@provider')) this.providerProfile = providerProfile;
  spine.reset();
  spine.journal.beginScenario(this.scenarioId);
  this.spine = spine;
  const role = pickle.tags.map((t) => t.name.slice(1)).find((t) => ['consumer', 'provider', 'ssp', 'topology'].includes(t));
  if (role) await allure.epic(role);
});

After(async function (this: GpcWorld) {
  await this.spine.journal.settled();
  this.spine.journal.endScenario();
});

AfterAll(async () => {
  for (const started of [spines.plain, spines.mtls, spines.provider]) if (started) await (await started).stop();
});
