import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getResponse } from 'msw';
import { SlotSearch } from '../../src/gpconnect/constants';
import { bookingFor } from '../../src/actors/provider/booking';
import { sspRequest } from '../../src/actors/provider/requests';
import {
  bookAnAppointment,
  findAPatient,
  getCapabilityStatement,
  readAnAppointment,
  readAPatient,
  readAnOrganization,
  readAPractitioner,
  readALocation,
  searchForFreeSlots,
  slotWindow,
  type GpcOperation,
} from '../../src/gpconnect/operations';
import { TrafficJournal } from '../../src/spine/journal';
import { loadPatients } from '../../src/spine/patients';
import { referenceProviderHandlers } from '../../src/spine/provider/server';
import { loadPracticeState } from '../../src/spine/provider/state';

// The reference provider's modules composed: guard, then the interaction, end to end in-process.
const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const journal = new TrafficJournal();
const handlers = referenceProviderHandlers({
  journal,
  base: ROOT,
  context: { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047'), pds: loadPatients(), now: () => new Date() },
});
const party = { ods: 'UCC01', organisationName: 'Riverside Urgent Care Centre', practitionerId: 'u1' };

async function send(operation: GpcOperation) {
  const req = sspRequest({ fromAsid: '200000000359', toAsid: '918999198993', serviceRoot: ROOT, operation, party });
  const res = await getResponse(handlers, new Request(ROOT + req.relativeTarget, { method: req.method, headers: req.headers, body: req.body }));
  assert.ok(res, 'the reference provider did not answer');
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}


test('the worked example against the reference provider: metadata, slots, patient, book, read', async () => {
  const metadata = await send(getCapabilityStatement());
  assert.equal(metadata.status, 200);
  assert.equal(metadata.body.resourceType, 'CapabilityStatement');
  assert.equal(metadata.headers.get('Cache-Control'), 'no-store');

  const slotSearch = searchForFreeSlots({ window: slotWindow(1, 8), recurse: [SlotSearch.includeLocation] });
  const slots = await send(slotSearch);
  assert.equal(slots.status, 200, JSON.stringify(slots.body));
  const slot = slots.body.entry.map((e: any) => e.resource).find((r: any) => r.resourceType === 'Slot');
  assert.ok(slot, 'no free slot in the next week');
  assert.ok(slots.body.entry.some((e: any) => e.resource.resourceType === 'Organization'), 'Organization is always included');

  const found = await send(findAPatient('9658218865'));
  assert.equal(found.status, 200);
  const patientId = found.body.entry[0].resource.id;

  const booking = bookingFor(slot, slots.body, patientId, { ods: party.ods, name: party.organisationName });
  const booked = await send(bookAnAppointment(booking));
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  assert.match(booked.headers.get('Location') ?? '', new RegExp(`^${ROOT}/Appointment/[^/]+/_history/\\d+$`));

  const again = await send(bookAnAppointment(booking));
  assert.equal(again.status, 409);
  assert.equal(again.body.issue[0].details.coding[0].code, 'DUPLICATE_REJECTED');

  const read = await send(readAnAppointment(booked.body.id));
  assert.equal(read.status, 200);
  assert.equal(read.body.slot[0].reference, `Slot/${slot.id}`);

  const after = await send(slotSearch);
  assert.ok(!after.body.entry.some((e: any) => e.resource.id === slot.id), 'the booked slot is no longer offered');
  assert.ok(journal.entries().every((e) => e.service === 'provider'));
});

test('the guard runs before every interaction', async () => {
  const req = sspRequest({ fromAsid: '200000000359', toAsid: '999999999999', serviceRoot: ROOT, operation: getCapabilityStatement(), party });
  const res = await getResponse(handlers, new Request(ROOT + '/metadata', { headers: req.headers }));
  assert.equal(res?.status, 400);
  assert.equal(res?.headers.get('Cache-Control'), 'no-store');
});

test('Read a patient, an organisation, a practitioner and a location: 200 with the resource and its ETag, 404 for an id the practice does not hold, PATIENT_NOT_FOUND for a sensitive patient (review F20)', async () => {
  const found = await send(findAPatient('9658218865'));
  const patientId = found.body.entry[0].resource.id;
  const patient = await send(readAPatient(patientId));
  assert.equal(patient.status, 200, JSON.stringify(patient.body));
  assert.equal(patient.body.resourceType, 'Patient');
  assert.equal(patient.body.id, patientId);
  assert.match(patient.headers.get('ETag') ?? '', /^W\/"[^"]+"$/);
  const slots = await send(searchForFreeSlots({ window: slotWindow(1, 8), recurse: [SlotSearch.includeLocation, SlotSearch.includePractitioner] }));
  const included = (type: string) => slots.body.entry.map((e: any) => e.resource).find((r: any) => r.resourceType === type);
  for (const [type, read] of [['Organization', readAnOrganization], ['Practitioner', readAPractitioner], ['Location', readALocation]] as const) {
    const id = included(type)?.id;
    assert.ok(id, `the slot search included no ${type}`);
    const answer = await send(read(id));
    assert.equal(answer.status, 200, `${type}/${id}: ${JSON.stringify(answer.body)}`);
    assert.deepEqual({ type: answer.body.resourceType, id: answer.body.id }, { type, id });
    const unknown = await send(read('no-such-id'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.issue[0].details.coding[0].code, 'NO_RECORD_FOUND');
  }
  const sensitive = loadPracticeState('A20047').patients().find((p) => p.sensitive);
  assert.ok(sensitive, 'the practice holds a sensitive patient');
  const refused = await send(readAPatient(sensitive.id));
  assert.equal(refused.status, 404);
  assert.equal(refused.body.issue[0].details.coding[0].code, 'PATIENT_NOT_FOUND');
});
