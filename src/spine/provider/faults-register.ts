/**
 * Reference-provider faults for Register a patient as the official suite checks it (the minimum,
 * the Parameters, address and telecom uses, what the page lets a consumer add, the PDS verification
 * and the echo of what was sent): see faults.ts for how they are used and proven.
 */
import { GpcExtension, GpcProfile, REGISTER_PATIENT_PARAMETER, SpineError } from '../../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import { loadPatients } from '../patients';
import type { PdsPatient } from '../directory/model';
import { diagnosticsOf, isRegisterPatient, rewriteJson, spineCodeOf, type FaultDefinition, type FaultInput, type Json } from './fault-kit';

/** The Patient the consumer sent (the first registerPatient parameter), or an empty one. */
async function sentPatient(input: FaultInput): Promise<Json> {
  try {
    const body = (await input.request.clone().json()) as Json;
    return (body.parameter ?? []).find((p: Json) => p.name === REGISTER_PATIENT_PARAMETER)?.resource ?? {};
  } catch {
    return {};
  }
}

/**
 * What a provider that skipped a refusal would answer: 200 with a searchset Bundle holding the
 * Patient it was sent, as a temporary registration (the shape of a real success, §5.5).
 */
function registeredAnyway(sent: Json, answer: Response): Response {
  const registered = {
    ...sent,
    resourceType: 'Patient',
    id: 'registered-anyway',
    meta: { versionId: '1', profile: [GpcProfile.patient] },
    extension: [{ url: GpcExtension.registrationDetails, extension: [{ url: 'registrationType', valueCodeableConcept: { coding: [{ system: GpcExtension.registrationTypeSystem, code: 'T' }] } }] }],
  };
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ resourceType: 'Bundle', meta: { profile: [GpcProfile.searchsetBundle] }, type: 'searchset', entry: [{ resource: registered }] }), { status: 200, headers });
}

/** A Register a patient refusal with `code` (and diagnostics matching `why`, when given), answered as a registration of what was sent. */
export function registersDespite(code: string, why?: RegExp): FaultDefinition['apply'] {
  return async (input) => {
    if (!isRegisterPatient(input) || input.response.status < 400) return input.response;
    if ((await spineCodeOf(input.response)) !== code) return input.response;
    if (why && !why.test(await diagnosticsOf(input.response))) return input.response;
    return registeredAnyway(await sentPatient(input), input.response);
  };
}

/** A registration the provider made, refused instead when the Patient sent is `refused` (a stricter provider). */
function refusesWhen(refused: (sent: Json) => boolean, status: number, code: string, display: string, why: string): FaultDefinition['apply'] {
  return async (input) => {
    if (!isRegisterPatient(input) || input.response.status !== 200 || !refused(await sentPatient(input))) return input.response;
    return fhirJson(gpcOutcome(status === 422 ? 'invalid' : 'business-rule', code, display, why), status);
  };
}

let pds: PdsPatient[] | undefined;
const pdsBirthDate = (sent: Json): string | undefined => {
  const nhsNumber = ((sent.identifier ?? []) as Json[]).find((i) => typeof i.value === 'string')?.value;
  return (pds ??= loadPatients()).find((p) => p.nhsNumber === nhsNumber)?.birthDate;
};

export const REGISTER_FAULTS = {
  'registers-without-birth-date': {
    breaks: 'PROV-REGISTER-MINIMUM',
    what: 'registers a Patient sent without a birthDate (it traces PDS by NHS number alone)',
    apply: registersDespite(SpineError.badRequest, /birthDate is required/),
  },
  'registers-first-of-duplicated-parameter': {
    breaks: 'PROV-REGISTER-PARAMETERS',
    what: 'registers the first of two registerPatient parameters instead of refusing the Parameters',
    apply: registersDespite(SpineError.badRequest, /parameter appears \d+ times/),
  },
  'accepts-any-address-use': {
    breaks: 'PROV-REGISTER-CARDINALITY',
    what: 'registers addresses of any use and number (work, old, two home addresses) instead of refusing them',
    apply: registersDespite(SpineError.invalidResource, /at most one home address and one temp address/),
  },
  'accepts-repeated-telecom-use': {
    breaks: 'PROV-REGISTER-CARDINALITY',
    what: 'registers two telecoms of the same use (two home phones, two emails) instead of refusing them',
    apply: registersDespite(SpineError.badRequest, /more than one telecom/),
  },
  'registers-superseded': {
    breaks: 'PROV-REGISTER-SUPERSEDED',
    what: 'registers an NHS number PDS holds as superseded instead of answering INVALID_NHS_NUMBER',
    apply: registersDespite(SpineError.invalidNhsNumber, /as superseded/),
  },
  'requires-gender': {
    breaks: 'PROV-REGISTER',
    what: 'refuses a Patient sent without gender (a SHOULD for the consumer) with 400 BAD_REQUEST instead of taking it from PDS',
    apply: refusesWhen((p) => p.gender === undefined, 400, SpineError.badRequest, 'Bad request', 'Patient.gender is required'),
  },
  'refuses-temporary-address': {
    breaks: 'PROV-REGISTER',
    what: 'refuses a temporary address (a MAY for the consumer) with 422 INVALID_RESOURCE',
    apply: refusesWhen((p) => ((p.address ?? []) as Json[]).some((a) => a.use === 'temp'), 422, SpineError.invalidResource, 'Submitted resource is not valid.', 'address use temp is not supported'),
  },
  'verifies-birth-date-exactly': {
    breaks: 'PROV-REGISTER-VERIFIED',
    what: 'treats an NHS number as not verified unless the birth date matches PDS exactly (ignores the 2 of 3 parts rule)',
    apply: refusesWhen((p) => pdsBirthDate(p) !== undefined && pdsBirthDate(p) !== p.birthDate, 400, SpineError.invalidPatientDemographics, 'Invalid patient demographics (that is, PDS trace failed)', 'birth date does not match PDS'),
  },
  'drops-temporary-details': {
    breaks: 'PROV-REGISTER-ECHO',
    what: 'registers the patient but returns (and keeps) none of the temporary address and telecom details sent',
    apply: async (input: FaultInput) =>
      isRegisterPatient(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => {
            for (const e of b.entry ?? []) {
              const p = e.resource;
              if (p?.address) p.address = p.address.filter((a: Json) => a.use !== 'temp');
              if (p?.telecom) p.telecom = p.telecom.filter((t: Json) => t.use !== 'temp');
            }
            return b;
          })
        : input.response,
  },
} as const satisfies Record<string, FaultDefinition>;
