/** The judges of Find a patient and Register a patient answers (gpconnect-spec.md §5.4, §5.5). */
import { GpcExtension, GpcSubExtension } from '../../gpconnect/constants';
import { nhsNumberOf, patientsIn, seen, type Json, type ProviderAnswer } from './answer';
import { validResource } from './answers';

const notABundle = (answer: ProviderAnswer) => (answer.body?.resourceType === 'Bundle' ? [] : [`${answer.asked} answered ${seen(answer)}, not a Bundle`]);

/** The Bundle holds `count` Patients. */
export function patientCount(answer: ProviderAnswer, count: number): string[] {
  const wrong = notABundle(answer);
  if (wrong.length > 0) return wrong;
  const found = patientsIn(answer).length;
  return found === count ? [] : [`the Bundle answering ${answer.asked} holds ${found} Patient, not ${count}`];
}

/** The Bundle holds `count` Patients, each with the NHS number searched for. */
export function patientsFound(answer: ProviderAnswer, count: number, nhsNumber: string): string[] {
  const wrong = patientCount(answer, count);
  if (wrong.length > 0) return wrong;
  return patientsIn(answer)
    .filter((p) => nhsNumberOf(p) !== nhsNumber)
    .map((p) => `Patient/${p.id} carries NHS number ${nhsNumberOf(p) ?? '(none)'}, not ${nhsNumber} searched for`);
}

/** The registration answer holds exactly the Patient registered, with a logical id, as a temporary registration (§5.5). */
export function registeredAsTemporary(answer: ProviderAnswer, nhsNumber: string): string[] {
  const wrong = patientCount(answer, 1);
  if (wrong.length > 0) return wrong;
  const [patient] = patientsIn(answer);
  const findings: string[] = [];
  if (nhsNumberOf(patient) !== nhsNumber) findings.push(`the Patient returned carries NHS number ${nhsNumberOf(patient)}, not ${nhsNumber} that was registered`);
  if (!patient.id) findings.push('the Patient returned has no logical id, so the consumer cannot book for it');
  const registration = (patient.extension ?? []).find((e: Json) => e.url === GpcExtension.registrationDetails);
  const type = (registration?.extension ?? []).find((e: Json) => e.url === 'registrationType')?.valueCodeableConcept?.coding?.[0]?.code;
  if (type !== 'T') findings.push(`the registered Patient's registrationDetails.registrationType is ${JSON.stringify(type)}, not the temporary registration "T"`);
  return findings;
}

/** After registering, Find a patient finds the patient registered, once. */
export function foundOnceRegistered(found: ProviderAnswer, nhsNumber: string): string[] {
  const numbers = patientsIn(found).map(nhsNumberOf);
  return numbers.length === 1 && numbers[0] === nhsNumber ? [] : [`after registering ${nhsNumber}, Find a patient answered ${seen(found)} with ${numbers.length} Patient (${numbers.join(', ') || 'none'})`];
}

/**
 * Each Patient found or read carries what the page says a provider "SHALL populate" and the profile
 * alone does not demand (foundations_use_case_find_a_patient and _read_a_patient, "Payload response
 * body"): `versionId`, a single official name, birthDate, gender, the preferred branch surgery (a
 * Location reference in registrationDetails: the practice's main surgery where it has no branches,
 * development_branch_surgeries) and the managing organisation.
 */
export function patientsPopulated(answer: ProviderAnswer): string[] {
  const patients = answer.body?.resourceType === 'Patient' ? [answer.body] : patientsIn(answer);
  if (patients.length === 0) return [`${answer.asked} answered ${seen(answer)} with no Patient to judge`];
  return patients.flatMap((p) => {
    const missing: string[] = [];
    if (typeof p.meta?.versionId !== 'string' || p.meta.versionId === '') missing.push('meta.versionId');
    const official = (p.name ?? []).filter((n: Json) => n?.use === 'official');
    if (official.length !== 1) missing.push(`a single official name (it has ${official.length})`);
    if (!p.birthDate) missing.push('birthDate');
    if (!p.gender) missing.push('gender');
    if (!p.managingOrganization?.reference) missing.push('managingOrganization');
    const registration = (p.extension ?? []).find((e: Json) => e?.url === GpcExtension.registrationDetails);
    const branch = (registration?.extension ?? []).find((e: Json) => e?.url === GpcSubExtension.preferredBranchSurgery)?.valueReference?.reference;
    if (typeof branch !== 'string' || !/(^|\/)Location\/[A-Za-z0-9.-]{1,64}$/.test(branch)) missing.push('registrationDetails.preferredBranchSurgery referencing a Location');
    return missing.length === 0 ? [] : [`Patient/${p.id ?? '(no id)'} answering ${answer.asked} lacks ${missing.join(', ')}`];
  });
}

/**
 * Each of the other patients the profile names is found once, valid against the Find a patient
 * profiles, with the fields the page says to populate (PTEST PatientSearch.feature "Patient search
 * response conforms with the GPConnect specification", six patients of different demographics).
 */
export function eachPatientFound(searches: ReadonlyArray<{ nhsNumber: string; answer: ProviderAnswer }>): string[] {
  return searches.flatMap(({ nhsNumber, answer }) => {
    const found = patientsFound(answer, 1, nhsNumber);
    return found.length > 0 ? found : [...validResource(answer, 'Find a patient response'), ...patientsPopulated(answer)];
  });
}
