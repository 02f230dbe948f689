import { AppointmentLimits, GpcAppointmentExtension, GpcProfile, SlotSearch, System } from '../../gpconnect/constants';
import assert from 'node:assert/strict';
import { patientsIn, resourcesOf } from '../../rules/provider';
import type { ProviderUnderTest } from './provider-under-test';
import { formatOffset, formatUk, londonOffsetMinutes, londonToInstant } from '../../gpconnect/uk-time';
import { addDays, ukDateAhead } from '../../gpconnect/dates';
import { findAPatient, searchForFreeSlots, slotWindow, withQueryParameter, type GpcOperation, type SlotWindow } from '../../gpconnect/operations';

type Json = Record<string, any>;

/**
 * The Appointment a conformant consumer books for a free slot (§5.6): patient and location
 * participants, start/end the slot's, the booking organisation contained and referenced.
 */
export function bookingFor(slot: Json, bundle: Json, patientId: string, bookingOrganisation: { ods: string; name: string }): Json {
  const schedule = resourcesOf(bundle, 'Schedule').find((s) => `Schedule/${s.id}` === slot.schedule?.reference);
  const location = (schedule?.actor ?? []).map((a: Json) => a.reference).find((r: string) => r?.startsWith('Location/'));
  const booking = {
    resourceType: 'Appointment',
    meta: { profile: [GpcProfile.appointment] },
    contained: [
      {
        resourceType: 'Organization',
        id: '1',
        meta: { profile: [GpcProfile.organization] },
        identifier: [{ system: System.odsOrganizationCode, value: bookingOrganisation.ods }],
        name: bookingOrganisation.name,
        telecom: [{ system: 'phone', value: '01632 960 999', use: 'work' }],
      },
    ],
    extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
    status: 'booked',
    description: 'Booked by the gpc-conform harness',
    start: slot.start,
    end: slot.end,
    slot: [{ reference: `Slot/${slot.id}` }],
    created: formatUk(new Date()),
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      { actor: { reference: location }, status: 'accepted' },
    ],
  };
  const offered = [
    ...(slot.extension ?? []).filter((e: Json) => e?.url === GpcAppointmentExtension.deliveryChannel),
    ...(schedule?.extension ?? []).filter((e: Json) => e?.url === GpcAppointmentExtension.practitionerRole),
  ];
  OFFERED_EXTENSIONS.set(booking, structuredClone(offered));
  return booking;
}

/**
 * The optional Appointment extensions (delivery channel, practitioner role) as the slot search
 * offered them for the slot a booking books: what a consumer copies into a booking that carries
 * them (PTEST "Book single appointment for patient with Extensions").
 */
const OFFERED_EXTENSIONS = new WeakMap<Json, Json[]>();

// ------------------------------------------------------------------ Search for free slots, spoilt

/** Noon, UK local time, `days` from today, with the offset London has then (or the other one). */
function ukNoon(days: number, offset: 'right' | 'wrong' | 'none' | 'Z', now = new Date()): string {
  const date = ukDateAhead(days, now);
  const [y, m, d] = date.split('-').map(Number);
  const minutes = londonOffsetMinutes(londonToInstant(y, m, d, 12));
  const suffix = offset === 'none' ? '' : offset === 'Z' ? 'Z' : formatOffset(offset === 'right' ? minutes : minutes === 0 ? 60 : 0);
  return `${date}T12:00:00${suffix}`;
}

/**
 * How a `start` or `end` value may be written, conformant or not (§5.3: `yyyy-mm-dd` or
 * `yyyy-mm-ddThh:mm:ss+hh:mm` in UK local time; no Z, no offset-less or partial dates).
 */
export const SLOT_BOUND_FORMS: Record<string, (days: number) => string> = {
  'a date': (days) => ukDateAhead(days),
  'a date-time with the UK offset': (days) => ukNoon(days, 'right'),
  'a date-time without an offset': (days) => ukNoon(days, 'none'),
  'a date-time in UTC with Z': (days) => ukNoon(days, 'Z'),
  'a date-time with the wrong UK offset': (days) => ukNoon(days, 'wrong'),
  'a year and month only': (days) => ukDateAhead(days).slice(0, 7),
  'a year only': (days) => ukDateAhead(days).slice(0, 4),
  'a date that does not exist': (days) => dayThatDoesNotExist(ukDateAhead(days)).date,
};

export function slotBound(form: string, days: number): string {
  const write = SLOT_BOUND_FORMS[form];
  if (!write) throw new Error(`no such way of writing a date: "${form}" (known: ${Object.keys(SLOT_BOUND_FORMS).join('; ')})`);
  return write(days);
}

/**
 * The first calendar date from `from` on that does not exist (the 31st of a 30-day month, the 29th
 * of February in a common year), and the real date a lenient parser would roll it to.
 */
export function dayThatDoesNotExist(from: string): { date: string; rolledTo: string } {
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const date = `${y}-${String(m).padStart(2, '0')}-${lastDay + 1}`;
    const rolledTo = addDays(`${y}-${String(m).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`, 1);
    if (lastDay < 31 && date >= from) return { date, rolledTo };
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/**
 * The slot search a "<bound> written as <form>" scenario sends: the window from `from` to `to` days
 * ahead with that bound written so. A date that does not exist moves the whole window next to it,
 * so that the request differs from a valid one only in that date (issue 15 item 5: a window also
 * longer than 14 days let a provider that accepts 30 February pass for another reason).
 */
export function slotSearchWithBound(bound: 'start' | 'end', form: string, from: number, to: number): { window: SlotWindow; value: string } {
  if (form !== 'a date that does not exist') return { window: slotWindow(from, to), value: slotBound(form, bound === 'start' ? from : to) };
  const { date, rolledTo } = dayThatDoesNotExist(ukDateAhead(from));
  const length = to - from;
  return bound === 'start' ? { window: { start: rolledTo, end: addDays(rolledTo, length) }, value: date } : { window: { start: addDays(rolledTo, -length), end: rolledTo }, value: date };
}

/** The slot search with both `start` and `end` written in `form` (PTEST "valid partial dateTime strings": both date-times). */
export function slotSearchWithBothBounds(form: string, from: number, to: number): { search: { window: SlotWindow }; operation: GpcOperation } {
  const search = { window: slotWindow(from, to) };
  const started = withQueryParameter(searchForFreeSlots(search), SlotSearch.start, SlotSearch.startPrefix + slotBound(form, from));
  return { search, operation: withQueryParameter(started, SlotSearch.end, SlotSearch.endPrefix + slotBound(form, to)) };
}

// ------------------------------------------------------------------ Book an appointment, spoilt

const MINUTE = 60_000;
const shifted = (dateTime: string, minutes: number) => formatUk(new Date(Date.parse(dateTime) + minutes * MINUTE));
const isActor = (type: string) => (p: Json) => typeof p?.actor?.reference === 'string' && p.actor.reference.startsWith(`${type}/`);

/**
 * The changes the booking features make to a conformant booking (§5.6), by the words the
 * features use: each returns a new Appointment and leaves the one given alone.
 */
export const BOOKING_CHANGES: Record<string, (booking: Json, sent: Json) => Json> = {
  'as prepared': (b) => b,
  'naming a slot the practice does not have': (b) => ({ ...b, slot: [{ reference: `Slot/gpc-conform-no-such-slot-${Date.now().toString(36)}` }] }),
  "starting 5 minutes before the slot's start": (b) => ({ ...b, start: shifted(b.start, -5) }),
  "ending 5 minutes after the slot's end": (b) => ({ ...b, end: shifted(b.end, 5) }),
  'with a reason': (b) => ({ ...b, reason: [{ text: 'Persistent cough' }] }),
  'with a specialty': (b) => ({ ...b, specialty: [{ text: 'General practice' }] }),
  'without the patient participant': (b) => ({ ...b, participant: (b.participant ?? []).filter((p: Json) => !isActor('Patient')(p)) }),
  'without the location participant': (b) => ({ ...b, participant: (b.participant ?? []).filter((p: Json) => !isActor('Location')(p)) }),
  'without any participant': (b) => withoutKeys(b, ['participant']),
  'without the booking organisation': (b) => ({
    ...withoutKeys(b, ['contained']),
    extension: (b.extension ?? []).filter((e: Json) => e.url !== GpcAppointmentExtension.bookingOrganisation),
  }),
  // Malformed (issue 16 gap 2; PTEST AppointmentBook.feature): each differs from a valid booking in one respect.
  'with an element FHIR does not know': (b) => ({ ...b, bookingNotes: 'an element GPConnect-Appointment-1 does not have' }),
  'sent inside a Bundle': (b) => ({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: b }] }),
  'without start': (b) => withoutKeys(b, ['start']),
  'without end': (b) => withoutKeys(b, ['end']),
  'without status': (b) => withoutKeys(b, ['status']),
  'without slot': (b) => withoutKeys(b, ['slot']),
  'with an identifier without a value': (b) => ({ ...b, identifier: [{ system: APPOINTMENT_IDENTIFIER_SYSTEM }] }),
  'with a participant without status': (b) => ({ ...b, participant: (b.participant ?? []).map((p: Json, i: number) => (i === 0 ? withoutKeys(p, ['status']) : p)) }),
  'with a booking organisation without a name': (b) => withBookingOrganisation(b, (o) => withoutKeys(o, ['name'])),
  'with a booking organisation without a telecom': (b) => withBookingOrganisation(b, (o) => withoutKeys(o, ['telecom'])),
  'with an absolute booking organisation reference': (b) => ({
    ...b,
    extension: (b.extension ?? []).map((e: Json) =>
      e.url === GpcAppointmentExtension.bookingOrganisation ? { ...e, valueReference: { reference: 'https://consumer.example.nhs.uk/STU3/1/GPConnect/#1' } } : e,
    ),
  }),
  // Conformant (issue 16 gaps 10, 11).
  'with a serviceCategory and serviceType of its own': (b) => ({ ...b, serviceCategory: { text: CONSUMER_SERVICE_TEXT }, serviceType: [{ text: CONSUMER_SERVICE_TEXT }] }),
  'with a comment': (b) => ({ ...b, comment: 'Patient prefers a call back in the morning' }),
  'for a booking organisation other than the requesting one': (b) =>
    withBookingOrganisation(b, (o) => ({ ...o, identifier: [{ system: System.odsOrganizationCode, value: OTHER_BOOKING_ODS }], name: 'Hillside Out of Hours Service' })),
  'with the delivery channel and practitioner role the slot search offered': (b, sent) => {
    const offered = OFFERED_EXTENSIONS.get(sent) ?? [];
    if (offered.length === 0) throw new Error('the slot search offered neither a delivery channel nor a practitioner role for the slot booked: there is no extension to send');
    return { ...b, extension: [...(b.extension ?? []), ...offered] };
  },
  'with a description of 101 characters': (b) => ({ ...b, description: describe(AppointmentLimits.descriptionMaxLength + 1) }),
  'with a description of exactly 100 characters': (b) => ({ ...b, description: describe(AppointmentLimits.descriptionMaxLength) }),
  'with a comment of exactly 500 characters': (b) => ({ ...b, comment: describe(AppointmentLimits.commentMaxLength) }),
  'with a comment of 501 characters': (b) => ({ ...b, comment: describe(AppointmentLimits.commentMaxLength + 1) }),
};

export function changedBooking(booking: Json, change: string): Json {
  const apply = BOOKING_CHANGES[change];
  if (!apply) throw new Error(`no such change to a booking: "${change}" (known: ${Object.keys(BOOKING_CHANGES).join('; ')})`);
  return apply(structuredClone(booking), booking);
}

/** Appointment.identifier's system (PTEST FhirConst.IdentifierSystems.kAppointment). */
const APPOINTMENT_IDENTIFIER_SYSTEM = 'https://fhir.nhs.uk/Id/gpconnect-appointment-identifier';
/** The serviceCategory and serviceType text a consumer sends, which the provider must not return as its own. */
export const CONSUMER_SERVICE_TEXT = 'Sent by the gpc-conform consumer: to be ignored';
/** A booking organisation's ODS code that is not the requesting organisation's of the JWT. */
export const OTHER_BOOKING_ODS = 'GPCBK1';

/** The booking with its contained booking organisation changed. */
function withBookingOrganisation(booking: Json, change: (organisation: Json) => Json): Json {
  const ref = (booking.extension ?? []).find((e: Json) => e.url === GpcAppointmentExtension.bookingOrganisation)?.valueReference?.reference;
  return { ...booking, contained: (booking.contained ?? []).map((c: Json) => (`#${c.id}` === ref ? change(c) : c)) };
}

/**
 * The booking made after a search filtered by the booking organisation's type: the contained
 * Organization carries that type (appointments_use_case_book_an_appointment: "SHALL include the
 * `type` element with a value matching the organization type sent as a `searchFilter`").
 */
export function withOrganisationType(booking: Json, type: string): Json {
  return withBookingOrganisation(booking, (o) => ({ ...o, type: [{ coding: [{ system: System.organisationType, code: type }] }] }));
}

/** A description of exactly `length` characters. */
function describe(length: number): string {
  return 'Booked by the gpc-conform harness to check the description limit. '.repeat(3).slice(0, length).padEnd(length, '.');
}

function withoutKeys(value: Json, keys: string[]): Json {
  const out = { ...value };
  for (const k of keys) delete out[k];
  return out;
}

/** Which of how many bookers this process is: Cucumber's parallel worker, else the only one. */
export interface BookingLane {
  index: number;
  count: number;
}

/**
 * This process's lane among every booker of the run: its shard's (`I/N`, shards may run at once
 * against one provider), then its worker's within the shard. Every shard must run with the same
 * `--parallel` for the lanes not to overlap.
 */
export function bookingLane(shard: string | undefined, env: NodeJS.ProcessEnv = process.env): BookingLane {
  const worker = thisWorkersLane(env);
  const [index, count] = (shard ?? '').split('/').map(Number);
  if (!(Number.isInteger(index) && Number.isInteger(count) && count > 1 && index >= 1 && index <= count)) return worker;
  return { index: (index - 1) * worker.count + worker.index, count: count * worker.count };
}

export function thisWorkersLane(env: NodeJS.ProcessEnv = process.env): BookingLane {
  const count = Number(env.CUCUMBER_TOTAL_WORKERS);
  const index = Number(env.CUCUMBER_WORKER_ID);
  return Number.isInteger(count) && count > 1 && Number.isInteger(index) && index >= 0 && index < count ? { index, count } : { index: 0, count: 1 };
}

/**
 * The free slots this process may book, best first: with `--parallel N` the workers book on one
 * provider at once, and two that took the same first free slot would race for it, the loser refused
 * 409 and a conformant provider failed on PROV-BOOK. Each worker books only slots whose id falls in
 * its lane (a stable hash of the id, modulo the workers), so no two ever ask for one slot; where its
 * lane has none, it takes the others rather than book nothing.
 */
export function inThisLane<T extends { id?: unknown }>(slots: T[], lane: BookingLane = thisWorkersLane()): T[] {
  const mine = inLaneOnly(slots, lane);
  return mine.length > 0 && mine.length < slots.length ? [...mine, ...slots.filter((slot) => !mine.includes(slot))] : slots;
}

/** The slots in the lane, and no others (all of them for a single booker). */
export function inLaneOnly<T extends { id?: unknown }>(slots: T[], lane: BookingLane = thisWorkersLane()): T[] {
  return lane.count <= 1 ? slots : slots.filter((slot) => laneOf(String(slot.id ?? ''), lane.count) === lane.index);
}

/** FNV-1a of the id, modulo the lanes: the same lane for the same slot in every worker. */
export function laneOf(id: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % count;
}

/**
 * A conformant booking of the first free slot in the next week for the profile's registered
 * patient, not yet sent: found and searched for on the provider under test, as a consumer would,
 * booked for the consumer's own organisation (the profile's testData.slots.consumerOds).
 */
export async function firstFreeSlotBooking(provider: ProviderUnderTest): Promise<{ booking: Json; slotId: string }> {
  const profile = provider.profile;
  const found = await provider.ask(findAPatient(profile.testData.registeredPatient));
  const patient = patientsIn(found)[0];
  assert.ok(patient?.id, `the registered patient ${profile.testData.registeredPatient} was not found, so nothing can be booked`);
  const search = await provider.ask(searchForFreeSlots({ window: slotWindow(1, 8) }));
  const slot = inThisLane(resourcesOf(search.body, 'Slot'), provider.connection.lane)[0];
  assert.ok(slot, `no free slot in the next week to book (${search.asked} answered ${search.response.status})`);
  const ods = profile.testData.slots?.consumerOds ?? 'UCC01';
  return { booking: bookingFor(slot, search.body!, patient.id, { ods, name: 'Riverside Urgent Care Centre' }), slotId: String(slot.id) };
}

/** Which two free slots a multi-slot booking names: two the book page says cannot be booked together. */
export type SlotPair = 'that are not adjacent' | 'on different schedules';

/**
 * A booking of two free slots the search offered that may not be booked together (book page,
 * "Booking multiple adjacent slots": Slot B starts when Slot A ends, on the same Schedule), from the
 * first slot's start to the second's end; undefined where the search offers no such pair.
 */
export async function twoSlotBooking(provider: ProviderUnderTest, pair: SlotPair): Promise<{ booking: Json; slotId: string } | undefined> {
  const { booking } = await firstFreeSlotBooking(provider);
  const search = await provider.ask(searchForFreeSlots({ window: slotWindow(1, 8) }));
  const offered = resourcesOf(search.body, 'Slot');
  const mine = inLaneOnly(offered, provider.connection.lane);
  const byStart = (slots: Json[]) => [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const pairIn = (slots: Json[]) =>
    slots.flatMap((a, i) => slots.slice(i + 1).map((b) => [a, b] as const)).find(([a, b]) =>
      pair === 'on different schedules' ? a.schedule?.reference !== b.schedule?.reference : a.schedule?.reference === b.schedule?.reference && Date.parse(b.start) !== Date.parse(a.end),
    );
  // A pair from this process's lane first (others book theirs meanwhile), else from every slot offered.
  const chosen = pairIn(byStart(mine)) ?? pairIn(byStart(offered));
  if (!chosen) return undefined;
  const [a, b] = chosen;
  const single = bookingFor(a, search.body!, String(patientOf(booking)), bookingOrganisationOfBooking(booking));
  return { booking: { ...single, start: a.start, end: b.end, slot: [{ reference: `Slot/${a.id}` }, { reference: `Slot/${b.id}` }] }, slotId: String(a.id) };
}

const patientOf = (booking: Json) => String((booking.participant ?? []).map((p: Json) => p?.actor?.reference).find((r: string) => r?.startsWith('Patient/')) ?? '').replace(/^Patient\//, '');

function bookingOrganisationOfBooking(booking: Json): { ods: string; name: string } {
  const organisation = (booking.contained ?? [])[0] ?? {};
  return { ods: organisation.identifier?.[0]?.value, name: organisation.name };
}
