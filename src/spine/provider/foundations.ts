/**
 * The reference provider's Foundations interactions (gpconnect-spec.md §5.2, §5.4, §5.5): the
 * CapabilityStatement, Find a patient and Register a patient. The guard (guard.ts) has already
 * checked headers, JWT and format; these answer the interaction itself.
 */
import {
  FHIR_VERSION,
  GPCONNECT_SPEC_VERSION,
  GpcExtension,
  GpcProfile,
  GpcSubExtension,
  MediaType,
  REGISTER_PATIENT_PARAMETER,
  SpineError,
  System,
} from '../../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import { isValidNhsNumber } from '../../gpconnect/nhs-number';
import { formatUk } from '../../gpconnect/uk-time';
import type { PracticePatient, ProviderContext } from './context';

type Json = Record<string, unknown>;

// Displays as the 1.2.9 error table gives them (§6); consumers must not assert on display (§9 item 3).
const outcome = {
  badRequest: (d: string) => fhirJson(gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', d), 400),
  invalidParameter: (d: string) => fhirJson(gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', d), 422),
  invalidResource: (d: string) => fhirJson(gpcOutcome('invalid', SpineError.invalidResource, 'Submitted resource is not valid.', d), 422),
  invalidIdentifierSystem: (d: string) => fhirJson(gpcOutcome('value', SpineError.invalidIdentifierSystem, 'Invalid identifier system', d), 400),
  invalidNhsNumber: (d: string) => fhirJson(gpcOutcome('value', SpineError.invalidNhsNumber, 'NHS number invalid', d), 400),
  invalidDemographics: (d: string) =>
    fhirJson(gpcOutcome('business-rule', SpineError.invalidPatientDemographics, 'Invalid patient demographics (that is, PDS trace failed)', d), 400),
  duplicateRejected: (d: string) =>
    fhirJson(gpcOutcome('duplicate', SpineError.duplicateRejected, 'Create would lead to creation of a duplicate resource', d), 409),
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

// ---------------------------------------------------------------------------------------------
// GET /metadata (§5.2)

/**
 * The CapabilityStatement, shaped like the spec's template but stating only what this provider
 * really does: JSON only, Patient search, Slot search with its _includes, Appointment create,
 * read and update (amend, cancel), and the gpc.registerpatient operation. `version` is the GP Connect version implemented
 * (PTEST asserts it), not the template's stale 1.2.7 (§9 item 11).
 */
export function getCapabilityStatement(ctx: ProviderContext): Response {
  const statement = {
    resourceType: 'CapabilityStatement',
    version: GPCONNECT_SPEC_VERSION,
    name: 'GP Connect',
    status: 'active',
    date: '2024-01-15',
    publisher: 'gpc-conform reference provider',
    contact: [{ name: 'gpc-conform' }],
    description: `This server implements the GP Connect API version ${GPCONNECT_SPEC_VERSION}`,
    copyright: 'Synthetic test provider; no real patient data',
    kind: 'capability',
    software: { name: `gpc-conform reference provider (${ctx.state.organisationName}, ${ctx.ods})`, version: '0.1.0', releaseDate: '2024-01-15' },
    fhirVersion: FHIR_VERSION,
    acceptUnknown: 'both',
    // "Systems SHALL declare which format(s) they support in their CapabilityStatement" (§2.7): XML, a SHOULD, where served.
    format: ctx.servesXml ? [MediaType.fhirJson, MediaType.fhirXml] : [MediaType.fhirJson],
    profile: [
      GpcProfile.patient,
      GpcProfile.organization,
      GpcProfile.practitioner,
      GpcProfile.practitionerRole,
      GpcProfile.location,
      GpcProfile.operationOutcome,
      GpcProfile.appointment,
      GpcProfile.schedule,
      GpcProfile.slot,
      GpcProfile.searchsetBundle,
    ].map((reference) => ({ reference })),
    rest: [
      {
        mode: 'server',
        security: { cors: true },
        resource: [
          {
            type: 'Patient',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [{ name: 'identifier', type: 'token', documentation: `NHS Number (i.e. ${System.nhsNumber}|123456789)` }],
          },
          // Read an organisation, a practitioner, a location (src/spine/provider/reads.ts).
          // Search for an organisation, a practitioner (src/spine/provider/searches.ts).
          { type: 'Organization', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: [{ name: 'identifier', type: 'token' }] },
          { type: 'Practitioner', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: [{ name: 'identifier', type: 'token' }] },
          { type: 'Location', interaction: [{ code: 'read' }] },
          {
            type: 'Appointment',
            interaction: [{ code: 'read' }, { code: 'create' }, { code: 'update' }],
            updateCreate: false,
          },
          {
            type: 'Slot',
            interaction: [{ code: 'search-type' }],
            searchInclude: ['Schedule:actor:Location', 'Schedule:actor:Practitioner', 'Slot:schedule', 'Location:managingOrganization'],
            searchParam: [
              { name: 'start', type: 'date' },
              { name: 'end', type: 'date' },
              { name: 'status', type: 'token' },
              { name: 'searchFilter', type: 'token' },
            ],
          },
        ],
        operation: [{ name: 'gpc.registerpatient', definition: { reference: GpcProfile.registerPatientOperation } }],
      },
    ],
  };
  return fhirJson(statement, 200, {}, MediaType.fhirJsonUtf8);
}

// ---------------------------------------------------------------------------------------------
// The Patient resource (CareConnect-GPC-Patient-1), as foundations_find_patient_response.json


export function patientResource(ctx: ProviderContext, p: PracticePatient, registrationStart?: Date): Json {
  const registrationDetails: Json[] = [];
  if (registrationStart) registrationDetails.push({ url: 'registrationPeriod', valuePeriod: { start: formatUk(registrationStart) } });
  registrationDetails.push({
    url: 'registrationType',
    valueCodeableConcept: { coding: [{ system: GpcExtension.registrationTypeSystem, code: p.registrationType }] },
  });
  // The preferred branch surgery: the practice's main surgery, its first location (development_branch_surgeries).
  const surgery = ctx.state.locations()[0];
  if (surgery) registrationDetails.push({ url: GpcSubExtension.preferredBranchSurgery, valueReference: { reference: `Location/${surgery.id}` } });
  const name: Json = {
    use: 'official',
    text: `${p.family.toUpperCase()} ${p.given.join(' ')}${p.prefix ? ` (${p.prefix})` : ''}`,
    family: p.family,
    given: p.given,
    ...(p.prefix ? { prefix: [p.prefix] } : {}),
  };
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { versionId: p.versionId, profile: [GpcProfile.patient] },
    extension: [{ url: GpcExtension.registrationDetails, extension: registrationDetails }],
    identifier: [
      {
        extension: [
          {
            url: GpcExtension.nhsNumberVerificationStatus,
            valueCodeableConcept: { coding: [{ system: GpcExtension.nhsNumberVerificationStatusSystem, code: '01', display: 'Number present and verified' }] },
          },
        ],
        system: System.nhsNumber,
        value: p.nhsNumber,
      },
    ],
    active: p.active,
    name: [name],
    ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone, use: 'home' }] } : {}),
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.address
      ? { address: [{ use: 'home', type: 'physical', line: p.address.line, ...(p.address.city ? { city: p.address.city } : {}), postalCode: p.address.postalCode }] }
      : {}),
    // The organisation in the service root URL (§5.4).
    managingOrganization: { reference: `Organization/${ctx.state.organisationId}` },
  };
}

/**
 * A searchset Bundle. GPConnect-Searchset-Bundle-1 forbids total/link/entry.search (§7); an empty
 * search leaves `entry` out (FHIR JSON arrays are never empty).
 */
export function searchset(resources: Json[]): Json {
  return {
    resourceType: 'Bundle',
    meta: { profile: [GpcProfile.searchsetBundle] },
    type: 'searchset',
    ...(resources.length > 0 ? { entry: resources.map((resource) => ({ resource })) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|n (§5.4)

/** The NHS number an identifier value `system|value` names, or the refusal of it. */
function nhsNumberOfIdentifier(raw: string): string | Response {
  const bar = raw.indexOf('|');
  // Missing/blank system or blank value: 422 INVALID_PARAMETER (PTEST, §5.4).
  if (bar < 0) return outcome.invalidParameter(`identifier ${JSON.stringify(raw)} has no system (expected ${System.nhsNumber}|<NHS number>)`);
  const system = raw.slice(0, bar);
  const value = raw.slice(bar + 1);
  if (system.trim() === '') return outcome.invalidParameter('identifier system is blank');
  if (value.trim() === '') return outcome.invalidParameter('identifier value is blank');
  if (system !== System.nhsNumber) return outcome.invalidIdentifierSystem(`identifier system ${system} is not ${System.nhsNumber}`);
  if (!isValidNhsNumber(value)) return outcome.invalidNhsNumber(`${value} is not a valid NHS number`);
  return value;
}

export function findPatient(ctx: ProviderContext, url: URL): Response {
  const keys = [...url.searchParams.keys()];
  // A parameter named identifier in another case is not the identifier parameter (names are
  // case-sensitive): PTEST expects 400 BAD_REQUEST (§5.4 de-facto errors).
  const wrongCase = keys.find((k) => k !== 'identifier' && k.toLowerCase() === 'identifier');
  if (wrongCase) return outcome.badRequest(`unknown search parameter ${wrongCase} (did you mean identifier?)`);
  const values = url.searchParams.getAll('identifier');
  if (values.length === 0) return outcome.badRequest('Find a patient needs the identifier search parameter');
  if (values.length > 1 && !ctx.choices?.repeatedIdentifiersAsAnd) return outcome.badRequest('Find a patient takes exactly one identifier search parameter');
  const numbers: string[] = [];
  for (const raw of values) {
    const checked = nhsNumberOfIdentifier(raw);
    if (checked instanceof Response) return checked;
    numbers.push(checked);
  }
  // Repeated (a variant's choice): FHIR's AND, every identifier must match the one patient.
  if (new Set(numbers).size > 1) return fhirJson(searchset([]), 200, {}, MediaType.fhirJsonUtf8);
  const value = numbers[0]!;

  const patient = ctx.state.patientByNhsNumber(value);
  // No match is not an error (§5.4); sensitive patients are left out, and only active ones are
  // returned: the glossary's active patient has "Not Left" and is "Not Deceased".
  const found = patient && patient.active && !patient.sensitive && !patient.deceased ? [patientResource(ctx, patient)] : [];
  return fhirJson(searchset(found), 200, {}, MediaType.fhirJsonUtf8);
}

// ---------------------------------------------------------------------------------------------
// POST /Patient/$gpc.registerpatient (§5.5)

/**
 * Patient elements a consumer may send (§5.5: meta.profile, identifier, name, birthDate; SHOULD
 * gender, address, telecom, nhsCommunication). Everything else MUST NOT be sent: 422
 * INVALID_RESOURCE (PTEST: Active, Births, CareProvider, Contact, ManagingOrg, Marital, Animal,
 * Communication, Photo, Deceased). `id` is tolerated and ignored (FHIR create semantics).
 */
const ALLOWED_PATIENT_ELEMENTS = new Set(['resourceType', 'id', 'meta', 'identifier', 'name', 'gender', 'birthDate', 'address', 'telecom', 'extension']);
const GENDERS = new Set(['male', 'female', 'other', 'unknown']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Patient out of the Parameters, or the refusal. */
function registerPatientParameter(body: unknown): Json | Response {
  if (!isObject(body)) return outcome.badRequest('the request body is not a JSON object');
  // Invalid Parameters → INVALID_RESOURCE (spec error table, §5.5).
  if (body.resourceType !== 'Parameters') return outcome.invalidResource(`the body must be a Parameters resource, not ${JSON.stringify(body.resourceType)}`);
  const parameters = body.parameter;
  if (!Array.isArray(parameters) || !parameters.every(isObject)) return outcome.invalidResource('Parameters.parameter is missing or not an array of parameters');
  const named = parameters.filter((p) => p.name === REGISTER_PATIENT_PARAMETER);
  // A duplicated registerPatient parameter: PTEST 400 BAD_REQUEST (§5.5).
  if (named.length > 1) return outcome.badRequest(`the ${REGISTER_PATIENT_PARAMETER} parameter appears ${named.length} times`);
  // Missing parameter, or one the OperationDefinition does not define: an invalid Parameters (422).
  if (named.length === 0) return outcome.invalidResource(`the ${REGISTER_PATIENT_PARAMETER} parameter is missing`);
  const other = parameters.find((p) => p.name !== REGISTER_PATIENT_PARAMETER);
  if (other) return outcome.invalidResource(`unknown parameter ${JSON.stringify(other.name)}: gpc.registerpatient takes only ${REGISTER_PATIENT_PARAMETER}`);
  const resource = named[0].resource;
  if (!isObject(resource) || resource.resourceType !== 'Patient') return outcome.invalidResource(`the ${REGISTER_PATIENT_PARAMETER} parameter must hold a Patient resource`);
  return resource;
}

interface SubmittedPatient {
  nhsNumber: string;
  family: string;
  given: string[];
  prefix?: string;
  gender?: PracticePatient['gender'];
  birthDate: string;
  address?: PracticePatient['address'];
  phone?: string;
}

/** Repeating elements must be arrays of objects, or the Patient cannot be read: 422 INVALID_RESOURCE. */
function unreadable(patient: Json): string | undefined {
  for (const key of ['identifier', 'name', 'address', 'telecom', 'extension'] as const) {
    if (patient[key] !== undefined && (!Array.isArray(patient[key]) || !(patient[key] as unknown[]).every(isObject))) return `Patient.${key} is not an array of elements`;
  }
  return undefined;
}

/** Elements that must not be there, or are there too often: 422 INVALID_RESOURCE (PTEST, §5.5). */
function disallowed(patient: Json): string | undefined {
  const extra = Object.keys(patient).filter((k) => !ALLOWED_PATIENT_ELEMENTS.has(k));
  if (extra.length > 0) return `Patient elements not allowed in Register a patient: ${extra.join(', ')}`;
  const meta = patient.meta;
  const profiles = isObject(meta) && Array.isArray(meta.profile) ? meta.profile : [];
  // "MUST have meta.profile" (§5.5); an invalid Patient is INVALID_RESOURCE (spec error table).
  if (!profiles.includes(GpcProfile.patient)) return `Patient.meta.profile must name ${GpcProfile.patient}`;
  const extensions = (patient.extension ?? []) as Json[];
  const unknownExtension = extensions.find((e) => e.url !== GpcExtension.nhsCommunication);
  if (unknownExtension) return `extension ${JSON.stringify(unknownExtension.url)} is not allowed (only nhsCommunication)`;
  if (extensions.length > 1) return 'at most one nhsCommunication extension';
  const addresses = (patient.address ?? []) as Json[];
  // One home address; MAY one temp address (§5.5).
  const homeAddresses = addresses.filter((a) => a.use === undefined || a.use === 'home');
  const tempAddresses = addresses.filter((a) => a.use === 'temp');
  if (homeAddresses.length > 1 || tempAddresses.length > 1 || homeAddresses.length + tempAddresses.length !== addresses.length) {
    return 'at most one home address and one temp address';
  }
  const names = (patient.name ?? []) as Json[];
  if (names.filter((n) => n.use === 'official').length > 1) return 'only one official name';
  // Other names (usual, nickname …) are accepted and not kept: PTEST "Register patient with additional
  // valid elements: Name" sends a nickname and expects success (review F24).
  const identifiers = (patient.identifier ?? []) as Json[];
  if (identifiers.some((id) => !isBlank(id.system) && id.system !== System.nhsNumber)) return `only the ${System.nhsNumber} identifier may be sent`;
  if (identifiers.filter((id) => id.system === System.nhsNumber).length > 1) return 'only one NHS number identifier';
  if (patient.gender !== undefined && (typeof patient.gender !== 'string' || !GENDERS.has(patient.gender))) return `gender ${JSON.stringify(patient.gender)} is not a FHIR gender`;
  if (patient.birthDate !== undefined && (typeof patient.birthDate !== 'string' || !DATE.test(patient.birthDate))) return 'birthDate is not a yyyy-mm-dd date';
  return undefined;
}

/** The minimum a registration must carry, and telecom uses once each: 400 BAD_REQUEST (PTEST, §5.5). */
function minimum(patient: Json): string | undefined {
  if (patient.birthDate === undefined) return 'Patient.birthDate is required';
  const identifiers = (patient.identifier ?? []) as Json[];
  if (identifiers.some((id) => isBlank(id.system))) return 'a Patient.identifier has no system';
  // No NHS number at all: PTEST "Register patient without sending identifier within patient" expects
  // 400 INVALID_NHS_NUMBER (registerPatient answers it so, before the other minimum checks).
  const official = ((patient.name ?? []) as Json[]).find((n) => n.use === 'official');
  if (!official) return 'a Patient.name with use official is required';
  if (isBlank(official.family)) return 'the official name needs a family name';
  if (!Array.isArray(official.given) || !official.given.some((g) => !isBlank(g))) return 'the official name needs a given name';
  // home/work/mobile phone at most one each, one email whatever its use, and MAY one temp phone (§5.5).
  const seen = new Set<string>();
  for (const t of (patient.telecom ?? []) as Json[]) {
    const key = t.system === 'email' ? 'email' : `${String(t.system)}/${String(t.use)}`;
    if (seen.has(key)) return `more than one telecom ${key}`;
    seen.add(key);
  }
  return undefined;
}

function submitted(patient: Json): SubmittedPatient {
  const nhs = ((patient.identifier ?? []) as Json[]).find((id) => id.system === System.nhsNumber)!;
  const official = ((patient.name ?? []) as Json[]).find((n) => n.use === 'official')!;
  const prefix = Array.isArray(official.prefix) && typeof official.prefix[0] === 'string' ? official.prefix[0] : undefined;
  const home = ((patient.address ?? []) as Json[]).find((a) => a.use === undefined || a.use === 'home');
  const phone = ((patient.telecom ?? []) as Json[]).find((t) => t.system === 'phone' && (t.use === 'home' || t.use === 'mobile'));
  return {
    nhsNumber: typeof nhs.value === 'string' ? nhs.value : '',
    family: String(official.family),
    given: (official.given as unknown[]).filter((g): g is string => typeof g === 'string'),
    ...(prefix ? { prefix } : {}),
    ...(typeof patient.gender === 'string' ? { gender: patient.gender as PracticePatient['gender'] } : {}),
    birthDate: String(patient.birthDate),
    ...(home && Array.isArray(home.line) && typeof home.postalCode === 'string'
      ? { address: { line: home.line.map(String), ...(typeof home.city === 'string' ? { city: home.city } : {}), postalCode: home.postalCode } }
      : {}),
    ...(phone && typeof phone.value === 'string' ? { phone: phone.value } : {}),
  };
}

/**
 * The Register page's verification (foundations_use_case_register_a_patient.md, "Retrieve the
 * patient's PDS record"): the date of birth exactly PDS's, or 2 of its 3 parts (YYYY, MM, DD) with
 * the first 3 characters of the first family name and the initial of the given name (review F24).
 */
export function verifiedAgainstPds(sent: { birthDate: string; family: string; given: string[] }, pds: { birthDate: string; family: string; given: string[] }): boolean {
  if (sent.birthDate === pds.birthDate) return true;
  const a = sent.birthDate.split('-');
  const b = pds.birthDate.split('-');
  const partsMatching = [0, 1, 2].filter((i) => a[i] !== undefined && a[i] === b[i]).length;
  const sameStart = (x: string | undefined, y: string | undefined, n: number) => !!x && !!y && x.trim().slice(0, n).toLowerCase() === y.trim().slice(0, n).toLowerCase() && x.trim().length > 0;
  return partsMatching >= 2 && sameStart(sent.family, pds.family, 3) && sameStart(sent.given[0], pds.given[0], 1);
}

/**
 * The Patient returned as the record created "using demographic details sent by the consumer"
 * (Register page, "Local registration requirements"): every telecom and address sent (a temporary
 * one "marked with an end date" would be the SHOULD beyond this) and the nhsCommunication sent.
 * What was not sent stays as PDS gave it. The practice's record keeps the home address and one phone.
 */
function withWhatWasSent(resource: Json, sent: Json): Json {
  const telecom = (sent.telecom ?? []) as Json[];
  const address = (sent.address ?? []) as Json[];
  const communication = ((sent.extension ?? []) as Json[]).filter((e) => e.url === GpcExtension.nhsCommunication);
  return {
    ...resource,
    ...(communication.length > 0 ? { extension: [...(resource.extension as Json[]), ...communication] } : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
    ...(address.length > 0 ? { address } : {}),
  };
}

export async function registerPatient(ctx: ProviderContext, request: Request): Promise<Response> {
  // A clone: the body stays readable after the answer (faults-register.ts judges what was sent).
  const body = await readJson(request.clone());
  // Malformed request body: 400 BAD_REQUEST (§6 BAD_REQUEST scenarios).
  if (body === undefined) return outcome.badRequest('the request body is not JSON');
  const patient = registerPatientParameter(body);
  if (patient instanceof Response) return patient;
  const cannotRead = unreadable(patient);
  if (cannotRead) return outcome.invalidResource(cannotRead);
  // The minimum first (400 BAD_REQUEST, PTEST), so that e.g. a name sent without use official is
  // "no official name" rather than "a name that is not allowed"; then what is not allowed (422).
  if (!((patient.identifier ?? []) as Json[]).some((id) => id.system === System.nhsNumber || isBlank(id.system))) {
    return outcome.invalidNhsNumber('the Patient carries no NHS number identifier');
  }
  const notEnough = minimum(patient);
  if (notEnough) return outcome.badRequest(notEnough);
  const notAllowed = disallowed(patient);
  if (notAllowed) return outcome.invalidResource(notAllowed);
  const p = submitted(patient);
  if (!isValidNhsNumber(p.nhsNumber)) return outcome.invalidNhsNumber(`${JSON.stringify(p.nhsNumber)} is not a valid NHS number`);

  // Already registered and active: 409 DUPLICATE_REJECTED. An inactive record is re-activated as a
  // temporary registration (§5.5).
  const existing = ctx.state.patientByNhsNumber(p.nhsNumber);
  if (existing && existing.active) return outcome.duplicateRejected('Patient record already exists with that NHS number');

  // PDS retrieval and verification (§5.5).
  const pds = ctx.pds.find((r) => r.nhsNumber === p.nhsNumber);
  if (!pds) return outcome.invalidDemographics(`${p.nhsNumber} is not on PDS`);
  if (pds.kind === 'invalidated' || pds.kind === 'superseded') return outcome.invalidNhsNumber(`PDS holds ${p.nhsNumber} as ${pds.kind}`);
  if (pds.kind === 'deceased') return outcome.invalidDemographics(`PDS records ${p.nhsNumber} as deceased`);
  if (pds.kind === 'restricted') return outcome.invalidDemographics(`PDS records ${p.nhsNumber} as sensitive (restricted)`);
  if (!verifiedAgainstPds(p, pds)) return outcome.invalidDemographics(`the demographics sent for ${p.nhsNumber} do not match PDS`);

  const registered = ctx.state.registerPatient({
    nhsNumber: p.nhsNumber,
    family: p.family,
    given: p.given,
    ...(p.prefix ? { prefix: p.prefix } : {}),
    gender: p.gender ?? pds.gender,
    birthDate: p.birthDate,
    sensitive: false,
    deceased: false,
    ...(p.address ? { address: p.address } : pds.address ? { address: pds.address } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
  });
  // 200 (not 201) with a GPConnect-Searchset-Bundle-1 holding the Patient, registrationType T (§5.5).
  return fhirJson(searchset([withWhatWasSent(patientResource(ctx, registered, ctx.now()), patient)]), 200, {}, MediaType.fhirJsonUtf8);
}
