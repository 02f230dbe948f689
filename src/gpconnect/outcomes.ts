import { randomUUID } from 'node:crypto';
import { GpcProfile, Header, MediaType, SpineError, System } from './constants';
import { wholeResponse } from './whole-bodies';

/** A FHIR OperationOutcome as JSON. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  id?: string;
  meta?: { profile: string[] };
  issue: Array<{
    severity: string;
    code: string;
    details?: { coding: Array<{ system?: string; version?: string; code: string; display?: string }> };
    diagnostics?: string;
  }>;
}

export function fhirJson(body: unknown, status = 200, headers: Record<string, string> = {}, contentType: string = MediaType.fhirJson): Response {
  return fhirJsonAnswer(fhirJsonText(body), status, headers, contentType);
}

/** A resource as Spine in a box writes it on the wire. */
export function fhirJsonText(body: unknown): string {
  return JSON.stringify(body, null, 2);
}

/** An answer whose FHIR JSON is already written (fhirJsonText): one kept from before, say. */
export function fhirJsonAnswer(text: string, status = 200, headers: Record<string, string> = {}, contentType: string = MediaType.fhirJson): Response {
  // The platform's Response: MSW's handlers take it as it is, and the spec's names need no mock library.
  return wholeResponse(text, {
    status,
    headers: { [Header.contentType]: contentType, ...headers },
  });
}

/** PDS FHIR R4 error (pds-sds.md §1.5: the Karate stubs are authoritative). */
export function pdsOutcome(code: string, issueCode: string, display: string, severity = 'error', diagnostics?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code: issueCode,
        details: { coding: [{ system: System.spineErrorCodeR4, version: '1', code, display }] },
        ...(diagnostics ? { diagnostics } : {}),
      },
    ],
  };
}

/** SDS FHIR API error (pds-sds.md §2.4): id is the correlation id, STU3 ValueSet system. */
export function sdsOutcome(correlationId: string, issueCode: string, code: string, display: string, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id: correlationId,
    issue: [
      {
        severity: 'error',
        code: issueCode,
        details: { coding: [{ system: System.spineErrorCodeStu3ValueSet, code, display }] },
        diagnostics,
      },
    ],
  };
}

/**
 * The SSP's own error body (gpconnect-spec.md §2.4): not GP Connect-profiled; `details.coding.code`
 * is the HTTP status as a string and `display` and `diagnostics` carry the Spine message.
 */
export function sspOutcome(status: number, issueCode: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id: randomUUID().toUpperCase(),
    issue: [
      {
        code: issueCode,
        severity: 'error',
        details: { coding: [{ code: String(status), display: message, system: System.sspResponseCode }] },
        diagnostics: message,
      },
    ],
  };
}

/** The SSP 405 body is shaped differently in the spec (issue code forbidden, severity fatal): kept as the example shows. */
export function sspMethodNotAllowedOutcome(): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        code: 'forbidden',
        severity: 'fatal',
        details: { coding: [{ code: '405', system: System.spineOperationOutcome, display: '405: Method Not Allowed' }] },
      },
    ],
  };
}


/** A GP Connect provider error (gpconnect-spec.md §6), with the CodeSystem URL the profile fixes. */
export function gpcOutcome(issueCode: string, spineCode: string, display: string, diagnostics?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    meta: { profile: [GpcProfile.operationOutcome] },
    issue: [
      {
        severity: 'error',
        code: issueCode,
        details: { coding: [{ system: System.spineErrorCodeStu3, code: spineCode, display }] },
        ...(diagnostics ? { diagnostics } : {}),
      },
    ],
  };
}

/** A provider's body for a request its server refuses before any handler runs (serve.ts): malformed, too large, too slow. */
export function gpcTransportError(status: number, message: string): OperationOutcome {
  if (status === 404) return gpcOutcome('not-found', SpineError.noRecordFound, 'No record found', message);
  if (status >= 500) return gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', message);
  return gpcOutcome('invalid', SpineError.badRequest, 'Bad request', message);
}

/** Read the Spine/SSP code out of an OperationOutcome (first issue, first coding). */
export function outcomeCode(body: unknown): { code?: string; display?: string; system?: string; diagnostics?: string } {
  const oo = body as OperationOutcome | undefined;
  const issue = oo?.issue?.[0];
  const coding = issue?.details?.coding?.[0];
  return { code: coding?.code, display: coding?.display, system: coding?.system, diagnostics: issue?.diagnostics };
}
