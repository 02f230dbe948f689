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

export function patientsIn(answer: ProviderAnswer): Array<Record<string, any>> {
  assert.equal(answer.body?.resourceType, 'Bundle', `${answer.asked} did not answer with a Bundle`);
  return (answer.body?.entry ?? []).map((e: any) => e.resource).filter((r: any) => r?.resourceType === 'Patient');
}

export function nhsNumberOf(patient: Record<string, any>): string | undefined {
  return patient.identifier?.find((i: any) => i.system === System.nhsNumber)?.value;
}

