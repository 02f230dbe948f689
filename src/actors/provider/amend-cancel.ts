/**
 * Amend and Cancel an appointment as a consumer does them (appointments_use_case_amend_an_appointment,
 * appointments_use_case_cancel_an_appointment): book a free slot with the booking actor, read the
 * appointment back, change the Appointment read in place (as both pages recommend) and PUT it with
 * If-Match naming the version read. Negative tests change it by a named change.
 *
 * Requests with If-Match or Prefer go straight to the service root as the SSP forwards them (the
 * harness adds one header that way, as the Prefer feature of booking does); the request without
 * If-Match goes through the profile's route like every other.
 */
import { AssertionError } from 'node:assert';
import { GpcAppointmentExtension, Header } from '../../gpconnect/constants';
import { amendAnAppointment, cancelAnAppointment, cancelled, weakEtag } from '../../gpconnect/operations-amend-cancel';
import { readAnAppointment, withFormat, type GpcOperation } from '../../gpconnect/operations';
import { booked, seen, type ProviderAnswer } from '../../rules/provider';
import type { ProviderScenario } from './provider-scenario';

type Json = Record<string, any>;

/** What one scenario has read and sent (kept beside the scenario, which this module does not change). */
interface Updating {
  /** The Appointment as read back before any update, and its version. */
  read: Json;
  version: string;
  /** The current version after the updates made so far (the If-Match a conformant consumer sends next). */
  current: string;
  /** The Appointment last sent. */
  sent?: Json;
  /** The cancellation reason last sent. */
  reason?: string;
}

const UPDATING = new WeakMap<ProviderScenario, Updating>();

function updating(provider: ProviderScenario): Updating {
  const state = UPDATING.get(provider);
  if (!state) throw new Error('no appointment has been booked and read back in this scenario: a Given step is missing');
  return state;
}

/** The appointment as read back before it was amended or cancelled. */
export const appointmentRead = (provider: ProviderScenario): Json => updating(provider).read;
export const versionRead = (provider: ProviderScenario): string => updating(provider).version;
export const appointmentSent = (provider: ProviderScenario): Json => {
  const sent = updating(provider).sent;
  if (!sent) throw new Error('no amendment or cancellation has been sent in this scenario');
  return sent;
};
export const reasonSent = (provider: ProviderScenario): string => updating(provider).reason ?? '';

/**
 * Book the first free slot for the registered patient and read the appointment back, as a consumer
 * that amends or cancels has it. Returns the booking's findings (PROV-BOOK), empty when it was made;
 * a read that gives no Appointment fails the scenario there.
 */
export async function bookAndReadBack(provider: ProviderScenario): Promise<string[]> {
  await provider.prepareFirstFreeSlotBooking();
  const booking = await provider.sendBooking();
  const findings = booked(booking);
  if (findings.length > 0) return findings;
  if (provider.profile.capabilities?.readAppointment === false) {
    // No Read an appointment to ask: the consumer has the Appointment the booking answered (Retrieve is the other way the pages name).
    const version = String(booking.body!.meta?.versionId ?? etagVersion(booking) ?? '');
    UPDATING.set(provider, { read: structuredClone(booking.body!), version, current: version });
    return [];
  }
  const read = await provider.readAppointment(booking.body!);
  if (read.response.status !== 200 || read.body?.resourceType !== 'Appointment') {
    throw new AssertionError({ message: `the appointment booked could not be read back to amend or cancel it: ${read.asked} answered ${seen(read)}` });
  }
  const version = String(read.body.meta?.versionId ?? etagVersion(read) ?? '');
  UPDATING.set(provider, { read: structuredClone(read.body), version, current: version });
  return [];
}

/** The version an ETag header names (W/"3" → 3). */
function etagVersion(answer: ProviderAnswer): string | undefined {
  return /^(?:W\/)?"([^"]+)"$/.exec(answer.response.headers['etag'] ?? '')?.[1];
}

/**
 * How a request is sent: with If-Match naming the current version (the conformant default), another
 * If-Match, none, or a Prefer or Accept header instead; `format` adds _format.
 */
export type Sending = ({ ifMatch: 'current' | 'none' | (string & {}) } | { prefer: string } | { accept: string }) & { format?: string };

/**
 * The sending a feature names after ", sent": "with If-Match naming the version read", "without
 * If-Match", "with an If-Match naming no version of it", "with the Prefer header "return=minimal"",
 * "with _format application/fhir+json", "with Accept application/fhir+xml and _format application/fhir+json".
 */
export function sendingAs(how: string): Sending {
  const text = how.trim();
  if (text === 'with If-Match naming the version read') return { ifMatch: 'current' };
  if (text === 'without If-Match') return { ifMatch: 'none' };
  if (text === 'with an If-Match naming no version of it') return { ifMatch: weakEtag('invalidEtag') };
  let m = /^with the Prefer header "([^"]*)"$/.exec(text);
  if (m) return { prefer: m[1] };
  m = /^with _format (\S+)$/.exec(text);
  if (m) return { ifMatch: 'current', format: m[1] };
  m = /^with Accept (\S+) and _format (\S+)$/.exec(text);
  if (m) return { accept: m[1], format: m[2] };
  throw new Error(`no such way of sending an update: "${how}"`);
}

async function send(provider: ProviderScenario, plain: GpcOperation, sending: Sending): Promise<ProviderAnswer> {
  const state = updating(provider);
  state.sent = plain.body as Json;
  const operation = sending.format === undefined ? plain : withFormat(plain, sending.format);
  let answer: ProviderAnswer;
  if ('prefer' in sending) answer = await provider.askDirectly(operation, { setHeader: [Header.prefer, sending.prefer] });
  else if ('accept' in sending) answer = await provider.askDirectly(operation, { setHeader: [Header.accept, sending.accept] });
  else if (sending.ifMatch === 'none') answer = await provider.ask(operation);
  else answer = await provider.askDirectly(operation, { setHeader: [Header.ifMatch, sending.ifMatch === 'current' ? weakEtag(state.current) : sending.ifMatch] });
  if (answer.response.status === 200) state.current = String(answer.body?.meta?.versionId ?? etagVersion(answer) ?? state.current);
  return answer;
}

/** The Appointment read, with its description (and comment, when given) amended. */
export function amended(read: Json, description: string, comment?: string): Json {
  const appointment = structuredClone(read);
  appointment.description = description;
  if (comment !== undefined) appointment.comment = comment;
  return appointment;
}

/** Send an amendment of the appointment read. */
export function amend(provider: ProviderScenario, appointment: Json, sending: Sending = { ifMatch: 'current' }): Promise<ProviderAnswer> {
  return send(provider, amendAnAppointment(appointment, appointmentRead(provider).id), sending);
}

/** Send a cancellation of the appointment read. */
export function cancel(provider: ProviderScenario, appointment: Json, reason: string, sending: Sending = { ifMatch: 'current' }): Promise<ProviderAnswer> {
  updating(provider).reason = reason;
  return send(provider, cancelAnAppointment(appointment, appointmentRead(provider).id), sending);
}

/** Cancel the appointment read with the reason given, changing nothing else. */
export function cancelWithReason(provider: ProviderScenario, reason: string, sending?: Sending): Promise<ProviderAnswer> {
  return cancel(provider, cancelled(appointmentRead(provider), reason), reason, sending);
}

/** Read the appointment again (after an update), its answer the one the Then steps judge. */
export function readAgain(provider: ProviderScenario): Promise<ProviderAnswer> {
  return provider.ask(readAnAppointment(appointmentRead(provider).id));
}

// ------------------------------------------------------------------ named changes, for negative tests

const PTEST_SERVER = 'https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect';
const absoluteParticipants = [
  { actor: { reference: `${PTEST_SERVER}/Location/2` }, status: 'accepted' },
  { actor: { reference: `${PTEST_SERVER}/Practitioner/2` }, status: 'accepted' },
  { actor: { reference: `${PTEST_SERVER}/Patient/2` }, status: 'accepted' },
];
const withAbsoluteBookingOrganisation = (a: Json): Json => ({
  ...a,
  extension: (a.extension ?? []).map((e: Json) => (e.url === GpcAppointmentExtension.bookingOrganisation ? { ...e, valueReference: { reference: `${PTEST_SERVER}/#1` } } : e)),
});

/**
 * Changes an amendment must not make (the amend page: only description and comment; PTEST
 * AppointmentAmend.feature, AppointmentCancel.feature "Amend a cancelled appointment" aside).
 */
export const AMENDMENT_CHANGES: Record<string, (read: Json) => Json> = {
  'its priority set to 1': (a) => ({ ...a, priority: 1 }),
  'its status set to noshow': (a) => ({ ...a, status: 'noshow' }),
  'its start moved 5 minutes later': (a) => ({ ...a, start: new Date(Date.parse(a.start) + 5 * 60_000).toISOString().replace(/\.000Z$/, '+00:00') }),
  'a cancellation reason added': (a) => ({ ...a, extension: [...(a.extension ?? []), { url: GpcAppointmentExtension.cancellationReason, valueString: 'double booked' }] }),
  'the booking organisation referenced by an absolute URL': withAbsoluteBookingOrganisation,
  'participants added by absolute reference': (a) => ({ ...a, participant: [...(a.participant ?? []), ...absoluteParticipants] }),
  'it sent as a Bundle': (a) => ({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: a }] }),
};

/** Changes a cancellation must not make besides status and the reason (the cancel page; PTEST AppointmentCancel.feature). */
export const CANCELLATION_CHANGES: Record<string, (cancelled: Json) => Json> = {
  'its comment changed': (a) => ({ ...a, comment: 'RANDOM COMMENT' }),
  'its description changed': (a) => ({ ...a, description: 'RANDOM DESCRIPTION' }),
  'participants added': (a) => ({
    ...a,
    participant: [...(a.participant ?? []), { actor: { reference: 'Location/2' }, status: 'accepted' }, { actor: { reference: 'Patient/2' }, status: 'accepted' }, { actor: { reference: 'Practitioner/2' }, status: 'accepted' }],
  }),
  'its type text set': (a) => ({ ...a, appointmentType: { text: 'RANDOM TYPE TEXT' } }),
  'the booking organisation referenced by an absolute URL': withAbsoluteBookingOrganisation,
  'participants added by absolute reference': (a) => ({ ...a, participant: [...(a.participant ?? []), ...absoluteParticipants] }),
};

export function changedAmendment(read: Json, change: string): Json {
  const apply = AMENDMENT_CHANGES[change];
  if (!apply) throw new Error(`no such change to an amendment: "${change}" (known: ${Object.keys(AMENDMENT_CHANGES).join('; ')})`);
  return apply(structuredClone(read));
}

export function changedCancellation(read: Json, reason: string, change: string): Json {
  const apply = CANCELLATION_CHANGES[change];
  if (!apply) throw new Error(`no such change to a cancellation: "${change}" (known: ${Object.keys(CANCELLATION_CHANGES).join('; ')})`);
  return apply(cancelled(read, reason));
}

/** An amendment or cancellation of the appointment read, sent to an id the provider does not have. */
export function updateUnknown(provider: ProviderScenario, kind: 'amend' | 'cancel', id: string): Promise<ProviderAnswer> {
  const read = appointmentRead(provider);
  const body = kind === 'amend' ? { ...amended(read, 'Amended by the gpc-conform harness'), id } : { ...cancelled(read, 'double booked'), id };
  const state = updating(provider);
  state.sent = body;
  return provider.ask(kind === 'amend' ? amendAnAppointment(body, id) : cancelAnAppointment(body, id));
}
