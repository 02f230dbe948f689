import type { DecodedJwt } from './jwt';

/**
 * One HTTP exchange as Spine in a box recorded it: what every party's rules, the evidence and the
 * reports read. The journal (src/spine/journal.ts) keeps them; this is their shape.
 */
export type Service = 'pds' | 'sds' | 'ssp' | 'provider';

export interface JournalEntry {
  /** 1-based order in which exchanges completed. */
  seq: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  durationMs: number;
  service: Service;
  method: string;
  url: string;
  /** Path and query as received: the raw request line over sockets, the parsed URL in-process. */
  target: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  /** The bearer token decoded (not verified), when there is one. */
  jwt?: DecodedJwt;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  /** The scenario running when the request arrived, or undefined: "matched no scenario". */
  scenario?: string;
  /** TLS client certificate subject CN, when the request came over mutual TLS. */
  clientCertificateCn?: string;
  /**
   * What went wrong inside the mock, if anything: an unexpected exception turned into a 500, or why
   * the SSP could not get the provider's answer (its 502/504) or cut it off.
   */
  fault?: string;
  /** Answered by the server itself before any handler ran: a malformed, too large or too slow (408) request; `fault` says which. */
  refusedByServer?: boolean;
}

/** Bodies are kept whole up to this size; a larger one is cut and says so. */
export const MAX_JOURNAL_BODY = 4 * 1024 * 1024;

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function truncateBody(text: string): string {
  if (text.length <= MAX_JOURNAL_BODY) return text;
  return text.slice(0, MAX_JOURNAL_BODY) + `\n[journal: body cut at ${MAX_JOURNAL_BODY} of ${text.length} characters]`;
}
