/**
 * Reference-provider faults in FHIR XML (see faults.ts for how they are used and proven): a provider
 * that declares XML (capabilities.xml) and then refuses it, answers JSON to a request for XML, keeps
 * its errors in JSON, ignores the Content-Type of an XML body, or labels its XML application/xml.
 * They act where the provider writes its answer in XML (server.ts), so their `apply` passes through.
 */
import { FORMAT_PARAMETER, Header } from '../../gpconnect/constants';
import { passThrough, rewriteJson, type FaultDefinition, type FaultInput } from './fault-kit';
import { sameBody } from '../../gpconnect/whole-bodies';

/** The fault that makes the reference provider serve JSON only while its profile declares XML (server.ts reads it). */
export const SERVES_JSON_ONLY = 'serves-json-only';

export const XML_FAULTS = {
  [SERVES_JSON_ONLY]: {
    breaks: 'PROV-XML',
    what: 'serves application/fhir+json only: XML asked for is refused with 415, though its profile declares capabilities.xml',
    apply: passThrough,
  },
  'xml-asked-answered-json': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'answers in JSON when _format or Accept asks for application/fhir+xml (it reads XML bodies, but ignores the format asked for)',
    apply: passThrough,
  },
  'xml-errors-in-json': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'answers its errors (OperationOutcome) in JSON when XML is asked for; only its successes are in XML',
    apply: passThrough,
  },
  'xml-body-answered-json': {
    breaks: 'PROV-XML-BODY',
    what: 'reads an XML body but answers it in JSON when neither Accept nor _format is given, instead of in the format of the Content-Type',
    apply: passThrough,
  },
  'xml-not-in-formats': {
    breaks: 'PROV-XML-FORMATS',
    what: 'serves XML but its CapabilityStatement lists application/fhir+json alone among its formats',
    apply: async (input: FaultInput) =>
      input.request.method === 'GET' && input.url.pathname.endsWith('/metadata') && input.response.status === 200 ? rewriteJson(input.response, (b) => ({ ...b, format: ['application/fhir+json'] })) : input.response,
  },
  'xml-labelled-application-xml': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'labels its XML answers application/xml;charset=utf-8, not the FHIR MIME type application/fhir+xml',
    apply: passThrough,
  },
} as const satisfies Record<string, FaultDefinition>;

type XmlFault = keyof typeof XML_FAULTS;

/** What the XML faults among `faults` do where the answer is written in XML (server.ts). */
export function xmlFaultsOf(faults: ReadonlySet<string> | undefined) {
  const has = (f: XmlFault) => faults?.has(f) ?? false;
  return {
    /** Whether the answer stays JSON though XML was asked for. */
    keepsJson(request: Request, url: URL, response: Response): boolean {
      const asked = (url.searchParams.get(FORMAT_PARAMETER) ?? '') + (request.headers.get(Header.accept) ?? '');
      if (has('xml-asked-answered-json') && /xml/i.test(asked)) return true;
      if (has('xml-errors-in-json') && response.status >= 400) return true;
      return has('xml-body-answered-json') && asked.trim() === '';
    },
    /** The XML answer as labelled. */
    relabel(response: Response): Response {
      if (!has('xml-labelled-application-xml') || response.body === null) return response;
      const headers = new Headers(response.headers);
      headers.set(Header.contentType, 'application/xml;charset=utf-8');
      return sameBody(response, { status: response.status, statusText: response.statusText, headers });
    },
  };
}
