/** Consumer judges of steps 1–2 (PDS trace, SDS lookups), stopping, per-session caching and the SSP as the only way in. */
import { Header, Interaction, SCOPE_FOR_INTERACTION, System } from '../../gpconnect/constants';
import { headerValue, type JournalEntry } from '../../gpconnect/exchange';
import type { Judge } from './judge-context';
import { analyse, describeOutcome, errorShown, found, isCreate, isSlotSearch, mayReuseCachedTrace, neverArose, refusalOf, type Analysis, type Booking, type PdsTrace } from './judges-common';

/** The interactions an appointments/foundations endpoint may be looked up by (structured has its own root, §2.1). */
const LOOKUP_INTERACTIONS = Object.keys(SCOPE_FOR_INTERACTION).filter((i) => i !== Interaction.getStructuredRecord);

/** Bookings that are stop cases: a PDS trace that must stop them. */
function stopTrace(b: Booking): PdsTrace | undefined {
  return b.traces.find((t) => t.stop && t.nhsNumber === (b.asked?.nhsNumber ?? t.nhsNumber));
}

/** A trace PDS answered (found, or not found): one it refused (400, 401, 403, 429, 5xx) traced nothing (review M4). */
const traceAnswered = (t: PdsTrace) => t.entry.status === 200 || t.entry.status === 404;

/**
 * An earlier booking traced this patient: in the same session, or in any (an earlier scenario's
 * included) when the consumer may cache traces (mayReuseCachedTrace, §1 step 1).
 */
function tracedEarlier(a: Analysis, b: Booking): boolean {
  const anySession = mayReuseCachedTrace(a.ctx);
  const nhs = b.asked?.nhsNumber;
  if (anySession && a.cachedTraces.some((t) => t.nhsNumber === nhs)) return true;
  return a.bookings.some((o) => o.index < b.index && (anySession || o.asked?.session === b.asked?.session) && o.traces.some((t) => t.nhsNumber === nhs && traceAnswered(t)));
}

/** The traces a booking's SDS lookups may rest on: the scenario's, and the cached ones of the NHS numbers asked about. */
function tracesInPlay(a: Analysis): PdsTrace[] {
  const asked = new Set(a.ctx.asked.map((r) => r.nhsNumber));
  return [...a.cachedTraces.filter((t) => asked.has(t.nhsNumber) && !a.traces.some((own) => own.nhsNumber === t.nhsNumber)), ...a.traces];
}

export const pdsTrace: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  let refusedForHeaders: string | undefined;
  for (const b of a.bookings) {
    const nhs = b.asked?.nhsNumber ?? b.traces[0]?.nhsNumber;
    if (!nhs) {
      problems.push(`(1a PDS trace, ${b.name}): the consumer traced no patient on PDS`);
      continue;
    }
    const firstUse = b.entries.find((e) => e.service === 'sds' || e.service === 'ssp');
    const trace = b.traces.find((t) => t.nhsNumber === nhs);
    // A trace of its own is judged however many came before; without one, an earlier trace may stand in.
    if (!trace && tracedEarlier(a, b)) continue;
    if (!trace) {
      problems.push(`(1a PDS trace, GET /Patient/${nhs}): the consumer never traced ${nhs} on PDS in ${b.name}${firstUse ? `, yet sent ${firstUse.service.toUpperCase()} ${firstUse.method} ${firstUse.target.split('?')[0]} for it` : ''}`);
      continue;
    }
    if (trace.entry.status >= 400 && trace.entry.status < 500 && trace.entry.status !== 404 && trace.entry.status !== 429) {
      // Refused for its own headers: that mistake is CONS-PDS-HEADERS's (one mistake, one failure); here the trace never happened.
      if (pdsHeaderProblems(trace.entry).length > 0) refusedForHeaders ??= `${trace.label}: PDS refused the trace with ${refusalOf(trace.entry)}, for its headers, so the patient was never traced`;
      else problems.push(`${trace.label}: PDS refused the trace with ${refusalOf(trace.entry)}, expected a trace PDS answers: a refused trace verifies nothing`);
    }
    const early = b.entries.filter((e) => (e.service === 'sds' || e.service === 'ssp') && a.all.indexOf(e) < trace.at);
    for (const e of early) {
      problems.push(`(1a PDS trace, GET /Patient/${nhs}): ${e.service.toUpperCase()} ${e.method} ${e.target.split('?')[0]} was sent before the PDS trace of ${nhs}, expected the trace first`);
    }
    const others = b.traces.filter((t) => t.nhsNumber !== nhs);
    for (const t of others) problems.push(`${t.label}: ${b.name} asked about ${nhs} but the consumer traced ${t.nhsNumber}`);
  }
  if (problems.length === 0 && refusedForHeaders) return { findings: [], notReached: refusedForHeaders, stoppedBy: 'refusal' };
  return found(problems);
};

/**
 * Stopping after the PDS trace. A 404 (not found, invalidated: pds-sds.md §1.5) leaves the NHS number
 * unverified, and the trace is there to verify it (appointments_service_discovery.md: "the PDS step is
 * still required in order to verify the patient's NHS number"): nothing may go to the SSP, and the
 * reason is shown. A restricted or deceased record (or one without a practice) is another matter: no
 * GP Connect rule forbids the consumer going on, and the practice is the gate (Find a patient returns
 * only active, non-sensitive patients; Register refuses deceased and sensitive ones with
 * INVALID_PATIENT_DEMOGRAPHICS: foundations_use_case_find_a_patient.md, _register_a_patient.md), so
 * all that is required is that no booking is reported as made (review F18).
 */
export const pdsStop: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  let arose = false;
  for (const b of a.bookings) {
    const trace = stopTrace(b);
    if (!trace) continue;
    arose = true;
    if (trace.stopKind === 'flagged') {
      if (b.outcome?.booked) problems.push(`${trace.label}: ${trace.stop}, expected no booking to be reported for ${trace.nhsNumber}, but the consumer reported ${describeOutcome(b.outcome)}`);
      continue;
    }
    const after = b.requests.filter((r) => r.at > trace.at);
    for (const r of after) problems.push(`${trace.label}: ${trace.stop}, expected no booking for ${trace.nhsNumber}, but the consumer then sent ${r.entry.method} ${r.relative ?? r.target} through the SSP ${r.label}`);
    if (!errorShown(b.outcome)) problems.push(`${trace.label}: ${trace.stop}, expected the consumer to report no booking with the reason, but it reported ${describeOutcome(b.outcome)}`);
  }
  if (!arose) {
    const what = '(1a PDS trace): no PDS trace was answered 404, restricted, deceased or without a registered practice, so stopping was never put to the test';
    // PDS answered the trace (the situation was set up and not met), or the trace never got an answer to judge.
    return a.traces.some((t) => t.entry.status === 200 || t.entry.status === 404) ? found([...problems, what]) : neverArose(a, what);
  }
  return found(problems);
};

/**
 * The practice SDS is asked about: the one PDS gives, or one the user chose to book into
 * (appointments_service_discovery.md "Booking into other practices": the ODS code may come from
 * "local system configuration" or the DoS, though "the PDS step is still required in order to
 * verify the patient's NHS number"; review F17). The chosen one comes with what the harness asked.
 */
export const sdsEndpoint: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  const traces = tracesInPlay(a);
  const gps = new Set(traces.map((t) => t.gpOds).filter((o): o is string => Boolean(o)));
  const chosen = new Map(ctx.asked.flatMap((r) => (r.practice ? [[r.nhsNumber, r.practice] as const] : [])));
  const practices = new Set([...gps, ...chosen.values()]);
  const endpointLookups = a.lookups.filter((l) => l.kind === 'Endpoint');
  for (const l of endpointLookups) {
    if (!l.ods) problems.push(`${l.label}: the lookup has no organization=${System.odsOrganizationCode}|{ODS code} parameter`);
    else if (!practices.has(l.ods)) problems.push(`${l.label}: SDS was asked about ${l.ods}, but PDS gave ${[...gps].join(', ') || 'no practice'} as the registered practice${chosen.size ? ` and the user chose ${[...new Set(chosen.values())].join(', ')}` : ''}`);
    const allowed = l.interactions.filter((i) => LOOKUP_INTERACTIONS.includes(i));
    if (allowed.length === 0) problems.push(`${l.label}: expected identifier=${System.interactionId}|{an Appointment Management or Foundations interaction}, saw ${l.interactions.join(', ') || 'none'}`);
  }
  for (const trace of traces.filter((t) => t.gpOds && !t.stop)) {
    if (a.bookings.some((b) => b.traces.includes(trace) && b.requests.length === 0 && !b.lookups.length)) continue;
    const first = a.requests.find((r) => r.at > trace.at);
    const practice = chosen.get(trace.nhsNumber) ?? trace.gpOds;
    const why = chosen.has(trace.nhsNumber) ? `the practice the user chose for ${trace.nhsNumber}` : `the practice PDS gave for ${trace.nhsNumber}`;
    const good = endpointLookups.find((l) => l.ods === practice && l.interactions.some((i) => LOOKUP_INTERACTIONS.includes(i)) && (!first || l.at < first.at));
    if (!good) problems.push(`(2a SDS endpoint lookup, GET /Endpoint for ${practice}): expected an Endpoint lookup by ${practice} (${why}) and a GP Connect appointments interaction before the first SSP request, saw none`);
  }
  if (chosen.size === 0 && traces.every((t) => !t.gpOds) && (a.requests.length > 0 || endpointLookups.length > 0)) {
    problems.push(`(2a SDS endpoint lookup): no PDS trace gave the registered practice, so the ODS code the consumer looked up did not come from PDS`);
  }
  if (endpointLookups.length === 0 && a.requests.length > 0) problems.push(`(2a SDS endpoint lookup): the consumer sent requests through the SSP without looking the endpoint up in SDS`);
  if (endpointLookups.length === 0 && a.requests.length === 0 && traces.every((t) => !t.gpOds || t.stop)) {
    const what = '(2a SDS endpoint lookup): the consumer made no SDS endpoint lookup, so the rule could not be checked';
    return problems.length > 0 ? found([...problems, what]) : neverArose(a, what);
  }
  return found(problems);
};

export const sdsDevice: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  const answered = a.lookups.filter((l) => l.kind === 'Endpoint' && l.endpoints.length > 0);
  if (answered.length === 0) return neverArose(a, '(2c SDS ASID lookup): SDS gave no endpoint in the scenario, so the ASID lookup could not be checked');
  for (const l of answered) {
    const partyKey = l.endpoints[0].partyKey;
    const root = l.endpoints[0].address;
    const nextUse = a.requests.find((r) => r.at > l.at && r.intendedRoot === root);
    const device = a.lookups.find((d) => d.kind === 'Device' && d.at > l.at && (!nextUse || d.at < nextUse.at) && d.ods === l.ods && partyKey !== undefined && d.partyKeys.includes(partyKey));
    if (!device) {
      const seen = a.lookups.filter((d) => d.kind === 'Device' && d.at > l.at).map((d) => `organization ${d.ods ?? 'none'}, party key ${d.partyKeys.join('/') || 'none'}`);
      problems.push(`(2c SDS ASID lookup, GET /Device for ${l.ods}): expected a Device lookup by ${l.ods} and party key ${partyKey ?? '(none given)'} from the endpoint answer${nextUse ? ' before the first SSP request to it' : ''}, saw ${seen.join('; ') || 'none'}`);
    }
  }
  return found(problems);
};

export const sdsPerPatient: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  const seen = new Set<string>();
  let checked = 0;
  for (const b of a.bookings) {
    const nhs = b.asked?.nhsNumber ?? b.traces[0]?.nhsNumber;
    if (!nhs || seen.has(nhs)) continue;
    seen.add(nhs);
    if (b.requests.length === 0) continue;
    checked++;
    const trace = b.traces.find((t) => t.nhsNumber === nhs);
    const first = b.requests[0];
    const own = b.lookups.find((l) => l.kind === 'Endpoint' && (!trace || l.at > trace.at) && l.at < first.at);
    if (!own) {
      problems.push(`(2a SDS endpoint lookup, ${b.name}): expected ${nhs} to be looked up in SDS after its own PDS trace and before ${first.label.slice(1, -1)}, but the consumer used SDS answers from before${trace ? ' the trace' : ''} (no Endpoint lookup in between)`);
    }
  }
  if (checked === 0) return neverArose(a, "(2a SDS endpoint lookup): no patient's booking reached the SSP, so the rule could not be checked");
  return found(problems);
};

export const sdsNoEndpoint: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  const empty = a.lookups.filter((l) => l.kind === 'Endpoint' && l.entry.status === 200 && l.endpoints.length === 0);
  if (!a.lookups.some((l) => l.kind === 'Endpoint')) return neverArose(a, '(2a SDS endpoint lookup): the consumer made no SDS endpoint lookup, so the situation never arose');
  if (empty.length === 0) return found([`(2a SDS endpoint lookup): no SDS endpoint lookup was answered without an Endpoint, so the situation never arose`]);
  for (const l of empty) {
    const b = a.bookingOf(l.entry);
    const later = b.requests.filter((r) => r.at > l.at && (r.ods === l.ods || r.target.includes(`/${l.ods}/`)));
    for (const r of later) problems.push(`${l.label}: SDS has no endpoint for ${l.ods}, expected nothing sent to the SSP for it, saw ${r.entry.method} ${r.target} ${r.label}`);
    if (!errorShown(b.outcome)) problems.push(`${l.label}: SDS has no endpoint for ${l.ods}, expected the consumer to show the error, but it reported ${describeOutcome(b.outcome)}`);
  }
  return found(problems);
};

export const viaSsp: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  for (const e of ctx.traffic.directToProvider()) {
    problems.push(`(${e.method} ${e.target.split('?')[0]}): the provider received this request directly, not through the SSP`);
  }
  for (const b of a.bookings) {
    if (stopTrace(b)) continue;
    const gave = b.lookups.find((l) => l.kind === 'Endpoint' && l.endpoints.length > 0);
    if (!gave) continue;
    const after = b.requests.filter((r) => r.at > gave.at);
    const stopped = after.some((r) => r.entry.status >= 400 && !isSlotSearch(r));
    if (after.length === 0 || (!stopped && !after.some(isSlotSearch))) {
      problems.push(`(4a Search for free slots, GET /Slot, ${b.name}): no request reached the SSP after SDS gave the endpoint: did the consumer call the provider directly?`);
    } else if (b.outcome?.booked && !after.some(isCreate)) {
      problems.push(`(6a Book an appointment, POST /Appointment, ${b.name}): the consumer reported a booking but no POST /Appointment reached the SSP: did it call the provider directly?`);
    }
  }
  return found(problems);
};

/**
 * What may be reused: integration_spine_directory_service.md (1.2.9) says a consumer "MUST NOT cache
 * and re-use consuming system endpoint information derived from SDS across multiple patient
 * encounters or practitioner usage sessions"; a PDS trace may be reused from
 * any earlier session (see mayReuseCachedTrace in judges-common.ts), so the new-session rule is about SDS (review
 * F16), and about the trace only for a profile that declares `cachesPdsTrace: false`.
 */
export const sessionCache: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  for (const b of a.bookings) {
    if (b.requests.length === 0) continue;
    const session = b.asked?.session;
    const earlierInSession = a.bookings.filter((o) => o.index < b.index && o.asked?.session === session);
    const first = b.requests[0];
    const nhs = b.asked?.nhsNumber;
    const why = earlierInSession.length === 0 ? `a new session${session ? ` (${session})` : ''}` : `session ${session}, which had not looked the practice up`;
    if (!mayReuseCachedTrace(ctx)) {
      const sameSessionTrace = earlierInSession.some((o) => o.traces.some((t) => t.nhsNumber === nhs && traceAnswered(t)));
      const tracedHere = b.traces.some((t) => t.nhsNumber === nhs && t.at < first.at);
      if (!sameSessionTrace && !tracedHere) problems.push(`(1a PDS trace, ${b.name}): ${why.replace('looked the practice up', `traced ${nhs}`)}, and the profile declares cachesPdsTrace: false, expected its own PDS trace of ${nhs} before ${first.label.slice(1, -1)}, saw a trace reused from elsewhere or none`);
    }
    const root = first.intendedRoot;
    const sameSessionSds = earlierInSession.some((o) => o.asked?.nhsNumber === nhs && o.lookups.some((l) => l.kind === 'Endpoint' && l.endpoints.some((e) => e.address === root)));
    const lookedUpHere = b.lookups.some((l) => l.kind === 'Endpoint' && l.at < first.at);
    if (!sameSessionSds && !lookedUpHere) problems.push(`(2a SDS endpoint lookup, ${b.name}): ${why}, expected its own SDS lookups before ${first.label.slice(1, -1)}, saw none`);
  }
  if (a.requests.length === 0) return neverArose(a, 'the consumer sent no request through the SSP, so the rule could not be checked');
  return found(problems);
};

/** A UUID in any case (RFC 4122 §3; the PDS RequestID pattern accepts A-F). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The PDS spec's BearerAuthorization: `^Bearer\ [[:ascii:]]+$` (the scheme in any case, RFC 7235 §2.1). */
const BEARER = /^Bearer\s+[\x21-\x7e]+$/i;
/** A PDS answer that is a failure to re-send (the PDS spec: "If you re-send a failed request, use the same value"). */
const failedPds = (e: JournalEntry) => e.status === 429 || e.status >= 500 || e.status === 0;

function pdsLabel(e: JournalEntry): string {
  const path = new URL(e.url).pathname.replace(/^.*?(\/Patient)/, '$1');
  return `(1a PDS trace, ${e.method} ${path})`;
}

/** What is wrong with one PDS request's own headers: X-Request-ID present and a UUID, a bearer token in Authorization. */
export function pdsHeaderProblems(e: JournalEntry): string[] {
  const problems: string[] = [];
  const id = headerValue(e.requestHeaders, Header.xRequestId);
  if (id === undefined || id.trim() === '') problems.push('no X-Request-ID was sent, expected a UUID made for the request (a mandatory header)');
  else if (!UUID.test(id.trim())) problems.push(`X-Request-ID was ${JSON.stringify(id)}, expected a UUID`);
  const auth = headerValue(e.requestHeaders, Header.authorization);
  if (auth === undefined || auth.trim() === '') problems.push('no Authorization was sent, expected Bearer and an access token (required in all environments except sandbox)');
  else if (!BEARER.test(auth.trim())) problems.push(`Authorization was not "Bearer" and a token of printable ASCII (${JSON.stringify(auth.slice(0, 20))}${auth.length > 20 ? '…' : ''})`);
  return problems;
}

/**
 * PDS FHIR API request headers (pds-sds.md §1.2): X-Request-ID, a UUID unique to each request but
 * the same on a re-send of a failed one, and a bearer token in Authorization, "Required in all
 * environments except sandbox". Spine in a box lets a missing Authorization through as the sandbox
 * does, so that the rest of the flow is still judged; this rule fails it (review M4, M4b).
 */
export const pdsHeaders: Judge = (ctx) => {
  const a = analyse(ctx);
  const pds = ctx.traffic.of('pds');
  if (pds.length === 0) {
    // A consumer that caches traces may rely on one from an earlier scenario (§1 step 1): the trace it rests on is judged.
    const asked = new Set(ctx.asked.map((r) => r.nhsNumber));
    const cached = a.cachedTraces.filter((t) => asked.has(t.nhsNumber));
    if (cached.length > 0) return found(cached.flatMap((t) => pdsHeaderProblems(t.entry).map((p) => `${t.label} (cached from an earlier scenario): ${p}`)));
    return neverArose(a, '(1a PDS trace): the consumer sent nothing to PDS, so its headers could not be checked');
  }
  const problems: string[] = [];
  const earlier = (ctx.earlierPdsTraces ?? []).map((e) => headerValue(e.requestHeaders, Header.xRequestId)?.trim().toLowerCase()).filter((x): x is string => Boolean(x));
  const seen = new Map<string, JournalEntry>();
  for (const [i, e] of pds.entries()) {
    const label = pdsLabel(e);
    for (const p of pdsHeaderProblems(e)) problems.push(`${label}: ${p}`);
    const id = headerValue(e.requestHeaders, Header.xRequestId)?.trim().toLowerCase();
    const before = pds.slice(0, i).reverse().find((o) => o.method === e.method && o.url === e.url);
    const resend = before !== undefined && failedPds(before) && pds.slice(pds.indexOf(before) + 1, i).every((o) => o.url !== e.url);
    const resentId = resend ? headerValue(before.requestHeaders, Header.xRequestId)?.trim().toLowerCase() : undefined;
    if (resend && id !== resentId) problems.push(`${label}: a re-send of the request PDS answered ${before.status}, expected the same X-Request-ID (${resentId ?? 'none'}), saw ${id ?? 'none'}`);
    if (id) {
      const first = seen.get(id);
      if (first && !(resend && resentId === id)) problems.push(`${label}: X-Request-ID ${id} was already sent on ${pdsLabel(first).slice(1, -1)}, expected a new one for each request (the same only on a re-send of a failed one)`);
      else if (!first && earlier.includes(id)) problems.push(`${label}: X-Request-ID ${id} was already sent in an earlier scenario, expected a new one for each request`);
      if (!first) seen.set(id, e);
    }
  }
  return found(problems);
};

/** The SDS FHIR API's apikey header, required on every request (spine-directory-service.yaml; pds-sds.md §2.1). */
export const sdsApiKey: Judge = (ctx) => {
  const a = analyse(ctx);
  if (a.lookups.length === 0) return neverArose(a, '(2a SDS endpoint lookup): the consumer sent nothing to SDS, so its apikey could not be checked');
  return found(a.lookups.flatMap((l) => {
    const key = headerValue(l.entry.requestHeaders, Header.apiKey);
    return key === undefined || key.trim() === '' ? [`${l.label}: no apikey header was sent, expected the API key SDS authenticates by (required)`] : [];
  }));
};
