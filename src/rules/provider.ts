import assert from 'node:assert/strict';
import { GpcProfile, System, ValidationProfile } from '../gpconnect/constants';
import { validateResource } from '../fhir/validate';
import type { RawResponse } from '../http/raw-client';
import { outcomeCode } from '../gpconnect/outcomes';

export interface ProviderAnswer {
  response: RawResponse;
  /** The parsed body, or undefined when it is not JSON. */
  body?: Record<string, any>;
  /** What was asked, for messages. */
  asked: string;
}

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

export function assertValid(answer: ProviderAnswer, what: string): void {
  assert.ok(what in RESOURCE_RULES, `no rule set for "${what}"`);
  assert.ok(answer.body, `the answer to ${answer.asked} is not JSON: ${answer.response.body.slice(0, 200)}`);
  // entry.fullUrl is not required: "Providers SHOULD NOT populate Bundle.entry.fullUrl" (development_fhir_resource_guidance.md,
  // 1.2.3), STU3 makes it 0..1 and the spec's own find-patient and free-slot examples have none. Said here, not left to the default.
  const issues = validateResource(answer.body, RESOURCE_RULES[what], { requireFullUrl: false });
  assert.deepEqual(issues.map((i) => `${i.path}: ${i.message}`), [], `the answer to ${answer.asked} is not a valid ${what}`);
}

export function assertStatus(answer: ProviderAnswer, status: number): void {
  const code = answer.body?.resourceType === 'OperationOutcome' ? ` ${outcomeCode(answer.body).code}: ${outcomeCode(answer.body).diagnostics ?? ''}` : '';
  assert.equal(answer.response.status, status, `${answer.asked} answered ${answer.response.status}${code}`);
}

/**
 * PROV-ERROR-SYSTEM and the code: a GPConnect-OperationOutcome-1 with the Spine CodeSystem (§6), or the ValueSet URL
 * every 1.2.x error example uses (§9 conflict 1; accepted by the validator's default).
 */
export function assertRefusedWith(answer: ProviderAnswer, status: number, spineCode: string): void {
  assertStatus(answer, status);
  assert.ok(answer.body, `the error answer to ${answer.asked} is not JSON`);
  const issues = validateResource(answer.body, GpcProfile.operationOutcome);
  assert.deepEqual(issues.map((i) => `${i.path}: ${i.message}`), [], `PROV-ERROR-SYSTEM: the error answer to ${answer.asked} is not a GPConnect-OperationOutcome-1`);
  assert.equal(outcomeCode(answer.body).code, spineCode, `${answer.asked} was refused with another Spine code`);
}

/** One refusal the sources allow: a status and the Spine codes that may come with it. */
export interface Refusal {
  status: number;
  codes: string[];
}

/**
 * The refusals a feature lists, "400 BAD_REQUEST, 422 INVALID_PARAMETER, 422 INVALID_RESOURCE":
 * where the spec names no code, or the sources name different ones (§9), each is accepted.
 */
export function parseRefusals(text: string): Refusal[] {
  const refusals: Refusal[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([1-5][0-9]{2}) ([A-Z_ ]+)$/.exec(part);
    if (!match) throw new Error(`"${part}" is not "<status> <SPINE_CODE>" (in "${text}")`);
    const status = Number(match[1]);
    const same = refusals.find((r) => r.status === status);
    if (same) same.codes.push(match[2]);
    else refusals.push({ status, codes: [match[2]] });
  }
  return refusals;
}

/** A GPConnect-OperationOutcome-1 refusal (§6) with one of the status and code pairs given. */
export function assertRefusedWithOneOf(answer: ProviderAnswer, refusals: Refusal[]): void {
  const allowed = refusals.map((r) => `${r.status} ${r.codes.join(' or ')}`).join('; or ');
  const status = answer.response.status;
  const refusal = refusals.find((r) => r.status === status);
  const seen = answer.body?.resourceType === 'OperationOutcome' ? ` ${outcomeCode(answer.body).code ?? 'without a Spine code'}` : '';
  assert.ok(refusal, `${answer.asked} answered ${status}${seen}; expected a refusal with ${allowed}`);
  assert.ok(answer.body, `the error answer to ${answer.asked} is not JSON`);
  const issues = validateResource(answer.body, GpcProfile.operationOutcome);
  assert.deepEqual(issues.map((i) => `${i.path}: ${i.message}`), [], `PROV-ERROR-SYSTEM: the error answer to ${answer.asked} is not a GPConnect-OperationOutcome-1`);
  const code = outcomeCode(answer.body).code;
  assert.ok(code !== undefined && refusal.codes.includes(code), `${answer.asked} was refused ${status} with ${code ?? 'no Spine code'}; expected ${allowed}`);
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

/** PROV-NO-STORE: "Cache-Control: no-store" (development_general_api_guidance) among any other directives (PTEST ShouldContain, ref #82). */
export function assertNoStore(answer: ProviderAnswer): void {
  const value = answer.response.headers['cache-control'];
  assert.ok(cacheDirectives(value).includes('no-store'), `PROV-NO-STORE: ${answer.asked} answered with ${value === undefined ? 'no Cache-Control header' : `Cache-Control: ${value}`}, without the no-store directive`);
}

export function patientsIn(answer: ProviderAnswer): Array<Record<string, any>> {
  assert.equal(answer.body?.resourceType, 'Bundle', `${answer.asked} did not answer with a Bundle`);
  return (answer.body?.entry ?? []).map((e: any) => e.resource).filter((r: any) => r?.resourceType === 'Patient');
}

export function nhsNumberOf(patient: Record<string, any>): string | undefined {
  return patient.identifier?.find((i: any) => i.system === System.nhsNumber)?.value;
}

