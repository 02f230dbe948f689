import { parseFaultList } from '../../gpconnect/fault-list';
import { Header, SpineError, System, FORMAT_PARAMETER } from '../../gpconnect/constants';
import { decodeJwt } from '../../gpconnect/jwt';
import { gpcOutcome } from '../../gpconnect/outcomes';
import type { ProviderState } from './context';
import { faultOutcome, isBooking, isFindPatient, isSlotSearch, passThrough, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { sameBody } from '../../gpconnect/whole-bodies';
import { APPOINTMENT_FAULTS } from './faults-appointments';
import { AMEND_CANCEL_FAULTS } from './faults-amend-cancel';
import { FOUNDATION_AND_GUARD_FAULTS } from './faults-foundations';
import { HTTP_FAULTS } from './faults-http';
import { JWT_AND_METADATA_FAULTS } from './faults-jwt';
import { REGISTER_FAULTS } from './faults-register';
import { RETRIEVE_FAULTS } from './faults-retrieve';
import { SLOT_FAULTS } from './faults-slots';
import { SEARCH_FAULTS } from './faults-searches';
import { XML_FAULTS } from './faults-xml';

/**
 * Realistic supplier mistakes the reference provider can be told to make (GPC_PROVIDER_FAULTS).
 * Each names the requirement whose scenarios must then fail; test/fault-proof.test.ts proves it.
 */
const CORE_FAULTS = {
  'omit-cache-control': {
    breaks: 'PROV-NO-STORE',
    what: 'answers without Cache-Control: no-store',
    apply: async ({ response }: FaultInput) => {
      const headers = new Headers(response.headers);
      headers.delete(Header.cacheControl);
      return sameBody(response, { status: response.status, headers });
    },
  },
  'metadata-wrong-fhir-version': {
    breaks: 'PROV-METADATA',
    what: 'declares FHIR 1.0.2 (DSTU2) in its CapabilityStatement',
    apply: async (input: FaultInput) => (input.url.pathname.endsWith('/metadata') ? rewriteJson(input.response, (b) => ({ ...b, fhirVersion: '1.0.2' })) : input.response),
  },
  'unknown-patient-as-404': {
    breaks: 'PROV-FIND-PATIENT-NOT-FOUND',
    what: 'answers a search for an unknown patient with 404 PATIENT_NOT_FOUND instead of an empty Bundle',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 200
        ? rewriteJson(
            input.response,
            (b) => ((b.entry ?? []).length === 0 ? faultOutcome('not-found', SpineError.patientNotFound) : undefined),
            404,
          )
        : input.response,
  },
  'wrong-error-system': {
    breaks: 'PROV-ERROR-SYSTEM',
    what: 'uses the DSTU2 error code system in its OperationOutcomes',
    apply: async (input: FaultInput) =>
      input.response.status >= 400
        ? rewriteJson(input.response, (b) => {
            for (const issue of b.issue ?? []) for (const c of issue.details?.coding ?? []) c.system = System.gpconnectErrorCodeDstu2;
            return b;
          })
        : input.response,
  },
  'searches-invalid-nhs-number': {
    breaks: 'PROV-FIND-PATIENT-INVALID-NHS',
    what: 'answers a search by an NHS number with a bad check digit with an empty Bundle instead of an error',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 400
        ? rewriteJson(input.response, (b) => (b.issue?.[0]?.details?.coding?.[0]?.code === SpineError.invalidNhsNumber ? { resourceType: 'Bundle', type: 'searchset' } : undefined), 200)
        : input.response,
  },
  'ignore-identifier-system': {
    breaks: 'PROV-FIND-PATIENT-SYSTEM',
    what: 'searches by the number whatever identifier system the consumer names',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 400
        ? rewriteJson(input.response, (b) => (b.issue?.[0]?.details?.coding?.[0]?.code === SpineError.invalidIdentifierSystem ? { resourceType: 'Bundle', type: 'searchset' } : undefined), 200)
        : input.response,
  },
  'patient-without-nhs-number': {
    breaks: 'PROV-FIND-PATIENT',
    what: 'returns the Patient without its NHS number identifier',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => {
            for (const e of b.entry ?? []) if (e.resource?.resourceType === 'Patient') e.resource.identifier = (e.resource.identifier ?? []).filter((i: Json) => i.system !== System.nhsNumber);
            return b;
          })
        : input.response,
  },
  'missing-identifier-accepted': {
    breaks: 'PROV-FIND-PATIENT-MISSING',
    what: 'answers a Patient search without an identifier with an empty Bundle',
    apply: async (input: FaultInput) =>
      isFindPatient(input) && !input.url.searchParams.has('identifier') && input.response.status === 400
        ? new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset' }), { status: 200, headers: input.response.headers })
        : input.response,
  },
  'offers-busy-slots': {
    breaks: 'PROV-SLOTS',
    what: 'offers busy slots among the free ones',
    apply: async (input: FaultInput) =>
      isSlotSearch(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => {
            const slot = (b.entry ?? []).find((e: Json) => e.resource?.resourceType === 'Slot');
            if (slot) slot.resource.status = 'busy';
            return b;
          })
        : input.response,
  },
  'omits-organization': {
    breaks: 'PROV-SLOTS',
    what: 'leaves the Organization out of a slot search unless asked for it',
    apply: async (input: FaultInput) =>
      isSlotSearch(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => ({ ...b, entry: (b.entry ?? []).filter((e: Json) => e.resource?.resourceType !== 'Organization') }))
        : input.response,
  },
  'accepts-15-day-window': {
    breaks: 'PROV-SLOTS-WINDOW',
    what: 'answers a window over 14 days with an empty Bundle instead of 422',
    apply: async (input: FaultInput) =>
      isSlotSearch(input) && input.response.status === 422 ? new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset' }), { status: 200, headers: input.response.headers }) : input.response,
  },
  'book-without-location': {
    breaks: 'PROV-BOOK',
    what: 'answers a booking with 201 but no Location header',
    apply: async (input: FaultInput) => {
      if (!isBooking(input) || input.response.status !== 201) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete(Header.location);
      return new Response(input.response.body, { status: 201, headers });
    },
  },
  'rebooks-taken-slot': {
    breaks: 'PROV-BOOK-DUPLICATE',
    what: 'answers a booking of a slot that is no longer free with 201',
    apply: async (input: FaultInput) => {
      if (!isBooking(input) || input.response.status !== 409) return input.response;
      const body = (await input.request.clone().json()) as Json;
      const headers = new Headers(input.response.headers);
      headers.set(Header.location, `${input.url.href}/duplicate/_history/1`);
      return new Response(JSON.stringify({ ...body, id: 'duplicate', meta: { versionId: '1' } }), { status: 201, headers });
    },
  },
  'still-offers-booked-slot': {
    breaks: 'PROV-BOOK-SLOT-TAKEN',
    what: 'books without marking the slot busy, so it is still offered (see withStateFaults)',
    apply: passThrough,
  },
  'ignores-ssp-to': {
    breaks: 'PROV-SSP-TO',
    what: 'answers requests addressed to another ASID',
    apply: passThrough,
    bypassGuard: /is not this provider's ASID/,
  },
  'accepts-missing-trace-id': {
    breaks: 'PROV-SSP-HEADERS',
    what: 'answers requests without Ssp-TraceID',
    apply: passThrough,
    bypassGuard: /Ssp-TraceID header missing/,
  },
  'accepts-expired-jwt': {
    breaks: 'PROV-JWT-EXPIRY',
    what: 'accepts an expired JWT',
    apply: passThrough,
    bypassGuard: /JWT has expired/,
  },
  'accepts-one-hour-jwt': {
    breaks: 'PROV-JWT-EXPIRY',
    what: 'accepts a JWT whose exp is an hour after iat',
    apply: passThrough,
    bypassGuard: /exp - iat must be/,
  },
  'accepts-any-scope': {
    breaks: 'PROV-JWT-SCOPE',
    what: 'accepts any requested_scope, even a value that is no GP Connect scope',
    apply: passThrough,
    bypassGuard: /requested_scope/,
  },
  'refuses-future-iat': {
    breaks: 'PROV-JWT-EXPIRY',
    what: 'refuses a JWT whose iat is more than 600 s in the future (the demonstrator\'s old leeway), though providers shall not validate iat',
    apply: async (input: FaultInput) => {
      if (input.response.status >= 400) return input.response;
      const token = (input.request.headers.get(Header.authorization) ?? '').replace(/^bearer /i, '');
      const iat = decodeJwt(token).payload?.iat;
      if (typeof iat !== 'number' || iat <= Date.now() / 1000 + 600) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(gpcOutcome('invalid', SpineError.badRequest, 'Bad request', 'JWT iat is in the future')), { status: 400, headers });
    },
  },
  'plain-json-content-type': {
    breaks: 'PROV-CONTENT-TYPE',
    what: 'labels its FHIR answers application/json',
    apply: async ({ response }: FaultInput) => {
      const headers = new Headers(response.headers);
      headers.set(Header.contentType, 'application/json');
      return sameBody(response, { status: response.status, headers });
    },
  },
  'accept-overrides-format': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'lets Accept win over _format, so _format=json with an unsupported Accept is 415',
    apply: async (input: FaultInput) => {
      const format = input.url.searchParams.get(FORMAT_PARAMETER);
      const accept = input.request.headers.get(Header.accept) ?? '';
      return format && /json/.test(format) && accept !== '' && !/json|\*\/\*/.test(accept) ? rewriteJson(input.response, () => unsupported(accept), 415) : input.response;
    },
  },
  'no-default-format': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'answers 415 when neither Accept nor _format is given, as the demonstrator does',
    apply: async (input: FaultInput) =>
      !input.request.headers.get(Header.accept) && !input.url.searchParams.has(FORMAT_PARAMETER) && input.request.method === 'GET' ? rewriteJson(input.response, () => unsupported('no Accept'), 415) : input.response,
  },
  'serves-any-format': {
    breaks: 'PROV-CONTENT-NEGOTIATION',
    what: 'answers JSON whatever format is asked for, instead of 415',
    apply: passThrough,
    bypassGuard: /is not a FHIR format this provider serves/,
  },
} as const satisfies Record<string, FaultDefinition>;

function unsupported(what: string): Json {
  return faultOutcome('not-supported', SpineError.badRequest, `${what} is not supported`);
}

/** Every fault, from each catalogue. */
export const PROVIDER_FAULTS = { ...CORE_FAULTS, ...APPOINTMENT_FAULTS, ...FOUNDATION_AND_GUARD_FAULTS, ...HTTP_FAULTS, ...JWT_AND_METADATA_FAULTS, ...REGISTER_FAULTS, ...SLOT_FAULTS, ...RETRIEVE_FAULTS, ...SEARCH_FAULTS, ...AMEND_CANCEL_FAULTS, ...XML_FAULTS };

export type ProviderFault = keyof typeof PROVIDER_FAULTS;

export function parseProviderFaults(list: string | undefined): Set<ProviderFault> {
  return parseFaultList(list, PROVIDER_FAULTS, 'provider');
}

/** Whether a fault makes the provider let through what its guard refused (the refusal's diagnostics say what). */
export function guardBypassed(faults: ReadonlySet<ProviderFault>, diagnostics: string): boolean {
  return [...faults].some((f) => {
    const entry = PROVIDER_FAULTS[f] as FaultDefinition;
    return entry.bypassGuard?.test(diagnostics) ?? false;
  });
}

export async function applyFaults(faults: ReadonlySet<ProviderFault>, input: FaultInput): Promise<Response> {
  let response = input.response;
  for (const fault of faults) response = await (PROVIDER_FAULTS[fault] as FaultDefinition).apply({ ...input, response });
  return response;
}

/** Faults that live in the practice's state rather than in its answers. */
export function withStateFaults(state: ProviderState, faults: ReadonlySet<ProviderFault> | undefined): ProviderState {
  if (!faults?.has('still-offers-booked-slot')) return state;
  const book: ProviderState['book'] = (resource, slotIds) => {
    const appointment = state.book(resource, slotIds);
    for (const id of slotIds) {
      const slot = state.slotById(id);
      if (slot) slot.status = 'free';
    }
    return appointment;
  };
  return Object.assign(Object.create(state) as ProviderState, { book });
}
