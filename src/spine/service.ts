import type { HttpResponseResolver } from 'msw';
import type { TrafficJournal } from './journal';
import { truncateBody, type Service } from '../gpconnect/exchange';
import { decodedBody } from '../http/raw-client';
import { sameBody, wholeBodyOf } from '../gpconnect/whole-bodies';

/** What the socket server knows about a request's connection; in-process requests have none. */
export interface ConnectionInfo {
  tls: boolean;
  /** Subject CN and DNS SANs of the client certificate, when one was presented. */
  clientCertificate?: { cn?: string; dnsNames: string[]; authorized: boolean; authorizationError?: string };
  remoteAddress?: string;
  /** The request target exactly as it appeared on the request line (no URL normalisation). */
  rawTarget?: string;
}

const connections = new WeakMap<Request, ConnectionInfo>();

export function attachConnection(request: Request, info: ConnectionInfo): void {
  connections.set(request, info);
}

export function connectionOf(request: Request): ConnectionInfo | undefined {
  return connections.get(request);
}

const notedFaults = new WeakMap<Request, string>();

/**
 * What went wrong while answering a request without an exception, for its journal entry's `fault`:
 * the SSP notes why it could not get the provider's answer, or cut it off (the 502/504 it answers
 * names only the URL, gpconnect-spec.md §2.4). Noted before the entry is recorded, it is in it.
 */
export function noteFault(request: Request, fault: string): void {
  notedFaults.set(request, fault);
}

/** Bodies larger than this are refused with a spec-shaped 413 before any handler reads them. */
export const MAX_REQUEST_BODY = 10 * 1024 * 1024;

export interface ServiceOptions {
  journal: TrafficJournal;
  /** Absolute base URL the service answers on, without a trailing slash. */
  base: string;
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/**
 * Wrap an MSW resolver so that every exchange lands in the journal and no exception escapes:
 * a mock that throws answers with the service's own 500 body, and the journal says what threw.
 */
export function journaled(
  service: Service,
  journal: TrafficJournal,
  onFault: (message: string) => Response,
  resolver: HttpResponseResolver<Record<string, string | readonly string[]>, never, Response>,
): HttpResponseResolver<Record<string, string | readonly string[]>, never, Response> {
  return async (info) => {
    const started = Date.now();
    const scenario = journal.scenario;
    const request = info.request;
    let requestBody = '';
    let fault: string | undefined;
    let response: Response;
    try {
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > MAX_REQUEST_BODY) {
        fault = `request body of ${declared} bytes is over the ${MAX_REQUEST_BODY}-byte limit`;
        response = onFault(fault);
        response = sameBody(response, { status: 413, headers: response.headers });
      } else {
        requestBody = request.body === null ? '' : await request.clone().text();
        response = (await resolver(info)) as Response;
        if (!(response instanceof Response)) throw new Error('handler returned no response');
      }
    } catch (error) {
      fault = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      response = onFault(fault);
    }
    const url = new URL(request.url);
    const record = (responseBody: string) =>
      journal.record({
        time: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        service,
        method: request.method,
        url: request.url,
        target: connectionOf(request)?.rawTarget ?? url.pathname + url.search,
        requestHeaders: headersToRecord(request.headers),
        requestBody: truncateBody(requestBody),
        status: response.status,
        responseHeaders: headersToRecord(response.headers),
        responseBody: truncateBody(responseBody),
        scenario,
        clientCertificateCn: connectionOf(request)?.clientCertificate?.cn,
        fault: fault ?? notedFaults.get(request),
      });
    const whole = wholeBodyOf(response);
    if (whole) {
      record(journalText(Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength), response.headers.get('content-encoding')));
    } else if (response.body) {
      // Tee the body so the client gets it as it streams, and the journal gets it whole.
      // A gzip answer (development_general_api_guidance "Content compression") is journalled decoded, as the judges read it.
      const copy = response.clone();
      const coding = response.headers.get('content-encoding');
      journal.track(copy.arrayBuffer().then((bytes) => record(journalText(Buffer.from(bytes), coding)), (e: Error) => record(`[journal: body could not be read: ${e.message}]`)));
    } else {
      record('');
    }
    return response;
  };
}

/** A recorded body as text: decoded from gzip when it says so, or a note saying it could not be. */
function journalText(bytes: Buffer, coding: string | null): string {
  const decoded = decodedBody(bytes, coding ?? undefined);
  return decoded.decodingProblem ? `[journal: ${decoded.decodingProblem}]` : decoded.body;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every URL at or under a base, as a RegExp. MSW decodes `*` and `:param` path segments while
 * matching and throws on a malformed escape before any resolver runs; a RegExp with no capture
 * groups is never decoded, so the handler gets to answer bad input itself.
 */
export function urlsUnder(base: string): RegExp {
  return new RegExp(`^${escapeRegExp(base.replace(/\/+$/, ''))}(?:[/?].*)?$`);
}
