import { http } from 'msw/core/http';
import type { RequestHandler } from 'msw';
import { Header, INTERACTION_URN_PREFIX, SspError } from '../gpconnect/constants';
import type { Directory } from './directory/directory';
import type { AccreditedSystem, MhsRecord } from './directory/model';
import { decodeJwt } from '../gpconnect/jwt';
import { fhirJson, sspMethodNotAllowedOutcome, sspOutcome, type OperationOutcome } from '../gpconnect/outcomes';
import { connectionOf, journaled, noteFault, urlsUnder, type ServiceOptions } from './service';
import { forward, type UpstreamTls } from './ssp-forward';
import type { SspFault } from './ssp-faults';
import { certificateMatchesFqdn } from './tls';
import { methodsFor, preflightHeaders } from './ssp-cors';
import { throttle, type ThrottleSettings } from './ssp-throttle';

export interface SspOptions extends ServiceOptions {
  directory: Directory;
  /** Where a registered endpoint really listens (Spine in a box maps .test hosts to loopback); identity by default. */
  resolveUpstream?: (target: URL) => URL;
  /** The "configured timeout period" after which the SSP answers 504 (CORE; value not given by the spec). Read per request. */
  settings?: SspSettings;
  /** Methods the SSP passes through; others get 405 (OPTIONS is a CORS preflight the SSP answers itself). GP Connect uses GET, POST and PUT. */
  allowedMethods?: string[];
  /** Over TLS, whether a client certificate is demanded (496 without one, 495 when it does not match). */
  requireClientCertificate?: boolean;
  /** TLS material the SSP uses towards providers. */
  /** TLS the SSP presents to providers: one for all, or chosen by the upstream URL. */
  upstreamTls?: UpstreamTls | ((upstream: URL) => UpstreamTls | undefined);
  /** Deliberate mistakes, to prove the features catch an SSP that makes them (ssp-faults.ts). */
  faults?: ReadonlySet<SspFault>;
}

export const DEFAULT_SSP_TIMEOUT_MS = 30_000;

export interface SspSettings {
  timeoutMs: number;
  /** Throttling (429, 503): off when undefined, as it is by default (ssp-throttle.ts). */
  throttle?: ThrottleSettings;
}

/** A refusal: the status and the SSP's own OperationOutcome. */
class Refusal {
  constructor(
    readonly status: number,
    readonly issueCode: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** What the checks learn about a request as they go. */
interface Exchange {
  request: Request;
  options: SspOptions;
  has: (fault: SspFault) => boolean;
  target?: { raw: string; url: URL };
  sender?: AccreditedSystem;
  receiver?: AccreditedSystem;
  receiverMhs?: MhsRecord;
  interaction?: string;
  /** X-Rate-Limit-* for the answer, when throttling is on. */
  rateHeaders?: Record<string, string>;
}

type Check = (x: Exchange) => Refusal | undefined;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ASID = /^[0-9]{1,20}$/;
const INTERACTION_URN = new RegExp(`^${INTERACTION_URN_PREFIX}[^\\s,]+$`);
const FHIR_MEDIA = /^application\/fhir\+(json|xml)\s*(;.*)?$/i;

/**
 * The SSP's checks, in the order a request meets them (gpconnect-spec.md §2.3, §2.4; CORE
 * ssp_implementation_guide). The spec gives no order; this one refuses transport problems first,
 * then malformed headers, then the directory's filtering, and the target URL last.
 */
const CHECKS: Array<[string, Check]> = [
  ['method', methodCheck],
  ['client certificate', clientCertificateCheck],
  ['target URL form', targetFormCheck],
  ['media type', mediaTypeCheck],
  ['Ssp-* headers', headerCheck],
  ['bearer token', tokenCheck],
  ['sender ASID', senderCheck],
  ['certificate FQDN', certificateFqdnCheck],
  ['receiver party key', receiverCheck],
  ['data sharing agreement', dataSharingCheck],
  ['target URL against SDS', targetRootCheck],
  ['throttling', throttleCheck],
];

/**
 * The Spine Secure Proxy at `{ssp}/{provider service root}/{path}` (gpconnect-spec.md §2.1), as one
 * MSW handler: its checks, then forwarding unmodified and streaming the answer back.
 */
export function sspHandlers(options: SspOptions): RequestHandler[] {
  const faults = options.faults ?? new Set<SspFault>();
  const has = (fault: SspFault) => faults.has(fault);
  const onFault = (message: string) => sspError(new Refusal(500, 'exception', `INTERNAL_SERVER_ERROR_${message}`), has);
  const resolver = journaled('ssp', options.journal, onFault, async ({ request }) => {
    const exchange: Exchange = { request, options, has };
    if (request.method === 'OPTIONS' && !has('refuse-options')) return preflight(exchange);
    for (const [, check] of CHECKS) {
      const refusal = check(exchange);
      if (refusal) return sspError(refusal, has);
    }
    return forwardAccepted(exchange);
  });
  return [http.all(urlsUnder(options.base), resolver)];
}

async function forwardAccepted(x: Exchange): Promise<Response> {
  const { request, options, has } = x;
  const target = has('route-by-ssp-to') && x.receiverMhs?.address ? new URL(x.receiverMhs.address + relativeToAnyRoot(x)) : x.target!.url;
  const body = ['GET', 'HEAD'].includes(request.method) ? undefined : new Uint8Array(await request.arrayBuffer());
  let upstream = (options.resolveUpstream ?? ((u: URL) => u))(target);
  if (has('rewrite-forwarded-query')) upstream = new URL(upstream.origin + upstream.pathname + decodeURIComponent(upstream.search));
  const tls = typeof options.upstreamTls === 'function' ? options.upstreamTls(upstream) : options.upstreamTls;
  const timeoutMs = options.settings?.timeoutMs ?? DEFAULT_SSP_TIMEOUT_MS;
  // Why the provider's answer could not be had or was cut off goes into the journal entry's `fault`:
  // the SSP's own 502/504 names only the URL, and a cut-off answer names nothing.
  const noteBrokenBody = (reason: string) => noteFault(request, reason);
  const added: Record<string, string> = has('no-forwarded-header') ? {} : { forwarded: forwardedValue(request) };
  if (has('x-forwarded-for-too')) Object.assign(added, { 'x-forwarded-for': clientAddress(request) ?? 'unknown' });
  const result = await forward(request, body, upstream, timeoutMs, tls, noteBrokenBody, added);
  if (result.kind !== 'response') noteFault(request, result.kind === 'timeout' ? `no answer within ${timeoutMs} ms` : result.reason);
  // 504 with issue type `transient`, as Spine Core gives it (nhsconnect/FHIR-SpineCore
  // resources_error_handling.md; the GP Connect SSP table has no 504 row, review C1). The display
  // TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_… is the harness's, patterned on the 502 the spec gives.
  if (result.kind === 'timeout') {
    return sspError(has('timeout-as-502') ? new Refusal(502, 'transient', SspError.errorCommunicating(target.href)) : new Refusal(504, 'transient', SspError.timeout(target.href)), has);
  }
  if (result.kind === 'unreachable') {
    return sspError(has('unreachable-as-500') ? new Refusal(500, 'exception', 'INTERNAL_SERVER_ERROR') : new Refusal(502, 'transient', SspError.errorCommunicating(target.href)), has);
  }
  if (has('mask-provider-errors') && result.response.status >= 400) {
    return sspError(new Refusal(500, 'exception', 'INTERNAL_SERVER_ERROR'), has);
  }
  for (const [name, value] of Object.entries(x.rateHeaders ?? {})) result.response.headers.set(name, value);
  return result.response;
}

/** The consumer's address as the socket server saw it (IPv4-mapped IPv6 written as IPv4); none in-process. */
function clientAddress(request: Request): string | undefined {
  return connectionOf(request)?.remoteAddress?.replace(/^::ffff:(?=\d+\.)/, '');
}

/**
 * The RFC 7239 element the SSP adds (development_general_api_guidance "Proxying headers"): who sent
 * the request (`for`, an IPv6 address bracketed and quoted, §6; `unknown` in-process, §6.2), to which
 * host and over which protocol it came (`host`, `proto`). A `Forwarded` the consumer sent is kept,
 * this element appended to it (§4), so the SSP changes no header it received.
 */
export function forwardedValue(request: Request): string {
  const address = clientAddress(request);
  const node = !address ? 'unknown' : address.includes(':') ? `"[${address}]"` : address;
  const url = new URL(request.url);
  const proto = connectionOf(request) ? (connectionOf(request)!.tls ? 'https' : 'http') : url.protocol.replace(':', '');
  const token = (v: string) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`);
  const element = `for=${node};host=${token(request.headers.get('host') ?? url.host)};proto=${proto}`;
  const sent = request.headers.get('forwarded');
  return sent ? `${sent}, ${element}` : element;
}

/** A CORS preflight: answered by the SSP, never forwarded, the target URL still in the SSP's form (ssp-cors.ts). */
function preflight(x: Exchange): Response {
  const refusal = targetFormCheck(x);
  if (refusal) return sspError(refusal, x.has);
  const carried = x.options.allowedMethods ?? ['GET', 'POST', 'PUT'];
  return new Response(null, { status: 200, headers: preflightHeaders(x.request, methodsFor(x.target!.url, carried)) });
}

/** Fault support: the part of the target after whichever registered service root it begins with. */
function relativeToAnyRoot({ target, options }: Exchange): string {
  const roots = options.directory.providers().map((p) => options.directory.serviceRootOf(p) ?? '');
  const root = roots.find((r) => r && target!.raw.startsWith(r)) ?? target!.url.origin;
  return target!.raw.slice(root.length);
}

/** The body for a request the socket server refuses before any handler runs (serve.ts): malformed, too large, too slow. */
export function sspTransportError(status: number, message: string): OperationOutcome {
  if (status === 405) return sspMethodNotAllowedOutcome();
  const issueCode = status === 408 ? 'timeout' : status === 413 || status === 431 ? 'too-costly' : status >= 500 ? 'exception' : 'invalid';
  return sspOutcome(status, issueCode, message);
}

function sspError(refusal: Refusal, has: (f: SspFault) => boolean): Response {
  const body = refusal.status === 405 ? sspMethodNotAllowedOutcome() : sspOutcome(refusal.status, refusal.issueCode, refusal.message);
  // The SSP's own errors must not be cached (development_general_api_guidance: Cache-Control no-store).
  return fhirJson(body, refusal.status, { ...refusal.headers, ...(has('cacheable-errors') ? {} : { [Header.cacheControl]: 'no-store' }) });
}

function methodCheck({ request, options, has }: Exchange): Refusal | undefined {
  const allowed = options.allowedMethods ?? ['GET', 'POST', 'PUT'];
  if (has('allow-any-method') || allowed.includes(request.method)) return undefined;
  return new Refusal(405, 'not-supported', SspError.methodNotAllowed);
}

/** 496 when no client certificate is presented, 495 when it is not one our CA issued, or is expired or revoked (CORE resources_error_handling). */
function clientCertificateCheck({ request, options, has }: Exchange): Refusal | undefined {
  const connection = connectionOf(request);
  if (!connection?.tls || !options.requireClientCertificate || has('skip-client-certificate-check')) return undefined;
  const cert = connection.clientCertificate;
  if (!cert) return new Refusal(496, 'forbidden', SspError.clientCertificateRequired);
  if (cert.authorizationError === 'CERT_HAS_EXPIRED' && has('accept-expired-certificate')) return undefined;
  if (!cert.authorized) return new Refusal(495, 'forbidden', SspError.clientCertificateInvalid(cert.authorizationError ?? 'UNTRUSTED'));
  return undefined;
}

/** The provider URL is everything after `{ssp}/`, as sent; it must be an absolute http(s) URL. */
function targetFormCheck(x: Exchange): Refusal | undefined {
  const raw = x.request.url.slice(x.options.base.length + 1);
  const refusal = new Refusal(400, 'invalid', `INVALID_TARGET_URL_${raw}`);
  if (!/^https?:\/\/[^/?#]/i.test(raw)) return x.has('accept-relative-target') ? acceptRelative(x, raw) : refusal;
  try {
    x.target = { raw, url: new URL(raw) };
  } catch {
    return refusal;
  }
  return undefined;
}

/** Fault: treat a relative target as relative to the receiver's registered root. */
function acceptRelative(x: Exchange, raw: string): undefined {
  const receiver = x.options.directory.systemByAsid(x.request.headers.get(Header.sspTo) ?? '');
  const root = receiver && x.options.directory.serviceRootOf(receiver);
  const url = new URL(`${root ?? 'https://unknown.test'}/${raw}`);
  x.target = { raw: url.href, url };
  return undefined;
}

function mediaTypeCheck({ request, has }: Exchange): Refusal | undefined {
  if (has('allow-any-media-type') || (request.method !== 'POST' && request.method !== 'PUT')) return undefined;
  const type = request.headers.get(Header.contentType);
  return type && FHIR_MEDIA.test(type) ? undefined : new Refusal(415, 'not-supported', SspError.unsupportedMediaType);
}

/** Missing or malformed Ssp-* headers: undocumented for the real SSP (§2.4), so 400 naming the header. */
function headerCheck(x: Exchange): Refusal | undefined {
  const { headers } = x.request;
  const invalid = (name: string) => new Refusal(400, 'invalid', SspError.missingOrInvalidHeader(name));
  x.interaction = headers.get(Header.sspInteractionId) ?? '';
  if (x.has('skip-header-checks')) return undefined;
  const rules: Array<[string, RegExp]> = [
    [Header.sspTraceId, UUID],
    [Header.sspFrom, ASID],
    [Header.sspTo, ASID],
    [Header.sspInteractionId, INTERACTION_URN],
  ];
  for (const [name, pattern] of rules) {
    const value = headers.get(name);
    if (!value || !pattern.test(value.trim())) return invalid(name);
  }
  return undefined;
}

/**
 * The SSP SHOULD validate the JWT (CORE); Spine in a box checks it is a well-formed bearer JWT. The
 * scheme is matched in any case: RFC 7235 §2.1, "It uses a case-insensitive token as a means to
 * identify the authentication scheme", so `bearer …` is as good as `Bearer …` (review F22).
 */
function tokenCheck({ request, has }: Exchange): Refusal | undefined {
  if (has('skip-token-check')) return undefined;
  const token = request.headers.get(Header.authorization)?.match(/^Bearer ([^\s,]+)$/i)?.[1];
  if (!token || decodeJwt(token).problems.length > 0) return new Refusal(400, 'invalid', SspError.missingOrInvalidHeader(Header.authorization));
  return undefined;
}

function senderCheck(x: Exchange): Refusal | undefined {
  const from = x.request.headers.get(Header.sspFrom) ?? '';
  x.sender = x.options.directory.systemByAsid(from);
  if (x.has('accept-unaccredited-sender')) return undefined;
  if (!x.sender || !x.sender.sends.includes(x.interaction ?? '')) return new Refusal(403, 'forbidden', SspError.senderAsidCheckFailed(from));
  return undefined;
}

/** 495 when the certificate's FQDN is not the one registered for the sending ASID (CORE "Proxy responsibilities"). */
function certificateFqdnCheck({ request, options, sender, has }: Exchange): Refusal | undefined {
  const cert = connectionOf(request)?.clientCertificate;
  if (!cert || !sender || !options.requireClientCertificate || has('ignore-certificate-fqdn')) return undefined;
  const registered = options.directory.mhsByPartyKey(sender.partyKey)?.fqdn;
  if (registered && certificateMatchesFqdn(cert, registered)) return undefined;
  return new Refusal(495, 'forbidden', SspError.clientCertificateInvalid(`FQDN_${cert.cn ?? cert.dnsNames.join('_')}_NOT_REGISTERED_FOR_${sender.asid}`));
}

function receiverCheck(x: Exchange): Refusal | undefined {
  const to = x.request.headers.get(Header.sspTo) ?? '';
  const interaction = x.interaction ?? '';
  x.receiver = x.options.directory.systemByAsid(to);
  if (!x.receiver) {
    // PTEST "SSP - To ASID - Invalid": an ASID Spine does not know is a bad request, not a refusal.
    return x.has('unknown-receiver-as-forbidden') ? new Refusal(403, 'forbidden', SspError.receiverPartyKeyCheckFailed(to)) : new Refusal(400, 'invalid', SspError.unknownReceiver(to));
  }
  x.receiverMhs = x.options.directory.mhsByPartyKey(x.receiver.partyKey);
  if (x.has('ignore-receiver-party-key')) return undefined;
  const registered = x.receiverMhs?.interactions.includes(interaction) && x.receiver.receives.includes(interaction) && x.receiverMhs.address;
  return registered ? undefined : new Refusal(403, 'forbidden', SspError.receiverPartyKeyCheckFailed(to));
}

function dataSharingCheck({ sender, receiver, interaction, request, options, has }: Exchange): Refusal | undefined {
  if (has('ignore-data-sharing') || !sender || !receiver) return undefined;
  if (options.directory.hasAgreement(sender.organisation, receiver.organisation, interaction ?? '')) return undefined;
  return new Refusal(403, 'forbidden', SspError.dataSharingCheckFailed(request.headers.get(Header.sspFrom) ?? '', receiver.asid));
}

/**
 * 429 once the sender has used its allowance, 503 once the provider has had its global one (CORE
 * ssp_implementation_guide "Functional Requirements"), both with X-Rate-Limit-* ("Proxy"). Last of
 * the checks, so only what would reach a provider counts.
 */
function throttleCheck(x: Exchange): Refusal | undefined {
  const settings = x.options.settings?.throttle;
  if (!settings || x.has('ignore-throttle')) return undefined;
  const from = x.request.headers.get(Header.sspFrom) ?? '';
  const to = x.request.headers.get(Header.sspTo) ?? '';
  const verdict = throttle(settings, from, to);
  const headers = x.has('no-rate-limit-headers') ? {} : verdict.headers;
  x.rateHeaders = headers;
  if (verdict.kind === 'sender') return new Refusal(429, 'throttled', SspError.tooManyRequests(from), headers);
  if (verdict.kind === 'provider') {
    return x.has('overload-as-429') ? new Refusal(429, 'throttled', SspError.tooManyRequests(from), headers) : new Refusal(503, 'transient', SspError.serviceUnavailable(to), headers);
  }
  return undefined;
}

/** The target must begin with nhsMhsEndPoint character for character (_includes/sds_ssp_warning.html). */
function targetRootCheck({ target, receiverMhs, has }: Exchange): Refusal | undefined {
  if (!target || !receiverMhs?.address || has('route-by-ssp-to')) return undefined;
  const root = receiverMhs.address;
  const matches = has('lenient-target-url') ? startsWithRoot(normalise(target.raw), normalise(root)) : startsWithRoot(target.raw, root);
  return matches ? undefined : new Refusal(400, 'invalid', SspError.targetUrlVaries(root, receiverMhs.cpaId, target.raw));
}

/**
 * The target begins with the SDS address character for character (_includes/sds_ssp_warning.html).
 * Where the address has no trailing slash, the next character must end the segment, so that
 * `…/gpconnectx` is not taken for `…/gpconnect`; an address registered with a trailing slash (the
 * error page's own example, `https://supplier.thirdparty.nhs.uk/v1/fhir/`) is a plain prefix
 * (review C4).
 */
export function startsWithRoot(target: string, root: string): boolean {
  if (!target.startsWith(root)) return false;
  if (root.endsWith('/')) return true;
  const next = target.charAt(root.length);
  return next === '' || next === '/' || next === '?';
}

/** What a lenient proxy would compare: lower case, default ports dropped, any scheme. */
function normalise(url: string): string {
  return url.toLowerCase().replace(/^https?:\/\//, '').replace(/:443(?=\/)|:80(?=\/)/, '');
}
