/**
 * The reference consumer's conformant variants: choices the standard leaves to a supplier, each one a
 * real consumer could make, switched on by name (GPC_CONSUMER_VARIANTS, the {variants} placeholder).
 * Against each the consumer features must fail nothing (test/system/consumer-variant-proof.test.ts):
 * a rule that fails a variant is wrong, not strict (DESIGN.md "Proving the harness").
 *
 * Each is a one-line switch `hasVariant(config, '…')` at the point of the choice, in spine.ts,
 * ssp-client.ts or consumer.ts, as faults are (faults.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ConsumerConfig } from './config';

export interface ConsumerVariant {
  name: string;
  /** What the consumer does differently, in one sentence. */
  description: string;
  /** Why the standard allows it, with where it says so. */
  allowedBy: string;
  /** The MAY the choice leaves out, declared false in the profile a run with the variant uses (src/actors/profiles/consumer.ts CONSUMER_VARIANT_DECLARATIONS). */
  declares?: 'registersPatients' | 'retriesWithAnotherWindow';
}

const CATALOGUE = [
  // --- PDS and SDS (steps 1–2)
  {
    name: 'sds-accept-list',
    description: 'Sends SDS the Accept list an HTTP library sends by default (axios: application/json, text/plain, */*).',
    allowedBy: 'The real SDS splits Accept on commas and answers FHIR JSON when */* or application/fhir+json is in the list (NHSDigital/spine-directory-service-api docker/sds-api/spine-directory-service/sds/request/content_type_validator.py).',
  },
  {
    name: 'no-sds-correlation-id',
    description: 'Sends SDS no X-Correlation-Id.',
    allowedBy: 'X-Correlation-Id is optional; SDS makes one up (spine-directory-service-api sds/request/tracking_ids_headers_reader.py; shared/spec/pds-sds.md §2.1).',
  },
  {
    name: 'reuses-pds-trace-across-sessions',
    description: 'Keeps PDS traces in a cache shared by every session (SDS answers stay per session and patient).',
    allowedBy: 'integration_illustrated.md step 1: "a cached version of these trace results may be available to the consumer", with no session limit; only SDS answers may not outlive a session (integration_spine_directory_service.md).',
  },
  {
    name: 'proceeds-for-deceased-patient',
    description: 'Goes on to the practice for a patient PDS gives as deceased, leaving the practice to refuse (it shows the refusal, and books nothing).',
    allowedBy: 'No GP Connect rule stops the consumer: the practice is the gate (foundations_use_case_find_a_patient.md returns active patients only; foundations_use_case_register_a_patient.md refuses a deceased patient with INVALID_PATIENT_DEMOGRAPHICS).',
  },
  {
    name: 'uppercase-uuids',
    description: 'Writes its X-Request-ID, X-Correlation-Id and Ssp-TraceID UUIDs in upper case (as some platforms print them).',
    allowedBy: 'RFC 4122 §3: UUID hex digits are "case insensitive on input"; the PDS FHIR API\'s RequestID pattern accepts A-F (personal-demographics.yaml), and the GP Connect SSP header is "a GUID" (integration_spine_secure_proxy.md).',
  },
  // --- Through the SSP (§2)
  {
    name: 'lowercase-bearer',
    description: 'Writes the Authorization scheme in lower case: bearer <JWT>.',
    allowedBy: 'RFC 7235 §2.1: the auth-scheme is a case-insensitive token.',
  },
  {
    name: 'charset-with-space',
    description: 'Sends a body as Content-Type: application/fhir+json; charset=utf-8 (a space before charset).',
    allowedBy: 'development_general_api_guidance.md "Character encoding": charset=utf-8 is the SHALL; "there should not be a space" is a SHOULD, and RFC 7231 §3.1.1.1 allows whitespace around ";".',
  },
  {
    name: 'no-accept-header',
    description: 'Sends no Accept header to the SSP (a body carries its Content-Type).',
    allowedBy: 'development_general_api_guidance.md "Content types": with no Accept or _format the server SHALL answer in the Content-Type\'s format, or else "SHALL default to JSON".',
  },
  {
    name: 'accept-with-charset',
    description: 'Asks for Accept: application/fhir+json;charset=utf-8.',
    allowedBy: 'development_general_api_guidance.md "Character encoding": "Requests MAY also specify this charset parameter in the Accept header".',
  },
  {
    name: 'extra-accept-xml-json',
    description: 'Lists both FHIR formats in Accept, JSON first: application/fhir+json, application/fhir+xml;q=0.9.',
    allowedBy: 'development_general_api_guidance.md "Content types": servers SHALL support application/fhir+json and SHOULD support application/fhir+xml; RFC 7231 §5.3.2 Accept lists with quality values.',
  },
  {
    name: 'speaks-xml',
    description: 'Speaks FHIR XML to the practice, as HAPI-based consumers do by default: asks for it (Accept: application/fhir+xml), sends its bodies in it (Content-Type: application/fhir+xml;charset=utf-8) and reads XML answers.',
    allowedBy: 'development_general_api_guidance.md "Content types": servers SHOULD support application/fhir+xml and SHALL answer in the format asked for or 415; support_faq.md leaves the choice of JSON or XML to the consumer.',
  },
  // --- The JWT (§4)
  {
    name: 'user-guid-as-id',
    description: "Sets requesting_practitioner.id and sub to a GUID it keys the user on, the user's id staying in the local identifier.",
    allowedBy: 'integration_cross_organisation_audit_and_provenance.md "requesting_practitioner claim": id is "a unique logical identifier (e.g. user ID or GUID) for the logged on user" and SHALL match sub; the local identifier is a separate element (catalogue CONS-JWT-USER notes).',
  },
  // --- Book an appointment (6a)
  {
    name: 'z-instants-in-booking',
    description: "Writes the booking's start and end as the same instants in UTC (Z) rather than with the slot's UK offset.",
    allowedBy: 'appointments_use_case_book_an_appointment.md: "the start SHALL be the start time of the earlier slot" (a time, not a spelling); Appointment.start/end are FHIR STU3 instants, for which Z is a time zone. The UK-offset form is required only of slot search parameters and of the provider\'s Slot times (appointments_use_case_search_for_free_slots.md).',
  },
  // --- Cancel, amend and retrieve (issue 18)
  {
    name: 'no-if-match',
    description: 'Cancels and amends without an If-Match header.',
    allowedBy: 'The official provider suite sends cancels and amends without If-Match and demands they succeed (AppointmentCancel.feature, AppointmentAmend.feature), and issue 18 takes the header as optional: the harness judges If-Match only when it is sent (CONS-CANCEL-IF-MATCH, CONS-AMEND-IF-MATCH notes).',
  },
  {
    name: 'retrieve-default-range',
    description: "Retrieves a patient's appointments over its own default range, today and the 13 days after, whatever range the user asked for.",
    allowedBy: 'appointments_use_case_retrieve_a_patients_appointments.md "Search parameters" sets no range length: any ge/le pair of plain dates not in the past is conformant (CONS-RETRIEVE-RANGE, CONS-RETRIEVE-NOT-PAST).',
  },
  // --- The MAYs (steps 4c, 5c): leaving one out, the profile declares it false and its scenario is not applicable
  {
    name: 'single-search-window',
    description: 'Searches one date range only: when it has no free slot, tells the user so instead of searching the next.',
    allowedBy: 'integration_illustrated.md step 4c: "the consumer may make repeated calls to Search for free slots with amended date ranges" (a MAY; catalogue CONS-SLOTS-NEXT-WINDOW).',
    declares: 'retriesWithAnotherWindow',
  },
  {
    name: 'does-not-register',
    description: 'Does not register a patient the practice has no record of: tells the user the patient is not registered there.',
    allowedBy: 'appointments_design.md "New/unknown patients booking": "It will be possible to register the patient via the GP Connect \'Register a Patient\' API" (possible, not required; catalogue CONS-REGISTER is a MAY).',
    declares: 'registersPatients',
  },
] as const satisfies readonly ConsumerVariant[];

export type ConsumerVariantName = (typeof CATALOGUE)[number]['name'];

/** Every conformant variant the reference consumer knows. */
export const CONSUMER_VARIANTS: readonly ConsumerVariant[] = CATALOGUE;

const NAMES: ReadonlySet<string> = new Set(CATALOGUE.map((v) => v.name));

/** The names given that the catalogue does not know. */
export function unknownVariants(names: Iterable<string>): string[] {
  return [...names].filter((n) => !NAMES.has(n));
}

/** Throws naming the unknown variants and every known one. */
export function checkVariants(names: Iterable<string>): void {
  const unknown = unknownVariants(names);
  if (unknown.length > 0) throw new Error(`unknown reference consumer variant(s): ${unknown.join(', ')} (known: ${[...NAMES].join(', ')})`);
}

/** Where the variant proof's probe collects the variants asked about (setConsultations); none: not collecting. */
let consultations: Set<ConsumerVariantName> | undefined;

/**
 * From now on, note every variant a choice asks about in `into` (undefined: stop). The variant proof's
 * probe (test/support/proof-run.ts) gives a set per scenario: a variant nothing asked about in a
 * scenario cannot change what the consumer does there.
 */
export function setConsultations(into: Set<ConsumerVariantName> | undefined): void {
  consultations = into;
}

/** Is this variant switched on? (a typed name, so a misspelt switch does not compile). */
export function hasVariant(config: Pick<ConsumerConfig, 'variants'>, name: ConsumerVariantName): boolean {
  consultations?.add(name);
  return config.variants?.has(name) ?? false;
}

/** A new UUID, in upper case under the `uppercase-uuids` variant. */
export function newUuid(config: Pick<ConsumerConfig, 'variants'>): string {
  const id = randomUUID();
  return hasVariant(config, 'uppercase-uuids') ? id.toUpperCase() : id;
}
