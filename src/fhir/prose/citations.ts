/**
 * The prose rules of GP Connect 1.2.9: the SHALLs and MUSTs of the spec's pages that no StructureDefinition
 * in data/fhir/ expresses. Each rule is written once here, with its page, its heading, the words that make it
 * and its level, so the rule model can grade a finding (SHALL/MUST fails, SHOULD warns) and a report can cite it.
 *
 * A finding's `rule` is the id of one of these rules; its message ends with the citation.
 * Pages: nhsconnect/gpconnect, branch feature/1.2.9 (the latest 1.2.x release).
 */
import type { Level } from '../../results/rule-note';
import type { Ctx, Json } from '../issues';

export interface ProseRule {
  /** The GP Connect 1.2.9 page, by its title. */
  page: string;
  /** The section heading on that page. */
  heading: string;
  /** The page's source, as a link. */
  cite: string;
  /** The standard's own word: MUST and SHALL (also "MUST NOT", "SHALL NOT") are SHALL here; SHOULD (NOT) warns. */
  level: Level;
  /** The words that make the rule, verbatim (abridged with …). */
  quote: string;
}

const SPEC = 'https://github.com/nhsconnect/gpconnect/blob/feature/1.2.9/pages';
const BOOK = `${SPEC}/appointments/appointments_use_case_book_an_appointment.md`;
const READ_APPOINTMENT = `${SPEC}/appointments/appointments_use_case_read_an_appointment.md`;
const FREE_SLOTS = `${SPEC}/appointments/appointments_use_case_search_for_free_slots.md`;
const FIND_PATIENT = `${SPEC}/foundations/foundations_use_case_find_a_patient.md`;
const REGISTER = `${SPEC}/foundations/foundations_use_case_register_a_patient.md`;
const READ_LOCATION = `${SPEC}/foundations/foundations_use_case_read_a_location.md`;
const READ_ORGANISATION = `${SPEC}/foundations/foundations_use_case_read_an_organisation.md`;
const READ_PRACTITIONER = `${SPEC}/foundations/foundations_use_case_read_a_practitioner.md`;
const CAPABILITY = `${SPEC}/foundations/foundations_use_case_get_the_fhir_capability_statement.md`;
const RESOURCES = `${SPEC}/development/development_fhir_resource_guidance.md`;
const GENERAL = `${SPEC}/development/development_general_api_guidance.md`;
const ERRORS = `${SPEC}/development/development_fhir_error_handling_guidance.md`;

/** Every prose rule, by the id a finding carries as its `rule`. */
export const PROSE_CATALOGUE = {
  // ---- Appointment (Appointment Management) ----
  'appointment-meta-profile': {
    page: 'Read an appointment (also Book, Amend, Cancel an appointment; Retrieve a patient\'s appointments)', heading: 'Payload response body',
    cite: READ_APPOINTMENT, level: 'SHALL',
    quote: 'SHALL include the URI of the `GPConnect-Appointment-1` profile StructureDefinition in the `Appointment.meta.profile` element of the returned appointment resource.',
  },
  'appointment-not-populated': {
    page: 'Read an appointment (also Book, Amend, Cancel an appointment; Retrieve a patient\'s appointments)', heading: 'Payload response body',
    cite: READ_APPOINTMENT, level: 'SHALL', quote: 'SHALL NOT populate the following fields: `reason`, `specialty`',
  },
  'book-meta-profile': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'SHALL include the URI of the `GPConnect-Appointment-1` profile StructureDefinition in the `Appointment.meta.profile` element of the appointment resource.',
  },
  'book-status': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'The following data elements are mandatory (that is, data **MUST** be present): … the `status` identifying the appointment as "booked".',
  },
  'book-participant-patient': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'The following data elements are mandatory (that is, data **MUST** be present): a patient `participant` of the appointment.',
  },
  'book-participant-location': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'The following data elements are mandatory (that is, data **MUST** be present): … a location `participant` of the appointment, representing the physical location where the appointment is to take place [and Foundations design decisions › Location in the appointment resource: "When booking an appointment … it must contain one participant element which references a location resource."]',
  },
  'book-booking-organisation': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: '[MUST be present:] the `bookingOrganisation` extension referencing an contained `Organization` resource within the appointment resource.',
  },
  'book-organisation-ods': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: "the contained organization resource SHALL contain an `identifier` with the organisation's ODS code.",
  },
  'book-organisation-details': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'the contained organization resource SHALL contain at least `name` and `telecom` details.',
  },
  'book-created': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'the `created` element SHALL be populated with the date and time the appointment was created.',
  },
  'book-description-length': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: '`description` … Consumers SHALL impose a character limit of 100 characters for this element.',
  },
  'book-comment-length': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: '`comment` … Consumers SHALL impose a character limit of 500 characters for this element.',
  },
  'book-not-included': {
    page: 'Book an appointment', heading: 'Payload request body', cite: BOOK, level: 'SHALL',
    quote: 'The following data elements **MUST NOT** be included: `reason`, `specialty`, the `cancellation-reason` extension',
  },
  // ---- Slot and Schedule (Search for free slots) ----
  'slot-service-type-text': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL populate `Slot.serviceType.text` with a practice defined slot type description',
  },
  'slot-no-specialty': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL NOT populate the `specialty` field on `Schedule` or `Slot`',
  },
  'slot-local-time': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL populate `Slot.start`, `Slot.end`, `Schedule.planningHorizon.start` and `Schedule.planningHorizon.end` elements in (UK) local time in the format `yyyy-mm-ddThh:mm:ss+hh:mm`, with the timezone offset `+00:00` for UTC and `+01:00` for BST',
  },
  'free-slots-searchset': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL return a `Bundle` of type `searchset` containing: `Slot` resources … `Schedule` resources … `Practitioner` resources … `Location` resources … an `Organization` resource',
  },
  'free-slots-entry-type': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'Only `Schedule`, `Practitioner`, `Location` and `Organization` resources SHALL be returned where they are associated with the `Slot` resources matching the query',
  },
  'free-slots-schedule': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL return a `Bundle` of type `searchset` containing: … `Schedule` resources associated with the returned `Slot` resources',
  },
  'free-slots-no-visit': {
    page: 'Search for free slots', heading: 'Payload response body', cite: FREE_SLOTS, level: 'SHALL',
    quote: 'SHALL return a `Bundle` of type `searchset` containing: `Slot` resources for the organisation which: … **and** do not have a delivery channel of \'Visit\'',
  },
  // ---- Patient (Find / Read / Register a patient) ----
  'patient-meta-profile': {
    page: 'Find a patient (also Read a patient, Register a patient response)', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'SHALL populate the following `Patient` fields: `meta.profile` with the profile URI',
  },
  'patient-nhs-number': {
    page: 'Find a patient (also Read a patient, Register a patient)', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: "SHALL populate the following `Patient` fields: … `identifier` with relevant business identifiers, including a minimum of the patient's NHS number",
  },
  'nhs-number-check-digit': {
    page: 'Find a patient; Error handling', heading: 'Error handling; Identity validation errors', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'business identifier fails structural validation checks (that is, not enough digits to be a valid NHS number) [→ `INVALID_NHS_NUMBER`]. An NHS number is 10 digits whose last is a modulus 11 check digit (NHS Data Dictionary).',
  },
  'patient-birth-date': {
    page: 'Find a patient (also Read a patient, Register a patient response)', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'SHALL populate the following `Patient` fields: … `birthDate`',
  },
  'patient-gender': {
    page: 'Find a patient (also Read a patient, Register a patient response)', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'SHALL populate the following `Patient` fields: … `gender`',
  },
  'patient-not-populated': {
    page: 'Find a patient (also Read a patient, Register a patient response)', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'SHALL NOT populate the following fields: `ethnicCategory`, `religiousAffiliation`, `patient-cadavericDonor`, `residentialStatus`, `treatmentCategory`, `birthPlace`, `maritalStatus`, `multipleBirthBoolean`',
  },
  'find-patient-searchset': {
    page: 'Find a patient', heading: 'Payload response body', cite: FIND_PATIENT, level: 'SHALL',
    quote: 'SHALL return zero or more matching `Patient` resources in a `Bundle` of `type` searchset. … SHALL return `Patient` resources that conform to the CareConnect-GPC-Patient-1 profile.',
  },
  'register-meta-profile': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: 'The `meta.profile` field SHALL be populated with CareConnect-GPC-Patient-1 profile URL',
  },
  'register-minimum': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: 'The following fields SHALL be populated as a minimum to allow the provider system to perform a PDS trace: `identifier` with the patient\'s NHS number; `name` including `family` and `given`, with the `use` element set to `official` …; `birthDate`',
  },
  'register-not-allowed': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: '**All other fields MUST NOT be populated.**',
  },
  'register-address': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: '`address` with the patient\'s home address, with the `use` of `home`. No more than one instance of this `use` SHALL be populated. … `address` with temporary address details, with the `use` of `temp`. No more than one instance of this `use` SHALL be populated.',
  },
  'register-telecom': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: '`telecom` … with `use` of `home`, `work` or `mobile`, and `system` of `phone`. No more than one instance of each `use` SHALL be populated. `telecom` with the patient\'s email address … No more than one instance of this SHALL be populated. … `telecom` with temporary telephone details, with the `use` of `temp` and `system` of `phone`. No more than one instance of this SHALL be populated.',
  },
  'register-nhs-communication': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: 'a single instance of `nhsCommunication` if available … **All other fields MUST NOT be populated.**',
  },
  'register-parameters': {
    page: 'Register a patient', heading: 'Payload request body', cite: REGISTER, level: 'SHALL',
    quote: 'The request payload is a Parameters resource as specified by the GPConnect-RegisterPatient-Operation-1 definition, with a single parameter of `registerPatient` containing a `Patient` resource profiled to the CareConnect-GPC-Patient-1',
  },
  'register-response-profile': {
    page: 'Register a patient', heading: 'Payload response body', cite: REGISTER, level: 'SHALL',
    quote: 'SHALL return a searchset `Bundle` profiled to GPConnect-Searchset-Bundle-1 with a `Patient` profiled to CareConnect-GPC-Patient-1',
  },
  // ---- Organization, Location, Practitioner (Read an organisation / a location / a practitioner) ----
  'organization-meta-profile': {
    page: 'Read an organisation (also Search for free slots, "according to population requirements for Read an organization")', heading: 'Payload response body',
    cite: READ_ORGANISATION, level: 'SHALL', quote: 'SHALL populate the following `Organization` fields: `meta.profile` with the profile URI',
  },
  'location-meta-profile': {
    page: 'Read a location (also Search for free slots)', heading: 'Payload response body', cite: READ_LOCATION, level: 'SHALL',
    quote: 'SHALL populate the following `Location` fields: `meta.profile` with the profile URI',
  },
  'location-name': {
    page: 'Read a location (also Search for free slots)', heading: 'Payload response body', cite: READ_LOCATION, level: 'SHALL',
    quote: 'SHALL populate the following `Location` fields: … `name`',
  },
  'practitioner-meta-profile': {
    page: 'Read a practitioner (also Search for free slots)', heading: 'Payload response body', cite: READ_PRACTITIONER, level: 'SHALL',
    quote: 'SHALL populate the following `Practitioner` fields: `meta.profile` with the profile URI',
  },
  'contact-point': {
    page: 'FHIR resources', heading: 'ContactPoint', cite: RESOURCES, level: 'SHALL',
    quote: 'The telecom number or address (telephone number, email address etc) SHALL be populated in the `value` element; `system` SHALL be populated in all circumstances',
  },
  // ---- Bundles, OperationOutcome, CapabilityStatement ----
  'full-url': {
    page: 'FHIR resources', heading: 'Bundle.entry.fullUrl', cite: RESOURCES, level: 'SHOULD',
    quote: 'Providers SHOULD NOT populate `Bundle.entry.fullUrl`.',
  },
  'outcome-meta-profile': {
    page: 'Error handling', heading: 'Operation outcome usage', cite: ERRORS, level: 'SHALL',
    quote: 'In the event of an error, provider systems **SHALL** respond by providing an OperationOutcome resource profiled to GPConnect-OperationOutcome-1.',
  },
  'outcome-spine-code': {
    page: 'Error handling', heading: 'Operation outcome usage', cite: ERRORS, level: 'SHALL',
    quote: '**SHALL** contain details of the `Spine error code` in the `OperationOutcome.issue.details.coding.code` and `OperationOutcome.issue.details.coding.display` fields. These shall be taken from the standard set of NHS Spine error codes as defined in the spine-error-or-warning-code-1 value set. [Every example on the page writes the system https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1.]',
  },
  'capability-json': {
    page: 'General API guidance', heading: 'Wire format representations', cite: GENERAL, level: 'SHALL',
    quote: 'Servers SHALL support JSON … Systems SHALL declare which format(s) they support in their CapabilityStatement.',
  },
  'capability-fhir-version': {
    page: 'Get the FHIR capability statement; FHIR resources', heading: 'Payload response body; Introduction', cite: CAPABILITY, level: 'SHALL',
    quote: 'SHALL return a capability statement which conforms to the standard FHIR CapabilityStatement [STU3]. … GP Connect versions 1.x use the FHIR STU3 standard to specify the API and profiles.',
  },
} as const satisfies Record<string, ProseRule>;

export type ProseRuleId = keyof typeof PROSE_CATALOGUE;

/** The citation a message ends with: `(GP Connect 1.2.9, Book an appointment › Payload request body, SHALL)`. */
export function citation(id: ProseRuleId): string {
  const r: ProseRule = PROSE_CATALOGUE[id];
  return `GP Connect 1.2.9, ${r.page} › ${r.heading}, ${r.level}`;
}

/** Records a finding of prose rule `id` at `path`. */
export function report(ctx: Ctx, id: ProseRuleId, path: string, message: string): void {
  ctx.add(path, id, `${message} (${citation(id)})`);
}

// ---- reading without judging: the StructureDefinitions report wrong shapes, the prose rules only read ----

export function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The items of a repeating element (nothing when it is absent or not an array). */
export function items(obj: Json, key: string): unknown[] {
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

/** A non-empty string value, or undefined. */
export function text(obj: unknown, key: string): string | undefined {
  if (!isJson(obj)) return undefined;
  const v = obj[key];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Present in FHIR JSON terms: not absent, null, "", [] or {}. */
export function populated(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.some(populated);
  if (isJson(v)) return Object.keys(v).length > 0;
  return true;
}

/** The indexes of the extensions of `obj` whose url is `url`. */
export function extensionsWithUrl(obj: Json, url: string): number[] {
  return items(obj, 'extension').flatMap((e, i) => (isJson(e) && e.url === url ? [i] : []));
}

/** Does meta.profile list `url`? */
export function declaresProfile(resource: Json, url: string): boolean {
  return isJson(resource.meta) && Array.isArray(resource.meta.profile) && resource.meta.profile.includes(url);
}

/** The `meta.profile` prose rules: the resource names its GP Connect profile. */
export function requireProfile(ctx: Ctx, r: Json, path: string, url: string, id: ProseRuleId): void {
  if (!declaresProfile(r, url)) report(ctx, id, `${path}.meta.profile`, `${path}.meta.profile does not contain ${url}`);
}

/**
 * The ContactPoint population rule of the FHIR resources page: every telecom has a `system` and a `value`.
 * (CareConnect-GPC-Patient-1 makes both 1.. itself; the Organization, Location and Practitioner profiles do not.)
 */
export function contactPoints(ctx: Ctx, r: Json, path: string): void {
  items(r, 'telecom').forEach((t, i) => {
    if (!isJson(t)) return;
    for (const key of ['system', 'value']) {
      if (!populated(t[key])) report(ctx, 'contact-point', `${path}.telecom[${i}].${key}`, `${path}.telecom[${i}].${key} is absent; every ContactPoint has a ${key}`);
    }
  });
}
