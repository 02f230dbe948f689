/**
 * Reference-provider faults at the HTTP level (see faults.ts for how they are used and proven):
 * caching, content negotiation beyond /metadata, gzip, the Prefer header on a booking, and the
 * error for a request no route serves.
 */
import { Header, INTERACTION_ROUTES, MediaType, SpineError, FORMAT_PARAMETER } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { diagnosticsOf, isBooking, isFindPatient, isSlotSearch, passThrough, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { sameBody } from '../../gpconnect/whole-bodies';

/**
 * The verb and path of a request the guard refused because its interaction ID does not match them
 * (guard.ts: "Ssp-InteractionID … does not match GET /metadatas"), and whether any route serves
 * that path with another verb (`allow`, the verbs it takes). Undefined for any other answer.
 */
export async function unroutedRequest(response: Response): Promise<{ method: string; path: string; pathServed: boolean; allow: string[] } | undefined> {
  const match = / does not match (\S+) (\S+)$/.exec(await diagnosticsOf(response));
  if (!match) return undefined;
  const [, method, path] = match;
  if (INTERACTION_ROUTES.some((r) => r.method === method && r.path.test(path))) return undefined;
  const allow = [...new Set(INTERACTION_ROUTES.filter((r) => r.path.test(path)).map((r) => r.method))];
  return { method, path, pathServed: allow.length > 0, allow };
}

function withoutHeader(response: Response, name: string): Response {
  const headers = new Headers(response.headers);
  headers.delete(name);
  return sameBody(response, { status: response.status, statusText: response.statusText, headers });
}

/** The fault that makes the reference provider answer uncompressed whatever Accept-Encoding says (server.ts reads it). */
export const ANSWERS_UNCOMPRESSED = 'ignores-accept-encoding';

export const HTTP_FAULTS = {
  'populates-full-url': {
    breaks: 'PROV-BUNDLE-FULLURL',
    what: 'gives every entry of its Find a patient and free slots Bundles a fullUrl (the resource\'s absolute URL), which providers should not',
    apply: async (input: FaultInput): Promise<Response> => {
      if ((!isFindPatient(input) && !isSlotSearch(input)) || input.response.status !== 200) return input.response;
      const root = input.url.href.slice(0, input.url.href.lastIndexOf('/'));
      return rewriteJson(input.response, (b: Json) => ({
        ...b,
        entry: (b.entry ?? []).map((e: Json) => ({ fullUrl: `${root}/${e.resource?.resourceType}/${e.resource?.id}`, ...e })),
      }));
    },
  },
  'no-store-on-success-only': {
    breaks: 'PROV-NO-STORE',
    what: 'sets Cache-Control: no-store on its successful answers only, not on its errors',
    apply: async ({ response }: FaultInput) => (response.status >= 400 ? withoutHeader(response, Header.cacheControl) : response),
  },
  'no-store-on-reads-only': {
    breaks: 'PROV-NO-STORE',
    what: 'sets Cache-Control: no-store on GET answers only, not on what it answers a POST (Register a patient, Book an appointment)',
    apply: async ({ request, response }: FaultInput) => (request.method === 'POST' ? withoutHeader(response, Header.cacheControl) : response),
  },
  'format-refused-beyond-metadata': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'supports _format on /metadata only: on any other interaction it refuses it as an unknown search parameter (400 BAD_REQUEST)',
    apply: async ({ url, response }: FaultInput) => {
      if (!url.searchParams.has(FORMAT_PARAMETER) || url.pathname.endsWith('/metadata') || response.status >= 400) return response;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      headers.set(Header.contentType, MediaType.fhirJsonUtf8);
      return new Response(JSON.stringify(gpcOutcome('invalid', SpineError.badRequest, 'Bad request', 'Unknown search parameter _format')), { status: 400, headers });
    },
  },
  [ANSWERS_UNCOMPRESSED]: {
    breaks: 'PROV-GZIP',
    what: 'answers uncompressed whatever Accept-Encoding asks (no gzip support)',
    apply: passThrough,
  },
  'unrouted-as-html-404': {
    breaks: 'PROV-HTTP-ERROR',
    what: "answers a request no route serves (unknown path, wrong verb, wrong case) with its web server's text/html 404 page, not an OperationOutcome",
    apply: async ({ response }: FaultInput) => {
      if (!(await unroutedRequest(response))) return response;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      headers.set(Header.contentType, 'text/html; charset=utf-8');
      return new Response('<html><body><h1>404 Not Found</h1></body></html>', { status: 404, headers });
    },
  },
  'any-prefer-as-minimal': {
    breaks: 'PROV-BOOK-PREFER',
    what: 'reads any Prefer header on a booking as return=minimal: return=representation gets an empty 201',
    apply: async (input: FaultInput) => {
      if (!isBooking(input) || input.response.status !== 201 || !input.request.headers.get(Header.prefer)) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      headers.delete(Header.contentType);
      return new Response(null, { status: 201, headers });
    },
  },
} as const satisfies Record<string, FaultDefinition>;
