/** The judges of Find a patient and Register a patient answers (gpconnect-spec.md §5.4, §5.5). */
import { GpcExtension } from '../../gpconnect/constants';
import { nhsNumberOf, patientsIn, seen, type Json, type ProviderAnswer } from './answer';

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
