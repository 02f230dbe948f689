/**
 * The judges of the capability statement's content (foundations_use_case_get_the_fhir_capability_statement:
 * the spec's template, "ready for customisation", and the official FHIR.feature / ConformanceSteps.cs
 * checks). Each returns its findings, one sentence each; none names the requirement.
 */
import type { Json, ProviderAnswer } from './answer';

/** The statement's `rest` entries (server mode), or none when the answer is no CapabilityStatement. */
function restsOf(answer: ProviderAnswer): Json[] {
  const body = answer.body;
  if (body?.resourceType !== 'CapabilityStatement') return [];
  return (Array.isArray(body.rest) ? body.rest : []).filter((r: Json) => r && typeof r === 'object');
}

const notAStatement = (answer: ProviderAnswer) => `the answer to ${answer.asked} is no CapabilityStatement`;

/** A canonical reference, with or without its version history (`…-1` or `…-1/_history/1.8`), names `url`. */
const names = (reference: unknown, url: string) => typeof reference === 'string' && (reference === url || reference.startsWith(`${url}/_history/`));

/**
 * `version` is one of the GP Connect releases given: the page says it "should represent the GP Connect
 * specification version which the FHIR server implements"; its template (even on 1.2.9) and the
 * official tests (App.config gpConnectSpecVersion) say 1.2.7.
 */
export function statementVersion(answer: ProviderAnswer, releases: string[]): string[] {
  if (answer.body?.resourceType !== 'CapabilityStatement') return [notAStatement(answer)];
  const version = answer.body.version;
  return releases.includes(version) ? [] : [`the capability statement's version is ${JSON.stringify(version)}, not a GP Connect release it may implement (${releases.join(', ')})`];
}

/** A template placeholder left in: "[Provider Software Name]". */
const placeholder = (v: unknown) => typeof v === 'string' && /^\s*\[.*\]\s*$/.test(v);

/** `software.name` and `software.version` present and filled in (ConformanceSteps.cs "Software should be valid"; the template's square brackets replaced). */
export function statementSoftware(answer: ProviderAnswer): string[] {
  if (answer.body?.resourceType !== 'CapabilityStatement') return [notAStatement(answer)];
  const software: Json = answer.body.software ?? {};
  const findings: string[] = [];
  for (const part of ['name', 'version'] as const) {
    const value = software[part];
    if (typeof value !== 'string' || value.trim() === '') findings.push(`the capability statement names no software ${part}`);
    else if (placeholder(value)) findings.push(`the capability statement's software ${part} is the template's placeholder ${JSON.stringify(value)}`);
  }
  return findings;
}

/** `profile` holds a reference to `url` (ConformanceSteps.cs: the reference, with or without version history). */
export function statementProfile(answer: ProviderAnswer, url: string): string[] {
  if (answer.body?.resourceType !== 'CapabilityStatement') return [notAStatement(answer)];
  const profiles: Json[] = Array.isArray(answer.body.profile) ? answer.body.profile : [];
  return profiles.some((p) => names(p?.reference, url)) ? [] : [`the capability statement's profiles do not include ${url}`];
}

/** A server `rest` entry declares `type` with the interaction `code` (ConformanceSteps.cs "REST Resources should contain … Interaction"). */
export function statementInteraction(answer: ProviderAnswer, type: string, code: string): string[] {
  const rests = restsOf(answer);
  if (rests.length === 0) return [answer.body?.resourceType === 'CapabilityStatement' ? 'the capability statement declares no rest capabilities' : notAStatement(answer)];
  const resources = rests.flatMap((r) => (Array.isArray(r.resource) ? r.resource : [])).filter((r: Json) => r?.type === type);
  if (resources.length === 0) return [`the capability statement declares no ${type} resource`];
  const declared = resources.some((r: Json) => (Array.isArray(r.interaction) ? r.interaction : []).some((i: Json) => i?.code === code));
  return declared ? [] : [`the capability statement declares ${type} without the ${code} interaction`];
}

/** A `rest` entry declares the operation `name` defined by `definition` (with or without version history). */
export function statementOperation(answer: ProviderAnswer, name: string, definition: string): string[] {
  const rests = restsOf(answer);
  if (rests.length === 0) return [answer.body?.resourceType === 'CapabilityStatement' ? 'the capability statement declares no rest capabilities' : notAStatement(answer)];
  const operations: Json[] = rests.flatMap((r) => (Array.isArray(r.operation) ? r.operation : [])).filter((o: Json) => o?.name === name);
  if (operations.length === 0) return [`the capability statement declares no ${name} operation`];
  return operations.some((o) => names(o.definition?.reference, definition)) ? [] : [`the capability statement's ${name} operation is not defined by ${definition}`];
}

/** The `type` resource declares each search include of `includes` (ConformanceSteps.cs "has a searchInclude called …"). */
export function statementSearchIncludes(answer: ProviderAnswer, type: string, includes: string[]): string[] {
  const rests = restsOf(answer);
  if (rests.length === 0) return [answer.body?.resourceType === 'CapabilityStatement' ? 'the capability statement declares no rest capabilities' : notAStatement(answer)];
  const declared = new Set<string>(
    rests
      .flatMap((r) => (Array.isArray(r.resource) ? r.resource : []))
      .filter((r: Json) => r?.type === type)
      .flatMap((r: Json) => (Array.isArray(r.searchInclude) ? r.searchInclude : [])),
  );
  return includes.filter((i) => !declared.has(i)).map((i) => `the capability statement's ${type} resource does not declare the search include ${i}`);
}
