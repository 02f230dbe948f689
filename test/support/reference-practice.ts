/**
 * The reference provider's practice A20047 in-process, for the tests of its interactions: a context at a
 * fixed moment, and a booking made through Book an appointment as a consumer would send it.
 */
import assert from 'node:assert/strict';
import { GpcAppointmentExtension, GpcProfile, MediaType, System } from '../../src/gpconnect/constants';
import { loadPatients } from '../../src/spine/patients';
import { bookAppointment } from '../../src/spine/provider/appointments';
import type { ProviderContext } from '../../src/spine/provider/context';
import { loadPracticeState } from '../../src/spine/provider/state';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Wednesday 22 October 2025, 09:00 BST; Friday 24 October is BST, Monday 27 October GMT. */
export const PRACTICE_NOW = new Date('2025-10-22T08:00:00Z');
export const PRACTICE_ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const pds = loadPatients();

/** A fresh A20047 at PRACTICE_NOW. */
export function practiceContext(): ProviderContext {
  return { serviceRoot: PRACTICE_ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047', { now: PRACTICE_NOW }), pds, now: () => PRACTICE_NOW };
}

/** Books `slotId` for `patient` from the urgent care centre UCC01; asserts the 201 and answers the Appointment. */
export async function bookSlot(ctx: ProviderContext, slotId: string, patient = '1'): Promise<Json> {
  const slot = ctx.state.slotById(slotId);
  assert.ok(slot, `Slot/${slotId} exists`);
  const body = {
    resourceType: 'Appointment',
    meta: { profile: [GpcProfile.appointment] },
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
  const res = await bookAppointment(ctx, new Request(`${PRACTICE_ROOT}/Appointment`, { method: 'POST', headers: { 'Content-Type': MediaType.fhirJsonUtf8 }, body: JSON.stringify(body) }));
  const answered = (await res.json()) as Json;
  assert.equal(res.status, 201, JSON.stringify(answered));
  return answered;
}
