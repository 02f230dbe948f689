import { GpcAppointmentExtension, GpcProfile, Header, SlotSearch, SpineError, System } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { diagnosticsOf, isBooking, isReadAppointment, isSlotSearch, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';

/** A slot search the conformant provider refused for the reason `why` names is answered 200 with an empty Bundle instead. */
function searchAnyway(why: RegExp, when: (input: FaultInput) => boolean = () => true) {
  return async (input: FaultInput): Promise<Response> => {
    if (!isSlotSearch(input) || input.response.status < 400 || !when(input) || !why.test(await diagnosticsOf(input.response))) return input.response;
    const headers = new Headers(input.response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }), { status: 200, headers });
  };
}

let fakeIds = 0;

/**
 * A booking the conformant provider refused for the reason `why` names is answered 201 as if booked:
 * the Appointment sent, with an id, a version and a Location header (nothing is stored).
 */
function bookAnyway(why: RegExp, stored: (sent: Json) => Json = (sent) => sent) {
  return async (input: FaultInput): Promise<Response> => {
    if (!isBooking(input) || input.response.status !== 422 || !why.test(await diagnosticsOf(input.response))) return input.response;
    const sent = stored((await input.request.clone().json()) as Json);
    const id = `fault-${++fakeIds}`;
    const headers = new Headers(input.response.headers);
    headers.delete('content-length');
    headers.set(Header.location, `${input.url.href.replace(/\/$/, '')}/${id}/_history/1`);
    return new Response(JSON.stringify({ ...sent, id, meta: { versionId: '1', profile: [GpcProfile.appointment] } }), { status: 201, headers });
  };
}

/** Rewrite a successful slot search's Bundle. */
function rewriteSlotSearch(change: (bundle: Json, input: FaultInput) => Json | undefined) {
  return async (input: FaultInput): Promise<Response> =>
    isSlotSearch(input) && input.response.status === 200 ? rewriteJson(input.response, (b) => change(b, input)) : input.response;
}

const withoutEntries = (bundle: Json, drop: (resource: Json) => boolean): Json => ({ ...bundle, entry: (bundle.entry ?? []).filter((e: Json) => !drop(e.resource ?? {})) });

const KNOWN_FILTER_SYSTEMS = [System.odsOrganizationCode, System.organisationType];
const searchFilters = (url: URL) => url.searchParams.getAll(SlotSearch.searchFilter);

/** Reference-provider faults for Search for free slots, Book and Read an appointment (see faults.ts for how they are used and proven). */
export const APPOINTMENT_FAULTS = {
  'accepts-missing-end': {
    breaks: 'PROV-SLOTS-MISSING',
    what: 'answers a slot search without end as an open-ended search (200) instead of 400 BAD_REQUEST',
    apply: searchAnyway(/the end parameter is missing/),
  },
  'accepts-status-busy': {
    breaks: 'PROV-SLOTS-STATUS',
    what: 'answers a slot search with status=busy (or any status) with 200 instead of 422 INVALID_PARAMETER',
    apply: searchAnyway(/status must be "free"/),
  },
  'ignores-prefixes': {
    breaks: 'PROV-SLOTS-PREFIX',
    what: 'reads start and end whatever their prefix (gt, eq, lt, none), instead of 422 INVALID_PARAMETER',
    apply: searchAnyway(/must have the prefix/),
  },
  'accepts-utc-datetimes': {
    breaks: 'PROV-SLOTS-DATE-FORMAT',
    what: 'accepts start and end date-times in UTC (Z) instead of UK local time with its offset',
    apply: searchAnyway(/is not yyyy-mm-dd or yyyy-mm-ddThh:mm:ss/, ({ url }) => [SlotSearch.start, SlotSearch.end].some((n) => /Z$/.test(url.searchParams.get(n) ?? ''))),
  },
  'schedule-include-optional': {
    breaks: 'PROV-SLOTS-INCLUDE',
    what: 'answers a slot search without _include=Slot:schedule instead of 400 BAD_REQUEST',
    apply: searchAnyway(/_include=Slot:schedule is mandatory/),
  },
  'ignores-include-recurse': {
    breaks: 'PROV-SLOTS-INCLUDE',
    what: 'never returns the Practitioners and Locations asked for with _include:recurse',
    apply: rewriteSlotSearch((b) => withoutEntries(b, (r) => r.resourceType === 'Practitioner' || r.resourceType === 'Location')),
  },
  'organization-only-when-asked': {
    breaks: 'PROV-SLOTS',
    what: 'returns the Organization only when _include:recurse=Location:managingOrganization asks for it (the known issue)',
    apply: rewriteSlotSearch((b, { url }) =>
      url.searchParams.getAll(SlotSearch.includeRecurse).includes(SlotSearch.includeManagingOrganization) ? undefined : withoutEntries(b, (r) => r.resourceType === 'Organization'),
    ),
  },
  'rejects-unknown-search-filter': {
    breaks: 'PROV-SLOTS-FILTER',
    what: 'answers a searchFilter it does not know with 422 INVALID_PARAMETER instead of ignoring it',
    apply: async (input: FaultInput) => {
      if (!isSlotSearch(input) || input.response.status !== 200) return input.response;
      const unknown = searchFilters(input.url).find((f) => !KNOWN_FILTER_SYSTEMS.some((s) => f.startsWith(`${s}|`)));
      if (unknown === undefined) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      const outcome = gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', `unknown searchFilter ${unknown}`);
      return new Response(JSON.stringify(outcome), { status: 422, headers });
    },
  },
  'filter-hides-open-slots': {
    breaks: 'PROV-SLOTS-FILTER',
    what: "with an ODS code or organisation type searchFilter, leaves out the first schedule's slots that it offers without one",
    apply: rewriteSlotSearch((b, { url }) => {
      if (!searchFilters(url).some((f) => KNOWN_FILTER_SYSTEMS.some((s) => f.startsWith(`${s}|`)))) return undefined;
      const first = (b.entry ?? []).find((e: Json) => e.resource?.resourceType === 'Slot')?.resource?.schedule?.reference;
      return withoutEntries(b, (r) => r.resourceType === 'Slot' && r.schedule?.reference === first);
    }),
  },
  'echoes-no-id': {
    breaks: 'PROV-BOOK',
    what: 'answers a booking with 201 and the Appointment as sent, without its new id',
    apply: async (input: FaultInput) =>
      isBooking(input) && input.response.status === 201
        ? rewriteJson(input.response, (b) => {
            delete b.id;
            return b;
          })
        : input.response,
  },
  'books-unknown-slot': {
    breaks: 'PROV-BOOK-UNKNOWN-SLOT',
    what: 'answers a booking of a slot it does not have with 201',
    apply: bookAnyway(/does not exist/),
  },
  'accepts-mismatched-times': {
    breaks: 'PROV-BOOK-TIMES',
    what: "books an appointment whose start or end is not its slots' start and end",
    apply: bookAnyway(/is not the (first slot's start|last slot's end)/),
  },
  'accepts-reason': {
    breaks: 'PROV-BOOK-FORBIDDEN',
    what: 'books an appointment that carries a reason',
    apply: bookAnyway(/must not contain reason\b/),
  },
  'accepts-missing-booking-organisation': {
    breaks: 'PROV-BOOK-REQUIRED',
    what: 'books an appointment without the booking organisation extension and contained Organization',
    apply: bookAnyway(/booking organisation extension \(has 0\)/),
  },
  'truncates-long-description': {
    breaks: 'PROV-BOOK-DESCRIPTION',
    what: 'books an appointment whose description is over 100 characters with the description cut to 100 (the book page: SHALL NOT truncate)',
    apply: bookAnyway(/description is longer than/, (sent) => ({ ...sent, description: String(sent.description).slice(0, 100) })),
  },
  'truncates-long-comment': {
    breaks: 'PROV-BOOK-DESCRIPTION',
    what: 'books an appointment whose comment is over 500 characters with the comment cut to 500 (the book page: SHALL NOT truncate)',
    apply: bookAnyway(/comment is longer than/, (sent) => ({ ...sent, comment: String(sent.comment).slice(0, 500) })),
  },
  'books-slots-not-adjacent': {
    breaks: 'PROV-BOOK-ADJACENT',
    what: 'books two slots that are not adjacent, or on different schedules, as one appointment',
    apply: bookAnyway(/does not follow|is not on the same schedule/),
  },
  'read-status-pending': {
    breaks: 'PROV-READ-APPOINTMENT',
    what: 'answers a read of a booked appointment with status pending',
    apply: async (input: FaultInput) =>
      isReadAppointment(input) && input.response.status === 200 ? rewriteJson(input.response, (b) => ({ ...b, status: 'pending' })) : input.response,
  },
  // Issue 16 gaps 2, 10 and 11.
  'accepts-missing-start': {
    breaks: 'PROV-BOOK-REQUIRED',
    what: 'books an appointment sent without start (the slot says when it is)',
    apply: bookAnyway(/^start is missing/),
  },
  'accepts-incomplete-booking-organisation': {
    breaks: 'PROV-BOOK-REQUIRED',
    what: 'books an appointment whose booking organisation has no name or telecom, or is referenced by an absolute URL',
    apply: bookAnyway(/booking organisation (has no (name|telecom)|extension must reference a contained)/),
  },
  'accepts-unknown-elements': {
    breaks: 'PROV-BOOK-INVALID',
    what: 'books an appointment carrying an element GPConnect-Appointment-1 does not have, ignoring it',
    apply: bookAnyway(/has no element/, (sent) => ({ ...sent, bookingNotes: undefined })),
  },
  'accepts-participant-without-status': {
    breaks: 'PROV-BOOK-INVALID',
    what: 'books an appointment with a participant that has no status',
    apply: bookAnyway(/participant\[\d+\] has no status/),
  },
  'accepts-identifier-without-value': {
    breaks: 'PROV-BOOK-IDENTIFIER',
    what: 'books an appointment whose identifier has a system and no value',
    apply: bookAnyway(/identifier\[\d+\] has no value/),
  },
  'keeps-consumer-service-type': {
    breaks: 'PROV-BOOK-SERVICE',
    what: "answers a booking with the serviceCategory and serviceType the consumer sent instead of the practice's",
    apply: async (input: FaultInput) => {
      if (!isBooking(input) || input.response.status !== 201) return input.response;
      const sent = (await input.request.clone().json()) as Json;
      if (sent.serviceType === undefined) return input.response;
      return rewriteJson(input.response, (b) => ({ ...b, serviceCategory: sent.serviceCategory, serviceType: sent.serviceType }));
    },
  },
  'drops-comment': {
    breaks: 'PROV-BOOK-COMMENT',
    what: 'books an appointment with its comment and answers it without',
    apply: async (input: FaultInput) =>
      isBooking(input) && input.response.status === 201
        ? rewriteJson(input.response, (b) => {
            if (b.comment === undefined) return undefined;
            delete b.comment;
            return b;
          })
        : input.response,
  },
  'drops-delivery-channel': {
    breaks: 'PROV-BOOK',
    what: 'answers a booking without the delivery channel extension',
    apply: async (input: FaultInput) =>
      isBooking(input) && input.response.status === 201
        ? rewriteJson(input.response, (b) => ({ ...b, extension: (b.extension ?? []).filter((e: Json) => e.url !== GpcAppointmentExtension.deliveryChannel) }))
        : input.response,
  },
  'read-unknown-as-bad-request': {
    breaks: 'PROV-READ-APPOINTMENT-NOT-FOUND',
    what: 'answers a read of an appointment id it does not have with 400 BAD_REQUEST instead of 404',
    apply: async (input: FaultInput) => {
      if (!isReadAppointment(input) || input.response.status !== 404) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      const outcome = gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', `no appointment ${input.url.pathname}`);
      return new Response(JSON.stringify(outcome), { status: 400, headers });
    },
  },
  'read-booking-organisation-from-jwt': {
    breaks: 'PROV-READ-BOOKING-ORGANISATION',
    what: "answers a read with the booking organisation's ODS code and name taken from the JWT's requesting organisation, not the booking",
    apply: async (input: FaultInput) => {
      if (!isReadAppointment(input) || input.response.status !== 200) return input.response;
      const requesting = requestingOrganisation(input.request);
      if (!requesting) return input.response;
      return rewriteJson(input.response, (b) => ({
        ...b,
        contained: (b.contained ?? []).map((c: Json) => (c.resourceType === 'Organization' ? { ...c, identifier: requesting.identifier, name: requesting.name } : c)),
      }));
    },
  },
  'no-version-id': {
    breaks: 'PROV-APPOINTMENT-VERSIONID',
    what: 'answers a read of an appointment without meta.versionId',
    apply: async (input: FaultInput) =>
      isReadAppointment(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => ({ ...b, meta: { ...b.meta, versionId: undefined } }))
        : input.response,
  },
  'no-etag': {
    breaks: 'PROV-APPOINTMENT-ETAG',
    what: 'answers a booking and a read of an appointment without an ETag header',
    apply: async (input: FaultInput) => {
      if (!(isBooking(input) || isReadAppointment(input)) || input.response.status >= 300) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete(Header.etag);
      return new Response(input.response.body, { status: input.response.status, headers });
    },
  },
} as const satisfies Record<string, FaultDefinition>;

/** The requesting organisation of the request's JWT (no signature check: the guard made it). */
function requestingOrganisation(request: Request): Json | undefined {
  const token = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '').split('.')[1];
  if (!token) return undefined;
  try {
    return (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Json).requesting_organization;
  } catch {
    return undefined;
  }
}
