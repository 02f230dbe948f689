/**
 * Register a patient as a conformant consumer does it (gpconnect-spec.md §5.5): a Parameters body
 * with one `registerPatient` Patient carrying what the consumer MUST send (meta.profile, the NHS
 * number, one official name with family and given, birthDate) and what it SHOULD (gender, one home
 * address, a home phone), taken from the PDS trace the consumer made first (worked example step 1,
 * §1). The answer is judged in src/rules/provider/patients.ts.
 */
import { GpcProfile, System } from '../../gpconnect/constants';
import type { PdsPatient } from '../../spine/directory/model';
import type { ProviderProfile } from '../profiles/load';

type Json = Record<string, any>;

/** The profile's testData fields naming the patients Register a patient is tried with. */
export type RegistrationPatientField = 'registrablePatient' | 'registeredPatient' | 'sensitivePatient' | 'deceasedPatient' | 'notOnPdsPatient';

/** The profile's testData fields naming patients the practice holds and Find a patient must leave out (§5.4). */
export const UNFINDABLE_PATIENT_FIELDS = ['registeredSensitivePatient', 'registeredDeceasedPatient', 'inactivePatient'] as const;
export type UnfindablePatientField = (typeof UNFINDABLE_PATIENT_FIELDS)[number];

export function unfindablePatientField(name: string): UnfindablePatientField {
  const field = UNFINDABLE_PATIENT_FIELDS.find((f) => f === name);
  if (!field) throw new Error(`"${name}" is no testData field of a patient Find a patient leaves out (${UNFINDABLE_PATIENT_FIELDS.join(', ')})`);
  return field;
}

/** Demographics for a number PDS does not know (the "not on PDS" case): invented, synthetic. */
const UNKNOWN_TO_PDS = { family: 'NOTONPDS', given: ['Test'], gender: 'female', birthDate: '1970-01-01' } as const;

/** The NHS number the profile gives for `field`, or undefined when the profile leaves it out. */
export function profilePatient(profile: ProviderProfile, field: RegistrationPatientField | UnfindablePatientField): string | undefined {
  const value = (profile.testData as unknown as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The Patient a consumer sends for `nhsNumber`, with the demographics of its PDS record when PDS
 * knows it (so the provider's own PDS verification can match them, §5.5).
 */
export function registrationPatient(nhsNumber: string, pds: PdsPatient | undefined): Json {
  const who = pds ?? UNKNOWN_TO_PDS;
  const prefix = pds?.prefix;
  return {
    resourceType: 'Patient',
    meta: { profile: [GpcProfile.patient] },
    identifier: [{ system: System.nhsNumber, value: nhsNumber }],
    name: [{ use: 'official', family: who.family, given: [...who.given], ...(prefix ? { prefix: [prefix] } : {}) }],
    gender: who.gender,
    birthDate: who.birthDate,
    ...(pds?.address ? { address: [{ use: 'home', type: 'physical', line: [...pds.address.line], ...(pds.address.city ? { city: pds.address.city } : {}), postalCode: pds.address.postalCode }] } : {}),
    ...(pds?.phone ? { telecom: [{ system: 'phone', value: pds.phone, use: 'home' }] } : {}),
  };
}

/**
 * A Patient element a consumer MUST NOT send (§5.5), by the name the feature uses, with a plausible
 * value. `value` is JSON in the feature; a bare word is taken as a string.
 */
export function withElement(patient: Json, element: string, value: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = value;
  }
  return { ...patient, [element]: parsed };
}
