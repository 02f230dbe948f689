/** Consumer judges of every request through the SSP: its address, Ssp-* headers, content type and query encoding (§2.1, §2.2, §2.7, §5.1). */
import { Header, MediaType } from '../../gpconnect/constants';
import type { Judge } from './judge-context';
import { asidsFor, header, perRequest, type Req } from './judges-common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const serviceRoot: Judge = (ctx) =>
  perRequest('CONS-SERVICE-ROOT', ctx, (req) => {
    if (req.serviceRoot) return [];
    const given = ctx.traffic.endpointAddresses();
    return [`the target ${req.target} does not begin with ${req.intendedRoot ? `the service root SDS gave (${req.intendedRoot})` : `any service root SDS gave (${[...new Set(given)].join(', ') || 'none given'})`}, character for character`];
  });

export const sspTo: Judge = (ctx) =>
  perRequest('CONS-SSP-TO', ctx, (req, a) => {
    const to = header(req.entry, Header.sspTo);
    const { asids, fromSds, ods } = asidsFor(a, req);
    if (asids.length === 0) return [`Ssp-To was ${to ?? 'missing'} but no ASID is known for the provider the request was sent to (${req.intendedRoot ?? req.target})`];
    if (to !== undefined && asids.includes(to)) return [];
    return [`Ssp-To was ${to ?? 'missing'} but ${fromSds ? 'SDS gave' : 'SDS holds'} ${asids.join(' or ')} for ${ods ?? 'the provider'}`];
  });

/** The ASID of the organisation a request comes from: the organisation asked for (a portal books on its behalf), else the JWT's, else the consumer's own. */
function expectedFrom(ctx: Parameters<Judge>[0], req: Req, booking: number): { asid: string; ods: string } {
  const { identity } = ctx;
  const orgs = identity.organisations ?? [];
  const asked = ctx.asked[booking]?.organisation;
  const byAsked = asked ? orgs.find((o) => o.ods === asked) : undefined;
  if (byAsked) return byAsked;
  const jwtOrg = req.entry.jwt?.payload?.requesting_organization as { identifier?: Array<{ value?: unknown }> } | undefined;
  const jwtOds = (jwtOrg?.identifier ?? []).map((i) => i?.value).find((v): v is string => typeof v === 'string' && orgs.some((o) => o.ods === v));
  const byJwt = jwtOds ? orgs.find((o) => o.ods === jwtOds) : undefined;
  return byJwt ?? { asid: identity.asid, ods: asked ?? identity.ods };
}

export const sspFrom: Judge = (ctx) =>
  perRequest('CONS-SSP-FROM', ctx, (req) => {
    const from = header(req.entry, Header.sspFrom);
    const expected = expectedFrom(ctx, req, req.booking);
    return from === expected.asid ? [] : [`Ssp-From was ${from ?? 'missing'} but the request comes from ${expected.ods}, whose ASID is ${expected.asid}`];
  });

export const traceId: Judge = (ctx) => {
  const counts = new Map<string, number>();
  for (const e of ctx.traffic.of('ssp')) {
    const t = header(e, Header.sspTraceId);
    if (t) counts.set(t.toLowerCase(), (counts.get(t.toLowerCase()) ?? 0) + 1);
  }
  const earlier = new Set([...ctx.earlierTraceIds].map((t) => t.toLowerCase()));
  return perRequest('CONS-TRACE-ID', ctx, (req) => {
    const t = header(req.entry, Header.sspTraceId);
    if (!t) return ['Ssp-TraceID was missing, expected a fresh UUID'];
    const problems: string[] = [];
    if (!UUID.test(t)) problems.push(`Ssp-TraceID was ${JSON.stringify(t)}, expected a UUID`);
    if ((counts.get(t.toLowerCase()) ?? 0) > 1) problems.push(`Ssp-TraceID ${t} was sent on ${counts.get(t.toLowerCase())} requests in the scenario, expected a fresh one per request`);
    if (earlier.has(t.toLowerCase())) problems.push(`Ssp-TraceID ${t} was already used in an earlier scenario of the run`);
    return problems;
  });
};

export const interactionId: Judge = (ctx) =>
  perRequest('CONS-INTERACTION-ID', ctx, (req) => {
    const sent = req.interactionHeader;
    if (req.relative === undefined) return [`Ssp-InteractionID was ${sent ?? 'missing'}, but the target is under no service root SDS gave, so its interaction cannot be known`];
    if (req.interactions.length === 0) return [`Ssp-InteractionID was ${sent ?? 'missing'}, but ${req.entry.method} ${req.relative} is no GP Connect 1.2.x interaction`];
    return sent !== undefined && req.interactions.includes(sent) ? [] : [`Ssp-InteractionID was ${sent ?? 'missing'} but ${req.entry.method} ${req.relative} is ${req.interactions.join(' or ')}`];
  });

function mediaTypes(value: string): string[] {
  return value.split(',').map((v) => v.split(';')[0].trim().toLowerCase());
}

export const contentType: Judge = (ctx) =>
  perRequest('CONS-CONTENT-TYPE', ctx, (req) => {
    const problems: string[] = [];
    const accept = header(req.entry, Header.accept);
    const format = req.query.filter(([n]) => n === '_format').map(([, v]) => v.toLowerCase());
    const formatOk = format.length > 0 && format.every((f) => f === 'json' || f === MediaType.fhirJson);
    const acceptOk = accept !== undefined && mediaTypes(accept).includes(MediaType.fhirJson);
    if (!acceptOk && !formatOk) problems.push(`Accept was ${accept === undefined ? 'missing' : JSON.stringify(accept)}${format.length ? ` and _format ${format.join(',')}` : ''}, expected ${MediaType.fhirJson} (or _format=json)`);
    if (req.entry.method === 'POST' || req.entry.method === 'PUT') {
      const type = header(req.entry, Header.contentType);
      if (type === undefined || type.toLowerCase() !== MediaType.fhirJsonUtf8) problems.push(`Content-Type was ${type === undefined ? 'missing' : JSON.stringify(type)}, expected ${MediaType.fhirJsonUtf8} (no space before charset)`);
    }
    return problems;
  });

/** RFC 3986 query characters: pchar / "/" / "?", with pct-encoded as % HEXDIG HEXDIG. */
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

export const queryEncoded: Judge = (ctx) =>
  perRequest('CONS-QUERY-ENCODED', ctx, (req) => {
    const raw = req.rawQuery;
    const bad = new Set<string>();
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c === '%') {
        if (!/^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) bad.add('% not followed by two hex digits');
        else i += 2;
      } else if (!QUERY_CHAR.test(c)) bad.add(JSON.stringify(c));
    }
    const problems: string[] = [];
    if (bad.size > 0) problems.push(`the query ${raw} has ${[...bad].join(', ')} not percent-encoded, expected RFC 3986 §2.1 encoding (| as %7C)`);
    const plus = raw.split('&').filter((p) => p.includes('=') && p.slice(p.indexOf('=') + 1).includes('+'));
    if (plus.length > 0) problems.push(`the query value ${plus[0]} has a raw '+', which is read as a space: expected %2B`);
    return problems;
  });
