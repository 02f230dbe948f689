/** The judges of Book an appointment and Read an appointment answers (gpconnect-spec.md §5.6). */
import { seen, type Json, type ProviderAnswer } from './answer';
import { refusedWithOneOf, type Refusal } from './refusals';
import { exactOnly, type Finding } from '../rule';
import { GpcAppointmentExtension, System } from '../../gpconnect/constants';

/** Status booked, the same slots, and the same start and end instants as the booking: one line per difference. */
export function sameAppointmentProblems(booked: Json, found: Json): string[] {
  const problems: string[] = [];
  if (found.status !== 'booked') problems.push(`status is ${JSON.stringify(found.status)}, not "booked"`);
  const slots = (a: Json) => (a.slot ?? []).map((s: Json) => s?.reference).sort().join(', ');
  if (slots(found) !== slots(booked)) problems.push(`slot is [${slots(found)}], not [${slots(booked)}]`);
  for (const field of ['start', 'end'] as const) {
    if (typeof found[field] !== 'string' || Date.parse(found[field]) !== Date.parse(booked[field])) problems.push(`${field} is ${found[field]}, not ${booked[field]}`);
  }
  return problems;
}

/**
 * What is wrong with the Appointment a provider answered a booking with (§5.6 success: the booking
 * as sent, with the server's id): one line per difference, empty when it echoes the booking.
 */
export function bookingEchoProblems(sent: Json, answered: Json | undefined): string[] {
  if (answered?.resourceType !== 'Appointment') return [`the answer is not an Appointment (${answered?.resourceType ?? 'no JSON body'})`];
  const problems: string[] = [];
  if (typeof answered.id !== 'string' || answered.id === '') problems.push('the Appointment has no id');
  problems.push(...sameAppointmentProblems(sent, answered));
  if (answered.description !== sent.description) problems.push(`description is ${JSON.stringify(answered.description)}, not ${JSON.stringify(sent.description)} as booked`);
  const refs = (a: Json) => (a.participant ?? []).map((p: Json) => p?.actor?.reference).filter(Boolean).sort();
  for (const r of refs(sent)) if (!refs(answered).includes(r)) problems.push(`participant ${r} is missing`);
  return problems;
}

/** The Appointment answered is the booking as sent, with an id. */
export function bookingEchoed(answer: ProviderAnswer, sent: Json): string[] {
  const problems = bookingEchoProblems(sent, answer.body);
  return problems.length === 0 ? [] : [`the Appointment answering ${answer.asked} is not the booking: ${problems.join('; ')}`];
}

/** A 201 names the new appointment in its Location header: [base]/Appointment/[id]/_history/[vid]. */
export function locationHeader(answer: ProviderAnswer): string[] {
  const location = answer.response.headers['location'];
  if (!location) return [`${answer.asked} answered ${answer.response.status} without a Location header`];
  const id = String(answer.body?.id ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`/Appointment/${id}/_history/[^/]+$`).test(location) ? [] : [`the Location header ${location} does not name the new appointment as [base]/Appointment/${answer.body?.id}/_history/[vid]`];
}

/** The booking was made: 201 with an Appointment id, so it can be read back. */
export function booked(answer: ProviderAnswer): string[] {
  if (answer.response.status !== 201) return [`the booking (${answer.asked}) answered ${seen(answer)}; expected 201`];
  return typeof answer.body?.id === 'string' && answer.body.id !== '' ? [] : ['the booking was answered without an Appointment id, so it cannot be read'];
}

/** The appointment read back is the one booked: the same id, status, slots and times. */
export function readAsBooked(read: ProviderAnswer, booking: Json, bookedAppointment: Json): string[] {
  const found = read.body ?? {};
  const problems = [...(found.id === bookedAppointment.id ? [] : [`id is ${found.id}, not ${bookedAppointment.id}`]), ...sameAppointmentProblems(booking, found)];
  return problems.length === 0 ? [] : [`Appointment/${bookedAppointment.id} read back is not the one booked: ${problems.join('; ')}`];
}

/**
 * A description over the limit. The book page sets the 100-character limit for consumers;
 * providers "SHALL store … supporting the character limit lengths shown above" (at least 100),
 * "SHALL NOT truncate", and refuse only what is "longer than character limits supported". So a
 * provider either books it with the whole text (201, echoed) or refuses it; truncating is a finding.
 */
export function wholeDescriptionOrRefused(answer: ProviderAnswer, booking: Json, refusals: Refusal[]): Finding[] {
  if (answer.response.status !== 201) return refusedWithOneOf(answer, refusals);
  const problems = [...bookingEchoProblems(booking, answer.body), ...(typeof booking.comment === 'string' ? commentReturned(answer, booking) : [])];
  return problems.length === 0 ? [] : [{ text: `the booking was accepted, but the Appointment answered is not the booking (a provider must not truncate): ${problems.join('; ')}` }];
}

// ------------------------------------------------------------------ Issue 16 gaps 10 and 11

/**
 * Appointment.serviceType.text and serviceCategory.text are the provider's (book and read pages:
 * "SHALL populate `Appointment.serviceType.text` with the practice defined slot type description,
 * and where available `Appointment.serviceCategory.text` …"): serviceType.text is there, and neither
 * is the text the consumer sent (`consumerText`), which the provider ignores. serviceCategory is
 * "where available", so its absence is a finding on the exact value only (PTEST demands it).
 */
export function serviceFieldsOwn(answer: ProviderAnswer, consumerText?: string): Array<string | Finding> {
  const appointment = answer.body ?? {};
  if (appointment.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}, not an Appointment`];
  const findings: Array<string | Finding> = [];
  const types: string[] = (Array.isArray(appointment.serviceType) ? appointment.serviceType : []).map((t: Json) => t?.text).filter((t: unknown) => typeof t === 'string' && t !== '');
  const category = appointment.serviceCategory?.text;
  if (types.length === 0) findings.push(`the Appointment answering ${answer.asked} has no serviceType.text (the practice's slot type description)`);
  if (consumerText !== undefined && types.includes(consumerText)) findings.push(`serviceType.text is the consumer's ${JSON.stringify(consumerText)}, not the practice's slot type description`);
  if (consumerText !== undefined && category === consumerText) findings.push(`serviceCategory.text is the consumer's ${JSON.stringify(consumerText)}, not the practice's schedule type description`);
  if (typeof category !== 'string' || category === '') findings.push(exactOnly(`the Appointment answering ${answer.asked} has no serviceCategory.text (the spec asks for it "where available"; PTEST always)`));
  return findings;
}

/**
 * The comment sent is returned as stored (book page, "Provider handling of description and
 * comment"): in `comment`, or, where the provider concatenates the two fields (MAY), whole within
 * `description` beside the description sent.
 */
export function commentReturned(answer: ProviderAnswer, sent: Json): string[] {
  if (answer.response.status !== 201) return [`the booking with a comment (${answer.asked}) answered ${seen(answer)}; expected 201`];
  const found = answer.body ?? {};
  if (found.comment === sent.comment) return [];
  const description = typeof found.description === 'string' ? found.description : '';
  if (description.includes(sent.comment) && description.includes(sent.description)) return [];
  return [`the comment ${JSON.stringify(sent.comment)} was not returned: comment is ${JSON.stringify(found.comment)}, description ${JSON.stringify(found.description)}`];
}

/** The booking organisation an Appointment carries: the contained Organization its extension references. */
function bookingOrganisationOf(appointment: Json): Json | undefined {
  const ref = (appointment.extension ?? []).find((e: Json) => e?.url === GpcAppointmentExtension.bookingOrganisation)?.valueReference?.reference;
  return typeof ref === 'string' ? (appointment.contained ?? []).find((c: Json) => `#${c?.id}` === ref) : undefined;
}

const odsOf = (organisation: Json | undefined) => (organisation?.identifier ?? []).find((i: Json) => i?.system === System.odsOrganizationCode)?.value;

/**
 * The booking organisation read back is the one the booking carried, not the requesting
 * organisation of the JWT (book page: the provider "SHALL store, return and display these
 * details"): the same ODS code and name.
 */
export function bookingOrganisationKept(read: ProviderAnswer, sent: Json): string[] {
  if (read.response.status !== 200) return [`${read.asked} answered ${seen(read)}; expected 200`];
  const given = bookingOrganisationOf(sent);
  const found = bookingOrganisationOf(read.body ?? {});
  if (!found) return [`the Appointment read (${read.asked}) has no booking organisation (extension referencing a contained Organization)`];
  const problems: string[] = [];
  if (odsOf(found) !== odsOf(given)) problems.push(`its ODS code is ${JSON.stringify(odsOf(found))}, not ${JSON.stringify(odsOf(given))} as booked`);
  if (found.name !== given?.name) problems.push(`its name is ${JSON.stringify(found.name)}, not ${JSON.stringify(given?.name)} as booked`);
  return problems.length === 0 ? [] : [`the booking organisation read is not the one booked: ${problems.join('; ')}`];
}

/** The Appointment answered carries meta.versionId (book and read pages: "SHALL include the `versionId` of the current version"). */
export function versionIdIncluded(answer: ProviderAnswer): string[] {
  const appointment = answer.body ?? {};
  if (appointment.resourceType !== 'Appointment') return [`${answer.asked} answered ${seen(answer)}, not an Appointment`];
  const versionId = appointment.meta?.versionId;
  return typeof versionId === 'string' && versionId !== '' ? [] : [`the Appointment answering ${answer.asked} has no meta.versionId`];
}


/**
 * The delivery channel and practitioner role extensions the booking carried are on the Appointment
 * answered (book and read pages: "populating all fields where data is available"), by URL: the
 * values are the provider's (the slot's), which the booking copied from the slot search.
 */
export function extensionsReturned(answer: ProviderAnswer, sent: Json): string[] {
  if (answer.response.status >= 300) return [`${answer.asked} answered ${seen(answer)}`];
  const optional: string[] = [GpcAppointmentExtension.deliveryChannel, GpcAppointmentExtension.practitionerRole];
  const urls = (a: Json) => new Set<string>((a?.extension ?? []).map((e: Json) => e?.url));
  const found = urls(answer.body ?? {});
  const missing = [...urls(sent)].filter((u) => optional.includes(u) && !found.has(u));
  return missing.length === 0 ? [] : [`the Appointment answering ${answer.asked} lacks the extension(s) booked: ${missing.join(', ')}`];
}
