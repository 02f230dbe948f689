/**
 * Retrieve a patient's appointments as a consumer does it
 * (appointments_use_case_retrieve_a_patients_appointments): for the registered patient, by the logical
 * id Find a patient gave (the page's prerequisite: "SHALL have previously resolved the logical ID of
 * the patient"), over a range of UK dates; after booking a free slot for them with the booking actor
 * (booking.ts), so that there is an appointment to find. What each retrieval asked for is kept beside
 * the scenario, for the judges (src/rules/provider/retrieve.ts).
 */
import { addDays } from '../../gpconnect/dates';
import { withFormat, type GpcOperation } from '../../gpconnect/operations';
import { AppointmentSearch, Header, interactionNamed } from '../../gpconnect/constants';
import { appointmentRange, retrieveAPatientsAppointments, withStartValues, type AppointmentRange } from '../../gpconnect/operations-retrieve';
import { appointmentsRetrieved, booked, type ParticipantRead, type ProviderAnswer } from '../../rules/provider';
import { need } from '../scenario-state';
import { slotBound } from './booking';
import { foundIdOf, readOperation, readableType } from './reads';
import type { ProviderScenario } from './provider-scenario';
import type { DirectSpoil } from './provider-under-test';

type Json = Record<string, any>;

/** What one scenario booked and retrieved. */
interface Retrieving {
  booking?: Json;
  booked?: Json;
  /** Every booking made and the Appointment answered, in order. */
  all: Array<{ booking: Json; booked: Json }>;
  patientId?: string;
  range?: AppointmentRange;
}

const SCENARIOS = new WeakMap<ProviderScenario, Retrieving>();

function of(scenario: ProviderScenario): Retrieving {
  let state = SCENARIOS.get(scenario);
  if (!state) SCENARIOS.set(scenario, (state = { all: [] }));
  return state;
}

/**
 * Books the first free slot for the registered patient (booking.ts), keeping the booking and the
 * Appointment answered; returns the findings of the booking itself (201 with an id).
 */
export async function bookForRetrieval(scenario: ProviderScenario): Promise<string[]> {
  await scenario.prepareFirstFreeSlotBooking();
  const answer = await scenario.sendBooking();
  const state = of(scenario);
  state.booking = scenario.booking;
  state.booked = answer.response.status === 201 ? answer.body : undefined;
  if (state.booked) state.all.push({ booking: state.booking, booked: state.booked });
  return booked(answer);
}

/** Every booking made in the scenario, with the Appointment answered. */
export function allBookedForRetrieval(scenario: ProviderScenario): Array<{ booking: Json; booked: Json }> {
  return of(scenario).all;
}

/** The booking sent, and the Appointment the provider answered it with. */
export function bookedForRetrieval(scenario: ProviderScenario): { booking: Json; booked: Json } {
  const state = of(scenario);
  return { booking: need(state.booking, 'booking (Given the consumer has booked …)'), booked: need(state.booked, 'appointment booked') };
}

/** The range the last retrieval asked for, and the patient it asked about. */
export function lastRetrieval(scenario: ProviderScenario): { patientId: string; range: AppointmentRange } {
  const state = of(scenario);
  return { patientId: need(state.patientId, 'retrieval'), range: need(state.range, 'retrieval range') };
}

/** The registered patient's logical id, as Find a patient gives it (the answer the Then steps judge is left as it was). */
async function registeredPatientId(scenario: ProviderScenario): Promise<string> {
  const state = of(scenario);
  state.patientId ??= await foundIdOf(scenario.underTest, 'Patient');
  return state.patientId;
}

/** How a negative test changes the conformant retrieval. */
export type RetrievalChange = (operation: GpcOperation, range: AppointmentRange) => GpcOperation;

/**
 * The registered patient's appointments from `from` to `to` days ahead (negative: before today), as a
 * conformant consumer sends it or as `change` spoils it; sent straight to the provider when `direct`
 * is given (as the SSP forwards it, spoilt so).
 */
export async function retrieveRegistered(scenario: ProviderScenario, range: AppointmentRange, change?: RetrievalChange, direct?: DirectSpoil): Promise<ProviderAnswer> {
  const id = await registeredPatientId(scenario);
  return retrieveOf(scenario, id, range, change, direct);
}

/** The appointments of the patient with this logical id (one the provider may not hold). */
export function retrieveOf(scenario: ProviderScenario, patientId: string, range: AppointmentRange, change?: RetrievalChange, direct?: DirectSpoil): Promise<ProviderAnswer> {
  const state = of(scenario);
  state.patientId = patientId;
  state.range = range;
  const conformant = retrieveAPatientsAppointments(patientId, range);
  const operation = change ? change(conformant, range) : conformant;
  return direct ? scenario.askDirectly(operation, direct) : scenario.ask(operation);
}

/** From `from` to `to` days ahead. */
export const daysAhead = (from: number, to: number): AppointmentRange => appointmentRange(from, to);

/** The day after the appointment booked, to 14 days after that: a range that leaves it out. */
export function rangeAfterBooked(scenario: ProviderScenario): AppointmentRange {
  const { booked: appointment } = bookedForRetrieval(scenario);
  const day = String(appointment.start).slice(0, 10);
  return { start: addDays(day, 1), end: addDays(day, 15) };
}

/**
 * Reads every participant (Patient, Location, Practitioner, by relative reference) of the Appointments
 * the last retrieval answered, as a consumer showing them would; the answer the Then steps judge is left as it was.
 */
export async function readParticipants(scenario: ProviderScenario): Promise<ParticipantRead[]> {
  const reads: ParticipantRead[] = [];
  for (const appointment of appointmentsRetrieved(scenario.answer)) {
    for (const participant of appointment.participant ?? []) {
      const match = /^(Patient|Location|Practitioner)\/([A-Za-z0-9.-]{1,64})$/.exec(String(participant?.actor?.reference ?? ''));
      if (!match) continue;
      const answer = await scenario.underTest.ask(readOperation(readableType(match[1]), match[2]));
      reads.push({ appointment: String(appointment.id), reference: match[0], answer });
    }
  }
  return reads;
}

// ------------------------------------------------------------------ named changes, for negative tests

const lower = (value: string) => AppointmentSearch.lowerPrefix + value;
const upper = (value: string) => AppointmentSearch.upperPrefix + value;

/** With the lower or upper date written in `form` (booking.ts SLOT_BOUND_FORMS: a date-time, a year only …), `days` ahead. */
export function withDateWrittenAs(bound: string, form: string, from: number, to: number): RetrievalChange {
  if (bound !== 'lower' && bound !== 'upper') throw new Error(`"${bound}" is neither lower nor upper`);
  return (operation, range) =>
    withStartValues(operation, bound === 'lower' ? [lower(slotBound(form, from)), upper(range.end)] : [lower(range.start), upper(slotBound(form, to))]);
}

/** With the two dates prefixed as given ("ge" and "lt", "random123" …). */
export const withPrefixes = (first: string, second: string): RetrievalChange => (operation, range) => withStartValues(operation, [first + range.start, second + range.end]);

/** With one `start` only: the range's start date under `prefix` ("le2030-03-03" in PTEST). */
export const withOnlyStart = (prefix: string): RetrievalChange => (operation, range) => withStartValues(operation, [prefix + range.start]);

/** With one more parameter at the end (PTEST sends _sort=date). */
export const alsoSending = (name: string, value: string): RetrievalChange => (operation) => ({ ...operation, query: [...operation.query, [name, value]] });

/** With `_format` (json or xml media types). */
export const withFormatParameter = (format: string): RetrievalChange => (operation) => withFormat(operation, format);

/** The Ssp-InteractionID of another interaction (a short name of Interaction, or a full ID). */
export function interactionHeader(nameOrId: string): DirectSpoil {
  const id = interactionNamed(nameOrId);
  if (!id) throw new Error(`"${nameOrId}" names no interaction`);
  return { setHeader: [Header.sspInteractionId, id] };
}
