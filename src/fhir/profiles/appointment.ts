/** GPConnect-Appointment-1 (§5.6, §7), GPConnect-Slot-1 and GPConnect-Schedule-1 (§5.3, §7). */
import {
  AppointmentLimits, DELIVERY_CHANNELS, FhirCode, GpcAppointmentExtension, GpcProfile, System,
} from '../../gpconnect/constants';
import {
  Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, array, code, dateValue, declaresProfile, describe, extensionIndexes, extensions, forbidden,
  isObject, knownElements, maxLength, object, ordered, parseReference, reference, referenceAt, required, string,
} from './common';

const APPOINTMENT_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'status', 'serviceCategory', 'serviceType', 'specialty', 'appointmentType', 'reason',
  'indication', 'priority', 'description', 'supportingInformation', 'start', 'end', 'minutesDuration', 'slot', 'created', 'comment',
  'incomingReferral', 'participant', 'requestedPeriod',
];

/** Max 0 in GPConnect-Appointment-1 (appointmentType ... requestedPeriod) or MUST NOT be sent when booking (reason, specialty, §5.6). */
const APPOINTMENT_FORBIDDEN: Record<string, string> = {
  reason: 'MUST NOT be sent when booking, §5.6',
  specialty: 'MUST NOT be sent when booking, §5.6',
  appointmentType: 'max 0 in GPConnect-Appointment-1',
  indication: 'max 0 in GPConnect-Appointment-1',
  supportingInformation: 'max 0 in GPConnect-Appointment-1',
  incomingReferral: 'max 0 in GPConnect-Appointment-1',
  requestedPeriod: 'max 0 in GPConnect-Appointment-1',
};

/**
 * Practitioner role coding systems: the fhir.nhs.uk CodeSystem of the 1.2.x examples and, since 1.2.9 ("Extension
 * gpconnect-practitionerrole-1 now utilises SDS-jobrolename-1 (CareConnect STU3 package) as the codesystem",
 * release_notes/1_2_9.md; Extension-GPConnect-PractitionerRole-1 binds the fhir.hl7.org.uk ValueSet), the CareConnect one.
 */
const SDS_JOB_ROLE_NAME_SYSTEMS: readonly string[] = [
  GpcAppointmentExtension.sdsJobRoleNameSystem,
  GpcAppointmentExtension.sdsJobRoleNameSystemCareConnect,
];

/** Shared extension checks of Appointment and Slot/Schedule: delivery channel and practitioner role. */
function appointmentManagementExtensions(ctx: Ctx, r: Json, path: string): void {
  extensions(ctx, r, path);
  for (const i of extensionIndexes(r, GpcAppointmentExtension.deliveryChannel)) {
    code(ctx, (r.extension as Json[])[i], 'valueCode', `${path}.extension[${i}]`, DELIVERY_CHANNELS, true);
  }
  for (const i of extensionIndexes(r, GpcAppointmentExtension.practitionerRole)) {
    const p = `${path}.extension[${i}]`;
    const cc = object(ctx, (r.extension as Json[])[i], 'valueCodeableConcept', p, true);
    if (!cc) continue;
    array(ctx, cc, 'coding', `${p}.valueCodeableConcept`, 1).forEach((c, j) => {
      const cp = `${p}.valueCodeableConcept.coding[${j}]`;
      if (!isObject(c)) return ctx.add(cp, 'type', `${cp} must be a Coding object`);
      const system = string(ctx, c, 'system', cp, true);
      if (system !== undefined && !SDS_JOB_ROLE_NAME_SYSTEMS.includes(system)) {
        ctx.add(`${cp}.system`, 'code-system', `${cp}.system is "${system}"; it must be ${SDS_JOB_ROLE_NAME_SYSTEMS.join(' or ')}`);
      }
      string(ctx, c, 'code', cp, true);
    });
  }
}

/** The booking organisation extension → contained Organization with ODS identifier, name and telecom. */
function bookingOrganisation(ctx: Ctx, r: Json, path: string): void {
  const idx = extensionIndexes(r, GpcAppointmentExtension.bookingOrganisation);
  if (idx.length === 0) {
    ctx.add(`${path}.extension`, 'booking-organisation', `${path}.extension has no booking organisation extension (${GpcAppointmentExtension.bookingOrganisation}); it is required`);
    return;
  }
  if (idx.length > 1) {
    ctx.add(`${path}.extension[${idx[1]}]`, 'cardinality', `${path}.extension has ${idx.length} booking organisation extensions; exactly 1 is allowed`);
  }
  const p = `${path}.extension[${idx[0]}]`;
  const ext = (r.extension as Json[])[idx[0]];
  const vr = object(ctx, ext, 'valueReference', p, true);
  if (!vr) return;
  const ref = string(ctx, vr, 'reference', `${p}.valueReference`, true);
  if (ref === undefined) return;
  const parsed = parseReference(ref);
  if (!parsed || parsed.contained === undefined) {
    ctx.add(`${p}.valueReference.reference`, 'booking-organisation-contained', `${p}.valueReference.reference is "${ref}"; the booking organisation must be a contained Organization referenced as #{id}`);
    return;
  }
  const contained = Array.isArray(r.contained) ? r.contained : [];
  const at = contained.findIndex((c: unknown) => isObject(c) && c.id === parsed.contained);
  if (at < 0) {
    ctx.add(`${p}.valueReference.reference`, 'contained-reference', `${p}.valueReference.reference is "${ref}" but ${path}.contained has no resource with id "${parsed.contained}"`);
    return;
  }
  const org = contained[at] as Json;
  const op = `${path}.contained[${at}](${String(org.resourceType)})`;
  if (org.resourceType !== 'Organization') {
    ctx.add(`${p}.valueReference.reference`, 'reference-type', `${p}.valueReference.reference "${ref}" points at a contained ${String(org.resourceType)}; it must be an Organization`);
    return;
  }
  const ids = Array.isArray(org.identifier) ? org.identifier : [];
  if (!ids.some((i: unknown) => isObject(i) && i.system === System.odsOrganizationCode && typeof i.value === 'string' && i.value !== '')) {
    ctx.add(`${op}.identifier`, 'booking-organisation', `${op}.identifier has no ODS code (${System.odsOrganizationCode}); the booking organisation must have one`);
  }
  required(ctx, org, 'name', op, 'the booking organisation must have a name');
  required(ctx, org, 'telecom', op, 'the booking organisation must have a telecom');
}

function appointmentBase(ctx: Ctx, r: Json, path: string, booking: boolean): void {
  knownElements(ctx, r, path, APPOINTMENT_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.appointment);
  const status = code(ctx, r, 'status', path, FhirCode.appointmentStatus, true);
  if (booking && status !== undefined && status !== 'booked') {
    ctx.add(`${path}.status`, 'fixed-value', `${path}.status is "${status}"; a booking must have status "booked" (§5.6)`);
  }
  if (string(ctx, r, 'description', path, true) !== undefined) maxLength(ctx, r, 'description', path, AppointmentLimits.descriptionMaxLength);
  if (string(ctx, r, 'comment', path) !== undefined) maxLength(ctx, r, 'comment', path, AppointmentLimits.commentMaxLength);
  const start = dateValue(ctx, r, 'start', path, 'instant', true);
  const end = dateValue(ctx, r, 'end', path, 'instant', true);
  ordered(ctx, start, end, path);
  // GPConnect-Appointment-1 leaves `created` 0..1; the book page's "SHALL be populated" binds the consumer's request
  // only, so a returned Appointment (book/read/amend/cancel responses) may omit it (spec-fidelity review F14).
  dateValue(ctx, r, 'created', path, 'dateTime', booking);
  for (const [key, why] of Object.entries(APPOINTMENT_FORBIDDEN)) forbidden(ctx, r, key, path, why);

  array(ctx, r, 'slot', path, 1).forEach((s, i) => referenceAt(ctx, s, `${path}.slot[${i}]`, ['Slot'], { required: true }));

  const counts: Record<string, number> = { Patient: 0, Location: 0, Practitioner: 0 };
  array(ctx, r, 'participant', path, 1).forEach((pt, i) => {
    const p = `${path}.participant[${i}]`;
    if (!isObject(pt)) return ctx.add(p, 'type', `${p} must be an object but is ${describe(pt)}`);
    const ref = reference(ctx, pt, 'actor', p, ['Patient', 'Location', 'Practitioner'], { required: true });
    if (ref?.type) counts[ref.type]++;
    code(ctx, pt, 'status', p, FhirCode.participationStatus, true);
    code(ctx, pt, 'required', p, FhirCode.participantRequired);
  });
  if (Array.isArray(r.participant)) {
    for (const type of ['Patient', 'Location']) {
      if (counts[type] !== 1) {
        ctx.add(`${path}.participant`, `participant-${type.toLowerCase()}`, `${path}.participant has ${counts[type]} ${type} actors; exactly 1 ${type} participant with actor.reference ${type}/{id} is required`);
      }
    }
  }

  appointmentManagementExtensions(ctx, r, path);
  bookingOrganisation(ctx, r, path);
  const cancel = extensionIndexes(r, GpcAppointmentExtension.cancellationReason);
  if (cancel.length > 0 && (booking || status !== 'cancelled')) {
    ctx.add(`${path}.extension[${cancel[0]}]`, 'forbidden', `${path}.extension[${cancel[0]}] is the cancellation reason extension; it must not be present on ${booking ? 'a booking' : `an appointment with status "${String(status)}"`}`);
  }

  const contained = array(ctx, r, 'contained', path);
  contained.forEach((c, i) => ctx.nested(c, `${path}.contained[${i}]`));
  const ids = contained.flatMap((c) => (isObject(c) && typeof c.id === 'string' ? [c.id] : []));
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) ctx.add(`${path}.contained`, 'contained-id', `${path}.contained has two resources with id "${id}"`);
  });
}

/** GPConnect-Appointment-1 as read/returned (book, read, amend, cancel responses). */
export function appointment(ctx: Ctx, r: Json, path: string): void {
  appointmentBase(ctx, r, path, false);
}

/** The Book an appointment request body (§5.6). */
export function appointmentBookRequest(ctx: Ctx, r: Json, path: string): void {
  appointmentBase(ctx, r, path, true);
}

const SLOT_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'serviceCategory', 'serviceType', 'specialty', 'appointmentType', 'schedule', 'status',
  'start', 'end', 'overbooked', 'comment',
];

export function slot(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, SLOT_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.slot);
  reference(ctx, r, 'schedule', path, ['Schedule'], { required: true });
  code(ctx, r, 'status', path, FhirCode.slotStatus, true);
  const start = dateValue(ctx, r, 'start', path, 'offsetDateTime', true);
  const end = dateValue(ctx, r, 'end', path, 'offsetDateTime', true);
  ordered(ctx, start, end, path);
  forbidden(ctx, r, 'serviceCategory', path, 'max 0 in GPConnect-Slot-1');
  forbidden(ctx, r, 'appointmentType', path, 'max 0 in GPConnect-Slot-1');
  forbidden(ctx, r, 'specialty', path, 'free slot responses carry no specialty, §5.3');
  const types = array(ctx, r, 'serviceType', path, 1);
  types.forEach((t, i) => {
    if (isObject(t)) string(ctx, t, 'text', `${path}.serviceType[${i}]`, true);
    else ctx.add(`${path}.serviceType[${i}]`, 'type', `${path}.serviceType[${i}] must be a CodeableConcept object`);
  });
  appointmentManagementExtensions(ctx, r, path);
}

const SCHEDULE_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'active', 'serviceCategory', 'serviceType', 'specialty', 'actor', 'planningHorizon', 'comment',
];

export function schedule(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, SCHEDULE_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.schedule);
  array(ctx, r, 'actor', path, 1).forEach((a, i) => referenceAt(ctx, a, `${path}.actor[${i}]`, ['Location', 'Practitioner'], { required: true }));
  const horizon = object(ctx, r, 'planningHorizon', path, true);
  if (horizon) {
    const start = dateValue(ctx, horizon, 'start', `${path}.planningHorizon`, 'offsetDateTime', true);
    const end = dateValue(ctx, horizon, 'end', `${path}.planningHorizon`, 'offsetDateTime');
    ordered(ctx, start, end, `${path}.planningHorizon`);
  }
  forbidden(ctx, r, 'specialty', path, 'free slot responses carry no specialty, §5.3');
  object(ctx, r, 'serviceCategory', path);
  appointmentManagementExtensions(ctx, r, path);
}
