/**
 * FHIR XML at the reference provider's door ("Servers SHOULD support XML: application/fhir+xml",
 * development_general_api_guidance "Content types"). The routes, faults and variants speak JSON; an
 * XML request body is read into JSON before them, and an answer asked for in XML is written in XML
 * after them. The conversion itself is the harness's (src/fhir/xml.ts, FHIR.js with the vendored
 * STU3 definitions), handed in as a codec: Spine in a box does not import the rooms above it
 * (docs/architecture.md), so a provider given no codec serves JSON only.
 */
import { Header, MediaType, SpineError } from '../../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import { UNKNOWN_ELEMENT } from './tolerance';
import { textOf, wholeResponse } from '../../gpconnect/whole-bodies';

/** FHIR JSON ⇄ XML, as src/fhir/xml.ts gives it. Both throw an Error naming what is wrong. */
export interface FhirXmlCodec {
  toXml(resource: unknown): string;
  fromXml(text: string): Record<string, unknown>;
}

const isXml = (contentType: string | null) => (contentType ?? '').split(';')[0].trim().toLowerCase().replace('application/fhir xml', MediaType.fhirXml) === MediaType.fhirXml;

/**
 * The request as the routes read it: an XML body (Content-Type application/fhir+xml) as the same
 * resource in JSON with Content-Type application/fhir+json; any other request as it is. A body that
 * is not FHIR XML is refused here: 400 BAD_REQUEST when it is not well-formed XML (as a body that is
 * not JSON is, appointments.ts), 422 INVALID_RESOURCE when it is XML but no STU3 resource (the
 * error page's code for a resource that fails to validate).
 */
export async function requestInJson(request: Request, codec: FhirXmlCodec): Promise<Request | Response> {
  if (request.body === null || !isXml(request.headers.get(Header.contentType))) return request;
  const text = await request.clone().text();
  let resource: Record<string, unknown>;
  try {
    resource = codec.fromXml(text);
  } catch (error) {
    const message = (error as Error).message;
    if (/well-formed|not XML|no XML/.test(message)) return fhirJson(gpcOutcome('invalid', SpineError.badRequest, 'Bad request', `the request body is not well-formed FHIR XML: ${message}`), 400);
    return fhirJson(gpcOutcome('invalid', SpineError.invalidResource, 'Submitted resource is not valid.', `the request body is not an STU3 resource in XML: ${message}`), 422);
  }
  const headers = new Headers(request.headers);
  headers.set(Header.contentType, MediaType.fhirJsonUtf8);
  headers.delete('content-length');
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(resource) });
}

/**
 * A JSON answer written in XML, with Content-Type application/fhir+xml;charset=utf-8 (the charset
 * parameter without a space, §2.7). An answer without a body, or whose body is not FHIR JSON (a fault's
 * HTML page), is left as it is; a resource XML cannot carry is a 500 with the reason, in XML.
 */
export async function answerInXml(response: Response, codec: FhirXmlCodec, noise = false): Promise<Response> {
  if (response.body === null || !(response.headers.get(Header.contentType) ?? '').toLowerCase().includes('json')) return response;
  const text = await textOf(response);
  if (text === '') return response;
  let xml: string;
  let status = response.status;
  try {
    xml = noise ? withUnknownElement(codec.toXml(withoutNoise(JSON.parse(text))), UNKNOWN_ELEMENT) : codec.toXml(JSON.parse(text));
  } catch (error) {
    status = 500;
    xml = codec.toXml(gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', `the answer cannot be written in XML: ${(error as Error).message}`));
  }
  const headers = new Headers(response.headers);
  headers.set(Header.contentType, MediaType.fhirXmlUtf8);
  headers.delete('content-length');
  return wholeResponse(xml, { status, statusText: status === response.status ? response.statusText : '', headers });
}

/**
 * The answer without what the tolerance noise (tolerance.ts) adds that no FHIR XML writer can write:
 * its unknown element (written into the XML text instead, withUnknownElement), and the extension it
 * puts on a Bundle, which in STU3 is a Resource without extensions (the Bundle's resources keep theirs).
 */
function withoutNoise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNoise);
  if (value === null || typeof value !== 'object') return value;
  const bundle = (value as Record<string, unknown>).resourceType === 'Bundle';
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== UNKNOWN_ELEMENT && !(bundle && k === 'extension'))
      .map(([k, v]) => [k, withoutNoise(v)]),
  );
}

/**
 * The tolerance noise in XML (tolerance.ts): the element no consumer can know, written first in every
 * resource of the answer (the root, a Bundle entry's, a contained one), as a later version of the spec
 * or another supplier's writer would put an element of its own.
 */
function withUnknownElement(xml: string, name: string): string {
  const element = `<${name}><note value="an element this consumer does not know: ignore it"/></${name}>`;
  return xml
    .replace(/(<[A-Z][A-Za-z]+ xmlns="http:\/\/hl7\.org\/fhir">)/, `$1${element}`)
    .replace(/(<(?:resource|contained)><[A-Z][A-Za-z]+>)/g, `$1${element}`);
}
