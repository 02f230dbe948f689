import { GpcExtension, GpcProfile, Header, SpineError, System, GpcSubExtension } from '../../gpconnect/constants';
import type { PracticePatient, ProviderContext, ProviderState } from './context';
import { faultOutcome, isFindPatient, isRegisterPatient, passThrough, recode, rewriteJson, spineCodeOf, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { registersDespite } from './faults-register';
import { jsonOf, sameBody } from '../../gpconnect/whole-bodies';
import { patientResource } from './foundations';
import { loadPracticeState } from './state';

// ---------------------------------------------------------------------------------------------
// Find a patient and the Foundations reads: what a provider that skipped a check would answer

/** The practice a request is addressed to (the ODS code in its service root), as its data file holds it. */
function practiceOf(url: URL): ProviderState | undefined {
  for (const segment of url.pathname.split('/').filter((s) => /^[A-Z][A-Z0-9]{2,9}$/.test(s))) {
    try {
      return loadPracticeState(segment);
    } catch {
      // not a practice the reference provider serves
    }
  }
  return undefined;
}

/** The Patient resource of a patient the practice holds, as its Find a patient or Read a patient would give it. */
function patientAsFound(state: ProviderState, patient: PracticePatient): Json {
  const ctx: ProviderContext = { serviceRoot: '', ods: state.ods, asid: '', state, pds: [], now: () => new Date() };
  return patientResource(ctx, patient);
}

function searchsetOf(resources: Json[]): Json {
  return { resourceType: 'Bundle', meta: { profile: [GpcProfile.searchsetBundle] }, type: 'searchset', ...(resources.length > 0 ? { entry: resources.map((resource) => ({ resource })) } : {}) };
}

/** The NHS number of an `identifier` value `system|number` (undefined for another system). */
const nhsNumberIn = (value: string | null) => (value?.startsWith(`${System.nhsNumber}|`) ? value.slice(System.nhsNumber.length + 1) : undefined);

/** 200 with a Bundle holding the Patient the practice holds with `nhsNumber`, when `which` picks that patient. */
async function foundAnyway(input: FaultInput, nhsNumber: string | undefined, which: (p: PracticePatient) => boolean): Promise<Response> {
  const state = nhsNumber ? practiceOf(input.url) : undefined;
  const patient = nhsNumber ? state?.patientByNhsNumber(nhsNumber) : undefined;
  if (!state || !patient || !which(patient)) return input.response;
  return rewriteJson(input.response, () => searchsetOf([patientAsFound(state, patient)]), 200);
}

/** A Find a patient answered with an empty Bundle finds the patient after all, when `which` picks them (the check it skipped). */
function findsDespite(which: (p: PracticePatient) => boolean): FaultDefinition['apply'] {
  return async (input) => {
    if (!isFindPatient(input) || input.response.status !== 200) return input.response;
    const body = (await jsonOf(input.response)) as Json;
    if ((body.entry ?? []).length > 0) return input.response;
    return foundAnyway(input, nhsNumberIn(input.url.searchParams.get('identifier')), which);
  };
}

const READ_PATH = /\/(Patient|Organization|Practitioner|Location)\/([A-Za-z0-9.-]{1,64})$/;

/** The type and id a Foundations read asks for, or undefined for any other request. */
function readOf({ request, url }: FaultInput): { type: string; id: string } | undefined {
  const match = request.method === 'GET' ? READ_PATH.exec(url.pathname) : null;
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

/** A successful read of `type` with its resource changed. */
function readChanged(type: string, change: (resource: Json) => Json): FaultDefinition['apply'] {
  return async (input) => (readOf(input)?.type === type && input.response.status === 200 ? rewriteJson(input.response, change) : input.response);
}

function outcomeAnswer(input: FaultInput, body: Json, status: number): Response {
  const headers = new Headers(input.response.headers);
  headers.delete('content-length');
  headers.delete(Header.etag);
  return new Response(JSON.stringify(body), { status, headers });
}

/** Reference-provider faults for Find a patient and the Foundations reads (see faults.ts for how they are used and proven). */
const FIND_AND_READ_FAULTS = {
  'finds-sensitive-patient': {
    breaks: 'PROV-FIND-PATIENT-SENSITIVE',
    what: 'returns a patient it holds who is flagged PDS sensitive, as it never looks at the flag',
    apply: findsDespite((p) => p.sensitive === true),
  },
  'finds-deceased-patient': {
    breaks: 'PROV-FIND-PATIENT-ACTIVE',
    what: 'returns a deceased patient whose registration it still holds as active (it checks the registration, not the death)',
    apply: findsDespite((p) => p.deceased === true && !p.sensitive),
  },
  'finds-inactive-patient': {
    breaks: 'PROV-FIND-PATIENT-ACTIVE',
    what: 'returns a patient who has left the practice (any record it holds, active or not)',
    apply: findsDespite((p) => !p.active && !p.sensitive),
  },
  'searches-blank-identifier-value': {
    breaks: 'PROV-FIND-PATIENT-PARAMETER',
    what: 'answers an identifier with a blank value (nhs-number|) with an empty Bundle, as a search that matched nobody',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 422 && (input.url.searchParams.get('identifier') ?? '').endsWith('|')
        ? rewriteJson(input.response, () => searchsetOf([]), 200)
        : input.response,
  },
  'finds-without-system': {
    breaks: 'PROV-FIND-PATIENT-NO-SYSTEM',
    what: 'reads an identifier without a system as FHIR token search does, "any system", and answers with an empty Bundle',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 422 && !(input.url.searchParams.get('identifier') ?? '|').includes('|')
        ? rewriteJson(input.response, () => searchsetOf([]), 200)
        : input.response,
  },
  'identifier-name-any-case': {
    breaks: 'PROV-FIND-PATIENT-IDENTIFIER-CASE',
    what: 'reads a parameter named Identifier (or IDENTIFIER) as identifier, and finds the patient by it',
    apply: async (input: FaultInput) => {
      if (!isFindPatient(input) || input.response.status !== 400) return input.response;
      const name = [...input.url.searchParams.keys()].find((k) => k !== 'identifier' && k.toLowerCase() === 'identifier');
      return name ? foundAnyway(input, nhsNumberIn(input.url.searchParams.get(name)), () => true) : input.response;
    },
  },
  'finds-first-of-repeated-identifiers': {
    breaks: 'PROV-FIND-PATIENT-REPEATED',
    what: 'answers a search with two identifier parameters by the first one, ignoring the second',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 400 && input.url.searchParams.getAll('identifier').length > 1
        ? foundAnyway(input, nhsNumberIn(input.url.searchParams.get('identifier')), (p) => p.active && !p.sensitive && !p.deceased)
        : input.response,
  },
  'refuses-count-and-sort': {
    breaks: 'PROV-FIND-PATIENT-COUNT-SORT',
    what: 'refuses a patient search carrying _count or _sort with 400 BAD_REQUEST, as parameters it does not support',
    apply: async (input: FaultInput) => {
      const unsupported = ['_count', '_sort'].find((p) => input.url.searchParams.has(p));
      if (!isFindPatient(input) || input.response.status !== 200 || !unsupported) return input.response;
      return outcomeAnswer(input, faultOutcome('invalid', SpineError.badRequest, `the search parameter ${unsupported} is not supported`), 400);
    },
  },
  'no-preferred-branch': {
    breaks: 'PROV-PATIENT-POPULATED',
    what: "leaves registrationDetails.preferredBranchSurgery out of the Patients it finds and reads (the profile allows it; the page's list of fields to populate does not)",
    apply: async (input) => {
      const read = input.request.method === 'GET' && /\/Patient\/[^/]+$/.test(input.url.pathname);
      if ((!isFindPatient(input) && !read) || input.response.status !== 200) return input.response;
      const withoutBranch = (patient: Json): Json => ({
        ...patient,
        extension: (patient.extension ?? []).map((e: Json) => (e.url === GpcExtension.registrationDetails ? { ...e, extension: (e.extension ?? []).filter((x: Json) => x.url !== GpcSubExtension.preferredBranchSurgery) } : e)),
      });
      return rewriteJson(input.response, (body) => (body.resourceType === 'Patient' ? withoutBranch(body) : { ...body, entry: (body.entry ?? []).map((e: Json) => ({ ...e, resource: withoutBranch(e.resource ?? {}) })) }));
    },
  },
  'read-patient-as-bundle': {
    breaks: 'PROV-READ-PATIENT',
    what: 'answers Read a patient with a searchset Bundle holding the Patient, as a search would, instead of the Patient itself',
    apply: readChanged('Patient', (patient) => searchsetOf([patient])),
  },
  'read-organisation-without-name': {
    breaks: 'PROV-READ-ORGANISATION',
    what: 'answers Read an organisation with an Organization without its name',
    apply: readChanged('Organization', ({ name: _name, ...organisation }) => organisation),
  },
  'read-practitioner-without-name': {
    breaks: 'PROV-READ-PRACTITIONER',
    what: 'answers Read a practitioner with a Practitioner without its name',
    apply: readChanged('Practitioner', ({ name: _name, ...practitioner }) => practitioner),
  },
  'read-location-another-id': {
    breaks: 'PROV-READ-LOCATION',
    what: 'answers Read a location with the Location under its internal id, not the logical id asked for',
    apply: readChanged('Location', (location) => ({ ...location, id: `site-${String(location.id)}` })),
  },
  'etag-without-weak-prefix': {
    breaks: 'PROV-READ-ETAG',
    what: 'answers a read with ETag "<versionId>", without the W/ prefix',
    apply: async (input: FaultInput) => {
      const etag = input.response.headers.get(Header.etag);
      if (!readOf(input) || !etag?.startsWith('W/')) return input.response;
      const headers = new Headers(input.response.headers);
      headers.set(Header.etag, etag.slice(2));
      return sameBody(input.response, { status: input.response.status, headers });
    },
  },
  'read-unknown-id-as-400': {
    breaks: 'PROV-READ-NOT-FOUND',
    what: 'refuses a read of an id it does not hold with 400 INVALID_IDENTIFIER_VALUE instead of 404',
    apply: async (input: FaultInput) => {
      const read = readOf(input);
      if (!read || input.response.status !== 404) return input.response;
      if ((await spineCodeOf(input.response)) !== SpineError.noRecordFound) return input.response;
      return outcomeAnswer(input, faultOutcome('value', SpineError.invalidIdentifierValue, `${read.type}/${read.id} is not a known id`), 400);
    },
  },
  'reads-sensitive-patient': {
    breaks: 'PROV-READ-PATIENT-SENSITIVE',
    what: 'answers Read a patient for a PDS-sensitive patient with the Patient, as it never looks at the flag',
    apply: async (input: FaultInput) => {
      const read = readOf(input);
      if (read?.type !== 'Patient' || input.response.status !== 404) return input.response;
      const state = practiceOf(input.url);
      const patient = state?.patientById(read.id);
      if (!state || !patient?.sensitive) return input.response;
      const resource = patientAsFound(state, patient);
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      headers.set(Header.etag, `W/"${patient.versionId}"`);
      return new Response(JSON.stringify(resource), { status: 200, headers });
    },
  },
} as const satisfies Record<string, FaultDefinition>;

/** Reference-provider faults for Register a patient, and the provider-side Ssp-* header and JWT checks (see faults.ts for how they are used and proven). */
export const FOUNDATION_AND_GUARD_FAULTS = {
  'register-returns-201': {
    breaks: 'PROV-REGISTER',
    what: 'answers a successful registration with 201 Created, as a FHIR create would, instead of 200',
    apply: async (input: FaultInput) => (isRegisterPatient(input) && input.response.status === 200 ? sameBody(input.response, { status: 201, headers: input.response.headers }) : input.response),
  },
  'registers-duplicate': {
    breaks: 'PROV-REGISTER-DUPLICATE',
    what: 'registers a patient it already holds as active again instead of answering 409 DUPLICATE_REJECTED',
    apply: registersDespite(SpineError.duplicateRejected),
  },
  'registers-without-pds-trace': {
    breaks: 'PROV-REGISTER-NOT-ON-PDS',
    what: 'registers a patient PDS does not hold, on the demographics the consumer sent',
    apply: registersDespite(SpineError.invalidPatientDemographics, /is not on PDS/),
  },
  'registers-deceased': {
    breaks: 'PROV-REGISTER-DECEASED',
    what: 'registers a patient PDS records as deceased',
    apply: registersDespite(SpineError.invalidPatientDemographics, /deceased/),
  },
  'registers-sensitive': {
    breaks: 'PROV-REGISTER-SENSITIVE',
    what: 'registers a patient PDS records as sensitive (restricted)',
    apply: registersDespite(SpineError.invalidPatientDemographics, /sensitive/),
  },
  'register-invalid-nhs-as-422': {
    breaks: 'PROV-REGISTER-INVALID-NHS',
    what: 'answers a registration with an invalid NHS number with 422 INVALID_RESOURCE instead of 400 INVALID_NHS_NUMBER',
    apply: recode(isRegisterPatient, { code: SpineError.invalidNhsNumber }, 422, SpineError.invalidResource, 'invalid'),
  },
  'register-ignores-extra-elements': {
    breaks: 'PROV-REGISTER-DISALLOWED',
    what: 'registers a Patient carrying elements a consumer must not send (active, maritalStatus, contact…), ignoring them',
    apply: registersDespite(SpineError.invalidResource, /not allowed/),
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
  ...FIND_AND_READ_FAULTS,
} as const satisfies Record<string, FaultDefinition>;
