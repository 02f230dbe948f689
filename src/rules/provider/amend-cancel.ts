/**
 * The judges of Amend an appointment and Cancel an appointment answers
 * (appointments_use_case_amend_an_appointment, appointments_use_case_cancel_an_appointment): each
 * compares the Appointment answered with the one the consumer read before and what it sent.
 */
import { GpcAppointmentExtension, STALE_VERSION_CODE } from '../../gpconnect/constants';
import { exactOnly, type Finding } from '../rule';
import { seen, spineCodeOf, type Json, type ProviderAnswer } from './answer';

/** The elements neither an amendment nor a cancellation changes, compared as they were read. */
const UNCHANGED = ['start', 'end', 'created'] as const;
const refs = (a: Json, key: 'slot' | 'participant') =>
  ((a[key] ?? []) as Json[]).map((x) => (key === 'slot' ? x?.reference : x?.actor?.reference)).filter(Boolean).sort().join(', ');

/** What differs between the appointment read and the one answered, beyond what the update may change. */
function unchangedProblems(read: Json, answered: Json): string[] {
  const problems: string[] = [];
  if (answered.id !== read.id) problems.push(`id is ${JSON.stringify(answered.id)}, not ${JSON.stringify(read.id)}`);
  for (const field of UNCHANGED) {
    if (read[field] === undefined) continue;
    const same = field === 'created' ? answered[field] === read[field] || Date.parse(answered[field]) === Date.parse(read[field]) : Date.parse(answered[field]) === Date.parse(read[field]);
    if (!same) problems.push(`${field} is ${answered[field]}, not ${read[field]} as read`);
  }
  for (const key of ['slot', 'participant'] as const) if (refs(answered, key) !== refs(read, key)) problems.push(`${key} is [${refs(answered, key)}], not [${refs(read, key)}] as read`);
  for (const forbidden of ['reason', 'specialty']) if (answered[forbidden] !== undefined) problems.push(`it carries ${forbidden}, which the page says SHALL NOT be populated`);
  return problems;
}

/**
 * The amendment was made and answered: 200 with the Appointment read, its description and comment
 * as sent and nothing else changed. A provider that stores both in one field MAY concatenate them
 * (the amend page), so each is also accepted whole inside the description answered.
 */
export function amendedAsSent(answer: ProviderAnswer, read: Json, sent: Json): string[] {
  if (answer.response.status !== 200 || answer.body?.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}; expected 200 with the amended Appointment`];
  const answered = answer.body;
  const problems = unchangedProblems(read, answered);
  if (answered.status !== read.status) problems.push(`status is ${JSON.stringify(answered.status)}, not ${JSON.stringify(read.status)} as read`);
  const description = typeof answered.description === 'string' ? answered.description : '';
  if (answered.description !== sent.description && !description.includes(sent.description)) problems.push(`description is ${JSON.stringify(answered.description)}, not ${JSON.stringify(sent.description)} as sent`);
  if (typeof sent.comment === 'string' && sent.comment !== '' && answered.comment !== sent.comment && !description.includes(sent.comment)) {
    problems.push(`comment is ${JSON.stringify(answered.comment)}, not ${JSON.stringify(sent.comment)} as sent (nor is it in the description)`);
  }
  return problems.length === 0 ? [] : [`the Appointment answering ${answer.asked} is not the one amended: ${problems.join('; ')}`];
}

/** The cancellation reasons an Appointment carries. */
export function cancellationReasonsOf(appointment: Json | undefined): string[] {
  return ((appointment?.extension ?? []) as Json[]).filter((e) => e?.url === GpcAppointmentExtension.cancellationReason).map((e) => e.valueString);
}

/**
 * The cancellation was made and answered: 200 with the Appointment read, status cancelled, the
 * cancellation reason sent, and nothing else changed. The reason may be stored cut short (the cancel
 * page's note: "the cancellation reason may be truncated when stored"), so a non-empty start of it passes.
 */
export function cancelledAsSent(answer: ProviderAnswer, read: Json, reason: string): string[] {
  if (answer.response.status !== 200 || answer.body?.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}; expected 200 with the cancelled Appointment`];
  const answered = answer.body;
  const problems = unchangedProblems(read, answered);
  if (answered.status !== 'cancelled') problems.push(`status is ${JSON.stringify(answered.status)}, not "cancelled"`);
  if (answered.description !== read.description) problems.push(`description is ${JSON.stringify(answered.description)}, not ${JSON.stringify(read.description)} as read`);
  const reasons = cancellationReasonsOf(answered);
  if (!reasons.some((r) => typeof r === 'string' && r !== '' && reason.startsWith(r))) {
    problems.push(`the cancellation reason extension holds ${reasons.length === 0 ? 'nothing' : reasons.map((r) => JSON.stringify(r)).join(', ')}, not ${JSON.stringify(reason)} as sent (or the start of it, where truncated)`);
  }
  return problems.length === 0 ? [] : [`the Appointment answering ${answer.asked} is not the one cancelled: ${problems.join('; ')}`];
}

/** An appointment read after its cancellation is cancelled (the cancel page: a 200 "implies that the state" reflects it). */
export function readAsCancelled(answer: ProviderAnswer): string[] {
  if (answer.response.status !== 200 || answer.body?.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}; expected 200 with the cancelled Appointment`];
  return answer.body.status === 'cancelled' ? [] : [`the appointment read after its cancellation has status ${JSON.stringify(answer.body.status)}, not "cancelled"`];
}

/** The Appointment answered carries a versionId other than the one read: the update made a new current version. */
export function newVersion(answer: ProviderAnswer, readVersion: string | undefined): string[] {
  const version = answer.body?.meta?.versionId;
  if (answer.body?.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}, not an Appointment`];
  if (typeof version !== 'string' || version === '') return [`the Appointment answering ${answer.asked} has no meta.versionId`];
  return version !== readVersion ? [] : [`the Appointment answering ${answer.asked} still has versionId ${JSON.stringify(version)}, the version read before the update`];
}

/**
 * An If-Match naming a version that is not the current one is refused 409 (general API guidance:
 * "the server returns a `409` **Conflict**"); the Spine code is PTEST's (FHIR_CONSTRAINT_VIOLATION), so another warns.
 */
export function staleVersionRefused(answer: ProviderAnswer): Array<string | Finding> {
  const { status } = answer.response;
  if (status !== 409) return [`${answer.asked} with an If-Match that is not the current version answered ${seen(answer)}; expected 409 Conflict`];
  const code = spineCodeOf(answer);
  return code === STALE_VERSION_CODE ? [] : [exactOnly(`${answer.asked} was refused 409 with ${code ?? 'no Spine code'}; the official tests expect ${STALE_VERSION_CODE}`)];
}
