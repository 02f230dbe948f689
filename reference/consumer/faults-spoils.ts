/**
 * The request faults of the catalogue (faults.ts): each spoils a draft in place, the one mistake
 * its description names and nothing else. They run in catalogue order just before the request is
 * encoded (ssp-client.ts `beforeSend`).
 */
import { createHmac } from 'node:crypto';
import { Header, Interaction, MediaType, ODS_SITE_CODE_SYSTEM, Scope, SlotSearch, System } from '../../src/gpconnect/constants';
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
  'slot-times-as-utc': (d) => {
    const body = bookingBody(d);
    if (!body) return;
    body.start = utcWithoutZone(body.start);
    body.end = utcWithoutZone(body.end);
  },
};
