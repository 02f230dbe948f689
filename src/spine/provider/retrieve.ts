/**
 * Retrieve a patient's appointments (`GET [base]/Patient/[id]/Appointment?start=ge…&start=le…`,
 * appointments_use_case_retrieve_a_patients_appointments, 1.2.9). The guard has already checked the
 * headers, the JWT and content negotiation.
 *
 * Codes: an unknown (or PDS-sensitive) patient 404 PATIENT_NOT_FOUND (error page, identity table);
 * every date problem 422 INVALID_PARAMETER: the page's own code for a range that is not valid, and
 * what PTEST AppointmentRetrieve.feature expects for the others (a missing or wrongly prefixed
 * `start`, a time element, a partial date, a range in the past). Each refusal says why, so that the
 * past-range one is "a meaningful error message".
 */
import { AppointmentSearch, GpcProfile, SpineError } from '../../gpconnect/constants';
import { ukToday } from '../../gpconnect/dates';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { londonParts, pad } from '../../gpconnect/uk-time';
import type { Appointment, ProviderContext } from './context';
import { respond } from './slots';

const invalidParameter = (d: string) => respond(gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', d), 422);
const patientNotFound = (d: string) => respond(gpcOutcome('not-found', SpineError.patientNotFound, 'Patient record not found', d), 404);

const PATH = /^\/Patient\/([A-Za-z0-9.-]{1,64})\/Appointment$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The UK date an appointment starts on (its `start` is written in UK local time; read as the instant it names). */
function ukDateOf(start: unknown): string | undefined {
  if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return undefined;
  const p = londonParts(new Date(start));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** A `start` value without its prefix: the date it names, or why it names none. */
function dateOf(value: string, which: string): string | { refused: string } {
  if (/T|[0-9]{2}:[0-9]{2}/.test(value)) return { refused: `the ${which} start date ${JSON.stringify(value)} contains a time element; only the date (yyyy-mm-dd) may be sent` };
  const m = DATE.exec(value);
  if (!m) return { refused: `the ${which} start date ${JSON.stringify(value)} is not a date with day, month and year (yyyy-mm-dd)` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const real = new Date(Date.UTC(y, mo - 1, d));
  if (real.getUTCFullYear() !== y || real.getUTCMonth() !== mo - 1 || real.getUTCDate() !== d) return { refused: `the ${which} start date ${value} is not a calendar date` };
  return value;
}

/** The range the two `start` parameters define, or the refusal of them. */
function rangeOf(url: URL, today: string): { start: string; end: string } | Response {
  const values = url.searchParams.getAll(AppointmentSearch.start);
  if (values.length !== 2) {
    return invalidParameter(`two start parameters are required, one prefixed ${AppointmentSearch.lowerPrefix} and one ${AppointmentSearch.upperPrefix} (got ${values.length})`);
  }
  const lower = values.filter((v) => v.startsWith(AppointmentSearch.lowerPrefix));
  const upper = values.filter((v) => v.startsWith(AppointmentSearch.upperPrefix));
  if (lower.length !== 1 || upper.length !== 1) {
    return invalidParameter(`the start parameters must be one prefixed ${AppointmentSearch.lowerPrefix} and one prefixed ${AppointmentSearch.upperPrefix} (got ${values.map((v) => JSON.stringify(v)).join(' and ')})`);
  }
  const start = dateOf(lower[0].slice(AppointmentSearch.lowerPrefix.length), 'lower');
  if (typeof start !== 'string') return invalidParameter(start.refused);
  const end = dateOf(upper[0].slice(AppointmentSearch.upperPrefix.length), 'upper');
  if (typeof end !== 'string') return invalidParameter(end.refused);
  if (end < start) return invalidParameter(`the start parameters do not define a valid date range: ${end} is before ${start}`);
  if (start < today) return invalidParameter(`the search parameters cannot request appointments in the past: the range starts on ${start}, before today (${today}); only future appointments are returned`);
  return { start, end };
}

/** Retrieve a patient's appointments: the path's patient, the `start` range, the Bundle. */
export function retrieveAppointments(ctx: ProviderContext, path: string, url: URL): Response {
  const id = PATH.exec(path)?.[1];
  const patient = id === undefined ? undefined : ctx.state.patientById(id);
  if (!patient || patient.sensitive) return patientNotFound(`no patient has the id ${JSON.stringify(id ?? path)}`);
  const range = rangeOf(url, ukToday(ctx.now()));
  if (range instanceof Response) return range;
  const within = (a: Appointment) => {
    const date = ukDateOf(a.resource.start);
    return date !== undefined && date >= range.start && date <= range.end;
  };
  const found = ctx.state
    .appointmentsOf(patient.id)
    .filter(within)
    .sort((a, b) => Date.parse(String(a.resource.start)) - Date.parse(String(b.resource.start)));
  return respond({
    resourceType: 'Bundle',
    meta: { profile: [GpcProfile.searchsetBundle] },
    type: 'searchset',
    ...(found.length > 0 ? { entry: found.map((a) => ({ resource: a.resource })) } : {}),
  });
}
