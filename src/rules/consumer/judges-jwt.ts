/** Consumer judges of the bearer token on every request through the SSP (gpconnect-spec.md §4). */
import { Header, Jwt, SCOPE_FOR_INTERACTION, System, fhirBaseDefinition } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import { decodeJwt, type DecodedJwt } from '../../gpconnect/jwt';
import type { ConsumerUser, Judge, Verdict } from './judge-context';
import { analyse, header, perRequest, type Json, type Req } from './judges-common';
import { exactOnly, type Finding } from '../rule';

/** The token as sent (after `Bearer `), decoded by hand from the raw Authorization header. */
function tokenOf(req: Req): { raw?: string; scheme?: string; jwt?: DecodedJwt } {
  const auth = header(req.entry, Header.authorization);
  if (auth === undefined) return {};
  const match = auth.match(/^(\S+)\s+(.*)$/);
  if (!match) return { raw: auth };
  return { scheme: match[1], raw: match[2], jwt: decodeJwt(match[2]) };
}

/** A claim check: the problems with the payload, or why there is no payload to check. */
function claims(ctx: Parameters<Judge>[0], check: (payload: Json, req: Req) => string[]): Verdict {
  return perRequest(ctx, (req) => {
    const { raw, jwt: asSent } = tokenOf(req);
    // Without the trailing dot the claims are still there to read: that mistake is judged by jwtUnsecured alone (one mistake, one failure).
    const jwt = !asSent?.payload && raw !== undefined && raw.split('.').length === 2 ? decodeJwt(`${raw}.`) : asSent;
    if (!jwt) return ['no Bearer token was sent, so its claims could not be read'];
    if (!jwt.payload) return [`the JWT payload could not be read (${jwt.problems.join('; ')})`];
    return check(jwt.payload, req);
  });
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));

export const jwtUnsecured: Judge = (ctx) =>
  perRequest(ctx, (req) => {
    const { raw, scheme, jwt } = tokenOf(req);
    if (raw === undefined) return ['no Authorization header was sent, expected Bearer and an unsecured JWT'];
    const problems: Array<string | Finding> = [];
    // RFC 7235 §2.1: the auth-scheme is a case-insensitive token, so `bearer` is Bearer (review F22).
    if (scheme?.toLowerCase() !== Jwt.bearerScheme.toLowerCase()) problems.push(`the Authorization scheme was ${show(scheme)}, expected Bearer (in any case)`);
    const parts = raw.split('.');
    if (parts.length !== 3) problems.push(`the token has ${parts.length} dot-separated parts, expected header.payload. (three, the last empty)`);
    else if (parts[2] !== '') problems.push(`the token has a signature (${parts[2].slice(0, 12)}…), expected an empty one`);
    if (!raw.endsWith('.')) problems.push('the token does not end with the trailing "." of the empty signature');
    if (/[+/=]/.test(parts.slice(0, 2).join(''))) problems.push('the token is not base64url without padding (it has +, / or =)');
    for (const p of jwt?.problems ?? []) problems.push(p);
    const h = jwt?.header;
    // alg none is the rule (an unsecured JWT); typ "JWT" and nothing else come from the page's example
    // header, not a SHALL (RFC 7519 §5.1 makes typ optional): a warning (catalogue: exact).
    if (h && h.alg !== Jwt.header.alg) problems.push(`the JWT header's alg was ${show(h.alg)}, expected "none" (an unsecured JWT)`);
    else if (h && (h.typ !== Jwt.header.typ || Object.keys(h).length !== 2)) problems.push(exactOnly(`the JWT header was ${JSON.stringify(h)}, expected exactly {"alg":"none","typ":"JWT"}, the spec's example`));
    return problems;
  });

export const jwtExpiry: Judge = (ctx) =>
  claims(ctx, (c) => {
    if (!Number.isInteger(c.exp) || !Number.isInteger(c.iat)) return [`exp ${show(c.exp)} and iat ${show(c.iat)}, expected integer seconds`];
    return c.exp - c.iat === Jwt.lifetimeSeconds ? [] : [`exp was iat + ${c.exp - c.iat}, expected iat + ${Jwt.lifetimeSeconds}`];
  });

/** How far iat may be from the request's arrival (clocks synced to NHS NTP). */
export const IAT_TOLERANCE_SECONDS = 60;

/**
 * One JWT string on two requests this far apart (seconds) was not made for the later one. The JWT
 * has no unique claim, so two tokens made for two requests in the same second of iat can be the same
 * string; further apart than a second (and the network's jitter) they cannot.
 */
export const JWT_REUSE_SECONDS = 2;

export const jwtIat: Judge = (ctx) => {
  const verdict = claims(ctx, (c, req) => {
    if (typeof c.iat !== 'number') return [`iat was ${show(c.iat)}, expected the time the request was sent`];
    const arrived = Date.parse(req.entry.time) / 1000;
    const off = Math.round(c.iat - arrived);
    return Math.abs(c.iat - arrived) <= IAT_TOLERANCE_SECONDS ? [] : [`iat was ${new Date(c.iat * 1000).toISOString()}, ${Math.abs(off)} s ${off < 0 ? 'before' : 'after'} the request arrived (${req.entry.time}), expected within ${IAT_TOLERANCE_SECONDS} s: a token made for the request`];
  });
  if (verdict.notReached !== undefined) return verdict;
  // "Consumer system SHALL generate a new JWT for each API request" (review M14): a token sent again.
  const firstUse = new Map<string, Req>();
  const reused: string[] = [];
  for (const req of analyse(ctx).requests) {
    const raw = tokenOf(req).raw;
    if (!raw) continue;
    const first = firstUse.get(raw);
    if (!first) {
      firstUse.set(raw, req);
      continue;
    }
    const gap = (Date.parse(req.entry.time) - Date.parse(first.entry.time)) / 1000;
    if (gap >= JWT_REUSE_SECONDS) reused.push(`${req.label}: the JWT was the very one sent on ${first.label.slice(1, -1)} ${gap.toFixed(1)} s before, expected a new JWT for each request`);
  }
  return { ...verdict, findings: [...verdict.findings, ...reused] };
};

export const jwtAud: Judge = (ctx) =>
  claims(ctx, (c, req) => {
    const root = req.intendedRoot;
    if (!root) return [`aud was ${show(c.aud)}, and the request went to no service root SDS gave`];
    return c.aud === root ? [] : [`aud was ${show(c.aud)} but the request went to ${root}, the service root SDS gave`];
  });

export const jwtReason: Judge = (ctx) =>
  claims(ctx, (c) => (c.reason_for_request === Jwt.reasonDirectCare ? [] : [`reason_for_request was ${show(c.reason_for_request)}, expected ${Jwt.reasonDirectCare}`]));

export const jwtScope: Judge = (ctx) =>
  claims(ctx, (c, req) => {
    const scopes = [...new Set(req.interactions.map((i) => SCOPE_FOR_INTERACTION[i]).filter(Boolean))];
    if (scopes.length === 0) return [`requested_scope was ${show(c.requested_scope)}, and ${req.entry.method} ${req.relative ?? req.target} is no interaction with a known scope`];
    return scopes.includes(c.requested_scope) ? [] : [`requested_scope was ${show(c.requested_scope)}, expected ${scopes.join(' or ')} for ${req.interactions.join(' or ')}`];
  });

export const jwtIss: Judge = (ctx) =>
  claims(ctx, (c) => {
    if (!nonEmpty(c.iss)) return [`iss was ${show(c.iss)}, expected the consumer's endpoint URL`];
    try {
      const url = new URL(c.iss);
      return url.protocol === 'https:' || url.protocol === 'http:' ? [] : [`iss was ${show(c.iss)}, expected an http(s) URL`];
    } catch {
      return [`iss was ${show(c.iss)}, expected an absolute URL`];
    }
  });

/**
 * The claim resources are "minimal" STU3 resources (gpconnect-spec.md §4; integration_cross_organisation_audit_and_provenance):
 * each is judged against the FHIR STU3 base definition of its type (data/fhir/fhir-stu3-core.json), so an R4 shape
 * or an element STU3 does not have is named with its path.
 */
function asStu3(claim: string, resource: Json, type: string): string[] {
  return validateResource(resource, fhirBaseDefinition(type))
    .map((i) => `${claim} is not a valid STU3 ${type}: ${i.message.replace(new RegExp(`^${type}\\b`), claim).replace(new RegExp(`([ (])${type}\\.`, 'g'), `$1${claim}.`)}`);
}

export const jwtDevice: Judge = (ctx) =>
  claims(ctx, (c) => {
    const d = c.requesting_device as Json | undefined;
    const problems: string[] = [];
    if (!d || typeof d !== 'object') return [`requesting_device was ${show(d)}, expected a Device`];
    if (d.resourceType !== 'Device') problems.push(`requesting_device.resourceType was ${show(d.resourceType)}, expected Device`);
    const ids: Json[] = Array.isArray(d.identifier) ? d.identifier : [];
    if (!ids.some((i) => nonEmpty(i?.system) && nonEmpty(i?.value))) problems.push(`requesting_device.identifier was ${show(d.identifier)}, expected one with system and value`);
    if (!nonEmpty(d.model)) problems.push(`requesting_device.model was ${show(d.model)}, expected a model`);
    if (!nonEmpty(d.version)) problems.push(`requesting_device.version was ${show(d.version)}, expected a version`);
    if (d.resourceType === 'Device') problems.push(...asStu3('requesting_device', d, 'Device'));
    return problems;
  });

export const jwtOrganization: Judge = (ctx) =>
  claims(ctx, (c, req) => {
    const o = c.requesting_organization as Json | undefined;
    if (!o || typeof o !== 'object') return [`requesting_organization was ${show(o)}, expected an Organization`];
    const problems: string[] = [];
    const expected = ctx.asked[req.booking]?.organisation ?? ctx.identity.ods;
    if (o.resourceType !== 'Organization') problems.push(`requesting_organization.resourceType was ${show(o.resourceType)}, expected Organization`);
    if (!nonEmpty(o.name)) problems.push(`requesting_organization.name was ${show(o.name)}, expected a name`);
    const ods = (Array.isArray(o.identifier) ? o.identifier : []).filter((i: Json) => i?.system === System.odsOrganizationCode).map((i: Json) => i.value);
    if (!ods.includes(expected)) problems.push(`requesting_organization.identifier was ${show(o.identifier)}, expected ${System.odsOrganizationCode} ${expected}, the organisation the booking was made from`);
    if (o.resourceType === 'Organization') problems.push(...asStu3('requesting_organization', o, 'Organization'));
    return problems;
  });

export const jwtPractitioner: Judge = (ctx) =>
  claims(ctx, (c) => {
    const p = c.requesting_practitioner as Json | undefined;
    if (!p || typeof p !== 'object') return [`requesting_practitioner was ${show(p)}, expected a Practitioner`];
    const problems: string[] = [];
    if (p.resourceType !== 'Practitioner') problems.push(`requesting_practitioner.resourceType was ${show(p.resourceType)}, expected Practitioner`);
    if (!nonEmpty(p.id)) problems.push(`requesting_practitioner.id was ${show(p.id)}, expected the user's id`);
    const name = Array.isArray(p.name) ? p.name[0] : undefined;
    if (!nonEmpty(name?.family)) problems.push(`requesting_practitioner.name[0].family was ${show(name?.family)}, expected the user's family name`);
    if (!Array.isArray(name?.given) || !name.given.some(nonEmpty)) problems.push(`requesting_practitioner.name[0].given was ${show(name?.given)}, expected the user's given names`);
    const ids: Json[] = Array.isArray(p.identifier) ? p.identifier : [];
    for (const system of [System.sdsUserId, System.sdsRoleProfileId]) {
      if (!ids.some((i) => i?.system === system && nonEmpty(i?.value))) problems.push(`requesting_practitioner has no ${system} identifier (UNK when not known)`);
    }
    // The third identifier (review M14): the user's own id in the consumer system, under a system the consumer defines.
    if (!ids.some((i) => nonEmpty(i?.system) && i.system !== System.sdsUserId && i.system !== System.sdsRoleProfileId && nonEmpty(i?.value))) {
      problems.push(`requesting_practitioner has no local identifier (a consumer-defined system and the user's unique id in the consumer system), saw the systems ${JSON.stringify(ids.map((i) => i?.system))}`);
    }
    if (p.resourceType === 'Practitioner') problems.push(...asStu3('requesting_practitioner', p, 'Practitioner'));
    return problems;
  });

export const jwtSub: Judge = (ctx) =>
  claims(ctx, (c) => {
    const id = (c.requesting_practitioner as Json | undefined)?.id;
    if (!nonEmpty(c.sub)) return [`sub was ${show(c.sub)}, expected requesting_practitioner.id (${show(id)})`];
    return c.sub === id ? [] : [`sub was ${show(c.sub)} but requesting_practitioner.id was ${show(id)}`];
  });

/** The user asking when `time` came: the last in the timeline to ask before it (the first when it came earlier still). */
function userAt(timeline: NonNullable<Parameters<Judge>[0]['users']>, time: string): ConsumerUser | undefined {
  const at = Date.parse(time);
  let user = timeline[0]?.user;
  for (const entry of timeline) if (Date.parse(entry.from) <= at) user = entry.user;
  return user;
}

const who = (u: ConsumerUser) => `${u.id}${u.given || u.family ? ` (${[u.given, u.family].filter(Boolean).join(' ')})` : ''}`;

/**
 * "This field SHALL NOT be populated with fixed values or a generic "system" user. The values SHALL
 * represent the logged on user making the request." Every JWT names the user the harness asked as:
 * their id as the local identifier's value, their SDS user and role profile ids (UNK when they logged
 * on without a smartcard). requesting_practitioner.id and sub may be the consumer's own key for the
 * user (a GUID): they are judged equal to each other (CONS-JWT-SUB), not to the user's id.
 */
export const jwtUser: Judge = (ctx) => {
  const timeline = ctx.users ?? [];
  if (timeline.length === 0) return { findings: [], notReached: 'the harness asked the consumer nothing as a user' };
  return claims(ctx, (c, req) => {
    const user = userAt(timeline, req.entry.time);
    if (!user) return [];
    const p = c.requesting_practitioner as Json | undefined;
    if (!p || typeof p !== 'object') return [`requesting_practitioner was ${show(p)}, expected the user who asked, ${who(user)}`];
    const ids: Json[] = Array.isArray(p.identifier) ? p.identifier : [];
    const values = (system: string) => ids.filter((i) => i?.system === system).map((i) => i?.value);
    const problems: string[] = [];
    const local = ids.filter((i) => i?.system !== System.sdsUserId && i?.system !== System.sdsRoleProfileId).map((i) => i?.value);
    if (!local.includes(user.id)) problems.push(`requesting_practitioner's local identifier was ${local.length ? local.map(show).join(', ') : 'missing'}, expected ${show(user.id)}: the user who asked was ${who(user)}`);
    const sds: Array<[string, string, string | undefined]> = [
      [System.sdsUserId, 'SDS user id', user.sdsUserId],
      [System.sdsRoleProfileId, 'SDS role profile id', user.sdsRoleProfileId],
    ];
    for (const [system, name, expected] of sds) {
      const sent = values(system);
      const want = expected ?? Jwt.unknownSdsId;
      if (sent.length > 0 && !sent.includes(want)) problems.push(`requesting_practitioner's ${name} (${system}) was ${sent.map(show).join(', ')}, expected ${show(want)}${expected ? `, ${who(user)}'s` : `: ${who(user)} logged on without a smartcard`}`);
    }
    return problems;
  });
};
