import { GpcAppointmentExtension, GpcProfile, System } from '../constants';
import { formatUk } from '../uk-time';

type Json = Record<string, any>;

/** A date `days` from today in UK local time, `yyyy-mm-dd` (the Slot search's date form, §5.3). */
export function ukDate(days: number, now = new Date()): string {
  return formatUk(new Date(now.getTime() + days * 86_400_000)).slice(0, 10);
}

/** The query of a Search for free slots (§5.3), every value percent-encoded. */
export function freeSlotQuery(fromDays: number, toDays: number, extra = ''): string {
  const e = encodeURIComponent;
  return (
    `/Slot?status=free&start=${e('ge' + ukDate(fromDays))}&end=${e('le' + ukDate(toDays))}&_include=${e('Slot:schedule')}` +
    `&_include:recurse=${e('Schedule:actor:Practitioner')}&_include:recurse=${e('Schedule:actor:Location')}&_include:recurse=${e('Location:managingOrganization')}${extra}`
  );
}

export function resourcesOf(bundle: Json | undefined, type: string): Json[] {
  return (bundle?.entry ?? []).map((e: Json) => e.resource).filter((r: Json) => r?.resourceType === type);
}

/**
 * The Appointment a conformant consumer books for a free slot (§5.6): patient and location
 * participants, start/end the slot's, the booking organisation contained and referenced.
 */
export function bookingFor(slot: Json, bundle: Json, patientId: string, bookingOrganisation: { ods: string; name: string }): Json {
  const schedule = resourcesOf(bundle, 'Schedule').find((s) => `Schedule/${s.id}` === slot.schedule?.reference);
  const location = (schedule?.actor ?? []).map((a: Json) => a.reference).find((r: string) => r?.startsWith('Location/'));
  return {
    resourceType: 'Appointment',
    meta: { profile: [GpcProfile.appointment] },
    contained: [
      {
        resourceType: 'Organization',
        id: '1',
        meta: { profile: [GpcProfile.organization] },
        identifier: [{ system: System.odsOrganizationCode, value: bookingOrganisation.ods }],
        name: bookingOrganisation.name,
        telecom: [{ system: 'phone', value: '01632 960 999', use: 'work' }],
      },
    ],
    extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
    status: 'booked',
    description: 'Booked by the gpc-conform harness',
    start: slot.start,
    end: slot.end,
    slot: [{ reference: `Slot/${slot.id}` }],
    created: formatUk(new Date()),
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      { actor: { reference: location }, status: 'accepted' },
    ],
  };
}
