/**
 * The judges of Retrieve a patient's appointments answers
 * (appointments_use_case_retrieve_a_patients_appointments, Payload response body and Error handling).
 * Pure functions over the recorded answer; the steps name the requirement.
 */
import { GpcAppointmentExtension, GpcProfile, ValidationProfile } from '../../gpconnect/constants';
import { ukToday } from '../../gpconnect/dates';
import { londonParts, pad } from '../../gpconnect/uk-time';
import { validateResource } from '../../fhir/validate';
import { resourcesOf, seen, type Json, type ProviderAnswer } from './answer';
import { sameAppointmentProblems } from './booking';
import { notUkLocalTime } from './slots';

/** The UK dates a retrieval asked for, `yyyy-mm-dd`. */
export interface RetrievedRange {
  start: string;
  end: string;
}

/** The Appointments of a retrieval's Bundle (none when the answer is no Bundle). */
export function appointmentsRetrieved(answer: ProviderAnswer): Json[] {
  return answer.body?.resourceType === 'Bundle' ? resourcesOf(answer.body, 'Appointment') : [];
}

/**
 * A Bundle of `type` searchset whose Appointments are valid GPConnect-Appointment-1 ("SHALL return zero
 * or more matching GPConnect-Appointment-1 resources in a `Bundle` of `type` searchset"). The page names
 * no Bundle profile, so the base STU3 Bundle rules judge it (total and link allowed; entry.fullUrl not required).
 */
export function appointmentBundle(answer: ProviderAnswer): string[] {
  const body = answer.body;
  if (body?.resourceType !== 'Bundle') return [`${answer.asked} answered ${seen(answer)}; expected a searchset Bundle of Appointments`];
  const findings: string[] = [];
  if (body.type !== 'searchset') findings.push(`the Bundle answering ${answer.asked} is of type ${JSON.stringify(body.type)}, not searchset`);
  for (const issue of validateResource(body, ValidationProfile.baseBundle)) {
    findings.push(`the Bundle answering ${answer.asked} is not valid: ${issue.path}: ${issue.message}`);
  }
  return findings;
}

/** The appointment booked is among those retrieved: the same id, status booked, the same slots, start and end. */
export function bookedAmong(answer: ProviderAnswer, booking: Json, bookedAppointment: Json): string[] {
  const found = appointmentsRetrieved(answer).find((a) => a.id === bookedAppointment.id);
  if (!found) {
    const ids = appointmentsRetrieved(answer).map((a) => a.id);
    return [`the appointment booked (Appointment/${bookedAppointment.id}, starting ${bookedAppointment.start}) is not among those ${answer.asked} retrieved (${ids.length === 0 ? 'none' : ids.map((i) => `Appointment/${i}`).join(', ')})`];
  }
  const problems = sameAppointmentProblems(booking, found);
  return problems.length === 0 ? [] : [`Appointment/${bookedAppointment.id} retrieved is not the one booked: ${problems.join('; ')}`];
}

/** The appointment booked is not among those retrieved (the range asked for leaves it out). */
export function bookedNotAmong(answer: ProviderAnswer, bookedAppointment: Json, range: RetrievedRange): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200`];
  return appointmentsRetrieved(answer).some((a) => a.id === bookedAppointment.id)
    ? [`Appointment/${bookedAppointment.id}, starting ${bookedAppointment.start}, was retrieved though the range asked for is ${range.start} to ${range.end}`]
    : [];
}

/** The UK date an Appointment starts on, `yyyy-mm-dd`, or undefined when `start` is no date and time. */
function ukDateOf(start: unknown): string | undefined {
  if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) return undefined;
  const p = londonParts(new Date(start));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

const patientReference = (reference: unknown, patientId: string) => typeof reference === 'string' && (reference === `Patient/${patientId}` || reference.endsWith(`/Patient/${patientId}`));

/**
 * Every Appointment retrieved is the patient's (a Patient participant with their logical id), starts
 * within the range asked for, and not before today ("SHALL only return appointments where the `start`
 * element is in the future (greater than or equal to the current date)").
 */
export function onlyThePatientsInRange(answer: ProviderAnswer, patientId: string, range: RetrievedRange, now = new Date()): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200`];
  const today = ukToday(now);
  return appointmentsRetrieved(answer).flatMap((a) => {
    const findings: string[] = [];
    if (!(a.participant ?? []).some((p: Json) => patientReference(p?.actor?.reference, patientId))) findings.push(`Appointment/${a.id} retrieved is not Patient/${patientId}'s (its participants: ${(a.participant ?? []).map((p: Json) => p?.actor?.reference).join(', ')})`);
    const date = ukDateOf(a.start);
    if (date === undefined) findings.push(`Appointment/${a.id} retrieved has start ${JSON.stringify(a.start)}, no date and time`);
    else if (date < range.start || date > range.end) findings.push(`Appointment/${a.id} retrieved starts on ${date}, outside the range asked for (${range.start} to ${range.end})`);
    else if (date < today) findings.push(`Appointment/${a.id} retrieved starts on ${date}, before today (${today})`);
    return findings;
  });
}

/** The booking organisation an Appointment carries: the contained Organization its extension references. */
function bookingOrganisationOf(appointment: Json): Json | undefined {
  const ref = (appointment.extension ?? []).find((e: Json) => e?.url === GpcAppointmentExtension.bookingOrganisation)?.valueReference?.reference;
  return typeof ref === 'string' ? (appointment.contained ?? []).find((c: Json) => `#${c?.id}` === ref) : undefined;
}

/**
 * Each Appointment retrieved declares GPConnect-Appointment-1 in meta.profile, carries meta.versionId,
 * serviceType.text, its booking organisation (with a name), start, end and created in UK local time,
 * and neither reason nor specialty (the page's Payload response body).
 */
export function appointmentElements(answer: ProviderAnswer): string[] {
  const appointments = appointmentsRetrieved(answer);
  if (appointments.length === 0) return [`${answer.asked} answered ${seen(answer)} with no Appointment whose elements could be judged`];
  return appointments.flatMap((a) => {
    const problems: string[] = [];
    if (!(a.meta?.profile ?? []).includes(GpcProfile.appointment)) problems.push(`meta.profile does not name ${GpcProfile.appointment}`);
    if (typeof a.meta?.versionId !== 'string' || a.meta.versionId === '') problems.push('it has no meta.versionId');
    if (!(Array.isArray(a.serviceType) ? a.serviceType : []).some((t: Json) => typeof t?.text === 'string' && t.text !== '')) problems.push("it has no serviceType.text (the practice's slot type description)");
    const organisation = bookingOrganisationOf(a);
    if (!organisation) problems.push('it has no booking organisation (an extension referencing a contained Organization)');
    else {
      if (typeof organisation.name !== 'string' || organisation.name === '') problems.push('its booking organisation has no name');
      if (!(organisation.telecom ?? []).some((t: Json) => typeof t?.value === 'string' && t.value !== '')) problems.push('its booking organisation has no telecom');
    }
    for (const field of ['start', 'end', 'created'] as const) {
      const wrong = notUkLocalTime(a[field]);
      if (wrong) problems.push(`${field} ${wrong}`);
    }
    for (const field of ['reason', 'specialty'] as const) if (a[field] !== undefined) problems.push(`it populates ${field}, which the provider SHALL NOT`);
    return problems.length === 0 ? [] : [`Appointment/${a.id} retrieved: ${problems.join('; ')}`];
  });
}

/** The Bundle holds no Appointment. */
export function noAppointmentRetrieved(answer: ProviderAnswer): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200 with an empty searchset Bundle`];
  const found = appointmentsRetrieved(answer);
  return found.length === 0 ? [] : [`${answer.asked} retrieved ${found.length} Appointment(s) (${found.map((a) => `Appointment/${a.id} starting ${a.start}`).join(', ')}) in a range the patient has none`];
}

/**
 * The refusal carries a message beyond its code (Error handling: "The OperationOutcome returned SHALL
 * include a meaningful error message"): issue.diagnostics or issue.details.text. An answer that is no
 * refusal has no message to judge: the refusal judge finds it.
 */
export function refusalExplained(answer: ProviderAnswer): string[] {
  if (answer.response.status < 400 || answer.body?.resourceType !== 'OperationOutcome') return [];
  const said = (answer.body.issue ?? []).some((i: Json) => [i?.diagnostics, i?.details?.text].some((t) => typeof t === 'string' && t.trim() !== ''));
  return said ? [] : [`the refusal of ${answer.asked} gives no message (neither issue.diagnostics nor issue.details.text) to say that appointments in the past cannot be requested`];
}

/** A participant of an Appointment retrieved, and the provider's answer to reading it. */
export interface ParticipantRead {
  appointment: string;
  reference: string;
  answer: ProviderAnswer;
}

/**
 * Every participant reference of the Appointments retrieved (Patient, Location, Practitioner) reads as
 * that resource: what a consumer reads to show the location's and practitioner's names (the page's
 * Consumer display requirements; PTEST "the Appointment Participants should be valid and resolvable").
 */
export function participantsResolved(reads: readonly ParticipantRead[]): string[] {
  if (reads.length === 0) return ['no Appointment retrieved names a participant that could be read'];
  return reads.flatMap(({ appointment, reference, answer }) => {
    const [type, id] = reference.split('/');
    if (answer.response.status === 200 && answer.body?.resourceType === type && answer.body?.id === id) return [];
    return [`${reference}, a participant of Appointment/${appointment} retrieved, does not read as that ${type}: ${answer.asked} answered ${seen(answer)}`];
  });
}
