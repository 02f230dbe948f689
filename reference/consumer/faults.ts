/**
 * The reference consumer's fault catalogue: deliberate mistakes, each one a supplier really could
 * make, switched on by name (GPC_CONSUMER_FAULTS), so that every consumer conformance check can be
 * shown to catch the mistake it is about (docs/plan: "Reference consumer fault catalogue").
 *
 * Two kinds. A `request` fault spoils the shape of a GP Connect request just before it is sent
 * (faults-spoils.ts, run as a `beforeSend` hook ahead of any the caller gives). A `behaviour` fault
 * is a one-line switch at the point of the mistake in consumer.ts, spine.ts or ssp-client.ts.
 */
import type { BeforeSend, SspDraft } from './ssp-client';
import type { ConsumerConfig } from './config';
import { SPOILS } from './faults-spoils';

export interface ConsumerFault {
  name: string;
  /** The CONS-* requirement the mistake breaks (requirements/catalogue.yaml). */
  requirement: string;
  /** The supplier mistake, in one sentence. */
  description: string;
  kind: 'request' | 'behaviour';
}

const CATALOGUE = [
  // --- PDS (1a/1b)
  { name: 'skip-pds-trace', requirement: 'CONS-PDS-TRACE', kind: 'behaviour', description: 'Does not trace the patient on PDS and assumes the configured default practice (defaultPracticeOds).' },
  { name: 'pds-without-request-id', requirement: 'CONS-PDS-HEADERS', kind: 'behaviour', description: 'Traces the patient on PDS without the X-Request-ID header, so PDS refuses the trace (400) and the booking goes no further.' },
  { name: 'pds-without-authorization', requirement: 'CONS-PDS-HEADERS', kind: 'behaviour', description: 'Traces the patient on PDS without an Authorization header, as the PDS sandbox allows and no other environment does.' },
  { name: 'sds-before-pds', requirement: 'CONS-PDS-TRACE', kind: 'behaviour', description: 'Looks up the default practice in SDS before tracing the patient on PDS.' },
  // Going on for a restricted or deceased patient is no mistake (review F18: the practice is the
  // gate), so book-restricted-patient and book-deceased-patient are gone; proceeds-for-deceased-patient
  // is a conformant variant (variants.ts). A PDS 404 leaves the NHS number unverified:
  { name: 'keeps-superseded-number', requirement: 'CONS-PDS-SUPERSEDED', kind: 'behaviour', description: 'When PDS answers a superseded NHS number with the record that replaced it, goes on with the number as typed.' },
  { name: 'ignore-pds-not-found', requirement: 'CONS-PDS-STOP', kind: 'behaviour', description: 'On a PDS 404 carries on at the default practice with the NHS number as typed.' },
  // --- SDS (2a–2d)
  { name: 'sds-by-own-ods', requirement: 'CONS-SDS-ENDPOINT', kind: 'behaviour', description: "Asks SDS for the endpoint with the consumer's own ODS code instead of the patient's practice." },
  { name: 'sds-structured-interaction', requirement: 'CONS-SDS-ENDPOINT', kind: 'behaviour', description: 'Asks SDS for the endpoint with the Access Record Structured interaction ID (gpc.getstructuredrecord-1).' },
  { name: 'sds-without-apikey', requirement: 'CONS-SDS-APIKEY', kind: 'behaviour', description: 'Asks SDS without the apikey header, so SDS refuses the lookup (401) and the booking goes no further.' },
  { name: 'skip-device-lookup', requirement: 'CONS-SDS-DEVICE', kind: 'behaviour', description: "Skips the SDS Device lookup and takes the provider's ASID from configuration (providerAsids)." },
  { name: 'sds-cached-across-patients', requirement: 'CONS-SDS-PER-PATIENT', kind: 'behaviour', description: 'Caches SDS answers by ODS code, so every patient at a practice shares one lookup.' },
  { name: 'default-endpoint-when-none', requirement: 'CONS-SDS-NO-ENDPOINT', kind: 'behaviour', description: "When SDS has no endpoint, falls back to A20047's service root and ASID." },
  // --- SSP (§2)
  { name: 'bypass-ssp', requirement: 'CONS-VIA-SSP', kind: 'request', description: "Sends GP Connect requests straight to the provider's service root, not through the SSP." },
  { name: 'add-port-to-root', requirement: 'CONS-SERVICE-ROOT', kind: 'request', description: "Adds :443 to the service root's host in the SSP target URL." },
  { name: 'ssp-to-party-key', requirement: 'CONS-SSP-TO', kind: 'request', description: "Puts the provider's party key in Ssp-To instead of its ASID." },
  { name: 'stamp-hosting-asid', requirement: 'CONS-SSP-FROM', kind: 'request', description: "Stamps every organisation's requests with the hosting organisation's ASID in Ssp-From." },
  { name: 'reuse-trace-id', requirement: 'CONS-TRACE-ID', kind: 'request', description: 'Uses one Ssp-TraceID for every request of the session.' },
  { name: 'wrong-interaction-id', requirement: 'CONS-INTERACTION-ID', kind: 'request', description: 'Books an appointment with the search:slot interaction ID.' },
  { name: 'json-content-type', requirement: 'CONS-CONTENT-TYPE', kind: 'request', description: 'Sends request bodies with Content-Type application/json, without charset=utf-8, instead of application/fhir+json;charset=utf-8.' },
  { name: 'unencoded-pipe', requirement: 'CONS-QUERY-ENCODED', kind: 'request', description: 'Sends the | in token query values raw instead of as %7C.' },
  // --- JWT (§4)
  { name: 'signed-jwt', requirement: 'CONS-JWT-UNSECURED', kind: 'request', description: 'Signs the JWT (alg HS256 with an HMAC signature) instead of sending it unsecured.' },
  { name: 'no-trailing-dot', requirement: 'CONS-JWT-UNSECURED', kind: 'request', description: 'Sends the unsecured JWT as header.payload, without the trailing "." of the empty signature.' },
  { name: 'one-hour-expiry', requirement: 'CONS-JWT-EXPIRY', kind: 'request', description: 'Makes the JWT expire an hour after iat instead of five minutes.' },
  { name: 'stale-token', requirement: 'CONS-JWT-IAT', kind: 'request', description: 'Sends a token made ten minutes before (one token made once and reused).' },
  { name: 'fixed-audience', requirement: 'CONS-JWT-AUD', kind: 'request', description: 'Sets aud to https://authorize.fhir.nhs.net/token, the pre-1.2.3 value, not the service root.' },
  { name: 'reason-administrative', requirement: 'CONS-JWT-REASON', kind: 'request', description: 'Sets reason_for_request to "administrative" instead of "directcare".' },
  { name: 'wrong-scope', requirement: 'CONS-JWT-SCOPE', kind: 'request', description: 'Asks for patient/*.read when registering a patient and booking.' },
  { name: 'no-iss', requirement: 'CONS-JWT-ISS', kind: 'request', description: 'Leaves iss out of the JWT.' },
  { name: 'device-without-identifier', requirement: 'CONS-JWT-DEVICE', kind: 'request', description: 'Sends requesting_device without an identifier.' },
  { name: 'r4-device-claim', requirement: 'CONS-JWT-DEVICE', kind: 'request', description: 'Sends requesting_device in the R4 shape (its model as deviceName [{name, type}]) beside the STU3 model: an element STU3 Device does not have.' },
  { name: 'organisation-without-ods', requirement: 'CONS-JWT-ORGANIZATION', kind: 'request', description: 'Identifies requesting_organization with the ods-site-code system instead of ods-organization-code.' },
  { name: 'hosting-organisation-in-jwt', requirement: 'CONS-JWT-ORGANIZATION', kind: 'request', description: 'Names the hosting organisation as requesting_organization whichever organisation the user works for.' },
  { name: 'system-user', requirement: 'CONS-JWT-PRACTITIONER', kind: 'request', description: 'Names a fixed system user (id "system", no name, no SDS identifiers) instead of the logged-on user.' },
  { name: 'no-local-user-id', requirement: 'CONS-JWT-PRACTITIONER', kind: 'request', description: "Leaves the user's local identifier in the consumer system out of requesting_practitioner, sending only the SDS user and role profile ids." },
  { name: 'retry-with-same-jwt', requirement: 'CONS-JWT-IAT', kind: 'behaviour', description: 'Sends a request that timed out (504) once more after two seconds, with a new Ssp-TraceID but the JWT it made for the first attempt.' },
  { name: 'fixed-system-user', requirement: 'CONS-JWT-USER', kind: 'behaviour', description: 'Names its one configured user (a complete practitioner with SDS ids) in every JWT, whichever user asked.' },
  { name: 'sub-is-sds-user-id', requirement: 'CONS-JWT-SUB', kind: 'request', description: "Sets sub to the user's SDS user id instead of requesting_practitioner.id." },
  // --- Search for free slots (4a–4d)
  { name: 'no-schedule-include', requirement: 'CONS-SLOT-QUERY', kind: 'request', description: 'Leaves _include=Slot:schedule out of the slot search.' },
  { name: 'slot-bounds-as-utc', requirement: 'CONS-SLOT-BOUNDS', kind: 'request', description: 'Sends the slot search bounds as UTC instants with Z (start=ge2026-12-05T00:00:00Z) instead of a date or UK local time with its offset.' },
  { name: 'no-org-type-filter', requirement: 'CONS-BOOK-ORG-TYPE', kind: 'request', description: "Leaves the organisation-type searchFilter out of the slot search but still gives the booking organisation its type." },
  { name: 'rejects-unknown-extensions', requirement: 'CONS-TOLERANT', kind: 'behaviour', description: 'Treats a search answer carrying an extension it does not know as an error, instead of ignoring it.' },
  { name: 'window-28-days', requirement: 'CONS-SLOT-WINDOW', kind: 'behaviour', description: 'Searches four weeks of slots at once instead of at most 14 days.' },
  { name: 'no-second-window', requirement: 'CONS-SLOTS-NEXT-WINDOW', kind: 'behaviour', description: 'Gives up when the first window has no free slot instead of searching the next one.' },
  // --- Find or register the patient (5a–5d)
  { name: 'register-always', requirement: 'CONS-FIND-PATIENT', kind: 'behaviour', description: 'Never searches for the patient at the practice; always registers them.' },
  { name: 'book-without-registering', requirement: 'CONS-REGISTER', kind: 'behaviour', description: 'When the practice has no record, books with Patient/{NHS number} without registering the patient.' },
  { name: 'register-marital-status', requirement: 'CONS-REGISTER', kind: 'request', description: "Sends the patient's marital status in the registration, which the Register page says the consumer MUST NOT send." },
  // --- Book an appointment (6a–6d)
  { name: 'book-patient-nhs-number', requirement: 'CONS-BOOK-PATIENT', kind: 'behaviour', description: "References the patient as Patient/{NHS number} in the booking even when the practice gave a logical id." },
  { name: 'no-location-participant', requirement: 'CONS-BOOK-PARTICIPANTS', kind: 'request', description: 'Books without the location participant.' },
  { name: 'no-booking-organisation', requirement: 'CONS-BOOK-ORGANISATION', kind: 'request', description: 'Books without the booking organisation extension and contained Organization.' },
  { name: 'booking-without-created', requirement: 'CONS-BOOK-VALID', kind: 'request', description: 'Books without Appointment.created, which the book page says SHALL be populated.' },
  { name: 'long-description', requirement: 'CONS-BOOK-DESCRIPTION', kind: 'request', description: 'Sends a 150-character description, over the 100 allowed.' },
  // The same instants with Z would be conformant (review F21, variant z-instants-in-booking); the mistake is dropping the zone.
  { name: 'slot-times-as-utc', requirement: 'CONS-BOOK-SLOT-TIMES', kind: 'request', description: "Rewrites the slot's start and end as UTC clock times with the zone cut off (2026-01-05T09:00:00), which are no instants." },
  { name: 'rebook-same-slot-on-409', requirement: 'CONS-BOOK-CONFLICT', kind: 'behaviour', description: 'After a 409 tries to book the same slot again, up to five more times.' },
  // --- Outcomes and errors (§2.4, §6)
  { name: 'swallow-errors', requirement: 'CONS-OUTCOME-SHOWN', kind: 'behaviour', description: 'Reports a booking the provider answered with an error as booked.' },
  { name: 'retry-on-403', requirement: 'CONS-SSP-REFUSAL', kind: 'behaviour', description: 'Sends a request the SSP refused with 403 again, up to ten more times.' },
  { name: 'retry-5xx-forever', requirement: 'CONS-PROVIDER-ERROR', kind: 'behaviour', description: 'Retries a 500, 502 or 504 up to ten more times, with no back-off.' },
  { name: 'cache-across-sessions', requirement: 'CONS-SESSION-CACHE', kind: 'behaviour', description: 'Keeps the PDS trace, SDS answers and CapabilityStatement in one cache shared by every session.' },
  // --- Cancel an appointment (issue 18)
  { name: 'cancel-as-update', requirement: 'CONS-CANCEL-INTERACTION', kind: 'request', description: 'Cancels an appointment with the update:appointment-1 interaction ID, as the verb and path are the same.' },
  { name: 'cancel-with-read-scope', requirement: 'CONS-CANCEL-SCOPE', kind: 'request', description: 'Asks for patient/*.read in the JWT of a cancellation.' },
  { name: 'cancel-keeps-status', requirement: 'CONS-CANCEL-STATUS', kind: 'request', description: 'Sends a cancellation with the status the appointment had (booked), relying on the interaction ID alone.' },
  { name: 'cancel-without-reason', requirement: 'CONS-CANCEL-REASON', kind: 'request', description: 'Cancels without the cancellation-reason extension.' },
  { name: 'cancel-changes-description', requirement: 'CONS-CANCEL-UNCHANGED', kind: 'request', description: 'Prefixes the description with CANCELLED: when cancelling, changing an element a cancellation may not.' },
  { name: 'cancel-stale-if-match', requirement: 'CONS-CANCEL-IF-MATCH', kind: 'request', description: 'Cancels with an If-Match naming the version before the one it read.' },
  // --- Amend an appointment
  { name: 'amend-as-cancel', requirement: 'CONS-AMEND-INTERACTION', kind: 'request', description: 'Amends an appointment with the cancel:appointment-1 interaction ID.' },
  { name: 'amend-with-read-scope', requirement: 'CONS-AMEND-SCOPE', kind: 'request', description: 'Asks for patient/*.read in the JWT of an amendment.' },
  { name: 'amend-moves-start', requirement: 'CONS-AMEND-ONLY-ALLOWED', kind: 'request', description: "Moves the appointment's start an hour later when amending its comment, as if start could be amended." },
  { name: 'amend-with-cancellation-reason', requirement: 'CONS-AMEND-NO-CANCELLATION', kind: 'request', description: 'Adds a cancellation-reason extension to an amendment.' },
  { name: 'amend-long-comment', requirement: 'CONS-AMEND-LIMITS', kind: 'request', description: 'Sends a 600-character comment, over the 500 allowed.' },
  { name: 'amend-stale-if-match', requirement: 'CONS-AMEND-IF-MATCH', kind: 'request', description: 'Amends with an If-Match naming the version before the one it read.' },
  // --- Retrieve a patient's appointments
  { name: 'retrieve-as-read', requirement: 'CONS-RETRIEVE-INTERACTION', kind: 'request', description: "Retrieves a patient's appointments with the read:appointment-1 interaction ID." },
  { name: 'retrieve-with-write-scope', requirement: 'CONS-RETRIEVE-SCOPE', kind: 'request', description: "Asks for patient/*.write in the JWT of a retrieve of a patient's appointments." },
  { name: 'retrieve-without-end', requirement: 'CONS-RETRIEVE-RANGE', kind: 'request', description: 'Retrieves with start=ge… alone, without the start=le… upper bound.' },
  { name: 'retrieve-with-date-times', requirement: 'CONS-RETRIEVE-DATE-ONLY', kind: 'request', description: 'Retrieves with date-times (start=ge2026-12-05T00:00:00+00:00) instead of plain dates.' },
  { name: 'retrieve-from-yesterday', requirement: 'CONS-RETRIEVE-NOT-PAST', kind: 'request', description: 'Retrieves from the day before the user asked for, so part of the range is in the past.' },
] as const satisfies readonly ConsumerFault[];

export type ConsumerFaultName = (typeof CATALOGUE)[number]['name'];

/** Every deliberate mistake the reference consumer knows, in the order of the worked example. */
export const CONSUMER_FAULTS: readonly ConsumerFault[] = CATALOGUE;

const NAMES: ReadonlySet<string> = new Set(CATALOGUE.map((f) => f.name));

/** The names given that the catalogue does not know. */
export function unknownFaults(names: Iterable<string>): string[] {
  return [...names].filter((n) => !NAMES.has(n));
}

/** Throws naming the unknown faults and every known one. */
export function checkFaults(names: Iterable<string>): void {
  const unknown = unknownFaults(names);
  if (unknown.length > 0) throw new Error(`unknown reference consumer fault(s): ${unknown.join(', ')} (known: ${[...NAMES].join(', ')})`);
}

/** Is this fault switched on? (a typed name, so a misspelt switch does not compile). */
export function hasFault(config: Pick<ConsumerConfig, 'faults'>, name: ConsumerFaultName): boolean {
  return config.faults?.has(name) ?? false;
}

/** What a request fault may need besides the draft. */
export interface FaultContext {
  config: ConsumerConfig;
  /** One Ssp-TraceID for the whole session (reuse-trace-id). */
  sessionTraceId: string;
}

export type Spoil = (draft: SspDraft, context: FaultContext) => void;

/**
 * The request faults switched on, as one `beforeSend` hook run before the caller's own (which then
 * sees the request as the faulty consumer built it); the caller's hook alone when none is on.
 */
export function faultyBeforeSend(config: ConsumerConfig, context: FaultContext, caller?: BeforeSend): BeforeSend | undefined {
  const spoils = CATALOGUE.filter((f) => config.faults?.has(f.name) && f.kind === 'request').map((f) => SPOILS[f.name as keyof typeof SPOILS]);
  if (spoils.length === 0) return caller;
  return (draft) => {
    for (const spoil of spoils) spoil?.(draft, context);
    return caller?.(draft) ?? draft;
  };
}
