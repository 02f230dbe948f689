/**
 * What the reference provider does at the HTTP level on every answer, after its route: the Prefer
 * header on a booking, and gzip when the consumer asks for it (development_general_api_guidance
 * "Managing Return Content", "Content compression").
 */
import { gzipSync } from 'node:zlib';
import { Header } from '../../gpconnect/constants';
import type { ProviderChoices } from './context';
import { wholeBodyOf, wholeResponse } from '../../gpconnect/whole-bodies';

/** The `return` preference of a Prefer header (RFC 7240 §4.2), if any. */
export function returnPreference(prefer: string | null): 'minimal' | 'representation' | undefined {
  const match = /(?:^|[,;\s])return\s*=\s*"?(minimal|representation)"?/i.exec(prefer ?? '');
  return match ? (match[1].toLowerCase() as 'minimal' | 'representation') : undefined;
}

/**
 * "Servers SHALL default to the return=representation behaviour … for interactions that create or
 * update resources. Servers SHOULD honour a return=minimal or return=representation preference":
 * a booking (POST /Appointment) answered 201 loses its body under return=minimal; its Location
 * header stays.
 */
export function honourPrefer(request: Request, pathBelowRoot: string, response: Response, choices: ProviderChoices = {}): Response {
  if (choices.ignorePrefer || request.method !== 'POST' || pathBelowRoot !== '/Appointment' || response.status !== 201) return response;
  if (returnPreference(request.headers.get(Header.prefer)) !== 'minimal') return response;
  const headers = new Headers(response.headers);
  headers.delete(Header.contentType);
  headers.delete('content-length');
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}

/** Accept-Encoding names gzip (or `*`) with a weight above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** The answer gzip-encoded when the consumer asked for gzip and it has a body not already encoded. */
export async function contentCoded(request: Request, response: Response): Promise<Response> {
  if (response.body === null || response.headers.has('content-encoding') || !acceptsGzip(request.headers.get('accept-encoding'))) return response;
  const bytes = wholeBodyOf(response) ?? new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.set('Content-Encoding', 'gzip');
  headers.append('Vary', 'Accept-Encoding');
  headers.delete('content-length');
  return wholeResponse(gzipSync(bytes), { status: response.status, statusText: response.statusText, headers });
}
