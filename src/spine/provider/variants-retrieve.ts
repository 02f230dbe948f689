/**
 * Conformant variants of Retrieve a patient's appointments (see variants.ts): choices
 * appointments_use_case_retrieve_a_patients_appointments leaves to a supplier, made the other way
 * from the reference provider's. test/system/provider-variant-proof.test.ts proves that nothing fails.
 */
import { GpcProfile, SpineError } from '../../gpconnect/constants';
import { recode, rewriteJson, type FaultInput, type Json } from './fault-kit';
import { isRetrieval } from './faults-retrieve';
import type { VariantDefinition } from './variants';

/** The refusals the page gives no code for ("an error"): a missing or wrongly prefixed start, a time, a partial date, the past. */
const REFUSALS_WITHOUT_A_CODE = /two start parameters are required|must be one prefixed|contains a time element|is not a date with day, month and year|cannot request appointments in the past/;

export const RETRIEVE_VARIANTS = {
  'retrieve-latest-first': {
    latitude: "returns a patient's appointments latest first",
    source: 'appointments_use_case_retrieve_a_patients_appointments: "SHALL return all appointments for the patient within the requested period", no order given; PTEST AppointmentRetrieve.feature checks none',
    apply: async (input: FaultInput) =>
      isRetrieval(input) && input.response.status === 200 ? rewriteJson(input.response, (b) => ((b.entry ?? []).length > 1 ? { ...b, entry: [...b.entry].reverse() } : undefined)) : input.response,
  },
  'retrieve-with-total-and-links': {
    latitude: "answers a patient's appointments with a plain STU3 searchset Bundle: total, a self link, and each entry's fullUrl and search mode",
    source: 'appointments_use_case_retrieve_a_patients_appointments: "a `Bundle` of `type` searchset", no Bundle profile named (GPConnect-Searchset-Bundle-1, which forbids total and link, is not); FHIR STU3 Bundle; PTEST checks the type only',
    apply: async (input: FaultInput) =>
      isRetrieval(input) && input.response.status === 200
        ? rewriteJson(input.response, (b) => {
            const { meta, ...rest } = b;
            const entry: Json[] = (b.entry ?? []).map((e: Json) => ({ fullUrl: `${input.url.origin}${input.url.pathname.replace(/\/Patient\/[^/]+\/Appointment$/, '')}/Appointment/${e.resource?.id}`, resource: e.resource, search: { mode: 'match' } }));
            const profiles = (meta?.profile ?? []).filter((p: string) => p !== GpcProfile.searchsetBundle);
            return { ...rest, ...(profiles.length > 0 ? { meta: { ...meta, profile: profiles } } : {}), total: entry.length, link: [{ relation: 'self', url: input.url.href }], ...(entry.length > 0 ? { entry } : { entry: undefined }) };
          })
        : input.response,
  },
  'retrieve-date-errors-as-bad-request': {
    latitude: 'refuses a retrieval without one ge and one le start, with a time or a partial date, or in the past, 400 BAD_REQUEST rather than the official tests\' 422 INVALID_PARAMETER (the harness warns)',
    source: 'appointments_use_case_retrieve_a_patients_appointments: "SHALL return an error if …" with no code for these; development_fhir_error_handling_guidance BAD_REQUEST (400) for a malformed request; PTEST AppointmentRetrieve.feature expects 422 INVALID_PARAMETER',
    apply: recode(isRetrieval, { code: SpineError.invalidParameter, why: REFUSALS_WITHOUT_A_CODE }, 400, SpineError.badRequest),
  },
  'retrieve-unknown-patient-as-no-record-found': {
    latitude: 'answers the appointments of a patient it does not hold 404 NO_RECORD_FOUND, the catch-all, rather than PATIENT_NOT_FOUND',
    source: 'development_fhir_error_handling_guidance "Identity validation errors": both are 404 rows of the table; PTEST AppointmentRetrieve.feature checks 404 only',
    apply: recode(isRetrieval, { code: SpineError.patientNotFound }, 404, SpineError.noRecordFound),
  },
} as const satisfies Record<string, VariantDefinition>;
