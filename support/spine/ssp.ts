import { http, type RequestHandler } from 'msw';
import { Header, SspError } from '../constants';
import type { Directory } from './directory/directory';
import type { AccreditedSystem } from './directory/model';
import { decodeJwt } from './jwt';
import { fhirJson, sspMethodNotAllowedOutcome, sspOutcome } from './outcomes';
import { connectionOf, journaled, urlsUnder, type ServiceOptions } from './service';
import { forward, type UpstreamTls } from './ssp-forward';
import { certificateMatchesFqdn } from './tls';

export interface SspOptions extends ServiceOptions {
  directory: Directory;
  /** Where a registered endpoint really listens (Spine in a box maps .test hosts to loopback); identity by default. */
  resolveUpstream?: (target: URL) => URL;
  /** The "configured timeout period" after which the SSP answers 504 (CORE; value not given by the spec). Read per request. */
  settings?: SspSettings;
  /** Methods the SSP passes through; others get 405. GP Connect uses GET, POST and PUT. */
  allowedMethods?: string[];
  /** Over TLS, whether a client certificate is demanded (496 without one, 495 when it does not match). */
  requireClientCertificate?: boolean;
  /** TLS material the SSP uses towards providers. */
  upstreamTls?: UpstreamTls;
}

export const DEFAULT_SSP_TIMEOUT_MS = 30_000;

export interface SspSettings {
  timeoutMs: number;
}

/** A refusal: the status and the SSP's own OperationOutcome. */
class Refusal {
  constructor(
    readonly status: number,
    readonly issueCode: string,
    readonly message: string,
  ) {}
}

interface CheckedRequest {
  sender: AccreditedSystem;
  receiver: AccreditedSystem;
  interaction: string;
  target: URL;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ASID = /^[0-9]{1,20}$/;
const FHIR_MEDIA = /^application\/fhir\+(json|xml)\s*(;.*)?$/i;

/**
 * The Spine Secure Proxy at `{ssp}/{provider service root}/{path}` (gpconnect-spec.md §2.1), as one
 * MSW handler: its checks, in the order a request meets them, then forwarding unmodified.
 */
export function sspHandlers(options: SspOptions): RequestHandler[] {
  const onFault = (message: string) => sspError(new Refusal(500, 'exception', `INTERNAL_SERVER_ERROR_${message}`));
  const resolver = journaled('ssp', options.journal, onFault, async ({ request }) => {
    const checked = await check(request, options);
    if (checked instanceof Refusal) return sspError(checked);
    const body = ['GET', 'HEAD'].includes(request.method) ? undefined : new Uint8Array(await request.arrayBuffer());
    const upstream = (options.resolveUpstream ?? ((u: URL) => u))(checked.target);
    const result = await forward(request, body, upstream, options.settings?.timeoutMs ?? DEFAULT_SSP_TIMEOUT_MS, options.upstreamTls);
    if (result.kind === 'timeout') return sspError(new Refusal(504, 'timeout', SspError.timeout(checked.target.href)));
    if (result.kind === 'unreachable') return sspError(new Refusal(502, 'transient', SspError.errorCommunicating(checked.target.href)));
    return result.response;
  });
  return [http.all(urlsUnder(options.base), resolver)];
}

function sspError(refusal: Refusal): Response {
  const body = refusal.status === 405 ? sspMethodNotAllowedOutcome() : sspOutcome(refusal.status, refusal.issueCode, refusal.message);
  // The SSP's own errors must not be cached (development_general_api_guidance: Cache-Control no-store).
  return fhirJson(body, refusal.status, { [Header.cacheControl]: 'no-store' });
}

async function check(request: Request, options: SspOptions): Promise<CheckedRequest | Refusal> {
  const allowed = options.allowedMethods ?? ['GET', 'POST', 'PUT'];
  if (!allowed.includes(request.method)) return new Refusal(405, 'not-supported', SspError.methodNotAllowed);

  const certificate = clientCertificateRefusal(request, options);
  if (certificate) return certificate;

  const target = targetOf(request.url, options.base);
  if (!target) return new Refusal(400, 'invalid', `INVALID_TARGET_URL_${request.url.slice(options.base.length + 1)}`);

  if (request.method === 'POST' || request.method === 'PUT') {
    const type = request.headers.get(Header.contentType);
    if (!type || !FHIR_MEDIA.test(type)) return new Refusal(415, 'not-supported', SspError.unsupportedMediaType);
  }

  const headers = headerRefusal(request.headers);
  if (headers) return headers;
  const from = request.headers.get(Header.sspFrom)!;
  const to = request.headers.get(Header.sspTo)!;
  const interaction = request.headers.get(Header.sspInteractionId)!;
  const { directory } = options;

  const sender = directory.systemByAsid(from);
  if (!sender || !sender.sends.includes(interaction)) return new Refusal(403, 'forbidden', SspError.senderAsidCheckFailed(from));

  const fqdn = fqdnRefusal(request, options, sender);
  if (fqdn) return fqdn;

  const receiver = directory.systemByAsid(to);
  if (!receiver) return new Refusal(400, 'invalid', SspError.unknownReceiver(to));
  const receiverMhs = directory.mhsByPartyKey(receiver.partyKey);
  if (!receiverMhs || !receiverMhs.interactions.includes(interaction) || !receiver.receives.includes(interaction) || !receiverMhs.address) {
    return new Refusal(403, 'forbidden', SspError.receiverPartyKeyCheckFailed(to));
  }

  if (!directory.hasAgreement(sender.organisation, receiver.organisation, interaction)) {
    return new Refusal(403, 'forbidden', SspError.dataSharingCheckFailed(from, to));
  }

  // The target must begin with nhsMhsEndPoint character for character (_includes/sds_ssp_warning.html).
  if (!startsWithRoot(target.raw, receiverMhs.address)) {
    return new Refusal(400, 'invalid', SspError.targetUrlVaries(receiverMhs.address, receiverMhs.cpaId, target.raw));
  }
  return { sender, receiver, interaction, target: target.url };
}

/**
 * The provider URL is everything after `{ssp}/`, taken from the request as sent. Returns undefined
 * when that is not an absolute http(s) URL.
 */
function targetOf(requestUrl: string, base: string): { raw: string; url: URL } | undefined {
  const raw = requestUrl.slice(base.length + 1);
  if (!/^https?:\/\/[^/?#]/i.test(raw)) return undefined;
  try {
    return { raw, url: new URL(raw) };
  } catch {
    return undefined;
  }
}

function startsWithRoot(target: string, root: string): boolean {
  if (!target.startsWith(root)) return false;
  const next = target.charAt(root.length);
  return next === '' || next === '/' || next === '?';
}

function headerRefusal(headers: Headers): Refusal | undefined {
  const missing = (name: string) => new Refusal(400, 'invalid', SspError.missingOrInvalidHeader(name));
  const trace = headers.get(Header.sspTraceId);
  if (!trace || !UUID.test(trace.trim())) return missing(Header.sspTraceId);
  const from = headers.get(Header.sspFrom);
  if (!from || !ASID.test(from)) return missing(Header.sspFrom);
  const to = headers.get(Header.sspTo);
  if (!to || !ASID.test(to)) return missing(Header.sspTo);
  const interaction = headers.get(Header.sspInteractionId);
  if (!interaction || !/^urn:nhs:names:services:[^\s,]+$/.test(interaction)) return missing(Header.sspInteractionId);
  const auth = headers.get(Header.authorization);
  const token = auth?.match(/^Bearer ([^\s,]+)$/)?.[1];
  if (!token || decodeJwt(token).problems.length > 0) return missing(Header.authorization);
  return undefined;
}

/** 496 when no client certificate is presented, 495 when it is not one our CA issued (CORE resources_error_handling). */
function clientCertificateRefusal(request: Request, options: SspOptions): Refusal | undefined {
  const connection = connectionOf(request);
  if (!connection?.tls || !options.requireClientCertificate) return undefined;
  const cert = connection.clientCertificate;
  if (!cert) return new Refusal(496, 'forbidden', SspError.clientCertificateRequired);
  if (!cert.authorized) return new Refusal(495, 'forbidden', SspError.clientCertificateInvalid(cert.authorizationError ?? 'UNTRUSTED'));
  return undefined;
}

/** 495 when the certificate's FQDN is not the one registered for the sending ASID's MHS (CORE Proxy responsibilities). */
function fqdnRefusal(request: Request, options: SspOptions, sender: AccreditedSystem): Refusal | undefined {
  const cert = connectionOf(request)?.clientCertificate;
  if (!cert || !options.requireClientCertificate) return undefined;
  const registered = options.directory.mhsByPartyKey(sender.partyKey)?.fqdn;
  if (registered && certificateMatchesFqdn(cert, registered)) return undefined;
  return new Refusal(495, 'forbidden', SspError.clientCertificateInvalid(`FQDN_${cert.cn ?? cert.dnsNames.join('_')}_NOT_REGISTERED_FOR_${sender.asid}`));
}

