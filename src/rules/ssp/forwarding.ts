/** The SSP's judges of an accepted request: forwarded once, unmodified, and its answer passed back (integration_spine_secure_proxy). */
import { Header } from '../../gpconnect/constants';
import { headerValue } from '../../gpconnect/exchange';
import type { RawResponse } from '../../http/raw-client';
import { answered, type SspSeen } from './seen';

/** Headers a proxy may rewrite: they describe the connection, not the request. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);
/** The one header the SSP adds (development_general_api_guidance "Proxying headers", RFC 7239). */
const FORWARDED = 'forwarded';

/**
 * The provider received an RFC 7239 Forwarded header whose last element is the SSP's: well formed
 * (§4: `;`-separated `name=value` pairs, each value a token or quoted string), naming who sent the
 * request (`for`) and over which protocol it reached the SSP (`proto`).
 */
export function forwardedDisclosed(seen: SspSeen): string[] {
  const got = seen.received[0];
  if (!got) return [];
  const value = headerValue(got.requestHeaders, FORWARDED);
  if (value === undefined) return ['expected the SSP to add an RFC 7239 Forwarded header disclosing who sent the request (development_general_api_guidance "Proxying headers"), the provider received none'];
  const sent = seen.sent.headers.find(([n]) => n.toLowerCase() === FORWARDED)?.[1];
  const own = sent !== undefined && value.startsWith(`${sent}, `) ? value.slice(sent.length + 2) : value;
  if (sent !== undefined && own === value) return [`expected the SSP to keep the consumer's Forwarded (${sent}) and append its own element, the provider received ${value}`];
  const pair = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=([!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*")$/;
  const params = new Map<string, string>();
  for (const part of own.split(';')) {
    const m = part.trim().match(pair);
    if (!m) return [`expected the SSP's Forwarded element to be RFC 7239 name=value pairs, it was ${own}`];
    params.set(m[1]!.toLowerCase(), m[2]!.replace(/^"|"$/g, ''));
  }
  const findings: string[] = [];
  if (!params.has('for')) findings.push(`expected the SSP's Forwarded element to name the sender (for=), it was ${own}`);
  const proto = params.get('proto');
  if (proto !== 'http' && proto !== 'https') findings.push(`expected the SSP's Forwarded element to name the protocol the request came by (proto=http or https), it was ${own}`);
  return findings;
}

/** The request reached the provider exactly `times` times. */
export function forwardedTimes(seen: SspSeen, times: number): string[] {
  const n = seen.received.length;
  return n === times ? [] : [`expected the provider to receive the request ${times} time${times === 1 ? '' : 's'}, it received it ${n} time${n === 1 ? '' : 's'} (the SSP's last answer: ${answered(seen.response)})`];
}

/** The request reached the provider, once. */
export function forwardedOnce(seen: SspSeen): string[] {
  const n = seen.received.length;
  if (n === 1) return [];
  return [`expected the SSP to forward the request to the provider once, it reached the provider ${n === 0 ? 'no' : n} time${n === 1 ? '' : 's'} (the SSP answered ${answered(seen.response)})`];
}

/** The provider received the method, path, query, headers and body the consumer sent. */
export function forwardedUnmodified(seen: SspSeen): string[] {
  if (seen.received.length !== 1) return [];
  const got = seen.received[0]!;
  const findings: string[] = [];
  if (got.method !== seen.sent.method) findings.push(`expected the provider to receive the method ${seen.sent.method}, it received ${got.method}`);
  if (got.target !== seen.expectedTarget) findings.push(`expected the provider to receive the path and query ${seen.expectedTarget}, it received ${got.target}`);
  for (const [name, value] of seen.sent.headers) {
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    const received = headerValue(got.requestHeaders, name);
    // The SSP appends its own element to a Forwarded the consumer sent (RFC 7239 §4): the sent value still leads.
    if (name.toLowerCase() === FORWARDED && received?.startsWith(`${value}, `)) continue;
    if (received !== value) findings.push(`expected the provider to receive the header ${name} as sent (${value}), it received ${received === undefined ? 'none' : received}`);
  }
  // Nothing added but the proxying header the general API guidance asks for (RFC 7239 Forwarded).
  const sentNames = new Set(seen.sent.headers.map(([n]) => n.toLowerCase()));
  for (const name of Object.keys(got.requestHeaders)) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && lower !== FORWARDED && !sentNames.has(lower)) findings.push(`expected the provider to receive only the headers the consumer sent and the SSP's Forwarded, it also received ${name}: ${got.requestHeaders[name]}`);
  }
  const body = seen.sent.body ?? '';
  if (got.requestBody !== body) findings.push(`expected the provider to receive the body as sent (${body.length} characters), it received another (${got.requestBody.length} characters)`);
  return findings;
}

/** The consumer received the provider's status, body and Content-Type unchanged. */
export function answerPassedBack(seen: SspSeen): string[] {
  const got = seen.received[0];
  if (!got) return [`expected the provider's answer to be passed back, but nothing reached the provider (the SSP answered ${answered(seen.response)})`];
  const findings: string[] = [];
  if (seen.response.status !== got.status) findings.push(`expected the consumer to receive the provider's status ${got.status}, it received ${seen.response.status}`);
  if (seen.response.body !== got.responseBody) findings.push(`expected the consumer to receive the provider's body (${got.responseBody.length} characters), it received another (${seen.response.body.length} characters)`);
  const type = headerValue(got.responseHeaders, Header.contentType);
  if (seen.response.headers['content-type'] !== type) findings.push(`expected the consumer to receive the provider's Content-Type ${type ?? '(none)'}, it received ${seen.response.headers['content-type'] ?? '(none)'}`);
  return findings;
}

/** The query the provider received still holds this fragment, as the consumer wrote it. */
export function queryKept(seen: SspSeen, fragment: string): string[] {
  const got = seen.received[0];
  if (got?.target.includes(fragment)) return [];
  return [`expected the provider to receive a target containing ${fragment}, it received ${got ? got.target : 'nothing'}`];
}

/** The consumer received this status. */
export function statusIs(response: RawResponse, status: number): string[] {
  return response.status === status ? [] : [`expected the consumer to receive status ${status}, it received ${answered(response)}`];
}

/** A refused request went no further than the SSP. */
export function nothingForwarded(seen: SspSeen): string[] {
  if (seen.received.length === 0) return [];
  return [`expected the SSP to forward nothing, the provider received ${seen.received.map((e) => `${e.method} ${e.target}`).join(', ')}`];
}
