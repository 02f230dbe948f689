import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { GpcAppointmentExtension, GpcProfile, MediaType, SpineError, System } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { loadPatients } from '../../src/spine/patients';
import type { ProviderContext } from '../../src/spine/provider/context';
import { bookAppointment } from '../../src/spine/provider/appointments';
import { retrieveAppointments } from '../../src/spine/provider/retrieve';
import { loadPracticeState } from '../../src/spine/provider/state';

// Wednesday 22 October 2025, 09:00 BST; Friday 24 October is BST, Monday 27 October GMT.
const NOW = new Date('2025-10-22T08:00:00Z');
const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const pds = loadPatients();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let ctx: ProviderContext;
beforeEach(() => {
  ctx = { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047', { now: NOW }), pds, now: () => NOW };
});

async function book(slotId: string, patient = '1'): Promise<Json> {
  const slot = ctx.state.slotById(slotId)!;
  const body = {
    resourceType: 'Appointment',
    contained: [{ resourceType: 'Organization', id: '1', identifier: [{ system: System.odsOrganizationCode, value: 'UCC01' }], name: 'Riverside Urgent Care Centre', telecom: [{ system: 'phone', value: '01632 960 999' }] }],
    extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
    status: 'booked',
    description: 'Persistent cough',
    start: slot.start,
    end: slot.end,
    slot: [{ reference: `Slot/${slotId}` }],
    created: '2025-10-22T09:00:00+01:00',
    participant: [
      { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
      { actor: { reference: 'Location/1' }, status: 'accepted' },
    ],
  };
  const res = await bookAppointment(ctx, new Request(`${ROOT}/Appointment`, { method: 'POST', headers: { 'Content-Type': MediaType.fhirJsonUtf8 }, body: JSON.stringify(body) }));
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Json;
}

const retrieve = (patient: string, ...starts: string[]) =>
  retrieveAppointments(ctx, `/Patient/${patient}/Appointment`, new URL(`${ROOT}/Patient/${patient}/Appointment?${starts.map((s) => `start=${encodeURIComponent(s)}`).join('&')}`));

async function refused(res: Response, status: number, code: string): Promise<string> {
  assert.equal(res.status, status);
  const outcome = outcomeCode((await res.json()) as Json);
  assert.equal(outcome.code, code);
  return outcome.diagnostics ?? '';
}

test("the patient's appointments within the range, in order of start, in a searchset Bundle; not another patient's", async () => {
  const monday = await book('1-202510270900');
  const friday = await book('1-202510241000');
  await book('1-202510241015', '2');
  const res = retrieve('1', 'ge2025-10-22', 'le2025-10-31');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const bundle = (await res.json()) as Json;
  assert.equal(bundle.type, 'searchset');
  assert.deepEqual(bundle.entry.map((e: Json) => e.resource.id), [friday.id, monday.id]);
  assert.ok(bundle.entry.every((e: Json) => e.resource.meta.profile.includes(GpcProfile.appointment) && e.resource.meta.versionId === '1'));
});

test('the range is of UK dates, both ends included; outside it nothing is returned, and no appointment gives an empty Bundle', async () => {
  await book('1-202510241000');
  assert.equal(((await retrieve('1', 'ge2025-10-24', 'le2025-10-24').json()) as Json).entry.length, 1);
  const after = (await retrieve('1', 'ge2025-10-25', 'le2025-10-31').json()) as Json;
  assert.equal(after.type, 'searchset');
  assert.equal(after.entry, undefined);
});

test('an unknown or PDS-sensitive patient is 404 PATIENT_NOT_FOUND', async () => {
  await refused(await retrieve('dd', 'ge2025-10-22', 'le2025-10-31'), 404, SpineError.patientNotFound);
  const sensitive = ctx.state.patients().find((p) => p.sensitive);
  if (sensitive) await refused(await retrieve(sensitive.id, 'ge2025-10-22', 'le2025-10-31'), 404, SpineError.patientNotFound);
});

test('the start parameters: one ge and one le, whole dates without a time, not reversed, not in the past; each refusal 422 INVALID_PARAMETER saying why', async () => {
  assert.match(await refused(retrieve('1', 'ge2025-10-22'), 422, SpineError.invalidParameter), /two start parameters/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'lt2025-10-31'), 422, SpineError.invalidParameter), /one prefixed ge and one prefixed le/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'ge2025-10-31'), 422, SpineError.invalidParameter), /one prefixed ge/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'le2025-10-31T10:00:00'), 422, SpineError.invalidParameter), /time element/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22T00:00:00Z', 'le2025-10-31'), 422, SpineError.invalidParameter), /time element/);
  assert.match(await refused(retrieve('1', 'ge2025-10', 'le2025-10-31'), 422, SpineError.invalidParameter), /day, month and year/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'le2025-02-30'), 422, SpineError.invalidParameter), /not a calendar date/);
  assert.match(await refused(retrieve('1', 'ge2025-10-31', 'le2025-10-24'), 422, SpineError.invalidParameter), /not define a valid date range/);
  assert.match(await refused(retrieve('1', 'ge2025-10-21', 'le2025-10-31'), 422, SpineError.invalidParameter), /cannot request appointments in the past/);
  assert.equal(retrieve('1', 'le2025-10-31', 'ge2025-10-22').status, 200, 'the order of the two parameters does not matter');
  assert.equal(retrieve('1', 'ge2025-10-22', 'le2025-10-22').status, 200, 'today is not the past');
});
