/**
 * Prose rules of Appointment Management (GP Connect 1.2.9) that GPConnect-Appointment-1, GPConnect-Slot-1 and
 * GPConnect-Schedule-1 do not express. The profiles themselves (cardinality, types, bindings, extension URLs,
 * reference targets, max 0 elements) are the StructureDefinitions' job: see docs/fhir-validation.md.
 */
import { AppointmentLimits, GpcAppointmentExtension, GpcProfile, System } from '../../gpconnect/constants';
import type { Ctx, Json } from '../issues';
import { describe } from '../issues';
import { extensionsWithUrl, isJson, items, populated, report, requireProfile, text } from './citations';

/** A returned Appointment (Book, Read, Amend and Cancel responses; Retrieve a patient's appointments entries). */
export function appointment(ctx: Ctx, r: Json, path: string): void {
  // Read an appointment › Payload response body (and the same list on Book, Amend, Cancel, Retrieve).
  requireProfile(ctx, r, path, GpcProfile.appointment, 'appointment-meta-profile');
  // GPConnect-Appointment-1 allows reason 0..1 and specialty 0..1; the response pages forbid populating them.
  for (const key of ['reason', 'specialty']) {
    if (r[key] !== undefined) report(ctx, 'appointment-not-populated', `${path}.${key}`, `${path}.${key} is populated; a provider must not return it`);
  }
}

/** The Book an appointment request body. */
export function appointmentBookRequest(ctx: Ctx, r: Json, path: string): void {
  // Book an appointment › Payload request body.
  requireProfile(ctx, r, path, GpcProfile.appointment, 'book-meta-profile');

  const status = r.status;
  if (status !== 'booked') {
    report(ctx, 'book-status', `${path}.status`, `${path}.status is ${describe(status)}; a booking sends "booked"`);
  }
  // GPConnect-Appointment-1 leaves created 0..1: only the request must carry it (spec-fidelity review F14).
  if (!populated(r.created)) report(ctx, 'book-created', `${path}.created`, `${path}.created is absent; a booking records when it was made`);

  // The limits bind the consumer; a provider only has to store at least as much (spec-fidelity review F11).
  const limits: Array<[string, number, 'book-description-length' | 'book-comment-length']> = [
    ['description', AppointmentLimits.descriptionMaxLength, 'book-description-length'],
    ['comment', AppointmentLimits.commentMaxLength, 'book-comment-length'],
  ];
  for (const [key, max, id] of limits) {
    const v = r[key];
    if (typeof v === 'string' && [...v].length > max) {
      report(ctx, id, `${path}.${key}`, `${path}.${key} is ${[...v].length} characters; a consumer sends at most ${max}`);
    }
  }

  // A patient and a location participant, each found by its actor's reference type.
  const actorTypes = items(r, 'participant').map((p) => {
    const ref = isJson(p) && isJson(p.actor) ? text(p.actor, 'reference') : undefined;
    return ref?.match(/^([A-Z][A-Za-z]+)\//)?.[1];
  });
  if (!actorTypes.includes('Patient')) {
    report(ctx, 'book-participant-patient', `${path}.participant`, `${path}.participant has no Patient actor; a booking names the patient (actor.reference Patient/{id})`);
  }
  const locations = actorTypes.filter((t) => t === 'Location').length;
  if (locations !== 1) {
    report(ctx, 'book-participant-location', `${path}.participant`, `${path}.participant has ${locations} Location actors; a booking names the one place it takes place (actor.reference Location/{id})`);
  }

  bookingOrganisation(ctx, r, path);

  for (const key of ['reason', 'specialty']) {
    if (r[key] !== undefined) report(ctx, 'book-not-included', `${path}.${key}`, `${path}.${key} is present; a booking must not include it`);
  }
  for (const i of extensionsWithUrl(r, GpcAppointmentExtension.cancellationReason)) {
    report(ctx, 'book-not-included', `${path}.extension[${i}]`, `${path}.extension[${i}] is the cancellation reason extension; a booking must not include it`);
  }
}

/**
 * The booking organisation: an Extension-GPConnect-BookingOrganisation-1 whose valueReference is a `#id` of a
 * contained Organization, which conforms to CareConnect-GPC-Organization-1 (nested) and has an ODS code, a name
 * and a telecom. (The extension's url, its valueReference type, max 1, and that `#id` resolves (ref-1) are the
 * StructureDefinitions'.)
 */
function bookingOrganisation(ctx: Ctx, r: Json, path: string): void {
  const at = extensionsWithUrl(r, GpcAppointmentExtension.bookingOrganisation);
  if (at.length === 0) {
    report(ctx, 'book-booking-organisation', `${path}.extension`, `${path}.extension has no booking organisation (${GpcAppointmentExtension.bookingOrganisation})`);
    return;
  }
  const p = `${path}.extension[${at[0]}]`;
  const ext = items(r, 'extension')[at[0]] as Json;
  const ref = isJson(ext.valueReference) ? text(ext.valueReference, 'reference') : undefined;
  if (ref === undefined) return; // no reference at all: the extension's own value[x] rules say so
  if (!ref.startsWith('#')) {
    report(ctx, 'book-booking-organisation', `${p}.valueReference.reference`, `${p}.valueReference.reference is "${ref}"; the booking organisation is a contained Organization, referenced as #{id}`);
    return;
  }
  const contained = items(r, 'contained');
  const index = contained.findIndex((c) => isJson(c) && c.id === ref.slice(1));
  if (index < 0) return; // an unresolved #id: ref-1 of the StructureDefinitions
  const org = contained[index] as Json;
  if (org.resourceType !== 'Organization') {
    report(ctx, 'book-booking-organisation', `${p}.valueReference.reference`, `${p}.valueReference.reference "${ref}" is a contained ${describe(org.resourceType)}; the booking organisation is an Organization`);
    return;
  }
  const op = `${path}.contained[${index}](Organization)`;
  ctx.nested(org, `${path}.contained[${index}]`, GpcProfile.organization);
  const ods = items(org, 'identifier').some((id) => isJson(id) && id.system === System.odsOrganizationCode && text(id, 'value') !== undefined);
  if (!ods) report(ctx, 'book-organisation-ods', `${op}.identifier`, `${op}.identifier has no ODS code (${System.odsOrganizationCode})`);
  for (const key of ['name', 'telecom']) {
    if (!populated(org[key])) report(ctx, 'book-organisation-details', `${op}.${key}`, `${op}.${key} is absent; the booking organisation has a name and a telecom`);
  }
}

/** `yyyy-mm-ddThh:mm:ss+hh:mm` with +00:00 (GMT) or +01:00 (BST): what the free slots page asks for. */
const UK_LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[01]:00$/;

function ukLocalTime(ctx: Ctx, obj: Json, key: string, path: string): void {
  const v = obj[key];
  if (typeof v === 'string' && !UK_LOCAL_TIME.test(v)) {
    report(ctx, 'slot-local-time', `${path}.${key}`, `${path}.${key} is "${v}"; it is written in UK local time as yyyy-mm-ddThh:mm:ss+00:00 (GMT) or +01:00 (BST)`);
  }
}

/** A Slot of a Search for free slots response. */
export function slot(ctx: Ctx, r: Json, path: string): void {
  ukLocalTime(ctx, r, 'start', path);
  ukLocalTime(ctx, r, 'end', path);
  // GPConnect-Slot-1 allows specialty 0..1; the page forbids it.
  if (r.specialty !== undefined) report(ctx, 'slot-no-specialty', `${path}.specialty`, `${path}.specialty is populated; free slots carry no specialty`);
  const types = items(r, 'serviceType');
  if (types.length === 0) {
    report(ctx, 'slot-service-type-text', `${path}.serviceType`, `${path}.serviceType is absent; a slot carries its practice defined slot type in serviceType.text`);
  }
  types.forEach((t, i) => {
    if (isJson(t) && text(t, 'text') === undefined) {
      report(ctx, 'slot-service-type-text', `${path}.serviceType[${i}].text`, `${path}.serviceType[${i}].text is absent; it holds the practice defined slot type`);
    }
  });
}

/** A Schedule of a Search for free slots response. */
export function schedule(ctx: Ctx, r: Json, path: string): void {
  if (isJson(r.planningHorizon)) {
    ukLocalTime(ctx, r.planningHorizon, 'start', `${path}.planningHorizon`);
    ukLocalTime(ctx, r.planningHorizon, 'end', `${path}.planningHorizon`);
  }
  if (r.specialty !== undefined) report(ctx, 'slot-no-specialty', `${path}.specialty`, `${path}.specialty is populated; free slot schedules carry no specialty`);
}
