/**
 * What the provider answered, as the judges read it: the recorded answer and the parts of it they
 * look at. Nothing here judges; a reader that finds nothing returns nothing.
 */
import { System } from '../../gpconnect/constants';
import { outcomeCode } from '../../gpconnect/outcomes';
import type { RawResponse } from '../../http/raw-client';

export type Json = Record<string, any>;

export interface ProviderAnswer {
  response: RawResponse;
  /** The parsed body (an XML answer read into JSON, src/fhir/xml.ts), or undefined when it is neither. */
  body?: Json;
  /** The format the body was read from. */
  format?: 'json' | 'xml';
  /** What was asked, for messages. */
  asked: string;
}

/** The resources of one type a Bundle holds. */
export function resourcesOf(bundle: Json | undefined, type: string): Json[] {
  return (bundle?.entry ?? []).map((e: Json) => e?.resource).filter((r: Json) => r?.resourceType === type);
}

/** The Patients of a Bundle answer (none when the answer is no Bundle). */
export function patientsIn(answer: ProviderAnswer): Json[] {
  return answer.body?.resourceType === 'Bundle' ? resourcesOf(answer.body, 'Patient') : [];
}

export function nhsNumberOf(patient: Json): string | undefined {
  return patient.identifier?.find((i: Json) => i.system === System.nhsNumber)?.value;
}

/** The Spine code of an OperationOutcome answer; undefined for any other answer. */
export function spineCodeOf(answer: ProviderAnswer): string | undefined {
  return answer.body?.resourceType === 'OperationOutcome' ? outcomeCode(answer.body).code : undefined;
}

/** What the answer was, for a finding: "404 NOT_FOUND: why", "200 Bundle", "500 (not JSON)". */
export function seen(answer: ProviderAnswer): string {
  const { status } = answer.response;
  if (answer.body?.resourceType === 'OperationOutcome') {
    const { code, diagnostics } = outcomeCode(answer.body);
    return `${status} ${code ?? 'without a Spine code'}${diagnostics ? `: ${diagnostics}` : ''}`;
  }
  return `${status} ${answer.body?.resourceType ?? '(not JSON)'}`;
}
