import { Header } from '../gpconnect/constants';

/**
 * The SSP's answer to a CORS preflight (CORE ssp_implementation_guide "Functional Requirements":
 * the CORS mechanisms of the W3C Recommendation "SHALL be supported"). The SSP answers OPTIONS
 * itself, without forwarding it: a browser's preflight carries neither the Ssp-* headers nor the
 * bearer token (W3C CORS §7.1.5), so nothing in it could be checked or routed.
 *
 * The methods named for a path are those the official provider tests expect (PTEST SSP.feature
 * "SSP - CORS": `GET, PUT` for `Appointment/{id}`, `POST` for `Appointment` and the `$gpc.`
 * operations, `GET` for the rest). PTEST reads them from `Access-Control-Request-Method`, which the
 * W3C Recommendation makes a request header; the answer carries them there as well as in
 * `Access-Control-Allow-Methods`, the response header the Recommendation defines.
 */
const PATH_METHODS: Array<[RegExp, string[]]> = [
  [/\/Patient\/[^/]+\/Appointment$/, ['GET']],
  [/\/Patient\/\$gpc\.[^/]+$/, ['POST']],
  [/\/Appointment\/[^/]+$/, ['GET', 'PUT']],
  [/\/Appointment$/, ['POST']],
  [/\/(metadata|Patient|Patient\/[^/]+|Organization|Organization\/[^/]+|Practitioner|Practitioner\/[^/]+|Location\/[^/]+|Slot)$/, ['GET']],
];

/** What GP Connect 1.2.x lets a consumer do at this target; every verb the SSP carries where the path is none of GP Connect's. */
export function methodsFor(target: URL, carried: readonly string[]): string[] {
  const path = target.pathname.replace(/\/+$/, '');
  return PATH_METHODS.find(([pattern]) => pattern.test(path))?.[1] ?? [...carried];
}

/** The headers a GP Connect request carries that are not CORS-safelisted: the preflight must allow them. */
export const GPC_REQUEST_HEADERS = [Header.sspTraceId, Header.sspFrom, Header.sspTo, Header.sspInteractionId, Header.authorization, Header.contentType, Header.accept, Header.prefer, Header.ifMatch];

export function preflightHeaders(request: Request, methods: string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  const asked = request.headers.get('access-control-request-headers');
  return {
    'Access-Control-Allow-Origin': origin ?? '*',
    ...(origin ? { Vary: 'Origin' } : {}),
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Request-Method': methods.join(', '),
    'Access-Control-Allow-Headers': asked ?? GPC_REQUEST_HEADERS.join(', '),
    'Access-Control-Max-Age': '600',
    'Cache-Control': 'no-store',
  };
}
