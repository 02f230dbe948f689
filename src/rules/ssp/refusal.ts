/** The SSP's judges of its own refusals: the status and reason, and an error no one caches (development_fhir_error_handling_guidance). */
import { ValidationProfile } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import { outcomeCode } from '../../gpconnect/outcomes';
import type { RawResponse } from '../../http/raw-client';
import { exactOnly, type Finding } from '../rule';
import { answered } from './seen';

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const isOutcome = (body: unknown) => typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';

/**
 * The SSP refused with this status, in an OperationOutcome naming this reason. The status is the
 * rule; the reason alone at odds is a finding about the exact value (a warning where the
 * requirement's display is not the spec's).
 */
export function refusedWith(response: RawResponse, status: number, display: string): Finding[] {
  const body = parsed(response.body);
  if (response.status !== status) {
    const seen = isOutcome(body) ? `${response.status} ${outcomeCode(body).display ?? '(no display)'}` : answered(response);
    return [{ text: `expected the SSP to refuse with ${status} "${display}", it answered ${seen}` }];
  }
  if (!isOutcome(body)) return [{ text: `expected the SSP's ${status} to carry an OperationOutcome, its body was ${body === undefined ? 'not JSON' : 'another resource'}: ${response.body.slice(0, 200)}` }];
  // The SSP's own errors are STU3 OperationOutcomes without the GP Connect profile (development_fhir_error_handling_guidance, SSP errors).
  const invalid = validateResource(body, ValidationProfile.baseOperationOutcome).map((i) => ({ text: `the SSP's ${status} is not a valid STU3 OperationOutcome: ${i.path}: ${i.message}` }));
  if (invalid.length > 0) return invalid;
  const got = outcomeCode(body).display;
  return got === display ? [] : [exactOnly(`expected the SSP's ${status} to name the reason "${display}", it named ${got === undefined ? 'none' : `"${got}"`}`)];
}

/** An error of the SSP's own carries its HTTP status as the code and Cache-Control: no-store. */
export function errorNeverCached(response: RawResponse): string[] {
  if (response.status < 400) return [];
  const body = parsed(response.body);
  const findings: string[] = [];
  if (isOutcome(body)) {
    const { code } = outcomeCode(body);
    if (code !== String(response.status)) findings.push(`expected the SSP's ${response.status} to carry the code ${response.status}, it carried ${code === undefined ? 'none' : code}`);
  }
  const cache = response.headers['cache-control'];
  if (cache !== 'no-store') findings.push(`expected the SSP's ${response.status} to carry Cache-Control: no-store, it carried ${cache === undefined ? 'none' : cache}`);
  return findings;
}
