/**
 * GP Connect's interactions as they go on the wire, once (gpconnect-spec.md §5.1–§5.6): one builder
 * per interaction gives its ID, verb, path below the provider's service root, query and body, from
 * typed parameters. A negative test makes its variant from a conformant operation by a named change
 * (withoutQueryParameter, withQueryParameter, withRawQuery …), never by writing a path by hand.
 */
import { Interaction, REGISTER_PATIENT_PARAMETER, SlotSearch, System, type InteractionId, FORMAT_PARAMETER } from './constants';
import { ukDateAhead } from './dates';

type Json = Record<string, unknown>;

/** The verbs GP Connect uses, and the ones a negative test sends to see them refused (Http.feature). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

/** One query parameter, name and value as they read, before percent-encoding. */
export type QueryParameter = readonly [name: string, value: string];

/** A GP Connect request relative to the provider's service root, not yet addressed or signed. */
export interface GpcOperation {
  /** The use case, as the spec's pages name it ("Search for free slots"). */
  readonly name: string;
  /** What goes in Ssp-InteractionID and picks the JWT's requested_scope (§4, §5.1). */
  readonly interaction: InteractionId;
  readonly method: HttpMethod;
  /** Below the service root, each segment percent-encoded: `/Appointment/123`. */
  readonly path: string;
  /** In order; encoded when the request is written (relativeTarget). */
  readonly query: readonly QueryParameter[];
  /** The query exactly as a negative test writes it (already encoded, perhaps wrongly): replaces `query`. */
  readonly rawQuery?: string;
  /** The FHIR resource sent (POST, PUT). */
  readonly body?: Json;
}

const segment = encodeURIComponent;

// ------------------------------------------------------------------ Foundations

/** Get the capability statement: `GET /metadata` (§5.2). */
export function getCapabilityStatement(): GpcOperation {
  return { name: 'Get the capability statement', interaction: Interaction.readMetadata, method: 'GET', path: '/metadata', query: [] };
}

/** Find a patient by NHS number: `GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}` (§5.4). */
export function findAPatient(nhsNumber: string): GpcOperation {
  return { name: 'Find a patient', interaction: Interaction.searchPatient, method: 'GET', path: '/Patient', query: [['identifier', `${System.nhsNumber}|${nhsNumber}`]] };
}

/** Read a patient by the provider's logical id: `GET /Patient/[id]` (§5.1). */
export function readAPatient(id: string): GpcOperation {
  return { name: 'Read a patient', interaction: Interaction.readPatient, method: 'GET', path: `/Patient/${segment(id)}`, query: [] };
}

/** Register a patient: `POST /Patient/$gpc.registerpatient` with one `registerPatient` Patient in a Parameters body (§5.5). */
export function registerAPatient(patient: Json): GpcOperation {
  return {
    name: 'Register a patient',
    interaction: Interaction.registerPatient,
    method: 'POST',
    path: '/Patient/$gpc.registerpatient',
    query: [],
    body: { resourceType: 'Parameters', parameter: [{ name: REGISTER_PATIENT_PARAMETER, resource: patient }] },
  };
}

/** Read an organisation: `GET /Organization/[id]` (§5.1). */
export function readAnOrganization(id: string): GpcOperation {
  return { name: 'Read an organisation', interaction: Interaction.readOrganization, method: 'GET', path: `/Organization/${segment(id)}`, query: [] };
}

/** Read a practitioner: `GET /Practitioner/[id]` (§5.1). */
export function readAPractitioner(id: string): GpcOperation {
  return { name: 'Read a practitioner', interaction: Interaction.readPractitioner, method: 'GET', path: `/Practitioner/${segment(id)}`, query: [] };
}

/** Read a location: `GET /Location/[id]` (§5.1). */
export function readALocation(id: string): GpcOperation {
  return { name: 'Read a location', interaction: Interaction.readLocation, method: 'GET', path: `/Location/${segment(id)}`, query: [] };
}

// ------------------------------------------------------------------ Appointment Management

/** The days a slot search spans, as UK dates `yyyy-mm-dd` (§5.3: the window is in UK local time). */
export interface SlotWindow {
  start: string;
  end: string;
}

/** From `fromDays` to `toDays` days after today, today being the UK's (one clock: src/gpconnect/dates.ts). */
export function slotWindow(fromDays: number, toDays: number, now = new Date()): SlotWindow {
  return { start: ukDateAhead(fromDays, now), end: ukDateAhead(toDays, now) };
}

/** The organisation a consumer books for, as it names itself in a slot search (§5.3 searchFilter, SHOULD). */
export interface BookingOrganisation {
  /** Its ODS code. */
  ods?: string;
  /** Its GPConnect-OrganisationType-1 code (`urgent-care`, `gp-practice`). */
  type?: string;
}

export interface FreeSlotSearch {
  window: SlotWindow;
  /** The `_include:recurse` values besides the mandatory `_include=Slot:schedule`: all three unless given. */
  recurse?: readonly string[];
  bookingOrganisation?: BookingOrganisation;
}

/** Every `_include:recurse` a slot search may ask for (§5.3). */
export const ALL_SLOT_RECURSE_INCLUDES: readonly string[] = [SlotSearch.includePractitioner, SlotSearch.includeLocation, SlotSearch.includeManagingOrganization];

/** The searchFilter parameters naming the booking organisation: organisation type, then ODS code, as §5.3's example has them. */
function bookingOrganisationFilters(organisation: BookingOrganisation | undefined): QueryParameter[] {
  const filters: QueryParameter[] = [];
  if (organisation?.type) filters.push([SlotSearch.searchFilter, `${System.organisationType}|${organisation.type}`]);
  if (organisation?.ods) filters.push([SlotSearch.searchFilter, `${System.odsOrganizationCode}|${organisation.ods}`]);
  return filters;
}

/**
 * Search for free slots: `GET /Slot?status=free&start=ge{start}&end=le{end}&_include=Slot:schedule`,
 * the `_include:recurse` asked for and the booking organisation's searchFilters (§5.3).
 */
export function searchForFreeSlots(search: FreeSlotSearch): GpcOperation {
  const query: QueryParameter[] = [
    [SlotSearch.status, SlotSearch.statusFree],
    [SlotSearch.start, SlotSearch.startPrefix + search.window.start],
    [SlotSearch.end, SlotSearch.endPrefix + search.window.end],
    [SlotSearch.include, SlotSearch.includeSchedule],
    ...(search.recurse ?? ALL_SLOT_RECURSE_INCLUDES).map((r): QueryParameter => [SlotSearch.includeRecurse, r]),
    ...bookingOrganisationFilters(search.bookingOrganisation),
  ];
  return { name: 'Search for free slots', interaction: Interaction.searchSlot, method: 'GET', path: '/Slot', query };
}

/** Book an appointment: `POST /Appointment` with the Appointment (§5.6). */
export function bookAnAppointment(appointment: Json): GpcOperation {
  return { name: 'Book an appointment', interaction: Interaction.createAppointment, method: 'POST', path: '/Appointment', query: [], body: appointment };
}

/** Read an appointment: `GET /Appointment/[id]` (§5.1). */
export function readAnAppointment(id: string): GpcOperation {
  return { name: 'Read an appointment', interaction: Interaction.readAppointment, method: 'GET', path: `/Appointment/${segment(id)}`, query: [] };
}

// ------------------------------------------------------------------ on the wire

/**
 * A name as the spec writes it, percent-encoded where it must be: `:` may stand in a query
 * (RFC 3986 §3.4), so `_include:recurse` reads as in §5.3.
 */
const encodeName = (name: string) => encodeURIComponent(name).replace(/%3A/g, ':');

/** Path and query as sent after the service root: every value percent-encoded, `|` as %7C and `+` as %2B (CORE ssp_implementation_guide). */
export function relativeTarget(operation: GpcOperation): string {
  const query = operation.rawQuery ?? operation.query.map(([name, value]) => `${encodeName(name)}=${encodeURIComponent(value)}`).join('&');
  return query === '' ? operation.path : `${operation.path}?${query}`;
}

// ------------------------------------------------------------------ named changes, for negative tests

/** Without any parameter of exactly this name (`_include` leaves `_include:recurse`). */
export function withoutQueryParameter(operation: GpcOperation, name: string): GpcOperation {
  return { ...operation, query: operation.query.filter(([n]) => n !== name) };
}

/** With `name` set to the one value given, where it stood (at the end when it was absent). */
export function withQueryParameter(operation: GpcOperation, name: string, value: string): GpcOperation {
  const at = operation.query.findIndex(([n]) => n === name);
  const rest = operation.query.filter(([n]) => n !== name);
  rest.splice(at < 0 ? rest.length : at, 0, [name, value]);
  return { ...operation, query: rest };
}

/** With one more parameter at the end, whatever is there already (a second searchFilter). */
export function withAddedQueryParameter(operation: GpcOperation, name: string, value: string): GpcOperation {
  return { ...operation, query: [...operation.query, [name, value]] };
}

/** With the query replaced by the text given, sent exactly as written. */
export function withRawQuery(operation: GpcOperation, rawQuery: string): GpcOperation {
  return { ...operation, rawQuery };
}

/** With `_format`, which overrides Accept (§2.7); an empty format leaves the operation as it is. */
export function withFormat(operation: GpcOperation, format: string): GpcOperation {
  return format === '' ? operation : withQueryParameter(operation, FORMAT_PARAMETER, format);
}

/**
 * With another verb and path below the service root, the interaction ID kept: a request no route
 * serves (an unknown path, a verb the resource does not take, a path in the wrong case), as
 * Http.feature sends them. The body goes only with POST and PUT.
 */
export function withRequestLine(operation: GpcOperation, method: HttpMethod, path: string): GpcOperation {
  const { body, ...rest } = operation;
  return { ...rest, method, path, ...(method === 'POST' || method === 'PUT' ? (body ? { body } : {}) : {}) };
}
