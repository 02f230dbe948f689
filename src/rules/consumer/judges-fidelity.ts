/**
 * Consumer judges the spec-fidelity review found missing (shared/reviews/spec-fidelity-2026-12-04.md
 * M2, M3, M5, M15): the slot search's bound values and their UK offset, the booking organisation's
 * type against the organisation-type searchFilter, a superseded NHS number, and answers with what
 * the consumer does not know.
 */
import { GpcAppointmentExtension, SlotSearch, System } from '../../gpconnect/constants';
import { formatOffset, londonOffsetMinutes, londonParts } from '../../gpconnect/uk-time';
import { UNKNOWN_EXTENSION_URL } from '../../spine/provider/tolerance';
import type { Judge, Verdict } from './judge-context';
import { analyse, found, isCreate, isSlotSearch, neverArose, parseJson, tracedNumber, type Json, type Req } from './judges-common';

const values = (req: Req, name: string) => req.query.filter(([n]) => n === name).map(([, v]) => v);

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})([+-])([0-9]{2}):([0-9]{2})$/;

/**
 * What is wrong with one bound (its prefix cut off), or undefined: search page, "either, a `date` in
 * the format `yyyy-mm-dd`" "or, a `dateTime` in the format `yyyy-mm-ddThh:mm:ss+hh:mm` in (UK) local
 * time, with the timezone offset `+00:00` for UTC and `+01:00` for BST". A dateTime is right when
 * the instant its offset names is that wall-clock time in London with that offset (so either reading
 * of the hour repeated in autumn is right).
 */
export function boundProblem(value: string): string | undefined {
  const d = DATE.exec(value);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day ? undefined : `${value} is no calendar date`;
  }
  const x = DATE_TIME.exec(value);
  if (!x) return `${JSON.stringify(value)} is neither yyyy-mm-dd nor yyyy-mm-ddThh:mm:ss+hh:mm`;
  const [y, mo, day, h, mi, s] = x.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offset = (x[7] === '-' ? -1 : 1) * (Number(x[8]) * 60 + Number(x[9]));
  const instant = new Date(Date.UTC(y, mo - 1, day, h, mi, s) - offset * 60000);
  const p = londonParts(instant);
  const uk = londonOffsetMinutes(instant);
  if (p.year === y && p.month === mo && p.day === day && p.hour === h && p.minute === mi && p.second === s && uk === offset) return undefined;
  const wall = new Date(Date.UTC(y, mo - 1, day, h, mi, s));
  const expected = formatOffset(londonOffsetMinutes(new Date(wall.getTime() - londonOffsetMinutes(wall) * 60000)));
  return `${value} has the offset ${x[7]}${x[8]}:${x[9]}, but UK local time on that date is ${expected === '+01:00' ? 'BST' : 'GMT'}, expected ${expected}`;
}

/** M3: the start and end bounds of every slot search, as the search page writes them. */
export const slotBounds: Judge = (ctx) => {
  const a = analyse(ctx);
  const searches = a.requests.filter(isSlotSearch);
  if (searches.length === 0) return neverArose(a, '(4a Search for free slots, GET /Slot): the consumer sent no slot search through the SSP, so the rule could not be checked');
  return found(
    searches.flatMap((req) =>
      [SlotSearch.start, SlotSearch.end].flatMap((name) =>
        values(req, name).flatMap((v) => {
          const problem = boundProblem(v.replace(/^[a-z]{2}/, ''));
          return problem ? [`${req.label}: ${name}=${v}: ${problem}`] : [];
        }),
      ),
    ),
  );
};

/** The contained Organization the bookingOrganisation extension points at, when there is one. */
function bookingOrganisation(body: Json | undefined): Json | undefined {
  const ext = (Array.isArray(body?.extension) ? body!.extension : []).find((x: Json) => x?.url === GpcAppointmentExtension.bookingOrganisation);
  const ref = ext?.valueReference?.reference;
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  return (Array.isArray(body?.contained) ? body!.contained : []).find((c: Json) => c?.id === ref.slice(1) && c?.resourceType === 'Organization');
}

/**
 * M2: book page, "the contained organization resource SHALL include the `type` element with a value
 * matching the organization type sent as a `searchFilter` with the Search for free slots request. If
 * organization type was not passed to the `searchFilter` then `type` SHALL not be populated." Judged
 * against the latest slot search before the booking (for the same practice when known); a booking
 * without a contained Organization is CONS-BOOK-ORGANISATION's.
 */
export const bookOrganisationType: Judge = (ctx) => {
  const a = analyse(ctx);
  const creates = a.requests.filter(isCreate);
  if (creates.length === 0) return neverArose(a, '(6a Book an appointment, POST /Appointment): the consumer sent no booking through the SSP, so the rule could not be checked');
  const prefix = `${System.organisationType}|`;
  return found(
    creates.flatMap((req) => {
      const search = [...a.requests].reverse().find((r) => isSlotSearch(r) && r.at < req.at && (!req.ods || !r.ods || r.ods === req.ods));
      const org = bookingOrganisation(parseJson(req.entry.requestBody));
      if (!search || !org) return [];
      const sent = values(search, SlotSearch.searchFilter).filter((v) => v.startsWith(prefix)).map((v) => v.slice(prefix.length));
      const types: Json[] = Array.isArray(org.type) ? org.type : org.type === undefined ? [] : [org.type];
      const codes = types.flatMap((t) => (Array.isArray(t?.coding) ? t.coding : [])).filter((c: Json) => c?.system === System.organisationType).map((c: Json) => String(c.code));
      if (sent.length === 0) return types.length === 0 ? [] : [`${req.label}: the contained Organization's type was ${JSON.stringify(org.type)}, but ${search.label} sent no organisation-type searchFilter, so type SHALL not be populated`];
      return sent.every((code) => codes.includes(code)) ? [] : [`${req.label}: the contained Organization's type was ${codes.length ? JSON.stringify(codes) : 'missing'}, expected ${sent.join(', ')}, the organisation type ${search.label} sent as searchFilter`];
    }),
  );
};

/**
 * M5: PDS answers a superseded NHS number with the record that replaced it (paths/patient-get.yaml
 * "Superseded patients": "you must update your system with the new patient details and remove the
 * superseded patient details"): the consumer goes on to the practice with the new number (its
 * Find a patient names it), and nothing it sends names the old one. Whether it then books is the
 * find, register and booking rules' (keyed on the number PDS gave): a consumer that does not register
 * patients may stop at an inactive record.
 */
export const pdsSuperseded: Judge = (ctx): Verdict => {
  const a = analyse(ctx);
  // A consumer that caches traces across sessions may rest on one of an earlier scenario for a number asked for here.
  const cached = a.cachedTraces.filter((c) => a.ctx.asked.some((b) => b.nhsNumber === c.nhsNumber) && !a.traces.some((t) => t.nhsNumber === c.nhsNumber));
  const traces = [...cached, ...a.traces];
  const superseded = traces.filter((t) => tracedNumber(t) !== undefined && tracedNumber(t) !== t.nhsNumber);
  if (superseded.length === 0) {
    if (!traces.some((t) => t.patient)) return neverArose(a, '(1a PDS trace): PDS gave the consumer no patient, so the situation never arose');
    return found(['(1a PDS trace): PDS answered no NHS number with the record that replaced it, so the situation never arose']);
  }
  const problems: string[] = [];
  for (const t of superseded) {
    const booking = a.bookingOf(t.entry).index;
    const later = a.requests.filter((r) => r.at > t.at && r.booking === booking);
    for (const r of later) {
      if (`${r.rawQuery} ${r.entry.requestBody ?? ''}`.includes(t.nhsNumber)) problems.push(`${r.label}: named ${t.nhsNumber}, the number PDS gave as superseded by ${tracedNumber(t)}, expected ${tracedNumber(t)}`);
    }
    if (!later.some((r) => `${r.rawQuery} ${r.entry.requestBody ?? ''}`.includes(tracedNumber(t)!))) {
      const stopped = neverArose(a, `${t.label}: PDS answered with the record of ${tracedNumber(t)}, and the consumer sent the practice nothing for that number`);
      if (problems.length === 0) return stopped;
      problems.push(`${t.label}: PDS answered with the record of ${tracedNumber(t)}, and the consumer sent the practice nothing for that number`);
    }
  }
  return found(problems);
};

/**
 * M15: the practice's answers carried an extension and an element no consumer knows, fullUrl on
 * every entry and an outcome entry in each searchset (src/spine/provider/tolerance.ts): "Consumers
 * SHALL ignore unknown extensions and elements" (development_general_api_guidance.md), and "MUST NOT
 * use `Bundle.entry.fullUrl`" (development_fhir_resource_guidance.md). The consumer books all the
 * same, and no request it sends names a fullUrl.
 */
export const tolerant: Judge = (ctx) => {
  const a = analyse(ctx);
  if (a.requests.length === 0) return neverArose(a, 'the consumer sent no request through the SSP, so the situation never arose');
  const noisy = a.requests.filter((r) => (r.entry.responseBody ?? '').includes(UNKNOWN_EXTENSION_URL));
  if (noisy.length === 0) return found(['no answer the consumer received carried an unknown extension or element, so the situation never arose']);
  const problems: string[] = [];
  for (const r of a.requests) if (/urn:uuid:/i.test(`${r.target} ${r.entry.requestBody ?? ''}`)) problems.push(`${r.label}: named a urn:uuid: address, a Bundle.entry.fullUrl the practice gave, which consumers MUST NOT use`);
  const creates = a.requests.filter(isCreate);
  if (creates.length === 0) {
    const stopped = neverArose(a, `after ${noisy[noisy.length - 1]!.label}, which carried unknown extensions and elements, the consumer sent no booking`);
    return problems.length === 0 ? stopped : found([...problems, ...stopped.findings, ...(stopped.notReached ? [stopped.notReached] : [])]);
  }
  if (!creates.some((r) => r.entry.status === 201)) problems.push(`no booking was answered 201 (${creates.map((r) => `${r.label} ${r.entry.status}`).join('; ')})`);
  else if (!a.ctx.outcomes.some((o) => o.booked)) problems.push(`the practice booked the appointment (201), but the consumer reported ${a.ctx.outcomes.map((o) => JSON.stringify(o.error ?? 'no booking')).join(', ') || 'nothing'}`);
  return found(problems);
};
