/**
 * The provider under test as the provider features use it: SDS looked up once per interaction in a
 * session (gpconnect-spec.md §2.7), its own exchanges recorded in the evidence sink it is handed,
 * and why the SSP could not reach the provider read from what the SSP recorded, not from the SSP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Interaction } from '../../src/gpconnect/constants';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { findAPatient, getCapabilityStatement } from '../../src/gpconnect/operations';
import type { EvidenceSink, OwnExchange } from '../../src/evidence/sink';
import { loadProviderProfile } from '../../src/actors/profiles/load';
import { ProviderUnderTest, ProviderUnreachable, type ProviderConnection } from '../../src/actors/provider/provider-under-test';
import { startProviderSystem, type ProviderSystem } from '../../src/actors/sut/provider-system';
import { ConsumerTraffic } from '../../src/rules/consumer/traffic';
import { packagePath } from '../../src/package-root';

let system: ProviderSystem;
before(async () => {
  system = await startProviderSystem(loadProviderProfile(packagePath('profiles', 'reference-provider.yaml')));
});
after(() => system.stop());

let scenario = 0;
beforeEach(() => {
  system.spine.reset();
  system.spine.journal.beginScenario(`scenario ${++scenario}`);
  system.provider.startSession();
});

async function sdsLookups() {
  await system.spine.journal.settled();
  return new ConsumerTraffic(system.spine.journal.entries({ scenario: `scenario ${scenario}` })).sdsLookups();
}

describe('SDS answers are kept for the session, per interaction as SDS keys them', () => {
  test('a scenario asking three times looks SDS up once per interaction', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await system.provider.ask(getCapabilityStatement())).response.status, 200);
    await system.provider.ask(findAPatient('9693632109'));
    await system.provider.ask(findAPatient('9658218865'));
    const lookups = await sdsLookups();
    assert.deepEqual(lookups.map((l) => l.kind), ['Endpoint', 'Device', 'Endpoint', 'Device']);
    assert.deepEqual(lookups.filter((l) => l.kind === 'Endpoint').map((l) => l.interactions), [[Interaction.readMetadata], [Interaction.searchPatient]]);
    assert.equal(system.spine.journal.entries({ service: 'ssp', scenario: `scenario ${scenario}` }).length, 5, 'every ask still goes through the SSP');
  });

  test('a new session asks SDS afresh (§2.7: never reused across sessions)', async () => {
    await system.provider.ask(getCapabilityStatement());
    system.provider.startSession();
    await system.provider.ask(getCapabilityStatement());
    assert.equal((await sdsLookups()).length, 4);
  });

  test('the JWT a spoilt request is built on comes from the same session', async () => {
    await system.provider.conformantRequest(getCapabilityStatement());
    await system.provider.askDirectly(getCapabilityStatement(), {});
    assert.equal((await sdsLookups()).length, 2);
  });
});

/** A sink that keeps what it is given, and says what the SSP recorded as the test tells it. */
function sinkFor(sspRecorded?: Partial<JournalEntry>): EvidenceSink & { recorded: OwnExchange[]; asked: string[] } {
  const recorded: OwnExchange[] = [];
  const asked: string[] = [];
  return {
    recorded,
    asked,
    record: (exchange) => void recorded.push(exchange),
    recordedBy: async (service, traceId) => {
      asked.push(`${service} ${traceId}`);
      return sspRecorded as JournalEntry | undefined;
    },
  };
}

function providerWith(sink: EvidenceSink, connection: Partial<ProviderConnection>): ProviderUnderTest {
  const liveRoot = system.spine.urls.providers[system.provider.ods];
  return new ProviderUnderTest(system.spine, system.provider.profile, { via: 'direct', liveRoot, timeoutMs: 5_000, ...connection }, sink);
}

describe('the evidence sink', () => {
  test('an outside provider asked directly: each exchange is recorded in the sink, as sent and answered', async () => {
    const sink = sinkFor();
    const answer = await providerWith(sink, { recordsDirect: true }).ask(findAPatient('9693632109'));
    assert.equal(sink.recorded.length, 1);
    const [own] = sink.recorded;
    assert.equal(own.service, 'provider');
    assert.equal(own.method, 'GET');
    assert.match(own.target, /\/Patient\?identifier=https%3A%2F%2Ffhir\.nhs\.uk%2FId%2Fnhs-number%7C9693632109$/);
    assert.equal(own.status, answer.response.status);
    assert.equal(own.responseBody, answer.response.body);
    assert.match(own.requestHeaders['Ssp-InteractionID'], /search:patient-1$/);
  });

  test('a provider Spine in a box serves records what reaches it itself: nothing goes to the sink twice', async () => {
    const sink = sinkFor();
    await providerWith(sink, { recordsDirect: false }).ask(getCapabilityStatement());
    assert.deepEqual(sink.recorded, []);
  });

  test('the journal-backed sink puts what the SSP could not reach into the 502 entry, and the provider reads it from there', async () => {
    system.spine.makeUnreachable(system.provider.ods);
    await assert.rejects(system.provider.ask(getCapabilityStatement()), (error: Error) => {
      assert.ok(error instanceof ProviderUnreachable, error.message);
      assert.match(error.message, /the SSP could not reach the provider under test at .* and answered 502: the connection was refused \(ECONNREFUSED\)$/);
      return true;
    });
    const [entry] = system.spine.journal.entries({ service: 'ssp', scenario: `scenario ${scenario}` });
    assert.equal(entry.status, 502);
    assert.equal(entry.fault, 'the connection was refused (ECONNREFUSED)');
  });

  test('the reason comes from the sink, by the request trace ID, not from the SSP', async () => {
    system.spine.makeUnreachable(system.provider.ods);
    const sink = sinkFor({ fault: 'what the sink says' });
    const provider = providerWith(sink, { via: 'ssp' });
    await assert.rejects(provider.ask(getCapabilityStatement()), /answered 502: what the sink says$/);
    assert.equal(sink.asked.length, 1);
    assert.match(sink.asked[0], /^ssp [0-9a-f-]{36}$/);
  });
});

test('a slot bound written as a date that does not exist: the nearest such date, in a window otherwise valid (issue 15 item 5)', async () => {
  const { dayThatDoesNotExist, slotSearchWithBound } = await import('../../src/actors/provider/booking');
  assert.deepEqual(dayThatDoesNotExist('2026-12-04'), { date: '2027-02-29', rolledTo: '2027-03-01' });
  assert.deepEqual(dayThatDoesNotExist('2026-04-10'), { date: '2026-04-31', rolledTo: '2026-05-01' });
  assert.deepEqual(dayThatDoesNotExist('2028-02-10'), { date: '2028-02-30', rolledTo: '2028-03-01' }, 'a leap year has 29 February');
  for (const bound of ['start', 'end'] as const) {
    const { window, value } = slotSearchWithBound(bound, 'a date that does not exist', 1, 8);
    assert.match(value, /^\d{4}-\d\d-(29|30|31)$/);
    const days = (Date.parse(window.end) - Date.parse(window.start)) / 86_400_000;
    assert.equal(days, 7, `${bound}: the window is as long as a valid one`);
    assert.equal(bound === 'start' ? window.start : window.end, dayThatDoesNotExist(value.slice(0, 8) + '01').rolledTo, `${bound}: the window meets the date that does not exist`);
  }
});
