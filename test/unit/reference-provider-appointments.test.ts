import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { GpcAppointmentExtension, GpcProfile, MediaType, SpineError, System } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { loadPatients } from '../../src/spine/patients';
import type { ProviderContext, Slot } from '../../src/spine/provider/context';
import { bookAppointment, readAppointment } from '../../src/spine/provider/appointments';
import { searchFreeSlots } from '../../src/spine/provider/slots';
import { loadPracticeState } from '../../src/spine/provider/state';

// Wednesday 22 October 2025, 09:00 BST.
const NOW = new Date('2025-10-22T08:00:00Z');
const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const pds = loadPatients();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ctx: ProviderContext;
beforeEach(() => {
  ctx = { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047', { now: NOW }), pds, now: () => NOW };
});

const slot = (id: string): Slot => {
  const s = ctx.state.slotById(id);
  assert.ok(s, `Slot/${id} exists`);
  return s;
};
// Schedule 1 (Dr LEGG, main site, In-person), Friday 24 October (BST) and Monday 27 October (GMT).
const FRI_1000 = '1-202510241000';
const FRI_1015 = '1-202510241015';
const FRI_1030 = '1-202510241030';
const FRI_0945_BUSY = '1-202510240945'; // 4th slot of the session: busy in the template
const MON_0900 = '1-202510270900';

function body(slotIds: string[] = [FRI_1000]): Json {
  const slots = slotIds.map(slot);
  return {
    resourceType: 'Appointment',
    meta: { profile: [GpcProfile.appointment] },
    contained: [
      {
        resourceType: 'Organization',
        id: '1',
        meta: { profile: [GpcProfile.organization] },
        identifier: [{ system: System.odsOrganizationCode, value: 'UCC01' }],
        type: [{ coding: [{ system: System.organisationType, code: 'urgent-care' }] }],
        name: 'Riverside Urgent Care Centre',
        telecom: [{ system: 'phone', value: '01632 960 999' }],
      },
    ],
    extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
    status: 'booked',
    description: 'Persistent cough',
    start: slots[0].start,
    end: slots[slots.length - 1].end,
    slot: slotIds.map((id) => ({ reference: `Slot/${id}` })),
    created: '2025-10-22T09:00:00+01:00',
    comment: 'Booked by the urgent care centre.',
    participant: [
      { actor: { reference: 'Patient/1' }, status: 'accepted' },
      { actor: { reference: 'Location/1' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/1' }, status: 'accepted' },
    ],
  };
}

const book = (b: unknown) =>
  bookAppointment(ctx, new Request(`${ROOT}/Appointment`, { method: 'POST', headers: { 'Content-Type': MediaType.fhirJsonUtf8 }, body: typeof b === 'string' ? b : JSON.stringify(b) }));

function spoil(fn: (b: Json) => void, slotIds?: string[]): Json {
  const b = body(slotIds);
  fn(b);
  return b;
}

async function expectError(response: Response | Promise<Response>, status: number, code: string, issue = 'invalid') {
  const r = await response;
  const oo = (await r.json()) as Json;
  assert.equal(r.status, status, JSON.stringify(oo));
  assert.equal(oo.resourceType, 'OperationOutcome');
  assert.deepEqual(oo.meta.profile, [GpcProfile.operationOutcome]);
  assert.equal(outcomeCode(oo).code, code);
  assert.equal(outcomeCode(oo).system, System.spineErrorCodeStu3);
  assert.equal(oo.issue[0].code, issue);
  assert.ok(oo.issue[0].diagnostics, 'diagnostics given');
  assert.equal(r.headers.get('Cache-Control'), 'no-store');
  assert.equal(r.headers.get('Content-Type'), MediaType.fhirJsonUtf8);
}

const offeredSlotIds = async (start: string, end: string): Promise<string[]> => {
  const q = new URLSearchParams([['status', 'free'], ['start', start], ['end', end], ['_include', 'Slot:schedule']]);
  const bundle = (await searchFreeSlots(ctx, new URL(`${ROOT}/Slot?${q}`)).json()) as Json;
  return bundle.entry.map((e: Json) => e.resource).filter((r: Json) => r.resourceType === 'Slot').map((r: Json) => r.id);
};

describe('POST /Appointment: success (§5.6)', () => {
  test('201 with Location, ETag, Last-Modified and the stored Appointment', async () => {
    const sent = body();
    const r = await book(sent);
    const a = (await r.json()) as Json;
    assert.equal(r.status, 201, JSON.stringify(a));
    assert.ok(a.id);
    assert.equal(r.headers.get('Location'), `${ROOT}/Appointment/${a.id}/_history/${a.meta.versionId}`);
    assert.equal(r.headers.get('ETag'), `W/"${a.meta.versionId}"`);
    assert.equal(r.headers.get('Last-Modified'), NOW.toUTCString());
    assert.equal(r.headers.get('Cache-Control'), 'no-store');
    assert.equal(r.headers.get('Content-Type'), MediaType.fhirJsonUtf8);
    assert.equal(a.resourceType, 'Appointment');
    assert.deepEqual(a.meta.profile, [GpcProfile.appointment]);
    assert.deepEqual(a.serviceType, [{ text: 'General GP Appointment' }]);
    assert.deepEqual(a.serviceCategory, { text: 'General GP Appointments' });
    const ext = (url: string) => a.extension.filter((e: Json) => e.url === url);
    assert.deepEqual(ext(GpcAppointmentExtension.bookingOrganisation), sent.extension);
    assert.deepEqual(ext(GpcAppointmentExtension.deliveryChannel), [{ url: GpcAppointmentExtension.deliveryChannel, valueCode: 'In-person' }]);
    assert.equal(ext(GpcAppointmentExtension.practitionerRole)[0].valueCodeableConcept.coding[0].code, 'R0260');
    for (const key of ['status', 'description', 'start', 'end', 'slot', 'created', 'comment', 'participant', 'contained']) {
      assert.deepEqual(a[key], sent[key], key);
    }
  });

  test('the slot becomes busy and is no longer offered; a second booking of it → 409 DUPLICATE_REJECTED', async () => {
    assert.ok((await offeredSlotIds('ge2025-10-24', 'le2025-10-24')).includes(FRI_1000));
    assert.equal((await book(body())).status, 201);
    assert.equal(slot(FRI_1000).status, 'busy');
    assert.ok(!(await offeredSlotIds('ge2025-10-24', 'le2025-10-24')).includes(FRI_1000));
    await expectError(book(body()), 409, SpineError.duplicateRejected, 'duplicate');
  });

  test('read after book returns what was booked, with its ETag', async () => {
    const booked = (await (await book(body())).json()) as Json;
    const r = readAppointment(ctx, booked.id);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('ETag'), `W/"${booked.meta.versionId}"`);
    assert.equal(r.headers.get('Cache-Control'), 'no-store');
    assert.equal(r.headers.get('Content-Type'), MediaType.fhirJsonUtf8);
    assert.deepEqual(await r.json(), booked);
  });

  test('several adjacent slots of one schedule → 201, start/end span them all', async () => {
    const r = await book(body([FRI_1000, FRI_1015, FRI_1030]));
    const a = (await r.json()) as Json;
    assert.equal(r.status, 201, JSON.stringify(a));
    assert.equal(a.start, '2025-10-24T10:00:00+01:00');
    assert.equal(a.end, '2025-10-24T10:45:00+01:00');
    for (const id of [FRI_1000, FRI_1015, FRI_1030]) assert.equal(slot(id).status, 'busy');
  });

  test('a GMT slot after the clock change → 201 with +00:00 times', async () => {
    const r = await book(body([MON_0900]));
    const a = (await r.json()) as Json;
    assert.equal(r.status, 201, JSON.stringify(a));
    assert.equal(a.start, '2025-10-27T09:00:00+00:00');
  });
});

describe('POST /Appointment: errors (§5.6)', () => {
  test('malformed JSON → 400 BAD_REQUEST', () => expectError(book('{"resourceType": "Appointment",'), 400, SpineError.badRequest));
  test('not an Appointment → 422 INVALID_RESOURCE', () => expectError(book({ resourceType: 'Patient' }), 422, SpineError.invalidResource));
  test('a JSON array → 422 INVALID_RESOURCE', () => expectError(book('[]'), 422, SpineError.invalidResource));

  test('a slot already busy → 409 DUPLICATE_REJECTED', () => {
    assert.equal(slot(FRI_0945_BUSY).status, 'busy');
    return expectError(book(body([FRI_0945_BUSY])), 409, SpineError.duplicateRejected, 'duplicate');
  });
  test('a slot that does not exist → 422 INVALID_RESOURCE (PTEST; the spec example says REFERENCE_NOT_FOUND)', () =>
    expectError(book(spoil((b) => (b.slot = [{ reference: 'Slot/999-nope' }]))), 422, SpineError.invalidResource));
  test('a slot that has already started → 422 INVALID_RESOURCE', () => expectError(book(body(['1-202510220900'])), 422, SpineError.invalidResource));
  test('slots that are not adjacent → 422 INVALID_RESOURCE', () => expectError(book(body([FRI_1000, FRI_1030])), 422, SpineError.invalidResource));
  test('slots of different schedules → 422 INVALID_RESOURCE', () =>
    expectError(book(spoil((b) => (b.slot = [{ reference: `Slot/${FRI_1000}` }, { reference: 'Slot/3-202510241400' }]), [FRI_1000])), 422, SpineError.invalidResource));
  test('the same slot twice → 422 INVALID_RESOURCE', () =>
    expectError(book(spoil((b) => b.slot.push({ reference: `Slot/${FRI_1000}` }))), 422, SpineError.invalidResource));
  test('start is not the first slot\'s start → 422 INVALID_RESOURCE', () =>
    expectError(book(spoil((b) => (b.start = '2025-10-24T10:05:00+01:00'))), 422, SpineError.invalidResource));
  test('end is not the last slot\'s end → 422 INVALID_RESOURCE', () =>
    expectError(book(spoil((b) => (b.end = '2025-10-24T10:30:00+01:00'))), 422, SpineError.invalidResource));
  // Appointment.start is an instant: the same moment in Z is the slot's start (review F21).
  test('start written as the same instant in Z → 201', async () => {
    const r = await book(spoil((b) => (b.start = '2025-10-24T09:00:00Z')));
    assert.equal(r.status, 201, await r.text());
  });
  test('start without its zone (no instant) → 422 INVALID_RESOURCE', () =>
    expectError(book(spoil((b) => (b.start = '2025-10-24T10:00:00'))), 422, SpineError.invalidResource));

  const invalid: Array<[string, (b: Json) => void]> = [
    ['reason', (b) => (b.reason = [{ text: 'cough' }])],
    ['specialty', (b) => (b.specialty = [{ text: 'General practice' }])],
    ['appointmentType', (b) => (b.appointmentType = { text: 'Routine' })],
    ['an element Appointment does not have', (b) => (b.colour = 'blue')],
    ['the cancellation reason extension', (b) => b.extension.push({ url: GpcAppointmentExtension.cancellationReason, valueString: 'x' })],
    ['status pending', (b) => (b.status = 'pending')],
    ['no status', (b) => delete b.status],
    ['no start', (b) => delete b.start],
    ['no end', (b) => delete b.end],
    ['no slot', (b) => delete b.slot],
    ['empty slot list', (b) => (b.slot = [])],
    ['an absolute slot reference', (b) => (b.slot = [{ reference: `${ROOT}/Slot/${FRI_1000}` }])],
    ['no created', (b) => delete b.created],
    ['no description', (b) => delete b.description],
    ['description of 101 characters', (b) => (b.description = 'x'.repeat(101))],
    ['comment of 501 characters', (b) => (b.comment = 'x'.repeat(501))],
    ['no participants', (b) => delete b.participant],
    ['no patient participant', (b) => b.participant.splice(0, 1)],
    ['no location participant', (b) => b.participant.splice(1, 1)],
    ['a patient that does not exist', (b) => (b.participant[0].actor.reference = 'Patient/999')],
    ['an absolute patient reference', (b) => (b.participant[0].actor.reference = `${ROOT}/Patient/1`)],
    ['a location that does not exist', (b) => (b.participant[1].actor.reference = 'Location/99')],
    ['a practitioner that does not exist', (b) => (b.participant[2].actor.reference = 'Practitioner/99')],
    ['two patients', (b) => b.participant.push({ actor: { reference: 'Patient/2' }, status: 'accepted' })],
    ['a participant without status', (b) => delete b.participant[0].status],
    ['no booking organisation extension', (b) => (b.extension = [])],
    ['booking organisation not contained', (b) => (b.contained = [])],
    ['booking organisation reference not local', (b) => (b.extension[0].valueReference.reference = 'Organization/1')],
    ['booking organisation without name', (b) => delete b.contained[0].name],
    ['booking organisation without telecom', (b) => delete b.contained[0].telecom],
    ['booking organisation without ODS code', (b) => (b.contained[0].identifier = [{ system: 'https://example.org/id', value: 'X' }])],
  ];
  for (const [label, fn] of invalid) {
    test(`${label} → 422 INVALID_RESOURCE`, () => expectError(book(spoil(fn)), 422, SpineError.invalidResource));
  }

  test('a refused booking leaves the slot free', async () => {
    await book(spoil((b) => (b.reason = [{ text: 'x' }])));
    assert.equal(slot(FRI_1000).status, 'free');
  });
});

describe('GET /Appointment/{id} (§5.6)', () => {
  test('an unknown id → 404 NO_RECORD_FOUND', () => expectError(readAppointment(ctx, '999'), 404, SpineError.noRecordFound, 'not-found'));
});
