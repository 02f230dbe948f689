/**
 * Register a patient as a conformant consumer does it (gpconnect-spec.md §5.5): a Parameters body
 * with one `registerPatient` Patient carrying what the consumer MUST send (meta.profile, the NHS
 * number, one official name with family and given, birthDate) and what it SHOULD (gender, one home
 * address, a home phone), taken from the PDS trace the consumer made first (worked example step 1,
 * §1). The answer is judged in src/rules/provider/patients.ts.
 */
import { GpcExtension, GpcProfile, REGISTER_PATIENT_PARAMETER, System } from '../../gpconnect/constants';
import type { PdsPatient } from '../../spine/directory/model';
import type { ProviderProfile } from '../profiles/load';

type Json = Record<string, any>;

/** The profile's testData fields naming the patients Register a patient is tried with. */
export type RegistrationPatientField = 'registrablePatient' | 'registeredPatient' | 'sensitivePatient' | 'deceasedPatient' | 'notOnPdsPatient' | 'supersededPatient';

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

// ---------------------------------------------------------------------------------------------
// Registrations that differ from a valid one in one respect (the Register page's "Payload request
// body" and the official PatientRegister.feature). Each change is named as the feature names it.

/** A Register a patient request body: the Parameters resource with its one registerPatient Patient (§5.5). */
export function registrationParameters(patient: Json): Json {
  return { resourceType: 'Parameters', parameter: [{ name: REGISTER_PATIENT_PARAMETER, resource: patient }] };
}

/** The telecom uses the Register page lets a consumer send, as the official tests name them. */
export type TelecomUse = 'Home' | 'Work' | 'Mobile' | 'Temp' | 'Email';
/** Address uses: home and temp are allowed; work and old are FHIR uses the page does not allow. */
export type AddressUse = 'Home' | 'Temp' | 'Work' | 'Old';

/** A synthetic contact point of `use` (example numbers from Ofcom's drama range, a .test mailbox). */
export function telecomOfUse(use: TelecomUse): Json {
  if (use === 'Email') return { system: 'email', value: 'patient@consumer.gpc-conform.test' };
  const value = { Home: '01632960100', Work: '01632960200', Mobile: '07700900300', Temp: '01632960400' }[use];
  return { system: 'phone', value, use: use.toLowerCase() };
}

/** A synthetic address of `use` (the temporary address a patient away from home gives). */
export function addressOfUse(use: AddressUse): Json {
  return { use: use.toLowerCase(), type: 'physical', line: ['1 Trevelyan Square', 'Boar Lane'], city: 'Leeds', postalCode: 'LS1 6AE' };
}

const NHS_COMMUNICATION = {
  url: GpcExtension.nhsCommunication,
  extension: [
    { url: 'language', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1', code: 'de', display: 'German' }] } },
    { url: 'interpreterRequired', valueBoolean: true },
  ],
};

const official = (p: Json): Json => (p.name as Json[]).find((n) => n.use === 'official')!;

/** The birth date with its day changed (so the year and month, 2 of its 3 parts, still match). */
function otherDay(birthDate: string): string {
  const [y, m, d] = birthDate.split('-');
  return `${y}-${m}-${d === '01' ? '02' : '01'}`;
}

/** The birth date with its year and day changed (so only the month matches). */
function onlyTheMonth(birthDate: string): string {
  const [y, m] = birthDate.split('-');
  return `${String(Number(y) - 1).padStart(4, '0')}-${m}-${otherDay(birthDate).slice(8)}`;
}

/** A change to the Patient (a clone, changed in place). */
type PatientChange = (patient: Json) => void;
/** A change to the Parameters body (a clone, changed in place), for what is wrong outside the Patient. */
type BodyChange = (parameters: Json) => void;

const PATIENT_CHANGES = {
  // The minimum (§5.5 "SHALL be populated as a minimum to allow the provider system to perform a PDS trace").
  'without a birth date': (p) => void delete p.birthDate,
  'without any identifier': (p) => void delete p.identifier,
  'with an identifier that has no system': (p) => void (p.identifier as Json[]).push({ value: 'A1234567' }),
  'without the official name (its name sent as usual)': (p) => void (official(p).use = 'usual'),
  'with an official name that has no family name': (p) => void delete official(p).family,
  'with a second official name': (p) => void (p.name as Json[]).push({ use: 'official', family: 'ADDITIONALFAMILY', given: ['Additional'] }),
  // What the page allows besides the minimum.
  'without a gender': (p) => void delete p.gender,
  'with 1 extra given name': (p) => void official(p).given.push('GivenName-1'),
  'with 2 extra given names': (p) => void official(p).given.push('GivenName-1', 'GivenName-2'),
  'with 5 extra given names': (p) => void official(p).given.push('GivenName-1', 'GivenName-2', 'GivenName-3', 'GivenName-4', 'GivenName-5'),
  'with a nickname besides the official name': (p) => void (p.name as Json[]).push({ use: 'nickname', family: 'ADDITIONALFAMILY', given: ['AdditionalGiven'] }),
  'with a temporary address': (p) => void (p.address ??= []).push(addressOfUse('Temp')),
  'with nhsCommunication': (p) => void (p.extension ??= []).push(structuredClone(NHS_COMMUNICATION)),
  'with nhsCommunication twice': (p) => void (p.extension ??= []).push(structuredClone(NHS_COMMUNICATION), structuredClone(NHS_COMMUNICATION)),
  'with an element FHIR does not define': (p) => void (p.favouriteColour = 'blue'),
  // The PDS verification ("2 out of 3 parts of the date of birth").
  'with the date of birth PDS holds but another day': (p) => void (p.birthDate = otherDay(String(p.birthDate))),
  'with a date of birth that matches PDS in its month only': (p) => void (p.birthDate = onlyTheMonth(String(p.birthDate))),
} satisfies Record<string, PatientChange>;

const BODY_CHANGES = {
  'in a body that is not a Parameters resource': (b) => void (b.resourceType = 'Bundle'),
  'with a registerPatient parameter that is not a Patient': (b) => void (b.parameter[0].resource.resourceType = 'Practitioner'),
  'with the registerPatient parameter twice': (b) => void b.parameter.push(structuredClone(b.parameter[0])),
} satisfies Record<string, BodyChange>;

export type RegistrationChange = keyof typeof PATIENT_CHANGES | keyof typeof BODY_CHANGES;

/** A registration as it goes on the wire: the body, and the Patient inside it (for the echo). */
export interface Registration {
  parameters: Json;
  patient: Json;
}

/**
 * The valid registration of `patient` (registrationPatient) changed in the one respect named; the
 * feature's words are the key, so a row that names no change here fails loudly.
 */
export function changedRegistration(patient: Json, change: string): Registration {
  const changed = structuredClone(patient);
  const onPatient = (PATIENT_CHANGES as Record<string, PatientChange>)[change];
  const onBody = (BODY_CHANGES as Record<string, BodyChange>)[change];
  if (!onPatient && !onBody) throw new Error(`no registration change "${change}" (src/actors/provider/registration.ts)`);
  onPatient?.(changed);
  const parameters = registrationParameters(changed);
  onBody?.(parameters);
  return { parameters, patient: changed };
}

/** The valid registration with its telecoms replaced by one of each `uses` (the official tests' pairs). */
export function withTelecoms(patient: Json, uses: TelecomUse[]): Registration {
  const changed = { ...structuredClone(patient), telecom: uses.map(telecomOfUse) };
  return { parameters: registrationParameters(changed), patient: changed };
}

/** The valid registration with its addresses replaced by one of each `uses`: the home address PDS gave for Home. */
export function withAddresses(patient: Json, uses: AddressUse[]): Registration {
  const home = ((patient.address ?? []) as Json[]).find((a) => a.use === 'home');
  const changed = { ...structuredClone(patient), address: uses.map((u) => (u === 'Home' && home ? structuredClone(home) : addressOfUse(u))) };
  return { parameters: registrationParameters(changed), patient: changed };
}
