/**
 * Conformant variants of the reference provider (GPC_PROVIDER_VARIANTS): each a choice the standard
 * leaves to a supplier, made the other way from the reference provider's default. The mirror of the
 * fault catalogue (faults.ts): against a fault the provider features must fail; against a variant
 * nothing may fail (DESIGN.md "Proving the harness": a rule that fails a variant is wrong, not
 * strict). test/system/provider-variant-proof.test.ts proves it for each.
 *
 * A variant acts where a supplier's code would: in the guard's options (`guard`), in the routes'
 * choices (`choices`, context.ts ProviderChoices), or on the answer (`apply`). `declares` is what a
 * supplier making that choice writes in its profile's capabilities (a MAY it does not do).
 */
import { GpcAppointmentExtension, Header, MediaType, SpineError, System } from '../../gpconnect/constants';
import { parseNameList } from '../../gpconnect/fault-list';
import type { ProviderChoices } from './context';
import { diagnosticsOf, isBooking, recode, spineCodeOf, isFindPatient, isRegisterPatient, isSlotSearch, rewriteJson, type FaultInput, type Json } from './fault-kit';
import type { ProviderGuardOptions } from './guard';
import { unroutedRequest } from './faults-http';
import { AMEND_CANCEL_VARIANTS } from './variants-amend-cancel';
import { RETRIEVE_VARIANTS } from './variants-retrieve';
import { SEARCH_VARIANTS } from './variants-searches';
import { sameBody, wholeBodyOf, wholeResponse } from '../../gpconnect/whole-bodies';

export interface VariantDefinition {
  /** What the standard allows, in a sentence. */
  latitude: string;
  /** Where it says so (spec page, official provider tests, RFC). */
  source: string;
  /**
   * For a variant acting through the guard or the routes' choices: the provider features (file names
   * under features/provider, without .feature) whose scenarios it can change; the variant proof runs it
   * over these alone, and over every feature with all the variants at once (absent: every feature). An
   * answer-only variant has none: the proof's probe finds the scenarios whose answers it changes
   * (`latitudesMet`).
   */
  reaches?: readonly string[];
  /** The capabilities a supplier making this choice declares (src/actors/profiles/provider.schema.json). */
  declares?: Readonly<Record<string, boolean>>;
  guard?: Partial<ProviderGuardOptions>;
  choices?: Partial<ProviderChoices>;
  /** The answer as this supplier gives it (after the reference provider's, before any fault). */
  apply?: (input: FaultInput) => Promise<Response>;
}

/** Every resource of an answer: the answer itself, a Bundle's entries, and what they contain. */
function resourcesIn(body: Json): Json[] {
  const found: Json[] = [];
  const visit = (r: Json | undefined) => {
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') return;
    found.push(r);
    for (const e of r.entry ?? []) visit(e.resource);
    for (const c of r.contained ?? []) visit(c);
  };
  visit(body);
  return found;
}

/** A JSON answer with `change` applied to each of its resources of the given types. */
function eachResource(types: readonly string[], change: (resource: Json) => void) {
  return async ({ response }: FaultInput): Promise<Response> => {
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
    return rewriteJson(response, (body) => {
      const picked = resourcesIn(body).filter((r) => types.includes(r.resourceType));
      if (picked.length === 0) return undefined;
      for (const r of picked) change(r);
      return body;
    });
  };
}

/** Another business identifier, of a system the supplier uses locally (synthetic: `.test` never resolves). */
const localIdentifier = (kind: string, r: Json) => ({ system: `https://supplier.example.test/Id/${kind}`, value: `${kind}-${r.id ?? 'x'}` });

const always = () => true;

/** A read of `type` by its logical id (foundations_use_case_read_*). */
const isReadOf = (type: string) => ({ request, url }: FaultInput) => request.method === 'GET' && new RegExp(`/${type}/[^/]+$`).test(url.pathname);
/** The reference provider's Register a patient refusals of the minimum, the parameter and telecom cardinality (foundations.ts). */
const REGISTER_MINIMUM_ERRORS = /is required|has no system|needs a (family|given) name|more than one telecom|parameter appears \d+ times/;

export const PROVIDER_VARIANTS = {
  ...SEARCH_VARIANTS,
  'json-only': {
    latitude: 'serves application/fhir+json only: XML asked for (by _format, Accept or a body\'s Content-Type) is refused with 415, and the CapabilityStatement lists JSON alone',
    source: 'development_general_api_guidance "Content types": "Servers SHALL support JSON", "Servers SHOULD support XML", "If a server receives a request for a format that it does not support, it SHALL return an HTTP status code of 415"',
    reaches: ['xml', 'caching-and-negotiation', 'capability-statement'],
    declares: { xml: false },
    guard: { servesXml: false },
  },
  'cache-control-no-cache-no-store': {
    latitude: 'Cache-Control carries no-store among other directives: no-cache, no-store',
    source: 'development_general_api_guidance "Cache-Control: no-store" (a directive, RFC 9111 §5.2: a comma-separated list); PTEST HttpResponseSteps.cs ShouldContain("no-store") (ref #82)',
    apply: async ({ response }: FaultInput) => {
      const headers = new Headers(response.headers);
      headers.set(Header.cacheControl, 'no-cache, no-store');
      return sameBody(response, { status: response.status, statusText: response.statusText, headers });
    },
  },
  'capability-statement-as-template': {
    latitude: "keeps the template's CapabilityStatement.version 1.2.7 and gives its profile references with their version history (…/_history/1.8)",
    source: 'foundations_use_case_get_the_fhir_capability_statement: the template (version 1.2.7 even on 1.2.9) is "a base for their own CapabilityStatement"; PTEST App.config gpConnectSpecVersion 1.2.7; FHIR.feature GetStructuredMetaDataRead expects versioned profile references',
    apply: async (input: FaultInput) =>
      input.request.method === 'GET' && input.url.pathname.endsWith('/metadata') && input.response.status === 200
        ? rewriteJson(input.response, (b) => ({ ...b, version: '1.2.7', profile: (b.profile ?? []).map((p: Json) => ({ reference: `${p.reference}/_history/1.8` })) }))
        : input.response,
  },
  'ignores-requested-scope': {
    latitude: 'does not authorise by requested_scope: any GP Connect scope is accepted for any interaction (a value that is no scope is still refused)',
    source: 'development_api_security_guidance "Provider systems MAY choose to use the value of the requested_scope claim to authorise access"; PTEST tests only badScope (JwtSteps.cs)',
    reaches: ['headers-and-jwt', 'retrieve-a-patients-appointments'],
    declares: { authorisesByScope: false },
    guard: { authoriseByScope: false },
  },
  'jwt-claim-errors-as-bad-request': {
    latitude: 'a JWT claim that is not a readable FHIR resource is refused 422 with the code BAD_REQUEST, as the demonstrator does, not INVALID_RESOURCE',
    source: 'PTEST JWT.feature "Requesting Device - invalid", "Resource Type - invalid" check only 422; DEMO answers 422 BAD_REQUEST',
    apply: recode(always, { code: SpineError.invalidResource, why: /^JWT claim requesting_/ }, 422, SpineError.badRequest),
  },
  'string-claim-as-bad-request': {
    latitude: 'a JWT resource claim given as a JSON string is an invalid claim value: 400 BAD_REQUEST, not 422',
    source: 'development_fhir_error_handling_guidance: BAD_REQUEST (400) for "JWT claims information is not valid JSON, is null, or has an invalid value"',
    apply: recode(always, { code: SpineError.invalidResource, why: /is not a FHIR resource \(not a JSON object\)/ }, 400, SpineError.badRequest),
  },
  'ignores-requested-record': {
    latitude: 'ignores the DSTU2 requested_record claim instead of refusing the token',
    source: 'RFC 7519 §4 "all claims that are not understood by implementations MUST be ignored"; not in the 1.2.x claim list; PTEST has no such test',
    reaches: ['headers-and-jwt'],
    guard: { refuseRequestedRecord: false },
  },
  'lenient-claim-values': {
    latitude: 'checks that the JWT is present and correctly formed, not the values only the demonstrator checks (reason_for_request, sub against requesting_practitioner.id, sds-user-id, device model)',
    source: 'development_api_security_guidance: the provider "SHALL check that an authorization bearer token is present and correctly formed"; the values are consumer SHALLs (audit page); PTEST #224 expects leniency',
    reaches: ['headers-and-jwt'],
    declares: { validatesClaimValues: false },
    guard: { validateClaimValues: false },
  },
  'invalid-nhs-number-as-422': {
    latitude: 'an NHS number that fails its check digit is refused 422 INVALID_PARAMETER, not 400 INVALID_NHS_NUMBER',
    source: 'foundations_use_case_find_a_patient: an error where the identifier "fails structural validation checks", no code given; PTEST PatientSearch.feature uses 422 INVALID_PARAMETER for identifier parameter errors',
    apply: recode(isFindPatient, { code: SpineError.invalidNhsNumber }, 422, SpineError.invalidParameter),
  },
  'accepts-long-description': {
    latitude: 'stores a booking description of more than 100 characters whole (201, the full text echoed)',
    source: 'appointments_use_case_book_an_appointment: consumers SHALL impose the 100-character limit; providers SHALL support at least it and SHALL NOT truncate; the error is for "longer than character limits supported"',
    reaches: ['book-an-appointment'],
    choices: { storeLongDescriptions: true },
  },
  'answers-wrong-offset-slot-search': {
    latitude: 'reads a slot search start or end written with Z or the other UK offset as the instant it names, and answers',
    source: 'appointments_use_case_search_for_free_slots: "Consumer systems SHALL send" UK local time with +00:00/+01:00 (a consumer duty); PTEST never sends the wrong offset',
    reaches: ['search-for-free-slots'],
    declares: { refusesWrongOffsets: false },
    choices: { acceptAnyOffset: true },
  },
  'answers-prefixless-slot-search': {
    latitude: 'reads a slot search start or end without its ge/le prefix as if it had it, and answers',
    source: 'appointments_use_case_search_for_free_slots: the ge/le prefixes are what consumers send; PTEST SearchForFreeSlots.feature never omits them',
    reaches: ['search-for-free-slots'],
    declares: { refusesMissingPrefix: false },
    choices: { acceptMissingPrefix: true },
  },
  'missing-include-as-422': {
    latitude: 'a slot search without _include=Slot:schedule is refused 422 INVALID_PARAMETER, not 400 BAD_REQUEST',
    source: 'appointments_use_case_search_for_free_slots: "SHALL return an error if … _include=Slot:schedule is absent", no code given; PTEST has no such test',
    apply: recode(isSlotSearch, { code: SpineError.badRequest, why: /_include=Slot:schedule is mandatory/ }, 422, SpineError.invalidParameter),
  },
  'schedules-without-category': {
    latitude: 'the Schedules of a slot search carry no serviceCategory (no schedule type description)',
    source: 'appointments_use_case_search_for_free_slots: "and where available `Schedule.serviceCategory.text`"; Slot.serviceType.text is the SHALL',
    apply: eachResource(['Schedule'], (schedule) => delete schedule.serviceCategory),
  },
  'slots-and-schedules-with-comments': {
    latitude: 'the Slots and Schedules of a slot search carry a comment (the practice\'s note on the session)',
    source: 'appointments_use_case_search_for_free_slots: nothing forbids comment (only specialty: "SHALL NOT populate the `specialty` field"); release notes 1.2.7 only "Remove `Schedule.comment` field from payload response example"; PTEST 1.2.7 "expecting No Comment elements"',
    apply: eachResource(['Slot', 'Schedule'], (resource) => {
      resource.comment = 'Bookable by the practice team only after 10:00';
    }),
  },
  'mismatched-times-as-bad-request': {
    latitude: "a booking whose start or end is not its slots' is refused 400 BAD_REQUEST, not 422 INVALID_RESOURCE",
    source: 'appointments_use_case_book_an_appointment: "SHALL return a GPConnect-OperationOutcome … e.g. the submitted start and end … does not match", no code given; PTEST has no such test',
    apply: recode(isBooking, { code: SpineError.invalidResource, why: /is not the (first slot's start|last slot's end)/ }, 400, SpineError.badRequest),
  },
  'unknown-identifier-system-as-422': {
    latitude: 'a patient search by an identifier system other than the NHS number is refused 422 INVALID_PARAMETER, not 400 INVALID_IDENTIFIER_SYSTEM',
    source: 'foundations_use_case_find_a_patient: an error where the system "is not recognised/supported", no code given; PTEST PatientSearch.feature answers an unusable system 422 INVALID_PARAMETER',
    apply: recode(isFindPatient, { code: SpineError.invalidIdentifierSystem }, 422, SpineError.invalidParameter),
  },
  'error-codes-from-valueset-url': {
    latitude: 'codes its errors with the Spine-ErrorOrWarningCode-1 ValueSet URL, as every 1.2.x error example on the spec page does, rather than the CodeSystem URL the profile fixes',
    source: 'development_fhir_error_handling_guidance (1.2.9): every example uses https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1; PTEST BundleSteps.cs does not check the system',
    apply: async ({ response }: FaultInput) =>
      response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')
        ? rewriteJson(response, (body) => {
            for (const issue of body.issue ?? []) for (const c of issue.details?.coding ?? []) if (c.system === System.spineErrorCodeStu3) c.system = System.spineErrorCodeStu3ValueSet;
            return body;
          })
        : response,
  },
  'extra-patient-identifiers': {
    latitude: 'returns its own patient number beside the NHS number on every Patient',
    source: 'CareConnect-GPC-Patient-1: identifier slicing openAtEnd; foundations_use_case_find_a_patient: "relevant business identifiers, including a minimum of the patient\'s NHS number"',
    apply: eachResource(['Patient'], (r) => r.identifier?.push(localIdentifier('patient-number', r))),
  },
  'extra-admin-identifiers': {
    latitude: 'returns a GMC/GMP number on Practitioners and its own identifiers on Locations and Organizations, beside the SDS and ODS ones',
    source: 'CareConnect-GPC-Practitioner-1, -Location-1, -Organization-1: identifier slicing openAtEnd; PTEST PractitionerSteps.cs allows https://fhir.hl7.org.uk/Id/gmp-number, LocationSteps.cs allows other systems',
    apply: eachResource(['Practitioner', 'Location', 'Organization'], (r) => {
      r.identifier ??= [];
      r.identifier.push(r.resourceType === 'Practitioner' ? { system: System.gmpNumber, value: 'G8133438' } : localIdentifier(r.resourceType.toLowerCase(), r));
    }),
  },
  'careconnect-job-role-system': {
    latitude: "codes the practitioner role extension from CareConnect's SDS job role CodeSystem (https://fhir.hl7.org.uk/...), as 1.2.9 moved it",
    source: 'release_notes/1_2_9: "gpconnect-practitionerrole-1 now utilises SDS-jobrolename-1 (CareConnect STU3 package)"; Extension-GPConnect-PractitionerRole-1 binds the CareConnect ValueSet',
    apply: eachResource(['Schedule', 'Appointment'], (r) => {
      for (const e of r.extension ?? []) for (const c of e.valueCodeableConcept?.coding ?? []) if (c.system === GpcAppointmentExtension.sdsJobRoleNameSystem) c.system = GpcAppointmentExtension.sdsJobRoleNameSystemCareConnect;
    }),
  },
  'content-type-with-space': {
    latitude: 'labels its answers Content-Type: application/fhir+json; charset=utf-8, with a space before charset',
    source: 'development_general_api_guidance "Character encoding": charset=utf-8 SHALL be given; "there should not be a space" is a SHOULD; RFC 7231 §3.1.1.1 allows whitespace around ";"',
    apply: async ({ response }: FaultInput) => {
      const type = response.headers.get(Header.contentType) ?? '';
      if (type.toLowerCase() !== MediaType.fhirJsonUtf8) return response;
      const headers = new Headers(response.headers);
      headers.set(Header.contentType, `${MediaType.fhirJson}; charset=utf-8`);
      return sameBody(response, { status: response.status, statusText: response.statusText, headers });
    },
  },
  'bearer-token-errors-as-401': {
    latitude: 'answers a bearer token that is expired, wrongly timed or not an unsecured JWT with 401 and WWW-Authenticate: Bearer error="invalid_token", as RFC 6750 §3.1 says, not 400',
    source: 'integration_cross_organisation_audit_and_provenance "Bearer token": providers SHALL respond to OAuth Bearer Token errors in line with RFC 6750 §3.1 (invalid_token: 401); the error page and PTEST give 400 BAD_REQUEST, so the harness warns',
    apply: async (input: FaultInput) => {
      const recoded = await recode(always, { code: SpineError.badRequest, why: BEARER_TOKEN_ERRORS }, 401, SpineError.badRequest)(input);
      if (recoded === input.response) return recoded;
      const headers = new Headers(recoded.headers);
      headers.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      return sameBody(recoded, { status: recoded.status, headers });
    },
  },
  'repeated-identifier-as-and': {
    latitude: 'reads a Find a patient with the identifier parameter twice as FHIR does, all must match: the same NHS number twice finds the patient, two different ones find nobody (the official tests expect 400 BAD_REQUEST, so the harness warns)',
    source: 'foundations_use_case_find_a_patient gives one identifier and no error for a second; FHIR STU3 search: a repeated parameter is AND; PTEST PatientSearch.feature "System should error if multiple parameters valid or invalid are sent"',
    reaches: ['find-a-patient'],
    choices: { repeatedIdentifiersAsAnd: true },
  },
  'identifier-parameter-errors-as-400': {
    latitude: 'refuses an identifier without a system or with a blank one 400 INVALID_IDENTIFIER_SYSTEM, and a blank NHS number 400 INVALID_NHS_NUMBER, the error table\'s codes, not the official tests\' 422 INVALID_PARAMETER',
    source: 'foundations_use_case_find_a_patient: an error "when one or more request fields are corrupt", no code given; development_fhir_error_handling_guidance "Identity validation errors"; PTEST PatientSearch.feature uses 422 INVALID_PARAMETER',
    apply: async (input: FaultInput) => {
      const system = await recode(isFindPatient, { code: SpineError.invalidParameter, why: /has no system|system is blank/ }, 400, SpineError.invalidIdentifierSystem)(input);
      if (system !== input.response) return system;
      return recode(isFindPatient, { code: SpineError.invalidParameter, why: /value is blank/ }, 400, SpineError.invalidNhsNumber)(input);
    },
  },
  'not-found-with-specific-codes': {
    latitude: 'answers a read of an id it does not hold 404 with the specific code of the error table (PATIENT_NOT_FOUND, ORGANISATION_NOT_FOUND, PRACTITIONER_NOT_FOUND), as the official tests expect, not the catch-all NO_RECORD_FOUND',
    source: 'development_fhir_error_handling_guidance "Identity validation errors" (the 404 rows; NO_RECORD_FOUND "where more specific Spine error codes ... cannot be used"); PTEST PatientRead.feature, OrganizationRead.feature (#257)',
    apply: async (input: FaultInput) => {
      for (const [type, code] of [['Patient', SpineError.patientNotFound], ['Organization', SpineError.organisationNotFound], ['Practitioner', SpineError.practitionerNotFound]] as const) {
        const recoded = await recode(isReadOf(type), { code: SpineError.noRecordFound }, 404, code)(input);
        if (recoded !== input.response) return recoded;
      }
      return input.response;
    },
  },
  'ignores-prefer': {
    latitude: 'answers every booking with the whole Appointment, whatever Prefer asks (return=minimal included)',
    source: 'development_general_api_guidance "Managing Return Content": servers SHALL default to return=representation; honouring a Prefer header is a SHOULD (so the harness warns)',
    reaches: ['book-prefer', 'amend-an-appointment', 'cancel-an-appointment'],
    choices: { ignorePrefer: true },
  },
  'unrouted-as-not-implemented': {
    latitude: 'answers a request no route serves (an unknown path, a path in the wrong case) with 501 NOT_IMPLEMENTED, not 400 BAD_REQUEST',
    source: 'development_fhir_error_handling_guidance "Internal server errors": NOT_IMPLEMENTED (501) for "a request for an operation or FHIR resource which is not (yet) implemented"; PTEST Http.feature checks only a failure status and an OperationOutcome',
    apply: async (input: FaultInput) => {
      const unrouted = await unroutedRequest(input.response);
      if (!unrouted || unrouted.pathServed || (await spineCodeOf(input.response)) !== SpineError.badRequest) return input.response;
      return rewriteJson(
        input.response,
        (body) => {
          body.issue[0].code = 'not-supported';
          body.issue[0].details.coding[0] = { ...body.issue[0].details.coding[0], code: SpineError.notImplemented, display: 'FHIR resource or operation not implemented at server' };
          return body;
        },
        501,
      );
    },
  },
  'wrong-verb-as-405': {
    latitude: 'answers a verb the resource does not take (PATCH, DELETE, OPTIONS on /metadata) with 405 Method Not Allowed and an OperationOutcome, as HTTP does, not 400 BAD_REQUEST',
    source: 'RFC 9110 §15.5.6 (405); PTEST Http.feature checks only a failure status and an OperationOutcome; the error page\'s BAD_REQUEST row for "invalid HTTP verb used" makes it a warning',
    apply: async (input: FaultInput) => {
      const unrouted = await unroutedRequest(input.response);
      if (!unrouted?.pathServed) return input.response;
      const answer = await rewriteJson(input.response, (body) => body, 405);
      const headers = new Headers(answer.headers);
      headers.set('Allow', unrouted.allow.join(', '));
      return sameBody(answer, { status: 405, headers });
    },
  },
  'register-minimum-as-invalid-resource': {
    latitude: 'refuses a registration that lacks the minimum, repeats the registerPatient parameter or repeats a telecom use 422 INVALID_RESOURCE, the error table\'s code, not the official tests\' 400 BAD_REQUEST',
    source: 'foundations_use_case_register_a_patient "Error Handling": a Parameters or embedded Patient that "is invalid, or does not include the minimum mandatory details" → INVALID_RESOURCE; PTEST PatientRegister.feature expects 400 BAD_REQUEST',
    apply: recode(isRegisterPatient, { code: SpineError.badRequest, why: REGISTER_MINIMUM_ERRORS }, 422, SpineError.invalidResource),
  },
  ...AMEND_CANCEL_VARIANTS,
  ...RETRIEVE_VARIANTS,
} as const satisfies Record<string, VariantDefinition>;

/** The guard's refusals of the token itself (src/spine/provider/guard.ts), RFC 6750's invalid_token. */
const BEARER_TOKEN_ERRORS = /^(JWT has expired|JWT exp - iat must be|JWT is not well-formed|JWT header alg must be|JWT signature must be empty)/;

export type ProviderVariant = keyof typeof PROVIDER_VARIANTS;

/** A comma-separated variant list; an unknown name is an error naming every known variant. */
export function parseProviderVariants(list: string | undefined): Set<ProviderVariant> {
  return parseNameList(list, PROVIDER_VARIANTS, 'provider variant');
}

const definitions = (variants: ReadonlySet<ProviderVariant>): VariantDefinition[] => [...variants].map((v) => PROVIDER_VARIANTS[v] as VariantDefinition);

/** The guard options the variants set. */
export function variantGuardOptions(variants: ReadonlySet<ProviderVariant> | undefined): Partial<ProviderGuardOptions> {
  return Object.assign({}, ...definitions(variants ?? new Set()).map((d) => d.guard ?? {}));
}

/** The route choices the variants set. */
export function variantChoices(variants: ReadonlySet<ProviderVariant> | undefined): ProviderChoices {
  return Object.assign({}, ...definitions(variants ?? new Set()).map((d) => d.choices ?? {}));
}

/** The answer as the variants give it. */
export async function applyVariants(variants: ReadonlySet<ProviderVariant>, input: FaultInput): Promise<Response> {
  let response = input.response;
  for (const definition of definitions(variants)) if (definition.apply) response = await definition.apply({ ...input, response });
  return response;
}

/**
 * The variants acting on the answer alone (`apply`: no guard options, no route choices, no capability
 * declared, which the judges read), whose every difference from the reference provider shows as a
 * different answer to one request.
 */
export function answerOnlyVariant(name: ProviderVariant): boolean {
  const definition = PROVIDER_VARIANTS[name] as VariantDefinition;
  return definition.apply !== undefined && definition.guard === undefined && definition.choices === undefined && definition.declares === undefined;
}

const ANSWER_ONLY = (Object.keys(PROVIDER_VARIANTS) as ProviderVariant[]).filter(answerOnlyVariant);

/**
 * The answer-only variants that would have answered this request otherwise than the reference provider
 * did: the scenarios where a variant gives any answer differently are the only ones its run can change,
 * so the variant proof runs it over those (test/support/provider-variant-proof.ts). Each sees copies.
 */
export async function latitudesMet(input: FaultInput): Promise<ProviderVariant[]> {
  const met: ProviderVariant[] = [];
  // The answer read once; each variant gets its own copy made from it (cheaper than a stream's tee).
  const { status, statusText, headers } = input.response;
  const answerBody = status === 204 || status === 304 ? null : (wholeBodyOf(input.response) ?? new Uint8Array(await input.response.clone().arrayBuffer()));
  for (const name of ANSWER_ONLY) {
    const response = wholeResponse(answerBody, { status, statusText, headers });
    const answered = await (PROVIDER_VARIANTS[name] as VariantDefinition).apply!({ request: input.request.clone(), url: input.url, response });
    if (answered !== response) met.push(name);
  }
  return met;
}

/** The capabilities suppliers making these choices declare in their profiles. */
export function variantDeclarations(variants: ReadonlySet<ProviderVariant>): Record<string, boolean> {
  return Object.assign({}, ...definitions(variants).map((d) => d.declares ?? {}));
}
