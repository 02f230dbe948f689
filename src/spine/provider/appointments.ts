/**
 * Book an appointment (`POST [base]/Appointment`) and Read an appointment (`GET [base]/Appointment/{id}`),
 * gpconnect-spec.md §5.6. The guard has already checked headers, JWT and content negotiation.
 *
 * Codes (§5.6, §6, PTEST AppointmentBook.feature): malformed JSON 400 BAD_REQUEST; anything wrong
 * with the Appointment itself 422 INVALID_RESOURCE; a slot that is no longer free 409
 * DUPLICATE_REJECTED. Unknown slot: the spec's example answers 422 REFERENCE_NOT_FOUND, PTEST
 * ("Book appointment with invalid slot reference") and DEMO answer 422 INVALID_RESOURCE (§9
 * conflict 8); the provider conformance baseline follows PTEST/DEMO, and does the same for a
 * patient, location or practitioner participant that does not exist.
 */
import { AppointmentLimits, GpcAppointmentExtension, GpcProfile, Header, SpineError, System } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import type { ProviderContext, Schedule, Slot } from './context';
import { practitionerRoleExtension, respond } from './slots';
import { formatUk, SlotNotFreeError } from './state';

type Json = Record<string, unknown>;

const badRequest = (d: string) => respond(gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', d), 400);
const invalidResource = (d: string) => respond(gpcOutcome('invalid', SpineError.invalidResource, 'Submitted resource is not valid.', d), 422);
const duplicateRejected = (d: string) => respond(gpcOutcome('duplicate', SpineError.duplicateRejected, 'Create would lead to creation of a duplicate resource', d), 409);
const noRecordFound = (d: string) => respond(gpcOutcome('not-found', SpineError.noRecordFound, 'No record found', d), 404);

/** STU3 Appointment elements the GP Connect profile leaves open to a consumer. */
const ALLOWED = new Set([
  'resourceType', 'id', 'meta', 'language', 'text', 'contained', 'extension', 'identifier', 'status', 'serviceCategory', 'serviceType',
  'description', 'start', 'end', 'minutesDuration', 'slot', 'created', 'comment', 'participant', 'priority',
]);
/**
 * MUST NOT be sent: `reason`, `specialty` (§5.6; PTEST 422 INVALID_RESOURCE), and the elements
 * GPConnect-Appointment-1 fixes at 0..0 (§7). Any other non-profile element is also 422 (PTEST "extra fields").
 */
const FORBIDDEN = ['reason', 'specialty', 'appointmentType', 'indication', 'supportingInformation', 'incomingReferral', 'requestedPeriod', 'modifierExtension'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const FHIR_DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/** `Type/id` (relative, §5.6) → id, or undefined. */
function relativeId(reference: unknown, type: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const m = new RegExp(`^${type}/([A-Za-z0-9.-]{1,64})$`).exec(reference);
  return m?.[1];
}

/** The Appointment a booking, an amendment or a cancellation sends, or the refusal of a body that is none. */
export async function appointmentSent(request: Request): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch (error) {
    return badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(body) || body.resourceType !== 'Appointment') {
    return invalidResource(`the request body must be an Appointment resource (got resourceType ${JSON.stringify(isObject(body) ? body.resourceType : typeof body)})`);
  }
  return body;
}

export async function bookAppointment(ctx: ProviderContext, request: Request): Promise<Response> {
  const body = await appointmentSent(request);
  if (body instanceof Response) return body;
  const checked = checkAppointment(ctx, body);
  if (checked instanceof Response) return checked;
  const { slots, schedule } = checked;

  const now = ctx.now();
  const practitioner = ctx.state.practitioners().find((p) => p.id === schedule.practitionerId);
  const ownExtensions = new Set<string>([GpcAppointmentExtension.practitionerRole, GpcAppointmentExtension.deliveryChannel]);
  const sentExtensions = (body.extension as Json[]).filter((e) => !ownExtensions.has(e.url as string));
  // The stored Appointment: what was sent, with the server's id, meta, serviceCategory/serviceType
  // from the schedule and the practitioner role and delivery channel extensions (§5.6 success).
  const resource: Json = {
    ...body,
    meta: { profile: [GpcProfile.appointment], lastUpdated: formatUk(now) },
    extension: [...sentExtensions, ...practitionerRoleExtension(practitioner), { url: GpcAppointmentExtension.deliveryChannel, valueCode: schedule.deliveryChannel }],
    serviceCategory: { text: schedule.serviceCategory },
    serviceType: [{ text: schedule.serviceType }],
  };
  delete resource.id;
  let booked;
  try {
    booked = ctx.state.book(resource, slots.map((s) => s.id));
  } catch (error) {
    if (error instanceof SlotNotFreeError) return duplicateRejected(`${error.message}: it has been booked since it was offered`);
    throw error;
  }
  return respond(booked.resource, 201, {
    [Header.location]: `${ctx.serviceRoot}/Appointment/${booked.id}/_history/${booked.versionId}`,
    [Header.etag]: `W/"${booked.versionId}"`,
    'Last-Modified': now.toUTCString(),
  });
}

/** Every §5.6 rule short of "is the slot still free" (that one is the state's, at booking time). */
function checkAppointment(ctx: ProviderContext, body: Json): { slots: Slot[]; schedule: Schedule } | Response {
  const forbidden = FORBIDDEN.filter((k) => k in body);
  if (forbidden.length > 0) return invalidResource(`an Appointment must not contain ${forbidden.join(', ')}`);
  const unknown = Object.keys(body).filter((k) => !ALLOWED.has(k));
  if (unknown.length > 0) return invalidResource(`GPConnect-Appointment-1 has no element ${unknown.join(', ')}`);

  // Appointment.identifier: a business identifier is a system and a value (PTEST "remove identifier value": 422).
  if (body.identifier !== undefined) {
    if (!Array.isArray(body.identifier)) return invalidResource('identifier must be a list');
    for (const [i, identifier] of body.identifier.entries()) {
      if (!isObject(identifier) || !nonEmptyString(identifier.value)) return invalidResource(`identifier[${i}] has no value`);
    }
  }
  if (body.status !== 'booked') return invalidResource(`status must be "booked" (got ${JSON.stringify(body.status)})`);
  if (!nonEmptyString(body.start) || !FHIR_DATE_TIME.test(body.start)) return invalidResource('start is missing or not a dateTime');
  if (!nonEmptyString(body.end) || !FHIR_DATE_TIME.test(body.end)) return invalidResource('end is missing or not a dateTime');
  if (!nonEmptyString(body.created) || !FHIR_DATE_TIME.test(body.created)) return invalidResource('created is missing or not a dateTime (§5.6 MUST)');
  // description 1..1 in GPConnect-Appointment-1, at most 100 characters; comment at most 500 (§5.6).
  if (!nonEmptyString(body.description)) return invalidResource('description is missing');
  if (body.description.length > AppointmentLimits.descriptionMaxLength && !ctx.choices?.storeLongDescriptions) return invalidResource(`description is longer than ${AppointmentLimits.descriptionMaxLength} characters`);
  if (body.comment !== undefined) {
    if (typeof body.comment !== 'string') return invalidResource('comment must be a string');
    if (body.comment.length > AppointmentLimits.commentMaxLength) return invalidResource(`comment is longer than ${AppointmentLimits.commentMaxLength} characters`);
  }

  // Participants: a patient and a location, each a relative reference to something that exists;
  // a practitioner is optional (SHOULD) but must exist when given. participant.status is 1..1 (STU3).
  if (!Array.isArray(body.participant) || body.participant.length === 0) return invalidResource('participant is missing');
  let patients = 0;
  let locations = 0;
  for (const [i, p] of body.participant.entries()) {
    if (!isObject(p) || !isObject(p.actor) || !nonEmptyString(p.actor.reference)) return invalidResource(`participant[${i}] has no actor.reference`);
    if (!nonEmptyString(p.status)) return invalidResource(`participant[${i}] has no status`);
    const ref = p.actor.reference;
    const type = ref.split('/')[0];
    if (type === 'Patient') {
      const id = relativeId(ref, 'Patient');
      if (!id || !ctx.state.patientById(id)) return invalidResource(`participant[${i}] ${ref} is not a patient of this practice`);
      patients++;
    } else if (type === 'Location') {
      const id = relativeId(ref, 'Location');
      if (!id || !ctx.state.locations().some((l) => l.id === id)) return invalidResource(`participant[${i}] ${ref} is not a location of this practice`);
      locations++;
    } else if (type === 'Practitioner') {
      const id = relativeId(ref, 'Practitioner');
      if (!id || !ctx.state.practitioners().some((x) => x.id === id)) return invalidResource(`participant[${i}] ${ref} is not a practitioner of this practice`);
    } else {
      return invalidResource(`participant[${i}] ${ref} is not a relative Patient, Location or Practitioner reference`);
    }
  }
  if (patients !== 1) return invalidResource(`the Appointment must have exactly one patient participant (has ${patients})`);
  if (locations !== 1) return invalidResource(`the Appointment must have exactly one location participant (has ${locations})`);

  const org = checkBookingOrganisation(body);
  if (typeof org === 'string') return invalidResource(org);

  // Slots: 1..n relative references to slots of this practice.
  if (!Array.isArray(body.slot) || body.slot.length === 0) return invalidResource('slot is missing');
  const slots: Slot[] = [];
  for (const [i, s] of body.slot.entries()) {
    const id = isObject(s) ? relativeId(s.reference, 'Slot') : undefined;
    if (!id) return invalidResource(`slot[${i}] is not a relative Slot reference`);
    const slot = ctx.state.slotById(id);
    if (!slot) return invalidResource(`slot[${i}] Slot/${id} does not exist (REFERENCE_NOT_FOUND in the spec example; INVALID_RESOURCE as PTEST and DEMO, §9 conflict 8)`);
    if (slots.some((x) => x.id === id)) return invalidResource(`slot[${i}] Slot/${id} is given twice`);
    slots.push(slot);
  }
  slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  // Several slots only if adjacent and on the same Schedule (hence same delivery channel and
  // service type, which are the schedule's) (§5.6).
  const schedule = ctx.state.schedules().find((s) => s.id === slots[0].scheduleId);
  if (!schedule) return invalidResource(`Slot/${slots[0].id} has no schedule`);
  for (let i = 1; i < slots.length; i++) {
    if (slots[i].scheduleId !== slots[0].scheduleId) return invalidResource(`Slot/${slots[i].id} is not on the same schedule as Slot/${slots[0].id}`);
    if (Date.parse(slots[i].start) !== Date.parse(slots[i - 1].end)) return invalidResource(`Slot/${slots[i].id} does not follow Slot/${slots[i - 1].id}`);
  }
  // start/end are the first slot's start and the last slot's end (§5.6) as instants: STU3
  // Appointment.start is an `instant`, so the same moment written with Z or another offset is the
  // same value (the demonstrator compares the strings; review F21). An instant needs its zone.
  const first = slots[0];
  const last = slots[slots.length - 1];
  if (!sameInstant(body.start, first.start)) return invalidResource(`start ${body.start} is not the first slot's start ${first.start}`);
  if (!sameInstant(body.end, last.end)) return invalidResource(`end ${body.end} is not the last slot's end ${last.end}`);
  // Only future appointments (§5.6).
  if (Date.parse(first.start) <= ctx.now().getTime()) return invalidResource(`the appointment would start in the past (${first.start})`);
  // A slot that is no longer free: 409 (§5.6). Checked again, atomically, by state.book.
  const taken = slots.find((s) => s.status !== 'free');
  if (taken) return duplicateRejected(`Slot/${taken.id} is not free`);
  return { slots, schedule };
}

/**
 * The booking organisation extension references a contained CareConnect-GPC-Organization-1 with an
 * ODS code identifier, a name and a telecom (§5.6; PTEST: missing name/telecom → 422).
 */
function checkBookingOrganisation(body: Json): Json | string {
  const extensions = body.extension;
  if (!Array.isArray(extensions)) return 'the booking organisation extension is missing';
  if (extensions.some((e) => isObject(e) && e.url === GpcAppointmentExtension.cancellationReason)) return 'a booked Appointment must not carry the cancellation reason extension';
  const booking = extensions.filter((e) => isObject(e) && e.url === GpcAppointmentExtension.bookingOrganisation) as Json[];
  if (booking.length !== 1) return `the Appointment must have one booking organisation extension (has ${booking.length})`;
  const ref = isObject(booking[0].valueReference) ? booking[0].valueReference.reference : undefined;
  if (typeof ref !== 'string' || !/^#.+/.test(ref)) return 'the booking organisation extension must reference a contained Organization (#id)';
  const contained = Array.isArray(body.contained) ? (body.contained as unknown[]) : [];
  const org = contained.find((c) => isObject(c) && c.resourceType === 'Organization' && c.id === ref.slice(1));
  if (!isObject(org)) return `the booking organisation ${ref} is not a contained Organization`;
  const identifiers = Array.isArray(org.identifier) ? org.identifier : [];
  if (!identifiers.some((i) => isObject(i) && i.system === System.odsOrganizationCode && nonEmptyString(i.value))) return 'the booking organisation has no ODS code identifier';
  if (!nonEmptyString(org.name)) return 'the booking organisation has no name';
  const telecom = Array.isArray(org.telecom) ? org.telecom : [];
  if (!telecom.some((t) => isObject(t) && nonEmptyString(t.value))) return 'the booking organisation has no telecom';
  return org;
}

export function readAppointment(ctx: ProviderContext, id: string): Response {
  const appointment = ctx.state.appointmentById(id);
  if (!appointment) return noRecordFound(`no appointment has the id ${JSON.stringify(id)}`);
  const meta = appointment.resource.meta as Json | undefined;
  const lastUpdated = typeof meta?.lastUpdated === 'string' ? Date.parse(meta.lastUpdated) : NaN;
  return respond(appointment.resource, 200, {
    [Header.etag]: `W/"${appointment.versionId}"`,
    ...(Number.isNaN(lastUpdated) ? {} : { 'Last-Modified': new Date(lastUpdated).toUTCString() }),
  });
}

/** Two FHIR instants (each with its zone: Z or ±hh:mm) naming the same moment. */
function sameInstant(given: unknown, slot: string): boolean {
  if (typeof given !== 'string' || !/(Z|[+-]\d{2}:\d{2})$/.test(given)) return false;
  const at = Date.parse(given);
  return !Number.isNaN(at) && at === Date.parse(slot);
}
