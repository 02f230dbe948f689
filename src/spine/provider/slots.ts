/**
 * Search for free slots: `GET [base]/Slot?...` (gpconnect-spec.md §5.3). The guard has already
 * checked the Ssp-* headers, the JWT and content negotiation; this checks the query and answers.
 *
 * Error codes where the spec only says "SHALL return an error" are the de-facto ones (§5.3, §9
 * conflict 9; PTEST SearchForFreeSlots.feature, DEMO SlotResourceProvider.java): a missing
 * `start`/`end`/`status` or `_include=Slot:schedule` is 400 BAD_REQUEST; a value that is there but
 * wrong (bad date, bad prefix, no/`Z`/wrong UK offset, `status` other than `free`, range over 14
 * days or end before start) is 422 INVALID_PARAMETER.
 */
import { GpcAppointmentExtension, GpcProfile, Header, MediaType, ODS_SITE_CODE_SYSTEM, SlotSearch, SpineError, System } from '../../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import type { Location, PlanningHorizon, Practitioner, ProviderChoices, ProviderContext, ProviderState, Schedule, Slot } from './context';
import { horizonOf, londonOffsetMinutes, londonToInstant } from './state';

type Json = Record<string, unknown>;

const NO_STORE = { [Header.cacheControl]: 'no-store' };
/** Every answer: `Cache-Control: no-store` (§2.5) and `application/fhir+json;charset=utf-8` (§2.7). */
export const respond = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  fhirJson(body, status, { ...NO_STORE, ...headers }, MediaType.fhirJsonUtf8);

const badRequest = (d: string) => respond(gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', d), 400);
const invalidParameter = (d: string) => respond(gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', d), 422);

const DAY_MS = 24 * 60 * 60 * 1000;

/** A parsed `start`/`end` value: the instant it names and its local wall-clock reading (for the range rule). */
interface Bound {
  /** The window edge: the instant given, or local midnight starting (ge) / ending (le) the date. */
  instant: number;
  /** The local wall-clock value as if it were UTC (dates at 00:00): the 14-day rule counts local days. */
  naive: number;
}

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})([+-])([0-9]{2}):([0-9]{2})$/;
/** The same with Z, read only by a provider that takes any offset (ProviderChoices.acceptAnyOffset). */
const DATE_TIME_Z = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;

/**
 * `yyyy-mm-dd` or `yyyy-mm-ddThh:mm:ss+hh:mm` with London's offset for that moment (§5.3); anything
 * else is a string. The prefix and the UK offset are what the search page asks consumers to send:
 * a provider may read a bound without its prefix, or with another offset, as what it plainly means
 * (`choices`, variants.ts).
 */
function parseBound(name: string, raw: string, prefix: string, edge: 'start' | 'end', choices: ProviderChoices = {}): Bound | string {
  const unprefixed = choices.acceptMissingPrefix && /^[0-9]/.test(raw);
  if (!raw.startsWith(prefix) && !unprefixed) return `${name} must have the prefix "${prefix}" (got ${JSON.stringify(raw)})`;
  const value = unprefixed ? raw : raw.slice(prefix.length);
  const date = DATE.exec(value);
  if (date) {
    const [y, m, d] = date.slice(1, 4).map(Number);
    if (!realDate(y, m, d)) return `${name} ${JSON.stringify(value)} is not a real date`;
    const naive = Date.UTC(y, m - 1, d);
    // le yyyy-mm-dd includes that whole day: the window ends at the next local midnight.
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    const instant = edge === 'start' ? londonToInstant(y, m, d).getTime() : londonToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()).getTime();
    return { instant, naive };
  }
  if (choices.acceptAnyOffset) {
    const zulu = DATE_TIME_Z.exec(value);
    if (zulu) return anyOffsetBound(name, value, zulu.slice(1, 7).map(Number), 0);
  }
  const dt = DATE_TIME.exec(value);
  if (!dt) return `${name} ${JSON.stringify(value)} is not yyyy-mm-dd or yyyy-mm-ddThh:mm:ss+hh:mm (UK local time with its offset; no Z)`;
  const [y, m, d, hh, mm, ss] = dt.slice(1, 7).map(Number);
  if (!realDate(y, m, d) || hh > 23 || mm > 59 || ss > 59) return `${name} ${JSON.stringify(value)} is not a real date and time`;
  const offset = (dt[7] === '-' ? -1 : 1) * (Number(dt[8]) * 60 + Number(dt[9]));
  const naive = Date.UTC(y, m - 1, d, hh, mm, ss);
  const instant = naive - offset * 60000;
  if (choices.acceptAnyOffset) return anyOffsetBound(name, value, [y, m, d, hh, mm, ss], offset);
  // The offset must be London's at that moment: +00:00 in GMT, +01:00 in BST (§5.3). Checking the
  // instant's own offset accepts both readings of the hour repeated in October.
  if (londonOffsetMinutes(new Date(instant)) !== offset) return `${name} ${JSON.stringify(value)} does not have the UK offset for that date and time`;
  return { instant, naive };
}

/** A date-time with any offset (or Z) read as the instant it names; the 14-day rule counts the London local days. */
function anyOffsetBound(name: string, value: string, [y, m, d, hh, mm, ss]: number[], offsetMinutes: number): Bound | string {
  if (!realDate(y, m, d) || hh > 23 || mm > 59 || ss > 59) return `${name} ${JSON.stringify(value)} is not a real date and time`;
  const instant = Date.UTC(y, m - 1, d, hh, mm, ss) - offsetMinutes * 60000;
  return { instant, naive: instant + londonOffsetMinutes(new Date(instant)) * 60000 };
}

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** The one value of a parameter that must appear exactly once: missing → 400, repeated or empty → 422. */
function single(url: URL, name: string): string | Response {
  const values = url.searchParams.getAll(name);
  if (values.length === 0) return badRequest(`the ${name} parameter is missing`);
  if (values.length > 1) return invalidParameter(`the ${name} parameter must be given once (got ${values.length})`);
  if (values[0] === '') return invalidParameter(`the ${name} parameter is empty`);
  return values[0];
}

/** Who is asking (searchFilter, §5.3): ODS codes and organisation types; unknown filters are ignored. */
export interface SlotFilters {
  odsCodes: string[];
  orgTypes: string[];
}

export function parseSearchFilters(url: URL): SlotFilters {
  const filters: SlotFilters = { odsCodes: [], orgTypes: [] };
  for (const value of url.searchParams.getAll(SlotSearch.searchFilter)) {
    const bar = value.indexOf('|');
    if (bar < 0) continue; // not system|code: an unknown filter, ignored (§5.3)
    const system = value.slice(0, bar);
    const code = value.slice(bar + 1);
    if (system === System.odsOrganizationCode) filters.odsCodes.push(code);
    else if (system === System.organisationType) filters.orgTypes.push(code);
  }
  return filters;
}

/**
 * A schedule with no restriction is offered to everyone; a restricted one only to a consumer whose
 * searchFilter names one of its ODS codes or organisation types (§5.3 "matching ODS/org-type
 * filters or unrestricted"). A consumer that sends no filter is only offered unrestricted slots.
 */
export function scheduleOffered(schedule: Schedule, filters: SlotFilters): boolean {
  if (schedule.bookableOdsCodes.length === 0 && schedule.bookableOrgTypes.length === 0) return true;
  return schedule.bookableOdsCodes.some((c) => filters.odsCodes.includes(c)) || schedule.bookableOrgTypes.some((t) => filters.orgTypes.includes(t));
}

export function searchFreeSlots(ctx: ProviderContext, url: URL): Response {
  // Presence first (400), then values (422), so a request missing one parameter and spoiling
  // another is told about the missing one.
  const present = [SlotSearch.start, SlotSearch.end, SlotSearch.status].find((n) => url.searchParams.getAll(n).length === 0);
  if (present) return badRequest(`the ${present} parameter is missing`);
  const includes = url.searchParams.getAll(SlotSearch.include);
  if (!includes.includes(SlotSearch.includeSchedule)) return badRequest(`_include=${SlotSearch.includeSchedule} is mandatory`);

  const status = single(url, SlotSearch.status);
  if (status instanceof Response) return status;
  if (status !== SlotSearch.statusFree) return invalidParameter(`status must be "free" (got ${JSON.stringify(status)})`);

  const rawStart = single(url, SlotSearch.start);
  if (rawStart instanceof Response) return rawStart;
  const rawEnd = single(url, SlotSearch.end);
  if (rawEnd instanceof Response) return rawEnd;
  const start = parseBound('start', rawStart, SlotSearch.startPrefix, 'start', ctx.choices);
  if (typeof start === 'string') return invalidParameter(start);
  const end = parseBound('end', rawEnd, SlotSearch.endPrefix, 'end', ctx.choices);
  if (typeof end === 'string') return invalidParameter(end);
  // End before start: on the local calendar (le of the day before a ge date is -1 day) or in time.
  if (end.naive - start.naive < -(start.naive % DAY_MS) || end.instant < start.instant) return invalidParameter('end is before start');
  // "Two weeks" (§5.3): 0, 8 and 14 days are accepted, 15 is not (PTEST); counted on local dates.
  if (end.naive - start.naive > SlotSearch.maxRangeDays * DAY_MS) return invalidParameter(`the search range is longer than ${SlotSearch.maxRangeDays} days`);

  const recurse = url.searchParams.getAll(SlotSearch.includeRecurse);
  const filters = parseSearchFilters(url);
  const now = ctx.now().getTime();
  const state = ctx.state;
  const schedules = new Map(state.schedules().map((s) => [s.id, s]));

  // Free, wholly inside the window, not already started (not bookable: §5.6 only future
  // appointments), on a schedule offered to this consumer.
  const slots = state
    .slots()
    .filter((slot) => {
      if (slot.status !== 'free') return false;
      const s = Date.parse(slot.start);
      const e = Date.parse(slot.end);
      if (s < start.instant || e > end.instant || s <= now) return false;
      const schedule = schedules.get(slot.scheduleId);
      return schedule !== undefined && scheduleOffered(schedule, filters);
    })
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));

  const entries: Json[] = [];
  if (slots.length > 0) {
    const used = [...new Set(slots.map((s) => s.scheduleId))].map((id) => schedules.get(id)!);
    for (const slot of slots) entries.push(slotResource(slot, schedules.get(slot.scheduleId)!));
    for (const schedule of used) entries.push(scheduleResource(state, schedule));
    if (recurse.includes(SlotSearch.includePractitioner)) {
      for (const id of new Set(used.map((s) => s.practitionerId))) {
        const p = state.practitioners().find((x) => x.id === id);
        if (p) entries.push(practitionerResource(p));
      }
    }
    if (recurse.includes(SlotSearch.includeLocation)) {
      for (const id of new Set(used.map((s) => s.locationId))) {
        const l = state.locations().find((x) => x.id === id);
        if (l) entries.push(locationResource(state, l));
      }
    }
    // Always, with or without _include:recurse=Location:managingOrganization, when there are slots
    // (appointments_known_issues.md, §5.3).
    entries.push(organizationResource(state));
  }
  // The spec example's searchset has no Bundle.meta.profile, no total and no links (§5.3 example;
  // GPConnect-Searchset-Bundle-1 has total/link/entry.search 0..0): written the same way here.
  return respond({ resourceType: 'Bundle', type: 'searchset', entry: entries.map((resource) => ({ resource })) });
}

// ------------------------------------------------------------------------------------------ resources

/** Slots carry no version of their own: "1" while free, "2" once booked. */
const slotVersion = (slot: Slot) => (slot.status === 'free' ? '1' : '2');

export function slotResource(slot: Slot, schedule: Schedule): Json {
  return {
    resourceType: 'Slot',
    id: slot.id,
    meta: { versionId: slotVersion(slot), profile: [GpcProfile.slot] },
    extension: [{ url: GpcAppointmentExtension.deliveryChannel, valueCode: schedule.deliveryChannel }],
    serviceType: [{ text: schedule.serviceType }],
    schedule: { reference: `Schedule/${schedule.id}` },
    status: slot.status,
    start: slot.start,
    end: slot.end,
  };
}

/** The practitioner role extension (SDS job role) of a schedule's practitioner (§5.3, §5.6). */
export function practitionerRoleExtension(practitioner: Practitioner | undefined): Json[] {
  if (!practitioner) return [];
  return [
    {
      url: GpcAppointmentExtension.practitionerRole,
      valueCodeableConcept: {
        coding: [{ system: GpcAppointmentExtension.sdsJobRoleNameSystem, code: practitioner.roleCode, display: practitioner.roleDisplay }],
      },
    },
  ];
}

/** A schedule's planning horizon: the state's own, worked out once per slot window (state.ts), else from its slots. */
function planningHorizon(state: ProviderState, scheduleId: string): PlanningHorizon | undefined {
  return state.planningHorizon ? state.planningHorizon(scheduleId) : horizonOf(state.slots().filter((s) => s.scheduleId === scheduleId));
}

export function scheduleResource(state: ProviderState, schedule: Schedule): Json {
  const practitioner = state.practitioners().find((p) => p.id === schedule.practitionerId);
  const horizon = planningHorizon(state, schedule.id);
  return {
    resourceType: 'Schedule',
    id: schedule.id,
    meta: { versionId: '1', profile: [GpcProfile.schedule] },
    extension: practitionerRoleExtension(practitioner),
    serviceCategory: { text: schedule.serviceCategory },
    actor: [{ reference: `Location/${schedule.locationId}` }, { reference: `Practitioner/${schedule.practitionerId}` }],
    ...(horizon ? { planningHorizon: horizon } : {}),
  };
}

export function practitionerResource(p: Practitioner): Json {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    meta: { versionId: '1', profile: [GpcProfile.practitioner] },
    identifier: [{ system: System.sdsUserId, value: p.sdsUserId }],
    name: [{ use: 'usual', family: p.family, given: p.given, ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
    ...(p.gender ? { gender: p.gender } : {}),
  };
}

/**
 * Location and Organization telecom, and Organization address, are arrays (STU3 0..*), although the
 * spec example writes objects; Location.address is 0..1, a single object.
 */
export function locationResource(state: ProviderState, l: Location): Json {
  return {
    resourceType: 'Location',
    id: l.id,
    meta: { versionId: '1', profile: [GpcProfile.location] },
    ...(l.odsSiteCode ? { identifier: [{ system: ODS_SITE_CODE_SYSTEM, value: l.odsSiteCode }] } : {}),
    name: l.name,
    address: { line: l.address.line, ...(l.address.city ? { city: l.address.city } : {}), postalCode: l.address.postalCode },
    ...(l.phone ? { telecom: [{ system: 'phone', value: l.phone, use: 'work' }] } : {}),
    managingOrganization: { reference: `Organization/${state.organisationId}` },
  };
}

export function organizationResource(state: ProviderState): Json {
  const o = state.organisation;
  return {
    resourceType: 'Organization',
    id: state.organisationId,
    meta: { versionId: '1', profile: [GpcProfile.organization] },
    identifier: [{ system: System.odsOrganizationCode, value: state.ods }],
    name: state.organisationName,
    ...(o ? { address: [{ ...o.address }] } : {}),
    ...(o ? { telecom: [{ system: 'phone', value: o.phone, use: 'work' }] } : {}),
  };
}
