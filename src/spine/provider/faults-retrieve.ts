/**
 * Reference-provider faults for Retrieve a patient's appointments (see faults.ts for how they are
 * used, and test/system/fault-proof.test.ts for how each is proven): each a realistic supplier
 * mistake breaking one PROV-RETRIEVE* requirement.
 */
import { GpcProfile, SpineError } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { diagnosticsOf, isBooking, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { jsonOf } from '../../gpconnect/whole-bodies';

const RETRIEVAL = /\/Patient\/([^/]+)\/Appointment$/;

/** A Retrieve a patient's appointments request. */
export const isRetrieval = ({ request, url }: FaultInput) => request.method === 'GET' && RETRIEVAL.test(url.pathname);

/** An empty searchset Bundle, as a provider that skipped a refusal answers. */
function emptyBundle(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ resourceType: 'Bundle', meta: { profile: [GpcProfile.searchsetBundle] }, type: 'searchset' }), { status: 200, headers });
}

/** A retrieval the conformant provider refused for the reason `why` names is answered 200 with an empty Bundle instead. */
function retrieveAnyway(why: RegExp) {
  return async (input: FaultInput): Promise<Response> =>
    isRetrieval(input) && input.response.status >= 400 && why.test(await diagnosticsOf(input.response)) ? emptyBundle(input.response) : input.response;
}

/** A successful retrieval's Bundle, rewritten. */
function rewriteRetrieval(change: (bundle: Json, input: FaultInput) => Json | undefined) {
  return async (input: FaultInput): Promise<Response> => (isRetrieval(input) && input.response.status === 200 ? rewriteJson(input.response, (b) => change(b, input)) : input.response);
}

/** Each Appointment of a successful retrieval, changed. */
const eachAppointment = (change: (appointment: Json) => void) =>
  rewriteRetrieval((bundle) => {
    const appointments = (bundle.entry ?? []).map((e: Json) => e.resource).filter((r: Json) => r?.resourceType === 'Appointment');
    if (appointments.length === 0) return undefined;
    appointments.forEach(change);
    return bundle;
  });

/** What 'retrieve-ignores-range' has seen booked, by patient reference: it answers with all of them. */
const bookedSeen = new Map<string, Json[]>();

/** Remembers what the provider booked (201), so that a retrieval can return it whatever the range. */
async function rememberBooking(input: FaultInput): Promise<void> {
  if (!isBooking(input) || input.response.status !== 201) return;
  const appointment = (await jsonOf(input.response)) as Json;
  const patient = (appointment.participant ?? []).map((p: Json) => p?.actor?.reference).find((r: unknown) => typeof r === 'string' && r.startsWith('Patient/'));
  if (typeof patient === 'string') bookedSeen.set(patient, [...(bookedSeen.get(patient) ?? []).filter((a) => a.id !== appointment.id), appointment]);
}

const UTC = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(Date.parse(value)).toISOString().replace(/\.\d{3}Z$/, 'Z') : value);

export const RETRIEVE_FAULTS = {
  'retrieve-forgets-bookings': {
    breaks: 'PROV-RETRIEVE',
    what: "answers a patient's appointments with an empty Bundle, leaving out the appointments booked through GP Connect",
    apply: rewriteRetrieval((bundle) => (bundle.entry ? { ...bundle, entry: undefined } : undefined)),
  },
  'retrieve-dangling-location': {
    breaks: 'PROV-RETRIEVE',
    what: 'returns the Appointments retrieved with a Location participant of a site it no longer has (the reference cannot be read)',
    apply: eachAppointment((a) => {
      for (const p of a.participant ?? []) if (typeof p?.actor?.reference === 'string' && p.actor.reference.startsWith('Location/')) p.actor.reference = 'Location/closed-branch-site';
    }),
  },
  'retrieve-accepts-one-start': {
    breaks: 'PROV-RETRIEVE-DATES',
    what: 'answers a retrieval with one start parameter, or without one ge and one le, as an open search (200) instead of refusing it',
    apply: retrieveAnyway(/two start parameters are required|must be one prefixed/),
  },
  'retrieve-accepts-times': {
    breaks: 'PROV-RETRIEVE-DATES',
    what: 'answers a retrieval whose start date carries a time (200) instead of refusing it',
    apply: retrieveAnyway(/contains a time element/),
  },
  'retrieve-reads-partial-dates': {
    breaks: 'PROV-RETRIEVE-DATE-PRECISION',
    what: 'answers a retrieval whose start date is a year, or a year and month, as a FHIR date search would (200) instead of refusing it',
    apply: retrieveAnyway(/is not a date with day, month and year/),
  },
  'retrieve-accepts-past-range': {
    breaks: 'PROV-RETRIEVE-PAST',
    what: 'answers a retrieval whose range is in the past (200) instead of refusing it',
    apply: retrieveAnyway(/cannot request appointments in the past/),
  },
  'retrieve-past-refusal-unexplained': {
    breaks: 'PROV-RETRIEVE-PAST',
    what: 'refuses a retrieval in the past with 422 INVALID_PARAMETER and no message saying why',
    apply: async (input: FaultInput) =>
      isRetrieval(input) && /cannot request appointments in the past/.test(await diagnosticsOf(input.response))
        ? rewriteJson(input.response, () => gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.'))
        : input.response,
  },
  'retrieve-accepts-reversed-range': {
    breaks: 'PROV-RETRIEVE-RANGE',
    what: 'answers a retrieval whose le date is before its ge date with an empty Bundle instead of 422 INVALID_PARAMETER',
    apply: retrieveAnyway(/do not define a valid date range/),
  },
  'retrieve-unknown-patient-empty': {
    breaks: 'PROV-RETRIEVE-NOT-FOUND',
    what: 'answers the appointments of a patient it does not hold with an empty Bundle instead of 404',
    apply: async (input: FaultInput) => (isRetrieval(input) && input.response.status === 404 ? emptyBundle(input.response) : input.response),
  },
  'retrieve-ignores-range': {
    breaks: 'PROV-RETRIEVE-CONTENT',
    what: "answers with every appointment of the patient it has booked, whatever the range asked for",
    apply: async (input: FaultInput) => {
      await rememberBooking(input);
      return rewriteRetrieval((bundle, { url }) => {
        const patient = `Patient/${decodeURIComponent(RETRIEVAL.exec(url.pathname)?.[1] ?? '')}`;
        const entries: Json[] = bundle.entry ?? [];
        const extra = (bookedSeen.get(patient) ?? []).filter((a) => !entries.some((e) => e.resource?.id === a.id));
        return extra.length === 0 ? undefined : { ...bundle, entry: [...entries, ...extra.map((resource) => ({ resource }))] };
      })(input);
    },
  },
  'retrieve-without-profile': {
    breaks: 'PROV-RETRIEVE-ELEMENTS',
    what: 'returns the Appointments of a retrieval without GPConnect-Appointment-1 in meta.profile',
    apply: eachAppointment((a) => {
      a.meta = { ...(a.meta ?? {}), profile: undefined };
    }),
  },
  'retrieve-utc-times': {
    breaks: 'PROV-RETRIEVE-ELEMENTS',
    what: 'returns the start, end and created of retrieved Appointments in UTC with Z rather than UK local time',
    apply: eachAppointment((a) => {
      for (const field of ['start', 'end', 'created']) a[field] = UTC(a[field]);
    }),
  },
  'retrieve-none-as-404': {
    breaks: 'PROV-RETRIEVE-EMPTY',
    what: 'answers a retrieval that finds no appointment with 404 NO_RECORD_FOUND instead of an empty Bundle',
    apply: async (input: FaultInput) =>
      isRetrieval(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => ((b.entry ?? []).some((e: Json) => e.resource?.resourceType === 'Appointment') ? undefined : gpcOutcome('not-found', SpineError.noRecordFound, 'No record found', 'no appointments found')), 404)
        : input.response,
  },
} as const satisfies Record<string, FaultDefinition>;
