/**
 * The judges of a refusal. A refusal was due: an answer that is no refusal (2xx, or a server error)
 * is a plain finding; a refusal with another 4xx status or another Spine code than expected is
 * about the exact code only (`exactOnly`: a warning where the code comes from outside the spec,
 * src/rules/rule.ts). The shape of the error (a GPConnect-OperationOutcome-1, §6) is its own
 * requirement, judged apart by `errorShape`.
 */
import { GpcProfile } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import { exactOnly, type Finding } from '../rule';
import { seen, spineCodeOf, type ProviderAnswer } from './answer';

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

const isRefusal = (status: number) => status >= 400 && status < 500;

/**
 * A refusal with one of the status and code pairs given. A refusal whose error is not an
 * OperationOutcome has no code to judge here: `errorShape` finds it.
 */
export function refusedWithOneOf(answer: ProviderAnswer, refusals: Refusal[]): Finding[] {
  const allowed = refusals.map((r) => `${r.status} ${r.codes.join(' or ')}`).join('; or ');
  const { status } = answer.response;
  if (!isRefusal(status)) return [{ text: `${answer.asked} answered ${seen(answer)}; expected a refusal with ${allowed}` }];
  const code = spineCodeOf(answer);
  const refusal = refusals.find((r) => r.status === status);
  if (refusal && (answer.body?.resourceType !== 'OperationOutcome' || (code !== undefined && refusal.codes.includes(code)))) return [];
  return [exactOnly(`${answer.asked} was refused ${status} with ${code ?? 'no Spine code'}; expected ${allowed}`)];
}

/** A refusal with the status and one of the Spine codes (where the sources give different codes for the same mistake, §9). */
export function refusedWith(answer: ProviderAnswer, status: number, ...codes: string[]): Finding[] {
  return refusedWithOneOf(answer, [{ status, codes }]);
}

/**
 * An error answer is a GPConnect-OperationOutcome-1 with the Spine CodeSystem (§6), or the ValueSet
 * URL every 1.2.x error example uses (§9 conflict 1; accepted by the validator's default). An answer
 * that is no error has no shape to judge: the refusal judge finds it.
 */
export function errorShape(answer: ProviderAnswer): string[] {
  if (answer.response.status < 400) return [];
  if (!answer.body) return [`the error answer to ${answer.asked} (${answer.response.status}) is not JSON`];
  return validateResource(answer.body, GpcProfile.operationOutcome).map((i) => `the error answer to ${answer.asked} is not a GPConnect-OperationOutcome-1: ${i.path}: ${i.message}`);
}

/** The error answer is an OperationOutcome at all (what a refusal the HTTP layer makes, such as 415, is held to). */
export function isOperationOutcome(answer: ProviderAnswer): string[] {
  return answer.body?.resourceType === 'OperationOutcome' ? [] : [`${answer.asked} answered ${answer.response.status} with ${answer.body?.resourceType ?? 'a body that is not JSON'}, not an OperationOutcome`];
}
