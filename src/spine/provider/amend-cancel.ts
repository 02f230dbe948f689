/**
 * Amend an appointment and Cancel an appointment: `PUT [base]/Appointment/{id}`, told apart by
 * Ssp-InteractionID (appointments_use_case_amend_an_appointment, appointments_use_case_cancel_an_appointment).
 * The guard has already checked headers, JWT, content negotiation and that the interaction fits the verb.
 *
 * Rules and codes:
 * - an id the practice does not have: 404 NO_RECORD_FOUND (error page, "Resource not found");
 * - If-Match, when sent, must name the current version: otherwise 409 FHIR_CONSTRAINT_VIOLATION
 *   (general API guidance "Managing resource contention": 409; the code PTEST AppointmentCancel.feature expects);
 * - a cancelled appointment is not amended (nor cancelled again), a past one neither: 422 INVALID_RESOURCE;
 * - an amendment may change only description and comment; a cancellation only status (to cancelled)
 *   and the cancellation-reason extension: any other change 422 INVALID_RESOURCE (the amend page's
 *   "should return a 422 error with error code INVALID_RESOURCE"; PTEST for both);
 * - a cancellation reason extension without a reason: 422 INVALID_PARAMETER (PTEST);
 * - the consumer's serviceCategory/serviceType are ignored (PTEST @1.2.7), and so are the extensions the
 *   provider sets (practitioner role, delivery channel) and identifiers of its own on the contained
 *   booking organisation: those are the provider's to keep.
 * Success: 200 with the Appointment, its new versionId, ETag and Last-Modified; Prefer return=minimal
 * answers 200 with no body. A cancellation frees the appointment's slots.
 */
import { AppointmentLimits, GpcAppointmentExtension, Header, Interaction, SpineError, STALE_VERSION_CODE, System } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import type { Appointment, ProviderContext } from './context';
import { returnPreference } from './http-behaviour';
import { respond } from './slots';
import { formatUk } from './state';
import { appointmentSent } from './appointments';

type Json = Record<string, any>;

const badRequest = (d: string) => respond(gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', d), 400);
const invalidResource = (d: string) => respond(gpcOutcome('invalid', SpineError.invalidResource, 'Submitted resource is not valid.', d), 422);
const invalidParameter = (d: string) => respond(gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', d), 422);
const noRecordFound = (d: string) => respond(gpcOutcome('not-found', SpineError.noRecordFound, 'No record found', d), 404);
const conflict = (d: string) => respond(gpcOutcome('conflict', STALE_VERSION_CODE, 'FHIR constraint violated', d), 409);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Elements a consumer's request may carry differently from what is stored, whatever the interaction. */
const ALWAYS_IGNORED = new Set(['resourceType', 'id', 'meta', 'text', 'serviceCategory', 'serviceType', 'extension']);
/** What each may change. */
const AMENDABLE = new Set(['description', 'comment']);
const CANCELLABLE = new Set(['status']);
/** Extensions the provider sets, which a consumer need not send back. */
const PROVIDER_EXTENSIONS = new Set<string>([GpcAppointmentExtension.practitionerRole, GpcAppointmentExtension.deliveryChannel]);

export async function updateAppointment(ctx: ProviderContext, request: Request, id: string): Promise<Response> {
  const interaction = request.headers.get(Header.sspInteractionId)?.trim();
  const cancelling = interaction === Interaction.cancelAppointment;
  const body = await appointmentSent(request);
  if (body instanceof Response) return body;
  const stored = ctx.state.appointmentById(id);
  if (!stored || !ctx.state.update) return noRecordFound(`no appointment has the id ${JSON.stringify(id)}`);
  if (body.id !== undefined && body.id !== id) return badRequest(`the Appointment's id ${JSON.stringify(body.id)} is not the id ${JSON.stringify(id)} of the URL`);

  const ifMatch = request.headers.get(Header.ifMatch);
  if (ifMatch !== null && !matchesVersion(ifMatch, stored.versionId)) {
    return conflict(`If-Match ${ifMatch} does not name the current version W/"${stored.versionId}" of Appointment/${id}`);
  }
  const current = stored.resource as Json;
  if (current.status === 'cancelled') return invalidResource(`Appointment/${id} has been cancelled: it cannot be ${cancelling ? 'cancelled again' : 'amended'}`);
  if (Date.parse(String(current.start)) <= ctx.now().getTime()) return invalidResource(`Appointment/${id} started in the past (${current.start}): it cannot be ${cancelling ? 'cancelled' : 'amended'}`);
  if (deliveryChannelOf(current) === 'Visit') return invalidResource(`Appointment/${id} is a visit: it cannot be ${cancelling ? 'cancelled' : 'amended'} through GP Connect`);

  let changed: Json | Response;
  try {
    changed = cancelling ? checkCancellation(current, body) : checkAmendment(ctx, current, body);
  } catch (error) {
    // A body too deep or odd to compare (the fuzzer's) is not a valid Appointment.
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    return invalidResource(`the Appointment cannot be read: ${error.message}`);
  }
  if (changed instanceof Response) return changed;

  const now = ctx.now();
  const updated = ctx.state.update(id, { ...changed, meta: { ...(current.meta ?? {}), lastUpdated: formatUk(now) } });
  if (cancelling && !ctx.choices?.keepSlotsOnCancel) ctx.state.freeSlots?.(slotIdsOf(current));
  return answer(ctx, request, updated, now);
}

/** The Appointment as amended: description and comment taken from the request, nothing else changed. */
function checkAmendment(ctx: ProviderContext, current: Json, body: Json): Json | Response {
  if (body.status !== current.status) return invalidResource(`status may not be changed by an amendment (${JSON.stringify(current.status)} to ${JSON.stringify(body.status)}); only description and comment`);
  if (asArray(body.extension).some((e) => isObject(e) && e.url === GpcAppointmentExtension.cancellationReason)) return invalidResource('an amendment must not carry the cancellation reason extension');
  const other = changedElements(current, body, AMENDABLE);
  if (other.length > 0) return invalidResource(`an amendment may change only description and comment; it changes ${other.join(', ')}`);
  if (typeof body.description !== 'string' || body.description.trim() === '') return invalidResource('description is missing');
  if (body.description.length > AppointmentLimits.descriptionMaxLength && !ctx.choices?.storeLongDescriptions) return invalidResource(`description is longer than ${AppointmentLimits.descriptionMaxLength} characters`);
  if (body.comment !== undefined && typeof body.comment !== 'string') return invalidResource('comment must be a string');
  if (typeof body.comment === 'string' && body.comment.length > AppointmentLimits.commentMaxLength) return invalidResource(`comment is longer than ${AppointmentLimits.commentMaxLength} characters`);
  const amended: Json = { ...current, description: body.description };
  if (body.comment === undefined) delete amended.comment;
  else amended.comment = body.comment;
  if (ctx.choices?.concatenateAmendedText && typeof body.comment === 'string' && body.comment !== '') {
    amended.description = `${body.description} | ${body.comment}`;
    delete amended.comment;
  }
  return amended;
}

/** The Appointment as cancelled: status cancelled and the reason sent, nothing else changed. */
function checkCancellation(current: Json, body: Json): Json | Response {
  const other = changedElements(current, body, CANCELLABLE);
  if (other.length > 0) return invalidResource(`a cancellation may change only status and the cancellation reason; it changes ${other.join(', ')}`);
  if (body.status !== 'cancelled') return invalidResource(`a cancellation sets status to "cancelled" (got ${JSON.stringify(body.status)})`);
  const reasons = asArray(body.extension).filter((e) => isObject(e) && e.url === GpcAppointmentExtension.cancellationReason) as Json[];
  if (reasons.length !== 1) return invalidResource(`a cancellation carries one cancellation reason extension ${GpcAppointmentExtension.cancellationReason} (has ${reasons.length})`);
  const reason = reasons[0].valueString;
  if (typeof reason !== 'string' || reason.trim() === '') return invalidParameter('the cancellation reason extension has no reason (valueString)');
  return { ...current, status: 'cancelled', extension: [...(current.extension ?? []), { url: GpcAppointmentExtension.cancellationReason, valueString: reason }] };
}

/**
 * The elements the request changes from what is stored, beyond those it may change: every element
 * but the always-ignored ones compared as JSON, and the extensions, the cancellation reason aside,
 * as a set (those the provider sets may be left out).
 */
function changedElements(current: Json, body: Json, mayChange: ReadonlySet<string>): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(body)]);
  const changed = [...keys].filter((k) => !ALWAYS_IGNORED.has(k) && !mayChange.has(k) && k !== 'contained' && canonical(current[k]) !== canonical(body[k]));
  if (canonical(bookingDetails(current)) !== canonical(bookingDetails(body))) changed.push('contained');
  // The extensions the consumer sets, compared as a set; the provider's own (practitioner role,
  // delivery channel) are the provider's to keep, whatever a consumer sends back of them.
  const consumers = (a: Json) =>
    ((Array.isArray(a.extension) ? a.extension : []) as unknown[])
      .filter((e) => !(isObject(e) && (e.url === GpcAppointmentExtension.cancellationReason || PROVIDER_EXTENSIONS.has(e.url as string))))
      .map(canonical)
      .sort();
  if (canonical(consumers(body)) !== canonical(consumers(current))) changed.push('extension');
  return changed;
}

/**
 * The contained resources as the booking organisation's details the provider stores (book page:
 * "SHALL store, return and display these details"): its ODS code, name and telecom. Identifiers of
 * the provider's own beside the ODS code are not the consumer's to change.
 */
function bookingDetails(appointment: Json): unknown {
  return ((Array.isArray(appointment.contained) ? appointment.contained : []) as unknown[]).map((c) =>
    isObject(c)
      ? { resourceType: c.resourceType, id: c.id, ods: ((c.identifier ?? []) as Json[]).filter((i) => i?.system === System.odsOrganizationCode).map((i) => i.value), name: c.name, telecom: c.telecom }
      : c,
  );
}

/** JSON with the keys of every object sorted, so that two equal values read the same. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** If-Match names the version as a weak ETag, W/"3", or a strong one, "3" (RFC 9110 §13.1.1 compares If-Match strongly, FHIR writes it weak). */
function matchesVersion(ifMatch: string, versionId: string): boolean {
  return ifMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${versionId}"`);
}

function deliveryChannelOf(appointment: Json): string | undefined {
  return (appointment.extension ?? []).find((e: Json) => e?.url === GpcAppointmentExtension.deliveryChannel)?.valueCode;
}

function slotIdsOf(appointment: Json): string[] {
  return ((appointment.slot ?? []) as Json[]).map((s) => /^Slot\/(.+)$/.exec(String(s?.reference ?? ''))?.[1]).filter((id): id is string => id !== undefined);
}

/** 200 with the Appointment (or, under Prefer return=minimal, no body), its ETag and Last-Modified. */
function answer(ctx: ProviderContext, request: Request, updated: Appointment, now: Date): Response {
  const headers = { [Header.etag]: `W/"${updated.versionId}"`, 'Last-Modified': now.toUTCString() };
  const response = respond(updated.resource, 200, headers);
  if (ctx.choices?.ignorePrefer || returnPreference(request.headers.get(Header.prefer)) !== 'minimal') return response;
  const minimal = new Headers(response.headers);
  minimal.delete(Header.contentType);
  minimal.delete('content-length');
  return new Response(null, { status: 200, headers: minimal });
}
