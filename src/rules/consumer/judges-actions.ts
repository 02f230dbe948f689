/**
 * Consumer judges of the actions besides booking (issue 18): Cancel an appointment, Amend an
 * appointment and Retrieve a patient's appointments, one pure function per CONS-CANCEL-*,
 * CONS-AMEND-* and CONS-RETRIEVE-* requirement, over the scenario's traffic like the booking's.
 *
 * Cancel and amend are the same verb and path (PUT /Appointment/[id]): a PUT is the action the
 * harness asked for when it asked for one of the two only; otherwise its body says which (status
 * cancelled: a cancel). What it changed is judged against the Appointment as the consumer last saw
 * it before sending (the answer of a read, a retrieve, the booking or an earlier change).
 */
import { GpcAppointmentExtension, GpcProfile, Header, Interaction, Scope } from '../../gpconnect/constants';
import { ukToday } from '../../gpconnect/dates';
import type { FollowUpAction, Judge, JudgeContext, Verdict } from './judge-context';
import { analyse, found, header, neverArose, parseAnswer, parseJson, resourcesOf, type Analysis, type Json, type Req } from './judges-common';
import { instantOf } from './judges-booking';

/** Amend page: "Consumers SHALL impose a character limit of 100 characters" (description) and "500 characters" (comment). */
export const AMEND_LIMITS = { description: 100, comment: 500 } as const;

/**
 * The elements of an Appointment a cancel or an amend may not change (besides status, the
 * cancellation reason, description and comment, which each action's own rule judges): what the
 * consumer read, sent back as it was. Elements the server keeps (id, meta, text, contained) are
 * not compared: a consumer may send them back or leave them out; nor are serviceType and
 * serviceCategory, which the official provider tests send no cancellation with (1.2.7) and
 * providers ignore in a request.
 */
const KEPT = ['start', 'end', 'slot', 'participant', 'appointmentType', 'reason', 'priority', 'minutesDuration', 'created', 'specialty', 'incomingReferral', 'supportingInformation', 'indication', 'requestedPeriod'] as const;

/** Extensions the provider sets on the Appointment it returns (delivery channel, practitioner role): the provider's to keep, whatever a consumer sends back of them. */
const PROVIDER_EXTENSIONS: ReadonlySet<string> = new Set([GpcAppointmentExtension.deliveryChannel, GpcAppointmentExtension.practitionerRole]);

const isChange = (r: Req) => r.entry.method === 'PUT' && (r.interactions.includes(Interaction.cancelAppointment) || r.interactions.includes(Interaction.updateAppointment));
const isRetrieve = (r: Req) => r.entry.method === 'GET' && r.interactions.includes(Interaction.searchPatientAppointments);
const isRead = (r: Req) => r.entry.method === 'GET' && r.interactions.includes(Interaction.readAppointment);
const isCreate = (r: Req) => r.entry.method === 'POST' && r.interactions.includes(Interaction.createAppointment);

const appointmentIdOf = (r: Req): string | undefined => r.relative?.match(/^\/Appointment\/([^/?]+)/)?.[1];

const extensionsOf = (body: Json | undefined, url: string): Json[] => (Array.isArray(body?.extension) ? body!.extension : []).filter((x: Json) => x?.url === url);

/** A cancel or an amend as sent, with the Appointment as the consumer last saw it and the version it had. */
export interface Change {
  req: Req;
  kind: 'cancel' | 'amend';
  id?: string;
  body: Json | undefined;
  before?: Json;
  /** The current version when it was sent: the version id the last answer gave (meta.versionId, else its ETag). */
  version?: string;
  label: string;
}

const LABEL = { cancel: 'Cancel an appointment', amend: 'Amend an appointment' } as const;

function kindOf(ctx: JudgeContext, body: Json | undefined): 'cancel' | 'amend' {
  const asked = new Set((ctx.actions ?? []).map((a) => a.request.action).filter((a) => a === 'cancel' || a === 'amend'));
  if (asked.size === 1) return [...asked][0] as 'cancel' | 'amend';
  return body?.status === 'cancelled' ? 'cancel' : 'amend';
}

const versionInEtag = (etag: string | undefined) => etag?.match(/^W\/"(.*)"$/)?.[1];

/** The Appointment `id` as the answers before `at` last gave it, and its version. */
function lastSeen(a: Analysis, id: string, at: number): { resource: Json; version?: string } | undefined {
  let seen: { resource: Json; version?: string } | undefined;
  for (const r of a.requests) {
    if (r.at >= at || r.entry.status < 200 || r.entry.status > 299) continue;
    const single = (isRead(r) && appointmentIdOf(r) === id) || (isChange(r) && appointmentIdOf(r) === id) || isCreate(r);
    if (single) {
      const resource = parseAnswer(r.entry.responseBody);
      if (resource?.resourceType !== 'Appointment' || resource.id !== id) continue;
      const etag = versionInEtag(Object.entries(r.entry.responseHeaders).find(([k]) => k.toLowerCase() === Header.etag.toLowerCase())?.[1]);
      seen = { resource, version: typeof resource.meta?.versionId === 'string' ? resource.meta.versionId : etag };
    } else if (isRetrieve(r)) {
      const resource = resourcesOf(r.entry.responseBody, 'Appointment').find((x) => x.id === id);
      if (resource) seen = { resource, version: typeof resource.meta?.versionId === 'string' ? resource.meta.versionId : undefined };
    }
  }
  return seen;
}

export function changesOf(ctx: JudgeContext, a = analyse(ctx)): Change[] {
  return a.requests.filter(isChange).map((req) => {
    const body = parseJson(req.entry.requestBody);
    const kind = kindOf(ctx, body);
    const id = appointmentIdOf(req);
    const seen = id ? lastSeen(a, id, req.at) : undefined;
    return { req, kind, id, body: body && typeof body === 'object' ? body : undefined, before: seen?.resource, version: seen?.version, label: `(${LABEL[kind]}, PUT /Appointment/${id ?? '?'})` };
  });
}

const NAMES: Record<FollowUpAction, string> = {
  cancel: '(Cancel an appointment, PUT /Appointment/[id])',
  amend: '(Amend an appointment, PUT /Appointment/[id])',
  retrieve: "(Retrieve a patient's appointments, GET /Patient/[id]/Appointment)",
};

/** Runs a check over every cancel (or amend); a scenario with none did not reach the rule. */
function perChange(ctx: JudgeContext, kind: 'cancel' | 'amend', check: (c: Change) => string[]): Verdict {
  const a = analyse(ctx);
  const changes = changesOf(ctx, a).filter((c) => c.kind === kind);
  if (changes.length === 0) return neverArose(a, `${NAMES[kind]}: the consumer sent no ${kind === 'cancel' ? 'cancellation' : 'amendment'} through the SSP, so the situation never arose`);
  return found(changes.flatMap((c) => check(c).map((p) => `${c.label}: ${p}`)));
}

function perRetrieve(ctx: JudgeContext, check: (req: Req) => string[]): Verdict {
  const a = analyse(ctx);
  const retrieves = a.requests.filter(isRetrieve);
  if (retrieves.length === 0) return neverArose(a, `${NAMES.retrieve}: the consumer sent no retrieve through the SSP, so the situation never arose`);
  return found(retrieves.flatMap((req) => check(req).map((p) => `(Retrieve a patient's appointments, GET ${req.relative?.split('?')[0] ?? req.target}): ${p}`)));
}

// ------------------------------------------------------------------------------ shared checks

function interactionIs(expected: string) {
  return (sent: string | undefined): string[] => (sent === expected ? [] : [`Ssp-InteractionID was ${sent ?? 'missing'}, expected ${expected}`]);
}

function scopeIs(expected: string) {
  return (req: Req): string[] => {
    const scope = req.entry.jwt?.payload?.requested_scope;
    return scope === expected ? [] : [`the JWT's requested_scope was ${scope === undefined ? 'missing' : JSON.stringify(scope)}, expected ${expected}`];
  };
}

/** An element compared as the FHIR value it is: instants as instants, the rest as JSON. */
function same(a: unknown, b: unknown): boolean {
  const ia = instantOf(a);
  const ib = instantOf(b);
  if (ia !== undefined && ib !== undefined) return ia === ib;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The elements a change altered among those it may not (KEPT, and the extensions other than the cancellation reason). */
function changedBeyond(c: Change): string[] {
  if (!c.before || !c.body) return [];
  const problems: string[] = [];
  for (const name of KEPT) {
    if (!same(c.body[name], c.before[name])) problems.push(`${name} was ${JSON.stringify(c.body[name]) ?? 'left out'}, but the Appointment as read has ${JSON.stringify(c.before[name]) ?? 'none'}`);
  }
  const others = (r: Json) => (Array.isArray(r.extension) ? r.extension : []).filter((x: Json) => x?.url !== GpcAppointmentExtension.cancellationReason && !PROVIDER_EXTENSIONS.has(x?.url)).map((x: Json) => JSON.stringify(x)).sort();
  if (JSON.stringify(others(c.body)) !== JSON.stringify(others(c.before))) problems.push(`its extensions other than the cancellation reason were ${others(c.body).join(', ') || 'none'}, but the Appointment as read has ${others(c.before).join(', ') || 'none'}`);
  return problems;
}

function ifMatchNamesCurrent(c: Change): string[] {
  const sent = header(c.req.entry, Header.ifMatch);
  if (sent === undefined) return []; // optional: judged only when sent (see the requirement's notes)
  if (c.version === undefined) return [`If-Match was ${sent}, but no answer before it gave the Appointment's version, so it names no version the consumer was given`];
  const expected = `W/"${c.version}"`;
  // The weak form FHIR writes, or the strong one (RFC 9110 §13.1.1 compares If-Match strongly): either names the version.
  const named = sent.split(',').some((tag) => tag.trim().replace(/^W\//, '') === `"${c.version}"`);
  return named ? [] : [`If-Match was ${sent}, expected ${expected}, the current version the practice last gave for Appointment/${c.id}`];
}

// ------------------------------------------------------------------------------ cancel

export const cancelInteraction: Judge = (ctx) => perChange(ctx, 'cancel', (c) => interactionIs(Interaction.cancelAppointment)(c.req.interactionHeader));
export const cancelScope: Judge = (ctx) => perChange(ctx, 'cancel', (c) => scopeIs(Scope.patientWrite)(c.req));
export const cancelStatus: Judge = (ctx) =>
  perChange(ctx, 'cancel', (c) => {
    if (!c.body) return ['the body is not JSON'];
    const problems = c.body.resourceType === 'Appointment' ? [] : [`the body is a ${c.body.resourceType ?? 'resource without resourceType'}, expected an Appointment`];
    const profiles: unknown[] = Array.isArray(c.body.meta?.profile) ? c.body.meta.profile : [];
    if (!profiles.includes(GpcProfile.appointment)) problems.push(`meta.profile was ${JSON.stringify(c.body.meta?.profile)}, expected it to include ${GpcProfile.appointment}`);
    if (c.body.status !== 'cancelled') problems.push(`status was ${JSON.stringify(c.body.status)}, expected "cancelled"`);
    return problems;
  });
export const cancelReason: Judge = (ctx) =>
  perChange(ctx, 'cancel', (c) => {
    const reasons = extensionsOf(c.body, GpcAppointmentExtension.cancellationReason);
    if (reasons.length !== 1) return [`it carried ${reasons.length} ${GpcAppointmentExtension.cancellationReason} extensions, expected one with the reason`];
    return typeof reasons[0].valueString === 'string' && reasons[0].valueString.trim() !== '' ? [] : [`the cancellation reason extension's valueString was ${JSON.stringify(reasons[0].valueString)}, expected the reason given`];
  });
export const cancelUnchanged: Judge = (ctx) =>
  perChange(ctx, 'cancel', (c) => {
    if (!c.before) return [`no answer before it gave Appointment/${c.id ?? '?'}, so the consumer changed an Appointment it had not read (read it, or retrieve it, then change it in place)`];
    const problems = changedBeyond(c);
    for (const name of ['description', 'comment'] as const) if (c.body && !same(c.body[name], c.before[name])) problems.push(`${name} was ${JSON.stringify(c.body[name]) ?? 'left out'}, but the Appointment as read has ${JSON.stringify(c.before[name]) ?? 'none'}`);
    return problems;
  });
export const cancelIfMatch: Judge = (ctx) => perChange(ctx, 'cancel', ifMatchNamesCurrent);

// ------------------------------------------------------------------------------ amend

export const amendInteraction: Judge = (ctx) => perChange(ctx, 'amend', (c) => interactionIs(Interaction.updateAppointment)(c.req.interactionHeader));
export const amendScope: Judge = (ctx) => perChange(ctx, 'amend', (c) => scopeIs(Scope.patientWrite)(c.req));
export const amendOnlyAllowed: Judge = (ctx) =>
  perChange(ctx, 'amend', (c) => {
    if (!c.body) return ['the body is not JSON'];
    if (!c.before) return [`no answer before it gave Appointment/${c.id ?? '?'}, so the consumer changed an Appointment it had not read (read it, or retrieve it, then change it in place)`];
    const problems = changedBeyond(c);
    if (c.body.status !== c.before.status) problems.push(`status was ${JSON.stringify(c.body.status)}, but the Appointment as read has ${JSON.stringify(c.before.status)}: an amendment changes only description and comment`);
    return problems;
  });
export const amendNoCancellation: Judge = (ctx) =>
  perChange(ctx, 'amend', (c) => {
    const problems: string[] = [];
    if (extensionsOf(c.body, GpcAppointmentExtension.cancellationReason).length > 0) problems.push(`it carried the ${GpcAppointmentExtension.cancellationReason} extension`);
    if (c.before?.status === 'cancelled') problems.push(`Appointment/${c.id} was cancelled when it was amended`);
    return problems;
  });
export const amendLimits: Judge = (ctx) =>
  perChange(ctx, 'amend', (c) =>
    (['description', 'comment'] as const).flatMap((name) => {
      const value = c.body?.[name];
      return typeof value === 'string' && value.length > AMEND_LIMITS[name] ? [`${name} has ${value.length} characters, expected at most ${AMEND_LIMITS[name]}`] : [];
    }),
  );
export const amendIfMatch: Judge = (ctx) => perChange(ctx, 'amend', ifMatchNamesCurrent);

// ------------------------------------------------------------------------------ retrieve

const starts = (req: Req) => req.query.filter(([n]) => n === 'start').map(([, v]) => v);
const PLAIN_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export const retrieveInteraction: Judge = (ctx) => perRetrieve(ctx, (req) => interactionIs(Interaction.searchPatientAppointments)(req.interactionHeader));
export const retrieveScope: Judge = (ctx) => perRetrieve(ctx, scopeIs(Scope.patientRead));
export const retrieveRange: Judge = (ctx) =>
  perRetrieve(ctx, (req) => {
    const given = starts(req);
    const ge = given.filter((v) => v.startsWith('ge'));
    const le = given.filter((v) => v.startsWith('le'));
    return given.length === 2 && ge.length === 1 && le.length === 1 ? [] : [`start was ${JSON.stringify(given)}, expected two: one start=ge… and one start=le…`];
  });
export const retrieveDateOnly: Judge = (ctx) =>
  perRetrieve(ctx, (req) =>
    starts(req).flatMap((v) => {
      const date = v.replace(/^[a-z]{2}/, '');
      return PLAIN_DATE.test(date) && Number.isFinite(Date.parse(`${date}T00:00:00Z`)) ? [] : [`start=${v} is not a plain date (yyyy-mm-dd, no time)`];
    }),
  );
export const retrieveNotPast: Judge = (ctx) =>
  perRetrieve(ctx, (req) => {
    const today = ukToday(new Date(req.entry.time));
    return starts(req).flatMap((v) => {
      const date = v.replace(/^[a-z]{2}/, '').slice(0, 10);
      return PLAIN_DATE.test(date) && date < today ? [`start=${v} asks for ${date}, before ${today}, the day it was sent: no part of the range may be in the past`] : [];
    });
  });

/** The judges of the actions besides booking, by requirement: on a plain booking their situation never arises. */
export const ACTION_JUDGES: Record<string, Judge> = {
  'CONS-CANCEL-INTERACTION': cancelInteraction,
  'CONS-CANCEL-SCOPE': cancelScope,
  'CONS-CANCEL-STATUS': cancelStatus,
  'CONS-CANCEL-REASON': cancelReason,
  'CONS-CANCEL-UNCHANGED': cancelUnchanged,
  'CONS-CANCEL-IF-MATCH': cancelIfMatch,
  'CONS-AMEND-INTERACTION': amendInteraction,
  'CONS-AMEND-SCOPE': amendScope,
  'CONS-AMEND-ONLY-ALLOWED': amendOnlyAllowed,
  'CONS-AMEND-NO-CANCELLATION': amendNoCancellation,
  'CONS-AMEND-LIMITS': amendLimits,
  'CONS-AMEND-IF-MATCH': amendIfMatch,
  'CONS-RETRIEVE-INTERACTION': retrieveInteraction,
  'CONS-RETRIEVE-SCOPE': retrieveScope,
  'CONS-RETRIEVE-RANGE': retrieveRange,
  'CONS-RETRIEVE-DATE-ONLY': retrieveDateOnly,
  'CONS-RETRIEVE-NOT-PAST': retrieveNotPast,
};
