/** The judges of Book an appointment and Read an appointment answers (gpconnect-spec.md §5.6). */
import { seen, type Json, type ProviderAnswer } from './answer';
import { refusedWithOneOf, type Refusal } from './refusals';
import type { Finding } from '../rule';

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
  const problems = bookingEchoProblems(booking, answer.body);
  return problems.length === 0 ? [] : [{ text: `the booking was accepted, but the Appointment answered is not the booking (a provider must not truncate): ${problems.join('; ')}` }];
}
