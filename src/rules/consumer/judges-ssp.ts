/** Consumer judges of every request through the SSP: its address, Ssp-* headers, content type and query encoding (§2.1, §2.2, §2.7, §5.1). */
import { Header, MediaType } from '../../gpconnect/constants';
import type { Judge } from './judge-context';
import { analyse, asidsFor, found, header, neverArose, perRequest, type Req } from './judges-common';
import { exactOnly, type Finding } from '../rule';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const serviceRoot: Judge = (ctx) =>
  perRequest(ctx, (req) => {
    if (req.serviceRoot) return [];
    const given = ctx.traffic.endpointAddresses();
    return [`the target ${req.target} does not begin with ${req.intendedRoot ? `the service root SDS gave (${req.intendedRoot})` : `any service root SDS gave (${[...new Set(given)].join(', ') || 'none given'})`}, character for character`];
  });

export const sspTo: Judge = (ctx) =>
  perRequest(ctx, (req, a) => {
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
  perRequest(ctx, (req) => {
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
  return perRequest(ctx, (req) => {
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
  perRequest(ctx, (req) => {
    const sent = req.interactionHeader;
    if (req.relative === undefined) return [`Ssp-InteractionID was ${sent ?? 'missing'}, but the target is under no service root SDS gave, so its interaction cannot be known`];
    if (req.interactions.length === 0) return [`Ssp-InteractionID was ${sent ?? 'missing'}, but ${req.entry.method} ${req.relative} is no GP Connect 1.2.x interaction`];
    return sent !== undefined && req.interactions.includes(sent) ? [] : [`Ssp-InteractionID was ${sent ?? 'missing'} but ${req.entry.method} ${req.relative} is ${req.interactions.join(' or ')}`];
  });

/** The parameters of a media type (`type/subtype; name=value; …`), names lower-cased, quotes taken off (RFC 7231 §3.1.1.1). */
function mediaParameters(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of value.split(';').slice(1)) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    params.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return params;
}

/**
 * General API guidance (gpconnect 1.2.9 development_general_api_guidance.md "Character encoding"):
 * requests "SHALL explicitly set the character encoding to UTF-8 using the charset parameter of the
 * MIME-type in the Content-Type header": the one SHALL here, so the one failure (review F15). Not
 * failed: no Accept (the server "SHALL default to JSON", or answers in the Content-Type's format), a
 * space before charset ("should not", a SHOULD; RFC 7231 allows it), XML (servers SHOULD support
 * it; support_faq.md only recommends JSON), and the case of the charset value (RFC 2046 §4.1.2).
 */
export const contentType: Judge = (ctx) => {
  const a = analyse(ctx);
  const withBody = a.requests.filter((r) => r.entry.method === 'POST' || r.entry.method === 'PUT');
  if (withBody.length === 0) return neverArose(a, '(6a Book an appointment, POST /Appointment): the consumer sent no request with a body (POST, PUT) through the SSP, so the rule could not be checked');
  return found(withBody.flatMap((req) => {
    const type = header(req.entry, Header.contentType);
    const charset = type === undefined ? undefined : mediaParameters(type).get('charset');
    if (charset !== undefined && charset.toLowerCase() === 'utf-8') return [];
    return [`${req.label}: Content-Type was ${type === undefined ? 'missing' : JSON.stringify(type)}, expected the body's media type with charset=utf-8 (${MediaType.fhirJsonUtf8})`];
  }));
};

/** RFC 3986 query characters: pchar / "/" / "?", with pct-encoded as % HEXDIG HEXDIG. */
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

export const queryEncoded: Judge = (ctx) =>
  perRequest(ctx, (req) => {
    const raw = req.rawQuery;
    const bad = new Set<string>();
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c === '%') {
        if (!/^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) bad.add('% not followed by two hex digits');
        else i += 2;
      } else if (!QUERY_CHAR.test(c)) bad.add(JSON.stringify(c));
    }
    const problems: Array<string | Finding> = [];
    if (bad.size > 0) problems.push(`the query ${raw} has ${[...bad].join(', ')} not percent-encoded, expected RFC 3986 §2.1 encoding (| as %7C)`);
    // RFC 3986 allows a raw '+' in a query; form decoding reads it as a space (a UK offset +01:00
    // becomes " 01:00"), so %2B is the harness's ask: a warning (catalogue: exact).
    const plus = raw.split('&').filter((p) => p.includes('=') && p.slice(p.indexOf('=') + 1).includes('+'));
    if (plus.length > 0) problems.push(exactOnly(`the query value ${plus[0]} has a raw '+', which form decoding reads as a space: expected %2B`));
    return problems;
  });
