/** The parts every reference-provider fault is built from (faults.ts and the faults-*.ts catalogues). */
import { SpineError } from '../../gpconnect/constants';
import { gpcOutcome, type OperationOutcome } from '../../gpconnect/outcomes';
import { jsonOf, wholeResponse } from '../../gpconnect/whole-bodies';
/** What a fault sees: the request, and the answer the conformant provider would give. */
export interface FaultInput {
  request: Request;
  url: URL;
  response: Response;
}

export type Json = Record<string, any>;

export async function rewriteJson(response: Response, change: (body: Json) => Json | undefined, status?: number): Promise<Response> {
  const body = (await jsonOf(response)) as Json;
  const changed = change(body);
  if (!changed) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return wholeResponse(JSON.stringify(changed), { status: status ?? response.status, headers });
}

/** For faults that act elsewhere (the guard, the state): the answer is left as it is. */
/** The diagnostics of the first issue of an error answer ('' for a success, or a body that is not JSON). */
export async function diagnosticsOf(response: Response): Promise<string> {
  if (response.status < 400) return '';
  try {
    return String(((await jsonOf(response)) as Json)?.issue?.[0]?.diagnostics ?? '');
  } catch {
    return '';
  }
}

export const passThrough = async ({ response }: FaultInput) => response;

export const isSlotSearch = ({ request, url }: FaultInput) => request.method === 'GET' && url.pathname.endsWith('/Slot');
export const isBooking = ({ request, url }: FaultInput) => request.method === 'POST' && url.pathname.endsWith('/Appointment');
export const isFindPatient = ({ request, url }: FaultInput) => request.method === 'GET' && url.pathname.endsWith('/Patient');

export const isRegisterPatient = ({ request, url }: FaultInput) => request.method === 'POST' && url.pathname.endsWith('/Patient/$gpc.registerpatient');
export const isReadAppointment = ({ request, url }: FaultInput) => request.method === 'GET' && /\/Appointment\/[^/]+$/.test(url.pathname);

/** One entry of a fault catalogue: the requirement it breaks, what it does, and how. */
export interface FaultDefinition {
  breaks: string;
  what: string;
  apply: (input: FaultInput) => Promise<Response>;
  /** Let through what the provider's guard refused, when the refusal's diagnostics match. */
  bypassGuard?: RegExp;
}

/** The display each Spine code a recoded error is given (development_fhir_error_handling_guidance). */
const DISPLAY: Record<string, string> = {
  [SpineError.badRequest]: 'Bad request',
  [SpineError.invalidParameter]: 'Submitted parameter is not valid.',
  [SpineError.invalidResource]: 'Submitted resource is not valid.',
  [SpineError.invalidIdentifierSystem]: 'Invalid identifier system',
  [SpineError.invalidIdentifierValue]: 'Invalid identifier value',
  [SpineError.invalidNhsNumber]: 'NHS number invalid',
  [SpineError.patientNotFound]: 'Patient record not found',
  [SpineError.organisationNotFound]: 'Organisation record not found',
  [SpineError.practitionerNotFound]: 'Practitioner record not found',
  [SpineError.noRecordFound]: 'No record found',
};

/** A GP Connect error body for a fault's answer: the Spine code with its display (DISPLAY), as the provider's own errors are written. */
export function faultOutcome(issueCode: string, spineCode: string, diagnostics?: string): OperationOutcome {
  return gpcOutcome(issueCode, spineCode, DISPLAY[spineCode] ?? spineCode, diagnostics);
}

/** The Spine code of an error answer, or undefined. */
export async function spineCodeOf(response: Response): Promise<string | undefined> {
  if (response.status < 400) return undefined;
  try {
    return ((await jsonOf(response)) as Json).issue?.[0]?.details?.coding?.[0]?.code;
  } catch {
    return undefined;
  }
}

/**
 * An error answer `when` picks out, by the Spine code it was given and (when `why` is given) its
 * diagnostics, given again with another status and Spine code (same diagnostics), and with another
 * FHIR issue type when `issueCode` is given.
 */
export function recode(when: (input: FaultInput) => boolean, from: { code: string; why?: RegExp }, status: number, code: string, issueCode?: string) {
  return async (input: FaultInput): Promise<Response> => {
    if (!when(input) || (await spineCodeOf(input.response)) !== from.code) return input.response;
    if (from.why && !from.why.test(await diagnosticsOf(input.response))) return input.response;
    return rewriteJson(
      input.response,
      (body) => {
        const coding = body.issue[0].details.coding[0];
        body.issue[0].details.coding[0] = { ...coding, code, display: DISPLAY[code] ?? code };
        if (issueCode) body.issue[0].code = issueCode;
        return body;
      },
      status,
    );
  };
}
