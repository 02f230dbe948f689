/**
 * The judges of answers in FHIR XML (development_general_api_guidance "Content types": "Servers
 * SHOULD support XML: application/fhir+xml"; "Character encoding": the charset parameter SHALL say
 * UTF-8). An XML answer has been read into JSON already (src/actors/provider/provider-under-test.ts
 * answerOf, src/fhir/xml.ts), so the resource inside is validated as a JSON answer is.
 */
import { validateResource } from '../../fhir/validate';
import { fhirFormatOf } from '../../fhir/xml';
import { seen, type ProviderAnswer } from './answer';

const FHIR_XML_UTF8 = /^application\/fhir\+xml\s*;\s*charset=utf-8$/i;

/** FHIR XML labelled UTF-8 (application/fhir+xml;charset=utf-8), readable as an STU3 resource that validates against its profile. */
export function fhirXml(answer: ProviderAnswer): string[] {
  const type = answer.response.headers['content-type'] ?? '';
  const findings: string[] = [];
  if (!FHIR_XML_UTF8.test(type)) findings.push(`${answer.asked} answered with Content-Type "${type}", not application/fhir+xml;charset=utf-8`);
  if (answer.format !== 'xml' || !answer.body) {
    findings.push(`the answer to ${answer.asked} is not FHIR XML: ${answer.response.body.replace(/\s+/g, ' ').slice(0, 120)}`);
    return findings;
  }
  for (const issue of validateResource(answer.body)) {
    findings.push(`the ${answer.body.resourceType} in XML answering ${answer.asked} is not valid: ${issue.path}: ${issue.message}`);
  }
  return findings;
}

/** XML asked for is served (PROV-XML, a SHOULD): the answer is in XML. */
export function xmlOffered(answer: ProviderAnswer): string[] {
  if (answer.format === 'xml' && answer.response.status < 300) return [];
  return [`XML (a SHOULD) was not offered: ${answer.asked} was answered${answer.format === 'json' ? ' in JSON' : ''} ${seen(answer)} (a provider that serves XML declares capabilities.xml: true, and is then tested in XML on every interaction)`];
}

/** XML asked for is answered in XML or refused with 415 ("a request for a format that it does not support … SHALL return … 415"). */
export function xmlOrUnsupported(answer: ProviderAnswer): string[] {
  if (answer.response.status === 415) return [];
  if (answer.format === 'xml' && answer.response.status < 300) return [];
  return [`${answer.asked} asked for application/fhir+xml and was answered${answer.format === 'json' ? ' in JSON' : ''} ${seen(answer)}: a provider answers in the format asked for, or 415 when it does not serve it`];
}

/**
 * The capability statement lists XML among its formats ("Systems SHALL declare which format(s) they
 * support in their CapabilityStatement", development_general_api_guidance "Wire format
 * representations"): `xml` or `application/fhir+xml` (STU3 CapabilityStatement.format, a code or a MIME type).
 */
export function xmlDeclared(answer: ProviderAnswer): string[] {
  const formats: unknown[] = Array.isArray(answer.body?.format) ? answer.body!.format : [];
  if (answer.body?.resourceType !== 'CapabilityStatement') return [`${answer.asked} answered ${seen(answer)}, not a CapabilityStatement`];
  if (formats.some((f) => typeof f === 'string' && fhirFormatOf(f, true) === 'xml')) return [];
  return [`the capability statement lists the formats ${JSON.stringify(formats)}, without application/fhir+xml, though the provider serves XML`];
}
