import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseConsumerProfile } from '../../src/actors/profiles/consumer';
import { prepareRequest, targetOf } from '../../src/actors/provider/ssp-exchange';
import { consumerTopology, REFERENCE_PRACTICES } from '../../src/actors/sut/consumer-topology';
import { FOUNDATIONS_AND_APPOINTMENTS_INTERACTIONS, Interaction, WORKED_EXAMPLE_INTERACTIONS } from '../../src/gpconnect/constants';
import type { GpcOperation } from '../../src/gpconnect/operations';
import { SpineInABox } from '../../src/spine/spine';

// The consumer under test declares what it sends (profile `sends`); Spine in a box accredits its
// ASIDs for exactly that, and the SSP refuses the rest (SSP-SENDER-ASID).

const consumer = (identity: string, sends = '') =>
  parseConsumerProfile(`role: consumer
name: Cancelling consumer
identity: ${identity}
driver: { kind: http, url: "http://127.0.0.1:{port}/book", body: "{}" }
${sends}`);

const cancelling = consumer('{ asid: "200000000999", ods: NEW01 }', 'sends: [readMetadata, searchSlot, cancelAppointment]\n');

/** Amend or cancel: `PUT /Appointment/[id]`, told apart by the interaction ID (gpconnect-spec.md §5.1). */
const putAppointment = (interaction: typeof Interaction.cancelAppointment | typeof Interaction.updateAppointment): GpcOperation => ({
  name: interaction === Interaction.cancelAppointment ? 'Cancel an appointment' : 'Amend an appointment',
  interaction,
  method: 'PUT',
  path: '/Appointment/1',
  query: [],
  body: { resourceType: 'Appointment', id: '1', status: interaction === Interaction.cancelAppointment ? 'cancelled' : 'booked' },
});

test("a new consumer ASID is accredited for exactly the interactions its profile declares", () => {
  const system = consumerTopology(cancelling).systemByAsid('200000000999');
  assert.deepEqual(system?.sends, [Interaction.readMetadata, Interaction.searchSlot, Interaction.cancelAppointment]);
});

test('an ASID the topology already holds is accredited for what the profile declares, the six by default', () => {
  const declared = consumer('{ asid: "200000000359", ods: UCC01 }', 'sends: [readMetadata, cancelAppointment]\n');
  assert.deepEqual(consumerTopology(declared).systemByAsid('200000000359')?.sends, [Interaction.readMetadata, Interaction.cancelAppointment]);
  const undeclared = consumer('{ asid: "200000000359", ods: UCC01 }');
  assert.deepEqual(consumerTopology(undeclared).systemByAsid('200000000359')?.sends, WORKED_EXAMPLE_INTERACTIONS);
  const portal = consumer('{ asid: "200000000990", ods: HUB01, organisations: [{ ods: SAT01, asid: "200000000991" }] }', 'sends: [searchSlot]\n');
  for (const asid of ['200000000990', '200000000991']) assert.deepEqual(consumerTopology(portal).systemByAsid(asid)?.sends, [Interaction.searchSlot]);
});

test('the reference practices receive every Foundations and Appointment Management interaction, on AS and MHS records alike', () => {
  const directory = consumerTopology(cancelling);
  for (const ods of REFERENCE_PRACTICES) {
    const practice = directory.providerFor(ods);
    assert.ok(practice, ods);
    assert.deepEqual([...practice.receives].sort(), [...FOUNDATIONS_AND_APPOINTMENTS_INTERACTIONS].sort(), ods);
    assert.deepEqual([...(directory.mhsByPartyKey(practice.partyKey)?.interactions ?? [])].sort(), [...FOUNDATIONS_AND_APPOINTMENTS_INTERACTIONS].sort(), ods);
  }
});

let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'in-process', directory: consumerTopology(cancelling) });
});
after(async () => {
  await spine.stop();
});

async function throughSsp(scenario: string, operation: GpcOperation) {
  spine.journal.beginScenario(scenario);
  const prepared = await prepareRequest(spine, operation, '200000000999', 'A20047');
  const res = await fetch(`${spine.urls.ssp}/${targetOf(prepared)}`, { method: prepared.method, headers: prepared.headers, body: prepared.body });
  const text = await res.text();
  await spine.journal.settled();
  const reached = spine.journal.entries({ scenario, service: 'provider' });
  spine.journal.endScenario();
  return { status: res.status, text, reached };
}

test('the SSP lets a declared cancel through to the practice', async () => {
  const { reached } = await throughSsp('declared cancel', putAppointment(Interaction.cancelAppointment));
  assert.equal(reached.length, 1, 'the cancel reached the practice');
});

test('the SSP refuses an interaction the consumer did not declare, 403 ASID_CHECK_FAILED_MESSAGESENDER', async () => {
  const { status, text, reached } = await throughSsp('undeclared amend', putAppointment(Interaction.updateAppointment));
  assert.equal(status, 403);
  assert.match(text, /ASID_CHECK_FAILED_MESSAGESENDER_200000000999/);
  assert.equal(reached.length, 0, 'nothing reached the practice');
});
