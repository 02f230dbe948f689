import path from 'node:path';
import { After, AfterAll, AfterStep, Before, setDefaultTimeout } from '@cucumber/cucumber';
import { SpineInABox } from '../src/spine/spine';
import { parseSspFaults } from '../src/spine/ssp-faults';
import { parseSdsFaults } from '../src/spine/sds-faults';
import { parseProviderFaults } from '../src/spine/provider/faults';
import { loadProviderProfile, type ProviderProfile } from '../src/actors/profiles/load';
import { startProviderSystem, type ProviderSystem, DEFAULT_REQUEST_SECONDS } from '../src/actors/sut/provider-system';
import type { GpcWorld } from './world';
import { loadConsumerProfile, type ConsumerProfile } from '../src/actors/profiles/consumer';
import { startConsumerSystem, type ConsumerSystem } from '../src/actors/sut/consumer-system';
import { ConsumerUnderTest } from '../src/actors/consumer/consumer-under-test';
import { afterConsumerScenario, reportUnmatched } from '../src/actors/consumer/scenario-bounds';
import { attachExchanges, attachSequenceDiagram, labelScenario, type SystemUnderTest } from '../src/evidence/evidence';
import { roleOf } from '../src/evidence/tags';

/**
 * Provider conformance: the provider under test named by GPC_PROVIDER_PROFILE (the built-in
 * reference provider by default). Loaded when the support code loads, so a bad profile stops the
 * run before any scenario with every problem named.
 */
const providerProfile: ProviderProfile = loadProviderProfile(process.env.GPC_PROVIDER_PROFILE ?? 'profiles/reference-provider.yaml');
const requestSeconds = providerProfile.timeouts?.requestSeconds ?? DEFAULT_REQUEST_SECONDS;

/** Consumer conformance: the consumer under test named by GPC_CONSUMER_PROFILE (the built-in reference consumer by default). */
const consumerProfile: ConsumerProfile = loadConsumerProfile(process.env.GPC_CONSUMER_PROFILE ?? 'profiles/reference-consumer.yaml');
const actionSeconds = consumerProfile.timeouts?.actionSeconds ?? 60;

// Above the SSP timeout scenarios, and room for a step's first request to the provider under test
// to time out and be reported as such rather than as a step timeout (toolchain.md pitfall 12).
// A consumer's booking is bounded by its profile's action timeout, and must end as a DriverFailed, not a step timeout.
setDefaultTimeout(Math.max(30_000, (requestSeconds + 5) * 2 * 1000, (actionSeconds + 10) * 1000));

/** GPC_SSP_FAULTS makes the SSP simulator misbehave on purpose: the harness's own proof (test/fault-proof.test.ts). */
const sspFaults = parseSspFaults(process.env.GPC_SSP_FAULTS);
const sdsFaults = parseSdsFaults(process.env.GPC_SDS_FAULTS);

/** GPC_PROVIDER_FAULTS makes the reference provider misbehave on purpose (src/spine/provider/faults.ts). */
const providerFaults = parseProviderFaults(process.env.GPC_PROVIDER_FAULTS);

/**
 * Under `--parallel N` every Cucumber worker is a process of its own (CUCUMBER_WORKER_ID 0, 1, …)
 * with everything below to itself: its Spine in a box on ephemeral ports, their journal, the
 * reference provider's state, and a consumer under test started with its own {port}. Only files
 * need naming apart: a worker's logs and unmatched requests carry its number. The TLS folder is
 * shared on purpose: its material is written under a lock and atomically (src/spine/tls.ts).
 */
const worker = process.env.CUCUMBER_WORKER_ID;
/** Where this part's files go: `gpc-conform run` and `conformance` give the part's folder in --out. */
const reportDir = process.env.GPC_REPORT_DIR ?? 'reports';
const perWorker = (file: string) => (worker === undefined ? file : file.replace(/(\.[^./]+)?$/, (ext) => `.worker-${worker}${ext}`));

/** One Spine in a box per worker over plain HTTP, and one over mutual TLS started on first use. */
const spines: { plain?: Promise<SpineInABox>; mtls?: Promise<SpineInABox> } = {};
let providerSystem: Promise<ProviderSystem> | undefined;
let consumerSystem: Promise<ConsumerSystem> | undefined;
/** Every Ssp-TraceID consumer scenarios in this worker have seen: a trace ID is never reused (CONS-TRACE-ID). */
const traceIdsSeen = new Set<string>();

/** Started on first use; a provider with a start command is started here unless `gpc-conform run` already did. */
function provider(): Promise<ProviderSystem> {
  return (providerSystem ??= startProviderSystem(providerProfile, {
    faults: providerFaults,
    allowNonLoopback: process.env.GPC_ALLOW_NON_LOOPBACK === '1',
    logFile: perWorker(path.join(reportDir, 'provider-under-test.log')),
  }));
}

/** Started on first use: Spine in a box, then the consumer under test wired to it (GPC_CONSUMER_FAULTS: the reference consumer's deliberate mistakes). */
function consumer(): Promise<ConsumerSystem> {
  return (consumerSystem ??= startConsumerSystem(consumerProfile, {
    faults: process.env.GPC_CONSUMER_FAULTS,
    allowNonLoopback: process.env.GPC_ALLOW_NON_LOOPBACK === '1',
    logFile: perWorker(path.join(reportDir, 'consumer-under-test.log')),
  }));
}

/**
 * `@capability:<name>` marks scenarios for something a system may declare it does not do
 * (a provider: registerPatient, readAppointment, xml; a consumer: registersPatients,
 * retriesWithAnotherWindow): skipped, not failed, when its profile says false.
 * `@organisations` scenarios need a consumer that books for several organisations.
 */
function declinedCapability(tags: string[], declared: object | undefined): string | undefined {
  const capabilities = (declared ?? {}) as Record<string, boolean | undefined>;
  return tags.map((t) => t.match(/^@capability:(\w+)$/)?.[1]).find((name) => name !== undefined && capabilities[name] === false);
}

function notApplicable(tags: string[]): boolean {
  if (tags.includes('@provider')) return declinedCapability(tags, providerProfile.capabilities) !== undefined;
  if (!tags.includes('@consumer')) return false;
  if (tags.includes('@organisations') && (consumerProfile.identity.organisations?.length ?? 0) < 2) return true;
  return declinedCapability(tags, consumerProfile.capabilities) !== undefined;
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
  if (notApplicable(pickle.tags.map((t) => t.name))) return 'skipped';
  const system = tagged('@provider') ? await provider() : undefined;
  const consumerUnderTest = tagged('@consumer') ? await consumer() : undefined;
  const spine = system ? system.spine : consumerUnderTest ? consumerUnderTest.spine : tagged('@mtls') ? await mtlsSpine() : await plainSpine();
  if (system) {
    this.providerProfile = system.provider.profile;
    this.provider = system.provider;
  }
  if (consumerUnderTest) this.consumer = new ConsumerUnderTest(consumerUnderTest, this.scenarioId, traceIdsSeen);
  spine.reset();
  spine.journal.beginScenario(this.scenarioId);
  this.spine = spine;
  this.evidenceSeq = spine.journal.lastSeq;
  const tags = pickle.tags.map((t) => t.name);
  const role = roleOf(tags);
  await labelScenario(tags, role, systemUnderTest(role));
});

function systemUnderTest(role: string | undefined): SystemUnderTest | undefined {
  if (role === 'provider') return { role, name: providerProfile.name, version: providerProfile.version };
  if (role === 'consumer') return { role, name: consumerProfile.name, version: consumerProfile.version };
  return undefined;
}

/** The evidence: every exchange a step caused or received, attached to that step (src/evidence/evidence.ts). */
async function attachNewExchanges(world: GpcWorld): Promise<void> {
  await world.spine.journal.settled();
  const entries = world.spine.journal.entriesSince(world.evidenceSeq, world.scenarioId);
  world.evidenceSeq = world.spine.journal.lastSeq;
  await attachExchanges(entries);
}

AfterStep(async function (this: GpcWorld) {
  if (this.spine) await attachNewExchanges(this);
});

// Runs after the After hook below (Cucumber runs After hooks in reverse order). Named so that the
// Allure formatter puts what it attaches on the scenario itself rather than in a tear-down fixture:
// what arrived after the last step (a consumer in another process), and the sequence diagram.
After({ name: 'ALLURE_FIXTURE_IGNORE' }, async function (this: GpcWorld) {
  if (!this.spine) return;
  await attachNewExchanges(this);
  if (this.consumer) await attachSequenceDiagram(this.spine.journal.entries({ scenario: this.scenarioId }), consumerProfile.name);
});

After(async function (this: GpcWorld) {
  if (!this.spine) return; // skipped before it began (a declined capability)
  // A consumer may still be sending after it reported: wait for it to go quiet, then say so (bounded).
  const late = this.consumer ? await afterConsumerScenario(this.consumer, consumerProfile.builtIn === true) : undefined;
  await this.spine.journal.settled();
  this.spine.journal.endScenario();
  if (this.consumer) for (const id of this.consumer.traceIds()) traceIdsSeen.add(id);
  if (late) throw late;
});

AfterAll(async () => {
  if (consumerSystem) reportUnmatched(await consumerSystem, worker === undefined ? reportDir : path.join(reportDir, `worker-${worker}`));
  for (const started of [spines.plain, spines.mtls, providerSystem, consumerSystem]) if (started) await (await started).stop();
});
