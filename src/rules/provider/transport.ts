/**
 * The judges of the provider's transport security (development_api_security_guidance, "Secure
 * connection negotiation", "Secure Socket Layer (SSL), and Transport Layer Security (TLS)
 * protocols", "Supported ciphers", "Client certificates (TLS/mutual authentication (MA))").
 *
 * What the harness saw of one TLS attempt is a `TlsOutcome` (src/actors/provider/tls-probe.ts
 * makes them): the provider answered over the connection, or it closed it without an answer
 * (a handshake alert, a reset, an end). The spec gives no HTTP status for a refusal; the official
 * Security.feature expects the connection closed, or 495/496 (nginx's codes for a bad or missing
 * client certificate): those pass, another refusal status is about the exact code only.
 */
import { exactOnly, type Finding } from '../rule';

export type TlsOutcome =
  | { kind: 'answered'; protocol: string; cipher: string; status: number }
  | { kind: 'closed'; reason: string };

/** What plain HTTP to the provider's TLS port gave: an HTTP answer, or the connection dropped. */
export type PlainOutcome = { kind: 'answered'; status: number; headers: Record<string, string> } | { kind: 'closed'; reason: string };

/** The official suite's statuses for a client certificate refused after the handshake (Security.feature). */
const CERTIFICATE_REFUSALS = [495, 496];

const described = (o: TlsOutcome) => (o.kind === 'answered' ? `answered ${o.status} over ${o.protocol} with ${o.cipher}` : `closed the connection (${o.reason})`);

/** The provider took the connection, over the protocol asked for, and answered the capability statement request with success. */
export function acceptedTls(outcome: TlsOutcome, what: string, protocol?: string): Finding[] {
  if (outcome.kind === 'closed') return [{ text: `the provider refused ${what}: it closed the connection (${outcome.reason})` }];
  if (protocol !== undefined && outcome.protocol !== protocol) return [{ text: `${what} was negotiated as ${outcome.protocol}, not ${protocol}` }];
  if (outcome.status < 200 || outcome.status > 299) return [{ text: `over ${what} the provider answered the capability statement request ${outcome.status}, not success` }];
  return [];
}

/**
 * The provider refused the connection: closed it without an answer, or answered 495/496. Any
 * other refusal status is a refusal all the same (a warning where the code is checked exactly);
 * an answer that is no refusal (1xx-3xx, or a server error that served the request) is the finding.
 */
export function refusedTls(outcome: TlsOutcome, what: string): Finding[] {
  if (outcome.kind === 'closed') return [];
  if (CERTIFICATE_REFUSALS.includes(outcome.status)) return [];
  if (outcome.status >= 400 && outcome.status < 500) return [exactOnly(`the provider refused ${what} with ${outcome.status}; the official suite expects the connection closed, or 495/496`)];
  return [{ text: `the provider accepted ${what}: it ${described(outcome)}` }];
}

/**
 * Plain HTTP to the TLS port is dropped ("SHALL only accept encrypted connections and drop connection
 * attempts presented over insecure protocols"). PTEST Security.feature also takes a redirect with
 * Strict-Transport-Security: that is about the exact behaviour only (a warning where the rule says
 * where its exact value comes from); an answer served in plain HTTP is the finding.
 */
export function plainHttpDropped(outcome: PlainOutcome): Finding[] {
  if (outcome.kind === 'closed') return [];
  const redirect = outcome.status >= 300 && outcome.status < 400;
  if (redirect && outcome.headers['strict-transport-security']) return [exactOnly(`the provider redirected plain HTTP (${outcome.status}) with Strict-Transport-Security instead of dropping the connection; the official suite accepts it`)];
  return [{ text: `the provider answered plain HTTP on its TLS port with ${outcome.status}${redirect ? ' (a redirect without Strict-Transport-Security)' : ''}: it did not drop the connection` }];
}
