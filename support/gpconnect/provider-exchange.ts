import assert from 'node:assert/strict';
import { GpcProfile, System, ValidationProfile } from '../constants';
import { validateResource } from '../fhir/validate';
import type { RawResponse } from '../http/raw-client';
import { outcomeCode } from '../spine/outcomes';
import type { SpineInABox } from '../spine/spine';
import { sendRaw } from '../http/raw-client';
import { decodeJwt, encodeUnsecuredJwt } from '../spine/jwt';
import { prepareRequest, sendThroughSsp, setHeader } from './ssp-exchange';

/** The consumer the harness plays when it tests a provider: the urgent care centre, which shares with every practice. */
export const HARNESS_CONSUMER_ASID = '200000000359';

export interface ProviderAnswer {
  response: RawResponse;
  /** The parsed body, or undefined when it is not JSON. */
  body?: Record<string, any>;
  /** What was asked, for messages. */
  asked: string;
}

/** Send one GP Connect interaction to the provider under test through the SSP, as a conformant consumer would. */
export async function askProvider(spine: SpineInABox, practice: string, operation: string, relativeTarget?: string, sendBody?: unknown): Promise<ProviderAnswer> {
  const prepared = await prepareRequest(spine, operation, HARNESS_CONSUMER_ASID, practice);
  if (relativeTarget !== undefined) prepared.relativeTarget = relativeTarget;
  if (sendBody !== undefined) prepared.body = JSON.stringify(sendBody);
  const response = await sendThroughSsp(spine, prepared);
  let body: Record<string, any> | undefined;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return { response, body, asked: `${prepared.method} ${prepared.relativeTarget}` };
}

/** The names the features use for what an answer should be, and the rule set that judges it. */
const RESOURCE_RULES: Record<string, string | undefined> = {
  CapabilityStatement: undefined,
  'Find a patient response': ValidationProfile.findPatientBundle,
  'Free slots response': ValidationProfile.freeSlotsBundle,
  Appointment: undefined,
};

export function assertValid(answer: ProviderAnswer, what: string): void {
  assert.ok(what in RESOURCE_RULES, `no rule set for "${what}"`);
  assert.ok(answer.body, `the answer to ${answer.asked} is not JSON: ${answer.response.body.slice(0, 200)}`);
  // The spec's own find-patient and free-slot examples have no entry.fullUrl, and STU3 makes it 0..1: not required.
  const issues = validateResource(answer.body, RESOURCE_RULES[what], { requireFullUrl: false });
  assert.deepEqual(issues.map((i) => `${i.path}: ${i.message}`), [], `the answer to ${answer.asked} is not a valid ${what}`);
}

export function assertStatus(answer: ProviderAnswer, status: number): void {
  const code = answer.body?.resourceType === 'OperationOutcome' ? ` ${outcomeCode(answer.body).code}: ${outcomeCode(answer.body).diagnostics ?? ''}` : '';
  assert.equal(answer.response.status, status, `${answer.asked} answered ${answer.response.status}${code}`);
}

/** PROV-ERROR-SYSTEM and the code: a GPConnect-OperationOutcome-1 with the Spine CodeSystem (§6). */
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

/** How a step spoils a request sent straight to the provider (as if the SSP had forwarded it). */
export interface DirectSpoil {
  removeHeader?: string;
  setHeader?: [string, string];
  /** Changes to the JWT claims; `exp`/`iat` given as seconds relative to now. */
  claims?: Record<string, unknown>;
}

/**
 * Send an interaction straight to the provider's service root, as the SSP forwards it, so that
 * the provider's own checks of the Ssp-* headers and the JWT can be judged (the SSP would refuse
 * most of these requests itself; gpconnect-spec.md §2.3 "Provider must still check").
 */
export async function askProviderDirectly(spine: SpineInABox, practice: string, operation: string, spoil: DirectSpoil = {}): Promise<ProviderAnswer> {
  const prepared = await prepareRequest(spine, operation, HARNESS_CONSUMER_ASID, practice);
  if (spoil.removeHeader) setHeader(prepared, spoil.removeHeader, undefined);
  if (spoil.setHeader) setHeader(prepared, spoil.setHeader[0], spoil.setHeader[1]);
  if (spoil.claims) {
    const auth = prepared.headers.find(([n]) => n.toLowerCase() === 'authorization')![1];
    const payload = decodeJwt(auth.replace(/^Bearer /, '')).payload ?? {};
    setHeader(prepared, 'Authorization', `Bearer ${encodeUnsecuredJwt({ ...payload, ...spoil.claims })}`);
  }
  const live = new URL(spine.urls.providers[practice]);
  const response = await sendRaw({ origin: live.origin, target: live.pathname + prepared.relativeTarget, method: prepared.method, headers: prepared.headers, body: prepared.body, timeoutMs: 15_000 });
  await spine.journal.settled();
  let body: Record<string, any> | undefined;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return { response, body, asked: `${prepared.method} ${prepared.relativeTarget} sent directly` };
}
