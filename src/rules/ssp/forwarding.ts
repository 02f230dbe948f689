/** The SSP's judges of an accepted request: forwarded once, unmodified, and its answer passed back (integration_spine_secure_proxy). */
import { Header } from '../../gpconnect/constants';
import { headerValue } from '../../gpconnect/exchange';
import type { RawResponse } from '../../http/raw-client';
import { answered, type SspSeen } from './seen';

/** Headers a proxy may rewrite: they describe the connection, not the request. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

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
    if (received !== value) findings.push(`expected the provider to receive the header ${name} as sent (${value}), it received ${received === undefined ? 'none' : received}`);
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
