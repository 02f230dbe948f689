/**
 * Retrieve a patient's appointments on the wire (appointments_use_case_retrieve_a_patients_appointments):
 * `GET /Patient/[id]/Appointment?start=ge[lower]&start=le[upper]`, the bounds UK dates `yyyy-mm-dd`.
 * A negative test makes its variant by a named change (withStartValues), never by writing a path by hand.
 */
import { AppointmentSearch, Interaction } from './constants';
import { ukDateAhead } from './dates';
import type { GpcOperation, QueryParameter } from './operations';

/** The days a retrieval spans, as UK dates `yyyy-mm-dd` (the page: "only include the date component"). */
export interface AppointmentRange {
  start: string;
  end: string;
}

/** From `fromDays` to `toDays` days after today (negative: before), today being the UK's. */
export function appointmentRange(fromDays: number, toDays: number, now = new Date()): AppointmentRange {
  return { start: ukDateAhead(fromDays, now), end: ukDateAhead(toDays, now) };
}

/** Retrieve a patient's appointments: `GET /Patient/[id]/Appointment?start=ge{start}&start=le{end}`. */
export function retrieveAPatientsAppointments(patientId: string, range: AppointmentRange): GpcOperation {
  return {
    name: "Retrieve a patient's appointments",
    interaction: Interaction.searchPatientAppointments,
    method: 'GET',
    path: `/Patient/${encodeURIComponent(patientId)}/Appointment`,
    query: [
      [AppointmentSearch.start, AppointmentSearch.lowerPrefix + range.start],
      [AppointmentSearch.start, AppointmentSearch.upperPrefix + range.end],
    ],
  };
}

/**
 * With the `start` parameters replaced by the values given, prefixes included, in order (one value:
 * a single `start`), where they stood; the other parameters are kept.
 */
export function withStartValues(operation: GpcOperation, values: readonly string[]): GpcOperation {
  const at = operation.query.findIndex(([n]) => n === AppointmentSearch.start);
  const rest = operation.query.filter(([n]) => n !== AppointmentSearch.start);
  rest.splice(at < 0 ? rest.length : at, 0, ...values.map((v): QueryParameter => [AppointmentSearch.start, v]));
  return { ...operation, query: rest };
}
