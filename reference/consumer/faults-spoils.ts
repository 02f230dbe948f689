/**
 * The request faults of the catalogue (faults.ts): each spoils a draft in place, the one mistake
 * its description names and nothing else. They run in catalogue order just before the request is
 * encoded (ssp-client.ts `beforeSend`).
 */
import { createHmac } from 'node:crypto';
import { GpcAppointmentExtension, Header, Interaction, MediaType, ODS_SITE_CODE_SYSTEM, Scope, SlotSearch, System } from '../../src/gpconnect/constants';
import type { FaultContext } from './faults';
import type { SspDraft } from './ssp-client';

type Json = Record<string, any>;
type Spoil = (draft: SspDraft, context: FaultContext) => void;

/** The fixed test key `signed-jwt` signs with (HS256): nothing secret, the point is that it is signed at all. */
export const SIGNED_JWT_TEST_KEY = 'gpc-conform-reference-consumer-test-key';
/** The aud GP Connect used before 1.2.3. */
export const PRE_1_2_3_AUDIENCE = 'https://authorize.fhir.nhs.net/token';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** header.payload.signature with a real HMAC-SHA256 signature. */
export function encodeHs256(header: Json, claims: Json, key = SIGNED_JWT_TEST_KEY): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** Sets a header, replacing it whatever case it was written in. */
function setHeader(draft: SspDraft, name: string, value: string): void {
  for (const k of Object.keys(draft.headers)) if (k.toLowerCase() === name.toLowerCase()) delete draft.headers[k];
  draft.headers[name] = value;
}

/** Changes the relative part of the request (its query) and the URL with it. */
function rewriteRelative(draft: SspDraft, change: (s: string) => string): void {
  const before = draft.relative;
  draft.relative = change(before);
  draft.url = draft.url.slice(0, draft.url.length - before.length) + draft.relative;
}

const isBooking = (d: SspDraft) => d.interaction === Interaction.createAppointment;
const bookingBody = (d: SspDraft): Json | undefined => (isBooking(d) && d.body && typeof d.body === 'object' ? (d.body as Json) : undefined);
const isCancel = (d: SspDraft) => d.step === 'cancel';
const isAmend = (d: SspDraft) => d.step === 'amend';
const isRetrieve = (d: SspDraft) => d.step === 'retrieve';
const changeBody = (d: SspDraft): Json | undefined => (d.body && typeof d.body === 'object' ? (d.body as Json) : undefined);
/** A version before the one If-Match names (W/"3" → W/"2"; W/"1" → W/"0"): what a consumer holding an old copy sends. */
function staleIfMatch(d: SspDraft): void {
  const sent = Object.entries(d.headers).find(([k]) => k.toLowerCase() === Header.ifMatch.toLowerCase())?.[1];
  const version = /^W\/"(.*)"$/.exec(sent ?? '')?.[1];
  if (version === undefined) return;
  setHeader(d, Header.ifMatch, `W/"${/^[0-9]+$/.test(version) ? Number(version) - 1 : `${version}-old`}"`);
}
/** The retrieve's start=ge… date, rewritten. */
function rewriteLower(d: SspDraft, change: (date: string) => string): void {
  rewriteRelative(d, (s) => s.replace(/([?&]start=ge)([0-9]{4}-[0-9]{2}-[0-9]{2})(?=&|$)/, (_, head: string, date: string) => `${head}${change(date)}`));
}

/** UTC clock time with the zone cut off: what `toISOString().slice(0, 19)` gives, and no FHIR instant. */
const utcWithoutZone = (dateTime: string) => new Date(dateTime).toISOString().slice(0, 19);

export const SPOILS: Record<string, Spoil> = {
  'bypass-ssp': (d) => {
    d.url = d.url.slice(d.url.indexOf(d.provider.serviceRoot));
  },
  'add-port-to-root': (d) => {
    const root = d.provider.serviceRoot;
    d.url = d.url.replace(root, root.replace(/^(https?:\/\/[^/:?#]+)/i, '$1:443'));
  },
  'ssp-to-party-key': (d) => setHeader(d, Header.sspTo, d.provider.partyKey),
  'stamp-hosting-asid': (d, { config }) => setHeader(d, Header.sspFrom, config.asid),
  'reuse-trace-id': (d, { sessionTraceId }) => setHeader(d, Header.sspTraceId, sessionTraceId),
  'wrong-interaction-id': (d) => {
    if (isBooking(d)) setHeader(d, Header.sspInteractionId, Interaction.searchSlot);
  },
  // Only the body's Content-Type: an Accept of application/json is not judged (CONS-CONTENT-TYPE), and
  // a provider that refuses it would stop the consumer before any body was sent (one mistake, one failure).
  'json-content-type': (d) => {
    if (d.body !== undefined) setHeader(d, Header.contentType, MediaType.json);
  },
  'unencoded-pipe': (d) => rewriteRelative(d, (s) => s.replace(/%7C/gi, '|')),
  'signed-jwt': (d) => {
    d.jwtHeader = { alg: 'HS256', typ: 'JWT' };
    d.encodeJwt = (header, claims) => encodeHs256(header, claims);
  },
  'no-trailing-dot': (d) => {
    d.encodeJwt = (header, claims) => `${b64(header)}.${b64(claims)}`;
  },
  'one-hour-expiry': (d) => {
    d.claims.exp = d.claims.iat + 3600;
  },
  'stale-token': (d) => {
    d.claims.iat -= 600;
    d.claims.exp -= 600;
  },
  'fixed-audience': (d) => {
    d.claims.aud = PRE_1_2_3_AUDIENCE;
  },
  'reason-administrative': (d) => {
    d.claims.reason_for_request = 'administrative';
  },
  'wrong-scope': (d) => {
    if (isBooking(d) || d.interaction === Interaction.registerPatient) d.claims.requested_scope = Scope.patientRead;
  },
  'no-iss': (d) => {
    delete d.claims.iss;
  },
  'device-without-identifier': (d) => {
    delete d.claims.requesting_device?.identifier;
  },
  'register-marital-status': (d) => {
    if (d.interaction !== Interaction.registerPatient) return;
    const patient = (changeBody(d)?.parameter ?? []).find((p: Json) => p?.resource?.resourceType === 'Patient')?.resource;
    if (patient) patient.maritalStatus = { coding: [{ system: 'http://hl7.org/fhir/v3/MaritalStatus', code: 'M', display: 'Married' }] };
  },
  'r4-device-claim': (d) => {
    const device = d.claims.requesting_device;
    if (device) device.deviceName = [{ name: device.model, type: 'model-name' }];
  },
  'organisation-without-ods': (d) => {
    for (const i of d.claims.requesting_organization?.identifier ?? []) if (i.system === System.odsOrganizationCode) i.system = ODS_SITE_CODE_SYSTEM;
  },
  'hosting-organisation-in-jwt': (d, { config }) => {
    d.claims.requesting_organization = { resourceType: 'Organization', identifier: [{ system: System.odsOrganizationCode, value: config.ods }], name: config.organisationName };
  },
  'system-user': (d) => {
    const local = `${String(d.claims.iss ?? '').replace(/\/+$/, '')}/Id/user-id`;
    d.claims.requesting_practitioner = { resourceType: 'Practitioner', id: 'system', identifier: [{ system: local, value: 'system' }] };
    d.claims.sub = 'system';
  },
  'no-local-user-id': (d) => {
    const p = d.claims.requesting_practitioner;
    if (p) p.identifier = (p.identifier ?? []).filter((i: Json) => i?.system === System.sdsUserId || i?.system === System.sdsRoleProfileId);
  },
  'sub-is-sds-user-id': (d, { config }) => {
    d.claims.sub = config.practitioner.sdsUserId;
  },
  'no-schedule-include': (d) => {
    if (d.interaction !== Interaction.searchSlot) return;
    const pair = `${encodeURIComponent(SlotSearch.include)}=${encodeURIComponent(SlotSearch.includeSchedule)}`;
    rewriteRelative(d, (s) => s.replace(`&${pair}`, '').replace(`?${pair}&`, '?'));
  },
  'slot-bounds-as-utc': (d) => {
    if (d.interaction === Interaction.searchSlot) rewriteRelative(d, (s) => s.replace(/([?&](?:start|end)=(?:ge|le))([0-9]{4}-[0-9]{2}-[0-9]{2})(?=&|$)/g, '$1$2T00%3A00%3A00Z'));
  },
  'no-org-type-filter': (d) => {
    if (d.interaction !== Interaction.searchSlot) return;
    const typeFilter = `${encodeURIComponent(SlotSearch.searchFilter)}=${encodeURIComponent(`${System.organisationType}|`)}`.toLowerCase();
    rewriteRelative(d, (s) => {
      const [path, query = ''] = s.split('?');
      return `${path}?${query.split('&').filter((p) => !p.toLowerCase().startsWith(typeFilter)).join('&')}`;
    });
  },
  'no-location-participant': (d) => {
    const body = bookingBody(d);
    if (body) body.participant = (body.participant ?? []).filter((p: Json) => !String(p?.actor?.reference ?? '').startsWith('Location/'));
  },
  'no-booking-organisation': (d) => {
    const body = bookingBody(d);
    if (!body) return;
    delete body.extension;
    delete body.contained;
  },
  'booking-without-created': (d) => {
    delete bookingBody(d)?.created;
  },
  'long-description': (d) => {
    const body = bookingBody(d);
    if (body) body.description = `${body.description}: patient asks for a double appointment to discuss recent blood test results, medication review and a repeat prescription`.padEnd(150, '.').slice(0, 150);
  },
  // --- Cancel, amend and retrieve (issue 18)
  'cancel-as-update': (d) => {
    if (isCancel(d)) setHeader(d, Header.sspInteractionId, Interaction.updateAppointment);
  },
  'cancel-with-read-scope': (d) => {
    if (isCancel(d)) d.claims.requested_scope = Scope.patientRead;
  },
  'cancel-keeps-status': (d) => {
    const body = isCancel(d) ? changeBody(d) : undefined;
    if (body) body.status = 'booked';
  },
  'cancel-without-reason': (d) => {
    const body = isCancel(d) ? changeBody(d) : undefined;
    if (body) body.extension = (body.extension ?? []).filter((x: Json) => x?.url !== GpcAppointmentExtension.cancellationReason);
  },
  'cancel-changes-description': (d) => {
    const body = isCancel(d) ? changeBody(d) : undefined;
    if (body) body.description = `CANCELLED: ${body.description ?? ''}`.slice(0, 100);
  },
  'cancel-stale-if-match': (d) => {
    if (isCancel(d)) staleIfMatch(d);
  },
  'amend-as-cancel': (d) => {
    if (isAmend(d)) setHeader(d, Header.sspInteractionId, Interaction.cancelAppointment);
  },
  'amend-with-read-scope': (d) => {
    if (isAmend(d)) d.claims.requested_scope = Scope.patientRead;
  },
  'amend-moves-start': (d) => {
    const body = isAmend(d) ? changeBody(d) : undefined;
    if (body && typeof body.start === 'string') body.start = new Date(Date.parse(body.start) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  },
  'amend-with-cancellation-reason': (d) => {
    const body = isAmend(d) ? changeBody(d) : undefined;
    if (body) body.extension = [...(body.extension ?? []), { url: GpcAppointmentExtension.cancellationReason, valueString: 'Amended' }];
  },
  'amend-long-comment': (d) => {
    const body = isAmend(d) ? changeBody(d) : undefined;
    if (body) body.comment = `${body.comment ?? ''} The patient asks to be seen by the same nurse as last time, if possible, and would prefer a morning appointment.`.padEnd(600, '.').slice(0, 600);
  },
  'amend-stale-if-match': (d) => {
    if (isAmend(d)) staleIfMatch(d);
  },
  'retrieve-as-read': (d) => {
    if (isRetrieve(d)) setHeader(d, Header.sspInteractionId, Interaction.readAppointment);
  },
  'retrieve-with-write-scope': (d) => {
    if (isRetrieve(d)) d.claims.requested_scope = Scope.patientWrite;
  },
  'retrieve-without-end': (d) => {
    if (isRetrieve(d)) rewriteRelative(d, (s) => s.replace(/&start=le[0-9-]+/, ''));
  },
  'retrieve-with-date-times': (d) => {
    if (isRetrieve(d)) rewriteRelative(d, (s) => s.replace(/([?&]start=(?:ge|le))([0-9]{4}-[0-9]{2}-[0-9]{2})(?=&|$)/g, '$1$2T00%3A00%3A00%2B00%3A00'));
  },
  'retrieve-from-yesterday': (d) => {
    if (isRetrieve(d)) rewriteLower(d, (date) => new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
  },
  'slot-times-as-utc': (d) => {
    const body = bookingBody(d);
    if (!body) return;
    body.start = utcWithoutZone(body.start);
    body.end = utcWithoutZone(body.end);
  },
};
