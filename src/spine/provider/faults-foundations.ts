import { GpcExtension, GpcProfile, REGISTER_PATIENT_PARAMETER } from '../../gpconnect/constants';
import { isRegisterPatient, passThrough, type FaultDefinition, type FaultInput, type Json } from './fault-kit';

/** The Spine code of an OperationOutcome answer, or undefined. */
async function spineCode(response: Response): Promise<string | undefined> {
  try {
    return ((await response.clone().json()) as Json).issue?.[0]?.details?.coding?.[0]?.code;
  } catch {
    return undefined;
  }
}

/**
 * What a provider that skipped a refusal would answer: 200 with a searchset Bundle holding the
 * Patient it was sent, as a temporary registration (the shape of a real success, §5.5).
 */
async function registeredAnyway(input: FaultInput, status = 200): Promise<Response> {
  let patient: Json = {};
  try {
    const body = (await input.request.clone().json()) as Json;
    patient = (body.parameter ?? []).find((p: Json) => p.name === REGISTER_PATIENT_PARAMETER)?.resource ?? {};
  } catch {
    // keep the empty Patient
  }
  const registered = {
    ...patient,
    id: 'registered-anyway',
    meta: { versionId: '1', profile: [GpcProfile.patient] },
    extension: [
      {
        url: GpcExtension.registrationDetails,
        extension: [{ url: 'registrationType', valueCodeableConcept: { coding: [{ system: GpcExtension.registrationTypeSystem, code: 'T' }] } }],
      },
    ],
  };
  const bundle = { resourceType: 'Bundle', meta: { profile: [GpcProfile.searchsetBundle] }, type: 'searchset', entry: [{ resource: registered }] };
  const headers = new Headers(input.response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(bundle), { status, headers });
}

/** A Register a patient refusal with `code` (and diagnostics matching `why`, when given) becomes a registration. */
function registersDespite(code: string, why?: RegExp): FaultDefinition['apply'] {
  return async (input) => {
    if (!isRegisterPatient(input) || input.response.status < 400) return input.response;
    if ((await spineCode(input.response)) !== code) return input.response;
    if (why) {
      const diagnostics = ((await input.response.clone().json()) as Json).issue?.[0]?.diagnostics ?? '';
      if (!why.test(diagnostics)) return input.response;
    }
    return registeredAnyway(input);
  };
}

/** Reference-provider faults for Register a patient, and the provider-side Ssp-* header and JWT checks (see faults.ts for how they are used and proven). */
export const FOUNDATION_AND_GUARD_FAULTS = {
  'register-returns-201': {
    breaks: 'PROV-REGISTER',
    what: 'answers a successful registration with 201 Created, as a FHIR create would, instead of 200',
    apply: async (input: FaultInput) => (isRegisterPatient(input) && input.response.status === 200 ? new Response(input.response.body, { status: 201, headers: input.response.headers }) : input.response),
  },
  'registers-duplicate': {
    breaks: 'PROV-REGISTER-DUPLICATE',
    what: 'registers a patient it already holds as active again instead of answering 409 DUPLICATE_REJECTED',
    apply: registersDespite('DUPLICATE_REJECTED'),
  },
  'registers-without-pds-trace': {
    breaks: 'PROV-REGISTER-NOT-ON-PDS',
    what: 'registers a patient PDS does not hold, on the demographics the consumer sent',
    apply: registersDespite('INVALID_PATIENT_DEMOGRAPHICS', /is not on PDS/),
  },
  'registers-deceased': {
    breaks: 'PROV-REGISTER-DECEASED',
    what: 'registers a patient PDS records as deceased',
    apply: registersDespite('INVALID_PATIENT_DEMOGRAPHICS', /deceased/),
  },
  'registers-sensitive': {
    breaks: 'PROV-REGISTER-SENSITIVE',
    what: 'registers a patient PDS records as sensitive (restricted)',
    apply: registersDespite('INVALID_PATIENT_DEMOGRAPHICS', /sensitive/),
  },
  'register-invalid-nhs-as-422': {
    breaks: 'PROV-REGISTER-INVALID-NHS',
    what: 'answers a registration with an invalid NHS number with 422 INVALID_RESOURCE instead of 400 INVALID_NHS_NUMBER',
    apply: async (input: FaultInput) => {
      if (!isRegisterPatient(input) || (await spineCode(input.response)) !== 'INVALID_NHS_NUMBER') return input.response;
      const body = (await input.response.clone().json()) as Json;
      body.issue[0].code = 'invalid';
      body.issue[0].details.coding[0] = { ...body.issue[0].details.coding[0], code: 'INVALID_RESOURCE', display: 'Submitted resource is not valid.' };
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: 422, headers });
    },
  },
  'register-ignores-extra-elements': {
    breaks: 'PROV-REGISTER-DISALLOWED',
    what: 'registers a Patient carrying elements a consumer must not send (active, maritalStatus, contact…), ignoring them',
    apply: registersDespite('INVALID_RESOURCE', /not allowed/),
  },
  'accepts-missing-ssp-from': {
    breaks: 'PROV-SSP-HEADERS',
    what: 'answers requests without Ssp-From (it uses the ASIDs for audit only, so never looks)',
    apply: passThrough,
    bypassGuard: /Ssp-From header missing/,
  },
  'accepts-missing-sub': {
    breaks: 'PROV-JWT-CLAIMS',
    what: 'accepts a JWT without the sub claim',
    apply: passThrough,
    bypassGuard: /claim sub is null/,
  },
  'ignores-reason-for-request': {
    breaks: 'PROV-JWT-CLAIMS',
    what: 'accepts any reason_for_request, not only directcare',
    apply: passThrough,
    bypassGuard: /reason_for_request must be/,
  },
  'ignores-audience': {
    breaks: 'PROV-JWT-AUDIENCE',
    what: "accepts a JWT whose aud is not its service root (as the demonstrator does)",
    apply: passThrough,
    bypassGuard: /JWT aud must be/,
  },
  'accepts-signed-jwt': {
    breaks: 'PROV-JWT-UNSIGNED',
    what: 'accepts a signed JWT (alg HS256, or a signature after alg none) instead of only the unsecured one',
    apply: passThrough,
    bypassGuard: /JWT header alg must be "none"|JWT signature must be empty/,
  },
  'accepts-non-fhir-claims': {
    breaks: 'PROV-JWT-FHIR-CLAIMS',
    what: 'reads requesting_device, requesting_organization and requesting_practitioner without checking they are the FHIR resources §4 asks for',
    apply: passThrough,
    bypassGuard: /JWT claim requesting_\w+(\.\w+)? (is not|must be)|claim requesting_\w+\.[\w.]+ is null|claim requesting_\w+\.identifier with system/,
  },
} as const satisfies Record<string, FaultDefinition>;
