/**
 * The judges of any answer, whatever was asked: its status, whether it is the valid resource the
 * interaction returns, its Cache-Control and Content-Type, the capability statement's FHIR version.
 * Each returns its findings, one sentence each; none names the requirement (src/rules/rule.ts does).
 */
import { GpcProfile, ValidationProfile } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import { seen, type ProviderAnswer } from './answer';

/** The names the features use for what an answer should be, and the rule set that judges it. */
const RESOURCE_RULES: Record<string, string | undefined> = {
  CapabilityStatement: undefined,
  'Find a patient response': ValidationProfile.findPatientBundle,
  // §5.5: "SHALL return a searchset Bundle profiled to GPConnect-Searchset-Bundle-1" (the OperationDefinition's `response`),
  // so meta.profile is required (PTEST: "the response meta profile should be for searchset"); Patient entries are
  // CareConnect-GPC-Patient-1 (spec-fidelity review M7).
  'Register a patient response': GpcProfile.searchsetBundle,
  'Free slots response': ValidationProfile.freeSlotsBundle,
  Appointment: undefined,
};

/** The answer has the status expected. */
export function status(answer: ProviderAnswer, expected: number): string[] {
  return answer.response.status === expected ? [] : [`${answer.asked} answered ${seen(answer)}; expected ${expected}`];
}

/** The answer is a valid `what` (a name the features use): one finding per validation issue. */
export function validResource(answer: ProviderAnswer, what: string): string[] {
  if (!(what in RESOURCE_RULES)) throw new Error(`no rule set for "${what}" (known: ${Object.keys(RESOURCE_RULES).join('; ')})`);
  if (!answer.body) return [`the answer to ${answer.asked} is not JSON: ${answer.response.body.slice(0, 200)}`];
  // entry.fullUrl is not required (STU3 0..1; "Providers SHOULD NOT populate Bundle.entry.fullUrl", a SHOULD left out of the failures).
  const issues = validateResource(answer.body, RESOURCE_RULES[what]);
  return issues.map((i) => `the answer to ${answer.asked} is not a valid ${what}: ${i.path}: ${i.message}`);
}

/**
 * "Providers SHOULD NOT populate `Bundle.entry.fullUrl`" (development_fhir_resource_guidance "Bundle.entry.fullUrl"):
 * the prose rule `full-url`, which validateResource leaves out of its failures unless asked (a SHOULD: this warns).
 */
export function noFullUrl(answer: ProviderAnswer, what: string): string[] {
  if (!(what in RESOURCE_RULES)) throw new Error(`no rule set for "${what}" (known: ${Object.keys(RESOURCE_RULES).join('; ')})`);
  if (!answer.body) return [];
  return validateResource(answer.body, RESOURCE_RULES[what], { includeShould: true })
    .filter((i) => i.rule === 'full-url')
    .map((i) => `the answer to ${answer.asked} populates ${i.path}`);
}

/**
 * The directives of a Cache-Control value (RFC 9111 §5.2: a comma-separated list, names
 * case-insensitive, some with `=value`): `no-cache, no-store` holds no-store.
 */
export function cacheDirectives(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((d) => d.split('=')[0].trim().toLowerCase())
    .filter(Boolean);
}

/** "Cache-Control: no-store" (development_general_api_guidance) among any other directives (PTEST ShouldContain, ref #82). */
export function noStore(answer: ProviderAnswer): string[] {
  const value = answer.response.headers['cache-control'];
  if (cacheDirectives(value).includes('no-store')) return [];
  return [`${answer.asked} answered with ${value === undefined ? 'no Cache-Control header' : `Cache-Control: ${value}`}, without the no-store directive`];
}

/** FHIR JSON labelled UTF-8: application/fhir+json;charset=utf-8 (a space before charset is allowed). */
export function fhirJson(answer: ProviderAnswer): string[] {
  const type = answer.response.headers['content-type'] ?? '';
  return /^application\/fhir\+json\s*;\s*charset=utf-8$/i.test(type) ? [] : [`${answer.asked} answered with Content-Type "${type}", not application/fhir+json;charset=utf-8`];
}

/** The capability statement declares the FHIR version expected. */
export function fhirVersion(answer: ProviderAnswer, version: string): string[] {
  const declared = answer.body?.fhirVersion;
  return declared === version ? [] : [`the capability statement declares FHIR version ${JSON.stringify(declared)}, not ${version}`];
}

/**
 * An answer carrying a resource has an ETag W/"[versionId]" (General API guidance, "Managing
 * resource contention": "servers SHALL always return an `ETag` header with each resource including
 * the resource's `versionId`", "prefixed with `W/` and enclosed in quotes"): without a versionId
 * there is nothing for it to carry.
 */
export function etagOfVersion(answer: ProviderAnswer): string[] {
  if (answer.response.status >= 300 || typeof answer.body?.resourceType !== 'string') return [`${answer.asked} answered ${answer.response.status} with no resource whose version an ETag could carry`];
  const etag = answer.response.headers['etag'];
  const version = answer.body.meta?.versionId;
  if (typeof version !== 'string' || version === '') return [`the ${answer.body.resourceType} answering ${answer.asked} has no meta.versionId for its ETag to carry`];
  if (!etag) return [`${answer.asked} answered without an ETag header; expected W/"${version ?? '[versionId]'}"`];
  const m = /^W\/"([^"]+)"$/.exec(etag);
  if (!m) return [`${answer.asked} answered with ETag ${etag}; expected W/"${version ?? '[versionId]'}" (the resource's versionId, prefixed W/ and quoted)`];
  return m[1] === version ? [] : [`${answer.asked} answered with ETag ${etag}; expected W/"${version}", the resource's versionId`];
}
