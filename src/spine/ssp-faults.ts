/**
 * Deliberate mistakes the SSP simulator can be told to make, each one a rule a real proxy enforces
 * and the requirement whose scenarios must then fail. test/fault-proof.test.ts runs the features
 * against each: this is how we know the SSP and topology features can tell a broken proxy from a
 * good one (DESIGN.md "Proving the harness").
 */
import { parseFaultList } from '../gpconnect/fault-list';
export const SSP_FAULTS = {
  'allow-any-method': { breaks: 'SSP-METHOD', what: 'passes DELETE and PATCH through' },
  'skip-client-certificate-check': { breaks: 'SSP-CLIENT-CERT-REQUIRED', what: 'accepts a TLS connection without a client certificate' },
  'accept-expired-certificate': { breaks: 'SSP-CLIENT-CERT-VALID', what: 'takes a client certificate from its CA whose validity has ended' },
  'ignore-revocation': { breaks: 'SSP-CLIENT-CERT-VALID', what: "takes a client certificate its CA has revoked: it checks no revocation list" },
  'accept-any-cipher': { breaks: 'SSP-TLS-CIPHERS', what: "keeps Node's default cipher suites (AES128-SHA256 without forward secrecy among them) and TLS 1.3" },
  'serve-plain-http': { breaks: 'SSP-TLS-ONLY', what: 'serves plain HTTP on its address instead of TLS' },
  'ignore-certificate-fqdn': { breaks: 'SSP-CLIENT-CERT-FQDN', what: 'accepts any certificate from the CA, whatever ASID it comes with' },
  'accept-relative-target': { breaks: 'SSP-URL-FORM', what: 'treats a target that is not a service root URL as relative to the receiver' },
  'allow-any-media-type': { breaks: 'SSP-MEDIA-TYPE', what: 'forwards a body of any content type' },
  'skip-header-checks': { breaks: 'SSP-HEADERS', what: 'forwards requests without or with malformed Ssp-* headers' },
  'skip-token-check': { breaks: 'SSP-JWT', what: 'forwards requests without a well-formed bearer JWT' },
  'accept-unaccredited-sender': { breaks: 'SSP-SENDER-ASID', what: 'lets any ASID send any interaction' },
  'ignore-receiver-party-key': { breaks: 'SSP-RECEIVER-PARTY-KEY', what: 'forwards interactions the practice is not registered to receive' },
  'unknown-receiver-as-forbidden': { breaks: 'SSP-UNKNOWN-RECEIVER', what: 'answers an unregistered Ssp-To with 403 instead of 400' },
  'ignore-data-sharing': { breaks: 'SSP-DATA-SHARING', what: 'forwards between organisations with no data sharing agreement' },
  'lenient-target-url': { breaks: 'SSP-TARGET-URL', what: 'compares the target with SDS ignoring case, scheme and default ports' },
  'route-by-ssp-to': { breaks: 'TOP-PROVIDER-PER-PRACTICE', what: 'routes by the Ssp-To ASID instead of checking the target URL' },
  'rewrite-forwarded-query': { breaks: 'SSP-FORWARD', what: 'decodes the query before forwarding it' },
  'mask-provider-errors': { breaks: 'SSP-FORWARD', what: "replaces a provider's error answer with its own 500" },
  'unreachable-as-500': { breaks: 'SSP-UNREACHABLE', what: 'answers 500 when the provider cannot be reached' },
  'timeout-as-502': { breaks: 'SSP-TIMEOUT', what: 'answers 502 when the provider does not answer in time' },
  'cacheable-errors': { breaks: 'SSP-ERROR-NO-STORE', what: 'sends its own errors without Cache-Control: no-store' },
  'no-forwarded-header': { breaks: 'SSP-FORWARDED', what: 'forwards without adding an RFC 7239 Forwarded header' },
  'x-forwarded-for-too': { breaks: 'SSP-FORWARD', what: 'adds X-Forwarded-For besides Forwarded' },
  'refuse-options': { breaks: 'SSP-CORS', what: 'refuses a CORS preflight (OPTIONS) with 405' },
  'ignore-throttle': { breaks: 'SSP-THROTTLE-SENDER', what: "forwards a sender's requests beyond its allowance" },
  'overload-as-429': { breaks: 'SSP-THROTTLE-PROVIDER', what: "answers 429 instead of 503 when a provider's global allowance is spent" },
  'no-rate-limit-headers': { breaks: 'SSP-RATE-LIMIT-HEADERS', what: 'answers without X-Rate-Limit-Limit, -Remaining and -Reset' },
} as const;

export type SspFault = keyof typeof SSP_FAULTS;

export function parseSspFaults(list: string | undefined): Set<SspFault> {
  return parseFaultList(list, SSP_FAULTS, 'SSP');
}
