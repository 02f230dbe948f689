/**
 * The judges of the SSP's transport security, as a consumer meets it (development_api_security_guidance
 * "Supported ciphers", "Client certificates (TLS/mutual authentication (MA))"; Spine Core
 * ssp_implementation_guide, the 495 and 496 rows; PTEST SSP.feature "SSP - Non-SSL to SSL",
 * "- Connect with ... Cipher", "- Consumer Client Certificate - Invalid - Expired/Revoked").
 */
import { exactOnly, type Finding } from '../rule';

/** What one connection to the SSP gave: an HTTP answer, or the connection closed without one. */
export type SspTransportOutcome = { kind: 'answered'; status: number; headers: Record<string, string> } | { kind: 'closed'; reason: string };

/** The official suite's statuses for a client certificate refused after the handshake. */
const CERTIFICATE_REFUSALS = [495, 496];

/** The SSP took the connection and answered the request with success. */
export function sspAnswered(outcome: SspTransportOutcome, what: string): Finding[] {
  if (outcome.kind === 'closed') return [{ text: `the SSP refused ${what}: ${outcome.reason}` }];
  return outcome.status >= 200 && outcome.status < 300 ? [] : [{ text: `over ${what} the SSP answered ${outcome.status}, not success` }];
}

/** The SSP would not take the connection: the handshake failed or the connection was closed without an answer. */
export function sspRefusedConnection(outcome: SspTransportOutcome, what: string): Finding[] {
  return outcome.kind === 'closed' ? [] : [{ text: `the SSP took ${what}: it answered ${outcome.status}` }];
}

/**
 * A client certificate that is not acceptable is refused: 495 (Spine Core: "the client has provided an
 * invalid client certificate"), 496, or the connection closed (PTEST accepts all three). Another 4xx
 * refuses all the same, about the exact code only; an answer served is the finding.
 */
export function sspRefusedCertificate(outcome: SspTransportOutcome, what: string): Finding[] {
  if (outcome.kind === 'closed' || CERTIFICATE_REFUSALS.includes(outcome.status)) return [];
  if (outcome.status >= 400 && outcome.status < 500) return [exactOnly(`the SSP refused ${what} with ${outcome.status}; Spine Core gives 495 for an invalid client certificate`)];
  return [{ text: `the SSP accepted ${what}: it answered ${outcome.status}` }];
}

/**
 * Plain HTTP to the SSP's TLS port is not served: the connection is closed, or redirected to HTTPS
 * with Strict-Transport-Security (PTEST SSP.feature "SSP - Non-SSL to SSL"), or refused 497 (Spine
 * Core's "HTTP Request Sent to HTTPS Port").
 */
export function plainHttpNotServed(outcome: SspTransportOutcome): Finding[] {
  if (outcome.kind === 'closed' || outcome.status === 497) return [];
  const redirect = outcome.status >= 300 && outcome.status < 400;
  if (redirect && outcome.headers['strict-transport-security']) return [];
  if (redirect) return [{ text: `plain HTTP to the SSP was redirected (${outcome.status}) without a Strict-Transport-Security header` }];
  return [{ text: `the SSP answered plain HTTP on its TLS port with ${outcome.status}: unencrypted requests are served` }];
}
