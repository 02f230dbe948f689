import { After, AfterAll, AfterStep, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { HarnessRun } from '../src/actors/harness-run';
import { LATITUDES_MET_MEDIA_TYPE, runParameters } from '../src/actors/run-parameters';
import { ConsumerUnderTest } from '../src/actors/consumer/consumer-under-test';
import { ProviderScenario } from '../src/actors/provider/provider-scenario';
import { afterConsumerScenario } from '../src/actors/consumer/scenario-bounds';
import { attachExchanges, attachSequenceDiagram, labelScenario, writeAttachmentsInto } from '../src/evidence/evidence';
import { roleOf } from '../src/evidence/tags';
import type { GpcWorld } from './world';

/**
 * The longest a step may take: the runner sets it from the profiles it runs (src/actors/harness-run.ts
 * stepTimeoutMs), above the provider's request and the consumer's action timeouts, so those end a step
 * with their own message (toolchain.md pitfall 12). 70 s suits the built-in profiles.
 */
setDefaultTimeout(Number(process.env.GPC_STEP_TIMEOUT_MS) || 70_000);

/**
 * This run's systems, from Cucumber's world parameters (src/actors/run-parameters.ts). Runs in one
 * process follow each other (the proofs, `gpc-conform`'s parts), so each has its own, from BeforeAll
 * to AfterAll.
 */
let run: HarnessRun | undefined;

function current(): HarnessRun {
  if (!run) throw new Error('the run has not begun: BeforeAll did not run (support/hooks.ts)');
  return run;
}

BeforeAll(function (this: { parameters: unknown }) {
  run = new HarnessRun(runParameters(this.parameters), process.env.CUCUMBER_WORKER_ID);
  writeAttachmentsInto(run.parameters.attachmentsDir || undefined);
});

AfterAll(async function () {
  const ending = run;
  run = undefined;
  await ending?.stop();
});

Before(async function (this: GpcWorld, { pickle }) {
  const harness = current();
  this.run = harness;
  this.scenarioId = `${pickle.uri}:${pickle.astNodeIds.join('+')}:${pickle.name}`;
  const tags = pickle.tags.map((t) => t.name);
  this.beginRules(harness.strictFor(tags), tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice('@req:'.length)));
  if (harness.notApplicable(tags)) return 'skipped';
  const system = tags.includes('@provider') ? await harness.provider() : undefined;
  const consumerSystem = tags.includes('@consumer') ? await harness.consumer() : undefined;
  const spine = system?.spine ?? consumerSystem?.spine ?? (tags.includes('@mtls') ? await harness.mtlsSpine() : await harness.plainSpine());
  if (system) {
    system.provider.startSession();
    this.roles.provider = new ProviderScenario(system.provider);
  }
  if (consumerSystem) this.roles.consumer = new ConsumerUnderTest(consumerSystem, this.scenarioId, harness.traceIdsSeen);
  spine.reset();
  spine.journal.beginScenario(this.scenarioId);
  this.spine = spine;
  this.evidenceSeq = spine.journal.lastSeq;
  const role = roleOf(tags);
  if (harness.parameters.evidence) await labelScenario(tags, role, harness.systemUnderTest(role));
});

/** The evidence: every exchange a step caused or received, attached to that step (src/evidence/evidence.ts). */
async function attachNewExchanges(world: GpcWorld): Promise<void> {
  if (!world.run.parameters.evidence) return;
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
  if (this.roles.consumer && this.run.parameters.evidence) await attachSequenceDiagram(this.spine.journal.entries({ scenario: this.scenarioId }), current().consumerProfile.name);
});

After(async function (this: GpcWorld) {
  if (!this.spine) return; // skipped before it began (a declined capability)
  // A consumer may still be sending after it reported: wait for it to go quiet, then say so (bounded).
  const consumer = this.roles.consumer;
  const late = consumer ? await afterConsumerScenario(consumer) : undefined;
  await this.spine.journal.settled();
  this.spine.journal.endScenario();
  if (consumer) for (const id of consumer.traceIds()) current().traceIdsSeen.add(id);
  if (this.run.parameters.probeLatitudes) this.attach(JSON.stringify([...this.spine.latitudesMet].sort()), LATITUDES_MET_MEDIA_TYPE);
  if (late) throw late;
});
