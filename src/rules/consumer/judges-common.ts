/**
 * What every consumer judge needs from a scenario's traffic: the SSP requests with the interaction
 * their path performs and the SDS answer they rest on, the PDS traces read, and the traffic split
 * into the bookings the harness asked for.
 *
 * Splitting into bookings (the context has no times for what was asked): entries are taken in
 * arrival order and belong to the current booking until one of these starts the next:
 *  - a PDS trace, when the current booking already has a PDS trace or an SSP request, or when it
 *    traces the next booking's NHS number rather than the current one's;
 *  - any request after the current booking's POST /Appointment was answered 201 (booked).
 * A later booking in the same session that reuses the trace therefore starts at its first request
 * after the previous booking's 201.
 */
import { Header, Interaction, System, interactionsFor } from '../../gpconnect/constants';
import type { BookingRequest, DriverOutcome } from './judge-context';
import { headerValue, type JournalEntry } from '../../gpconnect/exchange';
import type { JudgeContext, Verdict } from './judge-context';
import type { Finding, Findings } from '../rule';
import { ConsumerTraffic, type SspRequest } from './traffic';
import { stepFor } from '../../gpconnect/worked-example';
import { fromXml } from '../../fhir/xml';

export type Json = Record<string, any>;

/**
 * A body as the judges read it: FHIR JSON, or FHIR XML read into the same JSON (src/fhir/xml.ts), so a
 * consumer that sends or asks for XML is judged on the same content; undefined when it is neither.
 */
export function parseJson(text: string | undefined, unknownElements: 'error' | 'ignore' = 'error'): any {
  if (text === undefined) return undefined;
  try {
    return text.trimStart().startsWith('<') ? fromXml(text, { unknownElements }) : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An answer the consumer received, as the judges read it: as parseJson does, but an XML element STU3
 * has not is left out, as the consumer must ignore it (the practice's noise, tolerance.ts); a request
 * body in XML is read strictly (parseJson), so an element a consumer made up is not lost.
 */
export const parseAnswer = (text: string | undefined): any => parseJson(text, 'ignore');

/** The resources of a Bundle (or the resource itself), of one type when asked. */
export function resourcesOf(body: unknown, type?: string): Json[] {
  const json = typeof body === 'string' ? parseAnswer(body) : body;
  if (!json || typeof json !== 'object') return [];
  const list: Json[] = (json as Json).resourceType === 'Bundle' ? ((json as Json).entry ?? []).map((e: Json) => e?.resource).filter(Boolean) : [json as Json];
  return type ? list.filter((r) => r?.resourceType === type) : list;
}

export function identifierValue(resource: Json | undefined, system: string): string | undefined {
  const found = (Array.isArray(resource?.identifier) ? resource!.identifier : []).find((i: Json) => i?.system === system);
  return typeof found?.value === 'string' ? found.value : undefined;
}

/** Query pairs, decoded (a malformed escape is kept as sent). */
export function queryPairs(raw: string): Array<[string, string]> {
  if (!raw) return [];
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return raw.split('&').filter(Boolean).map((part) => {
    const at = part.indexOf('=');
    return at < 0 ? [dec(part), ''] : [dec(part.slice(0, at)), dec(part.slice(at + 1))];
  });
}


/** One request through the SSP, with what the judges need to know about it. */
export interface Req extends SspRequest {
  /** Position in the scenario's traffic (arrival order). */
  at: number;
  /** The relative path: from the SDS address the target begins with, or else from a registered root it loosely matches (port, host case). */
  relative?: string;
  /** The registered service root the target was meant for (exact or loose match). */
  intendedRoot?: string;
  /** The practice the request is for, when known. */
  ods?: string;
  /** The interactions the verb and path perform. */
  interactions: string[];
  query: Array<[string, string]>;
  /** "(4a Search for free slots, GET /Slot)". */
  label: string;
  booking: number;
}

export interface PdsTrace {
  entry: JournalEntry;
  at: number;
  nhsNumber: string;
  patient?: Json;
  /** The registered practice's ODS code (generalPractitioner identifier). */
  gpOds?: string;
  /** Why the booking must stop here, when it must. */
  stop?: string;
  /**
   * `unverified`: PDS answered 404 (not found or invalidated), so the NHS number cannot be verified
   * and nothing may go on; `flagged`: PDS gave the record as restricted, deceased or without a
   * practice, where the practice, not the consumer, is the gate (review F18).
   */
  stopKind?: 'unverified' | 'flagged';
  label: string;
}

export interface SdsLookup {
  entry: JournalEntry;
  at: number;
  kind: 'Endpoint' | 'Device' | 'other';
  ods?: string;
  interactions: string[];
  partyKeys: string[];
  /** Endpoint answers: address and party key of each Endpoint; Device answers: ASIDs. */
  endpoints: Array<{ address: string; partyKey?: string }>;
  asids: string[];
  label: string;
}

export interface Booking {
  index: number;
  asked?: BookingRequest;
  outcome?: DriverOutcome;
  entries: JournalEntry[];
  requests: Req[];
  traces: PdsTrace[];
  lookups: SdsLookup[];
  /** "booking 1 (9693632109)". */
  name: string;
}

export interface Analysis {
  ctx: JudgeContext;
  all: JournalEntry[];
  requests: Req[];
  traces: PdsTrace[];
  /**
   * Traces of earlier scenarios a caching consumer may be relying on (the latest per NHS number,
   * answered 200, position -1: before everything here); none when the profile declares
   * `cachesPdsTrace: false`.
   */
  cachedTraces: PdsTrace[];
  lookups: SdsLookup[];
  bookings: Booking[];
  bookingOf(entry: JournalEntry): Booking;
}

const cache = new WeakMap<JudgeContext, Analysis>();

export function analyse(ctx: JudgeContext): Analysis {
  const known = cache.get(ctx);
  if (known) return known;
  const all = ctx.traffic.all;
  const position = new Map(all.map((e, i) => [e, i]));
  const traces: PdsTrace[] = ctx.traffic.pdsTraces().map(({ entry, nhsNumber }) => traceOf(entry, nhsNumber, position.get(entry) ?? -1));
  const lookups: SdsLookup[] = ctx.traffic.sdsLookups().map((l) => lookupOf(l, position.get(l.entry) ?? -1));
  const roots = registeredRoots(ctx);
  const requests: Req[] = ctx.traffic.sspRequests().map((r) => requestOf(r, position.get(r.entry) ?? -1, roots, lookups));

  const bookings = split(ctx, all, traces, requests, lookups);
  const segmentOf = new Map<JournalEntry, Booking>();
  for (const b of bookings) for (const e of b.entries) segmentOf.set(e, b);
  for (const r of requests) r.booking = segmentOf.get(r.entry)?.index ?? 0;
  const analysis: Analysis = { ctx, all, requests, traces, cachedTraces: cachedTracesOf(ctx), lookups, bookings, bookingOf: (e) => segmentOf.get(e) ?? bookings[0] };
  cache.set(ctx, analysis);
  return analysis;
}

/**
 * A consumer that caches PDS traces may reuse one in any later session: integration_illustrated.md
 * (1.2.9), "Step 1 is optional in the sense that a cached version of a these trace results may be
 * available to the consumer", with no session limit (the session limit of
 * integration_spine_directory_service.md is about SDS answers). Caching is a MAY, so it is the
 * profile's `cachesPdsTrace`; only a profile that declares it false is held to a trace of its own in
 * each new session (review F16).
 */
export function mayReuseCachedTrace(ctx: JudgeContext): boolean {
  return ctx.capabilities?.cachesPdsTrace !== false;
}

function cachedTracesOf(ctx: JudgeContext): PdsTrace[] {
  if (!mayReuseCachedTrace(ctx)) return [];
  const latest = new Map<string, PdsTrace>();
  for (const { entry, nhsNumber } of new ConsumerTraffic(ctx.earlierPdsTraces ?? []).pdsTraces()) {
    if (entry.status === 200) latest.set(nhsNumber, traceOf(entry, nhsNumber, -1));
  }
  return [...latest.values()];
}

function traceOf(entry: JournalEntry, nhsNumber: string, at: number): PdsTrace {
  const label = `(1a PDS trace, GET /Patient/${nhsNumber})`;
  if (entry.status === 404) {
    const code = parseAnswer(entry.responseBody)?.issue?.[0]?.details?.coding?.[0]?.code;
    return { entry, at, nhsNumber, stop: `PDS answered 404${code ? ` ${code}` : ''} (not found or invalidated)`, stopKind: 'unverified', label };
  }
  const patient = entry.status === 200 ? parseAnswer(entry.responseBody) : undefined;
  if (!patient || patient.resourceType !== 'Patient') return { entry, at, nhsNumber, label };
  const gpOds = (Array.isArray(patient.generalPractitioner) ? patient.generalPractitioner : [])
    .map((g: Json) => g?.identifier)
    .find((i: Json) => i?.system === System.odsOrganizationCode && typeof i.value === 'string')?.value as string | undefined;
  const security: string[] = (patient.meta?.security ?? []).map((s: Json) => s?.code);
  const stop = security.includes('R')
    ? 'PDS gave the record as restricted (meta.security R)'
    : patient.deceasedDateTime || patient.deceasedBoolean === true
      ? `PDS gave the patient as deceased${patient.deceasedDateTime ? ` (${patient.deceasedDateTime})` : ''}`
      : !gpOds
        ? 'PDS gave no registered practice (no generalPractitioner)'
        : undefined;
  return { entry, at, nhsNumber, patient, gpOds, stop, ...(stop ? { stopKind: 'flagged' as const } : {}), label };
}

/**
 * The NHS number a trace gave: the number of the Patient PDS answered, which for a superseded number
 * is the record that replaced it (PDS paths/patient-get.yaml "Superseded patients": "You can spot a
 * superseded patient when the `id` is not the same as the one requested"); undefined when PDS gave no Patient.
 */
export function tracedNumber(trace: PdsTrace): string | undefined {
  if (!trace.patient) return undefined;
  return identifierValue(trace.patient, System.nhsNumber) ?? (typeof trace.patient.id === 'string' ? trace.patient.id : undefined);
}

function lookupOf(l: ReturnType<JudgeContext['traffic']['sdsLookups']>[number], at: number): SdsLookup {
  const url = new URL(l.entry.url);
  const partyKeys = url.searchParams.getAll('identifier').flatMap((v) => (v.startsWith(`${System.partyKey}|`) ? [v.slice(System.partyKey.length + 1)] : []));
  const answered = l.entry.status === 200;
  const endpoints = answered
    ? resourcesOf(l.entry.responseBody, 'Endpoint')
        .filter((r) => typeof r.address === 'string' && r.address !== '')
        .map((r) => ({ address: r.address as string, partyKey: identifierValue(r, System.partyKey) }))
    : [];
  const asids = answered
    ? resourcesOf(l.entry.responseBody, 'Device').flatMap((r) => (Array.isArray(r.identifier) ? r.identifier : []).filter((i: Json) => i?.system === System.asid).map((i: Json) => String(i.value)))
    : [];
  const label = l.kind === 'Device' ? `(2c SDS ASID lookup, GET /Device for ${l.ods ?? '?'})` : `(2a SDS endpoint lookup, GET /${l.kind === 'Endpoint' ? 'Endpoint' : url.pathname.split('/').pop()} for ${l.ods ?? '?'})`;
  return { entry: l.entry, at, kind: l.kind, ods: l.ods, interactions: l.interactions, partyKeys, endpoints, asids, label };
}

/** Every provider service root the directory registers, by ODS code. */
function registeredRoots(ctx: JudgeContext): Array<{ ods: string; root: string }> {
  return ctx.directory.providers().flatMap((p) => {
    const root = ctx.directory.serviceRootOf(p);
    return root ? [{ ods: p.organisation, root }] : [];
  });
}

function looseMatch(target: string, root: string): string | undefined {
  let t: URL;
  let r: URL;
  try {
    t = new URL(target);
    r = new URL(root);
  } catch {
    return undefined;
  }
  const rootPath = r.pathname.replace(/\/+$/, '');
  if (t.hostname.toLowerCase() !== r.hostname.toLowerCase()) return undefined;
  if (t.pathname !== rootPath && !t.pathname.startsWith(`${rootPath}/`)) return undefined;
  return t.pathname.slice(rootPath.length) || '/';
}

function requestOf(r: SspRequest, at: number, roots: Array<{ ods: string; root: string }>, lookups: SdsLookup[]): Req {
  let relative = r.relativePath;
  let intendedRoot = r.serviceRoot;
  let ods: string | undefined;
  if (r.serviceRoot) {
    ods = [...lookups].reverse().find((l) => l.kind === 'Endpoint' && l.endpoints.some((e) => e.address === r.serviceRoot))?.ods ?? roots.find((x) => x.root === r.serviceRoot)?.ods;
  } else {
    for (const candidate of [...new Set([...lookups.flatMap((l) => l.endpoints.map((e) => e.address)), ...roots.map((x) => x.root)])]) {
      const rel = looseMatch(r.target, candidate);
      if (rel !== undefined) {
        relative = rel;
        intendedRoot = candidate;
        ods = roots.find((x) => x.root === candidate)?.ods ?? lookups.find((l) => l.endpoints.some((e) => e.address === candidate))?.ods;
        break;
      }
    }
    if (!ods) ods = roots.find((x) => r.target.includes(`/${x.ods}/`))?.ods;
  }
  const interactions = relative !== undefined ? interactionsFor(r.entry.method, relative) : [];
  const step = stepFor(interactions[0]) ?? stepFor(r.interactionHeader) ?? 'request';
  const path = relative ?? r.target.split('?')[0];
  return { ...r, at, relative, intendedRoot, ods, interactions, query: queryPairs(r.rawQuery), label: `(${step}, ${r.entry.method} ${path})`, booking: 0 };
}

function split(ctx: JudgeContext, all: JournalEntry[], traces: PdsTrace[], requests: Req[], lookups: SdsLookup[]): Booking[] {
  const count = Math.max(1, ctx.asked.length);
  const bookings: Booking[] = Array.from({ length: count }, (_, index) => ({
    index,
    asked: ctx.asked[index],
    outcome: ctx.outcomes[index],
    entries: [],
    requests: [],
    traces: [],
    lookups: [],
    name: ctx.asked[index] ? `booking ${index + 1} (${ctx.asked[index].nhsNumber})` : 'the booking',
  }));
  const traceBy = new Map(traces.map((t) => [t.entry, t]));
  const requestBy = new Map(requests.map((r) => [r.entry, r]));
  const lookupBy = new Map(lookups.map((l) => [l.entry, l]));
  let k = 0;
  let done = false;
  for (const entry of all) {
    const trace = traceBy.get(entry);
    if (k < count - 1) {
      const cur = bookings[k];
      const next = bookings[k + 1];
      const startsNext =
        done ||
        (trace !== undefined &&
          (cur.traces.length > 0 || cur.requests.length > 0 || (trace.nhsNumber !== cur.asked?.nhsNumber && trace.nhsNumber === next.asked?.nhsNumber)));
      if (startsNext) {
        k++;
        done = false;
      }
    }
    const b = bookings[k];
    b.entries.push(entry);
    if (trace) b.traces.push(trace);
    const lookup = lookupBy.get(entry);
    if (lookup) b.lookups.push(lookup);
    const request = requestBy.get(entry);
    if (request) {
      b.requests.push(request);
      if (entry.method === 'POST' && request.interactions.includes(Interaction.createAppointment) && entry.status === 201) done = true;
    }
  }
  return bookings;
}

/** The ASIDs SDS gave for the provider a request is for (its Device answer for that ODS and party key), or the directory's when SDS was not asked. */
export function asidsFor(a: Analysis, req: Req): { asids: string[]; fromSds: boolean; ods?: string; partyKey?: string } {
  const endpointLookup = [...a.lookups].reverse().find((l) => l.at < req.at && l.kind === 'Endpoint' && l.endpoints.some((e) => e.address === req.intendedRoot));
  const ods = endpointLookup?.ods ?? req.ods;
  const partyKey = endpointLookup?.endpoints.find((e) => e.address === req.intendedRoot)?.partyKey ?? (ods ? a.ctx.directory.providerFor(ods)?.partyKey : undefined);
  const devices = a.lookups.filter((l) => l.at < req.at && l.kind === 'Device' && l.ods === ods && (partyKey === undefined || l.partyKeys.length === 0 || l.partyKeys.includes(partyKey)) && l.asids.length > 0);
  if (devices.length > 0) return { asids: devices[devices.length - 1].asids, fromSds: true, ods, partyKey };
  const registered = ods ? a.ctx.directory.findSystems({ organisation: ods, ...(partyKey ? { partyKey } : {}) }).filter((s) => s.role === 'provider').map((s) => s.asid) : [];
  return { asids: registered, fromSds: false, ods, partyKey };
}

export function header(entry: JournalEntry, name: string): string | undefined {
  return headerValue(entry.requestHeaders, name);
}

/** The rule's findings (none: it holds). */
export const found = (findings: Findings): Verdict => ({ findings });

/** Where the flow stopped, read from the traffic: the last exchange Spine or the practice refused, or the consumer's own report. */
export interface Stop {
  /** "it stopped after PDS refused the trace of 9693632109 with 400 MISSING_VALUE (…), and reported \"…\"". */
  text: string;
  /** `refusal`: an exchange was refused or answered with nothing to go on; `report`: nothing was refused, the consumer gave up and said so. */
  kind: 'refusal' | 'report';
}

/** The code and text of an OperationOutcome answer, shortened. */
export function refusalOf(entry: JournalEntry): string {
  const issue = parseAnswer(entry.responseBody)?.issue?.[0];
  const code = issue?.details?.coding?.[0]?.code ?? issue?.code;
  const text = typeof issue?.diagnostics === 'string' ? issue.diagnostics : issue?.details?.text;
  const short = typeof text === 'string' && text.trim() !== '' ? ` ("${text.length > 100 ? `${text.slice(0, 100)}…` : text}")` : '';
  return `${entry.status}${typeof code === 'string' ? ` ${code}` : ''}${short}`;
}

/** Why an exchange ended the flow, or undefined when the consumer had what it needed to go on. */
function stopAt(a: Analysis, entry: JournalEntry): string | undefined {
  if (entry.service === 'pds') {
    const trace = a.traces.find((t) => t.entry === entry);
    const nhs = trace?.nhsNumber ?? '?';
    if (entry.status === 404) return `PDS did not find ${nhs} (${refusalOf(entry)})`;
    if (entry.status !== 200) return `PDS refused the trace of ${nhs} with ${refusalOf(entry)}`;
    return trace?.stop;
  }
  if (entry.service === 'sds') {
    const lookup = a.lookups.find((l) => l.entry === entry);
    const what = lookup ? lookup.label.slice(1, -1) : `SDS ${entry.method} ${entry.target.split('?')[0]}`;
    if (entry.status !== 200) return `SDS refused ${what} with ${refusalOf(entry)}`;
    if (lookup?.kind === 'Endpoint' && lookup.endpoints.length === 0) return `SDS gave no endpoint for ${lookup.ods ?? 'the practice'}`;
    if (lookup?.kind === 'Device' && lookup.asids.length === 0) return `SDS gave no ASID for ${lookup.ods ?? 'the practice'}`;
    return undefined;
  }
  if (entry.service === 'ssp' && entry.status >= 400) {
    const req = a.requests.find((r) => r.entry === entry);
    return `${req ? req.label.slice(1, -1) : `${entry.method} ${entry.target.split('?')[0]}`} was answered ${refusalOf(entry)} through the SSP`;
  }
  return undefined;
}

/**
 * Why the consumer stopped before a rule's situation could arise, read from the traffic: the last
 * exchange refused (PDS, SDS, or the SSP and the practice behind it), with what the consumer
 * reported; or, when nothing was refused, what the consumer reported. Undefined when neither
 * explains it (a consumer that did nothing and said nothing is not excused).
 */
export function whyStopped(a: Analysis): Stop | undefined {
  const reported = a.ctx.outcomes.filter((o) => errorShown(o)).map((o) => `"${o.error!.trim().slice(0, 120)}"`);
  const said = reported.length > 0 ? `, and reported ${reported[reported.length - 1]}` : '';
  const stops = a.all.flatMap((e) => stopAt(a, e) ?? []);
  if (stops.length > 0) return { text: `it stopped after ${stops[stops.length - 1]}${said}`, kind: 'refusal' };
  if (reported.length === 0) return undefined;
  const last = a.all[a.all.length - 1];
  return { text: `it sent ${last ? `nothing after ${last.service.toUpperCase()} ${last.method} ${last.target.split('?')[0]} (answered ${last.status})` : 'nothing to Spine'}${said}`, kind: 'report' };
}

/**
 * The rule's situation never arose (`what`): not reached when the consumer stopped earlier, naming
 * why (one mistake, one failure); a failure, as before, when nothing explains it.
 */
export function neverArose(a: Analysis, what: string): Verdict {
  const stop = whyStopped(a);
  return stop ? { findings: [], notReached: `${what}: ${stop.text}`, stoppedBy: stop.kind } : found([what]);
}

/** Runs a per-request check over every SSP request; a scenario with none did not reach the rule. */
export function perRequest(ctx: JudgeContext, check: (req: Req, a: Analysis) => Array<string | Finding>): Verdict {
  const a = analyse(ctx);
  if (a.requests.length === 0) return neverArose(a, 'the consumer sent no request through the SSP, so the rule could not be checked');
  return found(a.requests.flatMap((req) => check(req, a).map((detail) => (typeof detail === 'string' ? `${req.label}: ${detail}` : { ...detail, text: `${req.label}: ${detail.text}` }))));
}

/** The consumer showed an error and did not book. */
export function errorShown(outcome: DriverOutcome | undefined): boolean {
  return outcome !== undefined && !outcome.booked && typeof outcome.error === 'string' && outcome.error.trim() !== '';
}

export function describeOutcome(outcome: DriverOutcome | undefined): string {
  if (!outcome) return 'no outcome (the driver failed)';
  return outcome.booked ? `booked${outcome.appointmentId ? ` Appointment/${outcome.appointmentId}` : ''}` : `not booked, ${outcome.error?.trim() ? `error "${outcome.error.slice(0, 80)}"` : 'with no error shown'}`;
}

export const isCreate = (r: Req) => r.entry.method === 'POST' && r.interactions.includes(Interaction.createAppointment);
export const isSlotSearch = (r: Req) => r.entry.method === 'GET' && r.interactions.includes(Interaction.searchSlot);
export const isFindPatient = (r: Req) => r.entry.method === 'GET' && r.interactions.includes(Interaction.searchPatient);
export const isRegister = (r: Req) => r.entry.method === 'POST' && r.interactions.includes(Interaction.registerPatient);

/** The Slot ids a booking body references. */
export function slotIdsOf(body: Json | undefined): string[] {
  return (Array.isArray(body?.slot) ? body!.slot : []).map((s: Json) => String(s?.reference ?? '').replace(/^Slot\//, ''));
}

/** The free Slots a search answer offered. */
export function freeSlotsIn(req: Req): Json[] {
  return req.entry.status === 200 ? resourcesOf(req.entry.responseBody, 'Slot').filter((s) => s.status === 'free' && typeof s.id === 'string') : [];
}

export const sspTraceId = (e: JournalEntry) => header(e, Header.sspTraceId);
