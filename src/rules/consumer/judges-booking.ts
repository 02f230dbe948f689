/** Consumer judges of steps 4–6: the slot search, finding or registering the patient, and the booking itself (§5.3–§5.6). */
import { AppointmentLimits, GpcAppointmentExtension, REGISTER_PATIENT_PARAMETER, SlotSearch, System, ValidationProfile } from '../../gpconnect/constants';
import { validateResource } from '../../fhir/validate';
import type { Judge, JudgeContext, Verdict } from './judge-context';
import {
  analyse,
  found,
  freeSlotsIn,
  neverArose,
  identifierValue,
  isCreate,
  isFindPatient,
  isRegister,
  isSlotSearch,
  parseAnswer, parseJson,
  refusalOf,
  resourcesOf,
  slotIdsOf,
  tracedNumber,
  type Analysis,
  type Json,
  type Req,
} from './judges-common';

/** Runs a check over every POST /Appointment; a scenario with none did not reach the rule. */
function perBooking(ctx: JudgeContext, check: (req: Req, body: Json | undefined, a: Analysis) => string[]): Verdict {
  const a = analyse(ctx);
  const creates = a.requests.filter(isCreate);
  if (creates.length === 0) return neverArose(a, '(6a Book an appointment, POST /Appointment): the consumer sent no booking through the SSP, so the rule could not be checked');
  return found(creates.flatMap((req) => {
    const body = parseJson(req.entry.requestBody);
    const problems = body && typeof body === 'object' ? check(req, body, a) : ['the body is not JSON'];
    return problems.map((p) => `${req.label}: ${p}`);
  }));
}

function perSearch(ctx: JudgeContext, check: (req: Req) => string[]): Verdict {
  const a = analyse(ctx);
  const searches = a.requests.filter(isSlotSearch);
  if (searches.length === 0) return neverArose(a, '(4a Search for free slots, GET /Slot): the consumer sent no slot search through the SSP, so the rule could not be checked');
  return found(searches.flatMap((req) => check(req).map((p) => `${req.label}: ${p}`)));
}

const values = (req: Req, name: string) => req.query.filter(([n]) => n === name).map(([, v]) => v);

export const slotQuery: Judge = (ctx) =>
  perSearch(ctx, (req) => {
    const problems: string[] = [];
    const status = values(req, SlotSearch.status);
    if (status.length !== 1 || status[0] !== SlotSearch.statusFree) problems.push(`status was ${JSON.stringify(status)}, expected status=free once`);
    const start = values(req, SlotSearch.start);
    if (start.length !== 1 || !start[0].startsWith(SlotSearch.startPrefix)) problems.push(`start was ${JSON.stringify(start)}, expected start=ge… once`);
    const end = values(req, SlotSearch.end);
    if (end.length !== 1 || !end[0].startsWith(SlotSearch.endPrefix)) problems.push(`end was ${JSON.stringify(end)}, expected end=le… once`);
    if (!values(req, SlotSearch.include).includes(SlotSearch.includeSchedule)) problems.push(`_include was ${JSON.stringify(values(req, SlotSearch.include))}, expected _include=${SlotSearch.includeSchedule}`);
    return problems;
  });

/** The window a slot search asked for, or undefined when start/end cannot be read. */
function windowOf(req: Req): { start: string; end: string; days?: number } | undefined {
  const start = values(req, SlotSearch.start)[0]?.replace(/^[a-z]{2}/, '');
  const end = values(req, SlotSearch.end)[0]?.replace(/^[a-z]{2}/, '');
  if (!start || !end) return undefined;
  let days: number | undefined;
  if (start.includes('T') && end.includes('T')) {
    const ms = Date.parse(end) - Date.parse(start);
    days = Number.isFinite(ms) ? ms / 86_400_000 : undefined;
  } else {
    const s = Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
    const e = Date.parse(`${end.slice(0, 10)}T00:00:00Z`);
    days = Number.isFinite(s) && Number.isFinite(e) ? Math.round((e - s) / 86_400_000) : undefined;
  }
  return { start, end, days };
}

export const slotWindow: Judge = (ctx) =>
  perSearch(ctx, (req) => {
    const w = windowOf(req);
    if (!w || w.days === undefined) return [`the window could not be read from start ${JSON.stringify(values(req, SlotSearch.start))} and end ${JSON.stringify(values(req, SlotSearch.end))}`];
    return w.days <= SlotSearch.maxRangeDays ? [] : [`the search spans ${w.start} to ${w.end}, ${Math.round(w.days * 10) / 10} days, expected at most ${SlotSearch.maxRangeDays}`];
  });

export const slotsNextWindow: Judge = (ctx) => {
  const a = analyse(ctx);
  const searches = a.requests.filter(isSlotSearch);
  if (searches.length === 0) return neverArose(a, '(4a Search for free slots, GET /Slot): the consumer sent no slot search through the SSP, so the situation never arose');
  const empty = searches.filter((s) => s.entry.status === 200 && freeSlotsIn(s).length === 0 && parseAnswer(s.entry.responseBody)?.resourceType === 'Bundle');
  if (empty.length === 0) return found([`(4a Search for free slots, GET /Slot): no slot search was answered with no free slot, so the situation never arose`]);
  const problems: string[] = [];
  const key = (r: Req) => JSON.stringify([windowOf(r)?.start, windowOf(r)?.end]);
  for (const s of empty) {
    // A search that was itself the new window after an empty one has done what the rule asks.
    const isRetry = empty.some((e) => e.at < s.at && e.booking === s.booking && key(e) !== key(s));
    if (isRetry) continue;
    const next = searches.find((n) => n.at > s.at && n.booking === s.booking && key(n) !== key(s));
    if (!next) problems.push(`${s.label}: the search of ${windowOf(s)?.start ?? '?'} to ${windowOf(s)?.end ?? '?'} found no free slot, expected another search with a different date range, saw none`);
  }
  return found(problems);
};

/**
 * NHS number a booking is for: the one PDS gave for the number asked for (a superseded number is
 * answered with the record that replaced it, whose number the consumer must use: review M5), else
 * the one asked for, else the one last traced.
 */
export function nhsOf(a: Analysis, req: Req): string | undefined {
  const asked = a.bookings[req.booking]?.asked?.nhsNumber;
  const trace = [...a.cachedTraces, ...a.traces].reverse().find((t) => t.at < req.at && (asked === undefined || t.nhsNumber === asked));
  return (trace ? tracedNumber(trace) : undefined) ?? asked ?? trace?.nhsNumber;
}

const findsFor = (a: Analysis, nhs: string, before: number) =>
  a.requests.filter((r) => isFindPatient(r) && r.at < before && r.query.some(([n, v]) => n === 'identifier' && v === `${System.nhsNumber}|${nhs}`));

export const findPatient: Judge = (ctx) => {
  const a = analyse(ctx);
  const subjects = a.requests.filter((r) => isCreate(r) || isRegister(r));
  if (subjects.length === 0) return neverArose(a, '(5a Find a patient, GET /Patient): the consumer sent no booking or registration through the SSP, so the rule could not be checked');
  const problems: string[] = [];
  for (const r of subjects) {
    const nhs = nhsOf(a, r);
    if (!nhs) continue;
    if (findsFor(a, nhs, r.at).length === 0) {
      const other = a.requests.filter((f) => isFindPatient(f) && f.at < r.at).map((f) => f.rawQuery);
      problems.push(`${r.label}: expected GET /Patient?identifier=${System.nhsNumber}|${nhs} (the traced NHS number) before it, saw ${other.length ? other.join('; ') : 'no Find a patient'}`);
    }
  }
  return found(problems);
};

/** The logical ids a Find a patient or Register a patient answer gave for the NHS number. */
function idsAnswered(req: Req, nhs: string): string[] {
  if (req.entry.status !== 200 && req.entry.status !== 201) return [];
  return resourcesOf(req.entry.responseBody, 'Patient')
    .filter((p) => typeof p.id === 'string' && (identifierValue(p, System.nhsNumber) === undefined || identifierValue(p, System.nhsNumber) === nhs))
    .map((p) => p.id as string);
}

function patientParticipants(body: Json | undefined): string[] {
  return (Array.isArray(body?.participant) ? body!.participant : []).map((p: Json) => p?.actor?.reference).filter((r: unknown): r is string => typeof r === 'string' && r.startsWith('Patient/'));
}

export const register: Judge = (ctx) => {
  const a = analyse(ctx);
  const empties = a.requests.filter((r) => isFindPatient(r) && r.entry.status === 200 && parseAnswer(r.entry.responseBody)?.resourceType === 'Bundle' && resourcesOf(r.entry.responseBody, 'Patient').length === 0);
  if (!a.requests.some(isFindPatient)) return neverArose(a, '(5a Find a patient, GET /Patient): the consumer sent no Find a patient through the SSP, so the situation never arose');
  if (empties.length === 0) return found([`(5a Find a patient, GET /Patient): no Find a patient was answered with no Patient, so the situation never arose`]);
  const problems: string[] = [];
  for (const find of empties) {
    const nhs = find.query.find(([n]) => n === 'identifier')?.[1]?.split('|')[1] ?? nhsOf(a, find) ?? '?';
    const reg = a.requests.find((r) => isRegister(r) && r.at > find.at && r.booking === find.booking);
    const laterCreate = a.requests.find((r) => isCreate(r) && r.at > find.at && r.booking === find.booking);
    if (!reg) {
      problems.push(`${find.label}: the practice has no record of ${nhs}, expected POST /Patient/$gpc.registerpatient next, saw ${laterCreate ? 'a booking without registering' : 'no registration'}`);
      continue;
    }
    const body = parseJson(reg.entry.requestBody);
    const params: Json[] = Array.isArray(body?.parameter) ? body.parameter : [];
    const param = params.filter((p) => p?.name === REGISTER_PATIENT_PARAMETER);
    const patient = param[0]?.resource;
    if (body?.resourceType !== 'Parameters' || param.length !== 1 || patient?.resourceType !== 'Patient') {
      problems.push(`${reg.label}: expected a Parameters body with one ${REGISTER_PATIENT_PARAMETER} Patient, saw ${body?.resourceType ?? 'no JSON'} with ${param.length} ${REGISTER_PATIENT_PARAMETER} parameter(s)`);
      continue;
    }
    // The body itself: Parameters with the Patient the Register page describes, against the published profiles and the page's prose rules.
    for (const i of validateResource(body, ValidationProfile.registerPatientParameters)) problems.push(`${reg.label}: the body is not a valid registration: ${i.path}: ${i.message}`);
    const number = identifierValue(patient, System.nhsNumber);
    if (number !== nhs) problems.push(`${reg.label}: the registered Patient's NHS number was ${number ?? 'missing'}, expected ${nhs}, the traced number`);
    const trace = [...a.traces].reverse().find((t) => (t.nhsNumber === nhs || tracedNumber(t) === nhs) && t.patient && t.at < reg.at);
    if (trace?.patient) {
      if (trace.patient.birthDate && patient.birthDate !== trace.patient.birthDate) problems.push(`${reg.label}: birthDate was ${patient.birthDate ?? 'missing'}, expected ${trace.patient.birthDate} from PDS`);
      const families = (trace.patient.name ?? []).map((n: Json) => String(n?.family ?? '').toLowerCase());
      const sent = (patient.name ?? []).map((n: Json) => String(n?.family ?? '').toLowerCase());
      if (families.length > 0 && !sent.some((f: string) => families.includes(f))) problems.push(`${reg.label}: the family name was ${JSON.stringify(sent)}, expected the PDS name ${JSON.stringify(families)}`);
    }
    const ids = idsAnswered(reg, nhs);
    if (ids.length === 0) continue; // the registration failed: nothing to book with
    const create = a.requests.find((r) => isCreate(r) && r.at > reg.at && r.booking === reg.booking);
    if (!create) continue;
    const refs = patientParticipants(parseJson(create.entry.requestBody));
    if (!refs.some((r) => ids.includes(r.slice('Patient/'.length)))) problems.push(`${create.label}: the patient participant was ${refs.join(', ') || 'missing'}, expected Patient/${ids[0]}, the id Register a patient answered`);
  }
  return found(problems);
};

export const bookPatient: Judge = (ctx) =>
  perBooking(ctx, (req, body, a) => {
    const nhs = nhsOf(a, req);
    if (!nhs) return ['the NHS number the booking is for is not known'];
    const answers = a.requests.filter((r) => (isFindPatient(r) || isRegister(r)) && r.at < req.at && idsAnswered(r, nhs).length > 0 && (!isFindPatient(r) || findsFor(a, nhs, req.at).includes(r)));
    const last = answers[answers.length - 1];
    const refs = patientParticipants(body);
    if (!last) return [`the patient participant was ${refs.join(', ') || 'missing'}, but no Find a patient or Register a patient answer gave a logical id for ${nhs}`];
    const ids = idsAnswered(last, nhs);
    return refs.length === 1 && ids.includes(refs[0].slice('Patient/'.length)) ? [] : [`the patient participant was ${refs.join(', ') || 'missing'}, expected Patient/${ids[0]}, the id ${last.label.slice(1, -1)} answered for ${nhs}`];
  });

/** The free Slots earlier searches offered, by id. */
function offered(a: Analysis, before: number): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const s of a.requests.filter((r) => isSlotSearch(r) && r.at < before)) for (const slot of freeSlotsIn(s)) map.set(slot.id, slot);
  return map;
}

export const bookParticipants: Judge = (ctx) =>
  perBooking(ctx, (req, body, a) => {
    const problems: string[] = [];
    const free = offered(a, req.at);
    const ids = slotIdsOf(body);
    if (ids.length === 0) problems.push('slot[] was empty or missing, expected a Slot the search offered');
    for (const s of ids) if (!free.has(s)) problems.push(`slot Slot/${s} was not offered as free by an earlier search (offered: ${[...free.keys()].slice(0, 5).join(', ') || 'none'}${free.size > 5 ? ', …' : ''})`);
    const refs: string[] = (Array.isArray(body?.participant) ? body!.participant : []).map((p: Json) => String(p?.actor?.reference ?? ''));
    if (!refs.some((r) => r.startsWith('Location/'))) problems.push(`the participants were ${JSON.stringify(refs)}, expected a Location/… participant`);
    if (!refs.some((r) => r.startsWith('Patient/'))) problems.push(`the participants were ${JSON.stringify(refs)}, expected a Patient/… participant`);
    return problems;
  });

export const bookOrganisation: Judge = (ctx) =>
  perBooking(ctx, (_req, body) => {
    const ext = (Array.isArray(body?.extension) ? body!.extension : []).find((x: Json) => x?.url === GpcAppointmentExtension.bookingOrganisation);
    if (!ext) return [`there is no ${GpcAppointmentExtension.bookingOrganisation} extension`];
    const ref = ext.valueReference?.reference;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return [`the booking organisation extension's valueReference was ${JSON.stringify(ext.valueReference)}, expected a reference to a contained resource ("#1")`];
    const org = (Array.isArray(body?.contained) ? body!.contained : []).find((c: Json) => c?.id === ref.slice(1));
    if (!org) return [`the booking organisation extension points at ${ref}, but nothing contained has that id`];
    const problems: string[] = [];
    if (org.resourceType !== 'Organization') problems.push(`the contained ${ref} is a ${org.resourceType}, expected an Organization`);
    if (!identifierValue(org, System.odsOrganizationCode)) problems.push(`the contained Organization has no ${System.odsOrganizationCode} identifier`);
    if (typeof org.name !== 'string' || org.name.trim() === '') problems.push('the contained Organization has no name');
    if (!(Array.isArray(org.telecom) && org.telecom.some((t: Json) => typeof t?.value === 'string' && t.value.trim() !== ''))) problems.push('the contained Organization has no telecom');
    return problems;
  });

export const bookDescription: Judge = (ctx) =>
  perBooking(ctx, (_req, body) => {
    const d = body?.description;
    if (typeof d !== 'string' || d.trim() === '') return [`description was ${JSON.stringify(d)}, expected one of at most ${AppointmentLimits.descriptionMaxLength} characters`];
    return d.length <= AppointmentLimits.descriptionMaxLength ? [] : [`description has ${d.length} characters, expected at most ${AppointmentLimits.descriptionMaxLength}`];
  });

/**
 * An instant as FHIR STU3 writes one (datatypes.html#instant: to the second at least, and "SHALL
 * include a time zone"), in milliseconds; undefined for anything else. `Z` and `+00:00` are the same
 * zone, and `.000` the same second.
 */
const INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Book page (gpconnect 1.2.9 appointments_use_case_book_an_appointment.md): "the `start` SHALL be
 * the start time of the earlier slot, and the `end` shall be the end time of the latest slot". Times,
 * so compared as instants, the slots ordered by time, not by their order in slot[]: an equal instant
 * written another way (`Z`, `.000`) is the same time (review F21; only the demonstrator compares the
 * strings, and the provider's own rule is what decides there).
 */
export const bookSlotTimes: Judge = (ctx) =>
  perBooking(ctx, (req, body, a) => {
    const free = offered(a, req.at);
    const slots = slotIdsOf(body).map((id) => free.get(id));
    if (slots.length === 0 || slots.some((s) => !s)) return [`start ${JSON.stringify(body?.start)} and end ${JSON.stringify(body?.end)} cannot be compared: slot[] names no Slot an earlier search answered`];
    const byStart = [...slots].sort((x, y) => (instantOf(x!.start) ?? 0) - (instantOf(y!.start) ?? 0));
    const byEnd = [...slots].sort((x, y) => (instantOf(x!.end) ?? 0) - (instantOf(y!.end) ?? 0));
    const earliest = byStart[0]!;
    const latest = byEnd[byEnd.length - 1]!;
    const problems: string[] = [];
    const check = (name: 'start' | 'end', slot: Json) => {
      const sent = instantOf(body?.[name]);
      if (sent === undefined) problems.push(`${name} was ${JSON.stringify(body?.[name])}, not an instant with a time zone, expected ${JSON.stringify(slot[name])} as Slot/${slot.id} has it`);
      else if (sent !== instantOf(slot[name])) problems.push(`${name} was ${JSON.stringify(body?.[name])}, another time than ${JSON.stringify(slot[name])}, the ${name} of Slot/${slot.id}`);
    };
    check('start', earliest);
    check('end', latest);
    return problems;
  });

/** The answers by which a practice (or the SSP) says the booking request itself was wrong (development_fhir_error_handling_guidance.md: 400 BAD_REQUEST, 422 INVALID_RESOURCE and the like). */
const REFUSED_AS_INVALID = [400, 422];

/**
 * Book page (1.2.9 appointments_use_case_book_an_appointment.md, "Payload request body"): the
 * consumer "SHALL send an `Appointment` resource that conforms to the GPConnect-Appointment-1
 * profile", with meta.profile, `created`, the mandatory elements and none of those that MUST NOT be
 * sent; each body is validated as a booking request (src/fhir: GPConnect-Appointment-1#book-request).
 * A booking the practice refused as invalid (400, 422) was not one it could accept: on a booking
 * nothing was set up to refuse, the consumer must get its 201 (review M1). Other refusals are the
 * situations' (409, an SSP 403, 500/502/504) or other rules'.
 */
export const bookValid: Judge = (ctx) =>
  perBooking(ctx, (req, body) => {
    const issues = validateResource(body, ValidationProfile.appointmentBookRequest).map((i) => `the body is not a GPConnect-Appointment-1 booking: ${i.path}: ${i.message}`);
    const refused = REFUSED_AS_INVALID.includes(req.entry.status) ? [`the practice refused it with ${refusalOf(req.entry)}, expected 201 Created: a booking it could accept`] : [];
    return [...issues, ...refused];
  });
