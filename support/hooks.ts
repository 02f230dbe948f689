import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import * as allure from 'allure-js-commons';
import { SpineInABox } from './spine/spine';
import { parseSspFaults } from './spine/ssp-faults';
import type { GpcWorld } from './world';

// Above the SSP timeout scenarios and the slowest exchange the harness waits for (toolchain.md pitfall 12).
setDefaultTimeout(30_000);

/** GPC_SSP_FAULTS makes the SSP simulator misbehave on purpose: the harness's own proof (test/ssp-faults.test.ts). */
const sspFaults = parseSspFaults(process.env.GPC_SSP_FAULTS);

/** One Spine in a box per worker over plain HTTP, and one over mutual TLS started on first use. */
const spines: { plain?: Promise<SpineInABox>; mtls?: Promise<SpineInABox> } = {};

export function plainSpine(): Promise<SpineInABox> {
  return (spines.plain ??= SpineInABox.start({ mode: 'sockets', sspFaults }));
}

export function mtlsSpine(): Promise<SpineInABox> {
  return (spines.mtls ??= SpineInABox.start({ mode: 'sockets', sspFaults, tls: true, tlsDir: process.env.GPC_TLS_DIR ?? 'reports/tls' }));
}

BeforeAll(async () => {
  await plainSpine();
});

Before(async function (this: GpcWorld, { pickle }) {
  this.scenarioId = `${pickle.uri}:${pickle.astNodeIds.join('+')}:${pickle.name}`;
  const spine = pickle.tags.some((t) => t.name === '@mtls') ? await mtlsSpine() : await plainSpine();
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
  for (const started of [spines.plain, spines.mtls]) if (started) await (await started).stop();
});
