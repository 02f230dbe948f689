/**
 * Provider conformance for Search for free slots, Book an appointment and Read an appointment
 * (gpconnect-spec.md §5.3, §5.6). The phrases of steps/provider.steps.ts are used as they are.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { SlotSearch } from '../src/gpconnect/constants';
import { assertStatus } from '../src/rules/provider';
import {
  actorsOf,
  assertRefusedWithEither,
  bookingEchoProblems,
  bookingOrganisationFilters,
  changedBooking,
  firstFreeSlotBooking,
  freeSlotParams,
  missingIncludes,
  resourcesOf,
  sameAppointmentProblems,
  slotBound,
  slotIdsOf,
  slotQueryTarget,
  ukDate,
  withoutParam,
  withParam,
  withRecurseIncludes,
  type SlotQuery,
} from '../src/actors/provider/booking';
import type { GpcWorld } from '../support/world';

async function searchSlots(world: GpcWorld, from: number, to: number, query: SlotQuery): Promise<void> {
  world.slotWindow = { start: ukDate(from), end: ukDate(to) };
  world.slotQuery = query;
  world.providerAnswer = await world.providerUnderTest.ask('Search for free slots', slotQueryTarget(query));
}

// ------------------------------------------------------------------ Search for free slots (4c)

When('the consumer searches for free slots from {int} to {int} days ahead without the {string} parameter', async function (this: GpcWorld, from: number, to: number, name: string) {
  await searchSlots(this, from, to, withoutParam(freeSlotParams(from, to), name));
});

When('the consumer searches for free slots from {int} to {int} days ahead with status {string}', async function (this: GpcWorld, from: number, to: number, status: string) {
  await searchSlots(this, from, to, withParam(freeSlotParams(from, to), SlotSearch.status, status));
});

When('the consumer searches for free slots from {int} to {int} days ahead with the prefixes {string} and {string}', async function (this: GpcWorld, from: number, to: number, startPrefix: string, endPrefix: string) {
  const query = withParam(withParam(freeSlotParams(from, to), SlotSearch.start, startPrefix + ukDate(from)), SlotSearch.end, endPrefix + ukDate(to));
  await searchSlots(this, from, to, query);
});

When('the consumer searches for free slots from {int} to {int} days ahead with the {word} written as {string}', async function (this: GpcWorld, from: number, to: number, bound: string, form: string) {
  assert.ok(bound === 'start' || bound === 'end', `"${bound}" is neither start nor end`);
  const value = bound === 'start' ? SlotSearch.startPrefix + slotBound(form, from) : SlotSearch.endPrefix + slotBound(form, to);
  await searchSlots(this, from, to, withParam(freeSlotParams(from, to), bound, value));
});

When('the consumer searches for free slots from {int} to {int} days ahead with only _include=Slot:schedule', async function (this: GpcWorld, from: number, to: number) {
  await searchSlots(this, from, to, withRecurseIncludes(freeSlotParams(from, to), []));
});

When('the consumer searches for free slots from {int} to {int} days ahead with _include=Slot:schedule and _include:recurse={word}', async function (this: GpcWorld, from: number, to: number, recurse: string) {
  await searchSlots(this, from, to, withRecurseIncludes(freeSlotParams(from, to), [recurse]));
});

When('the consumer searches for free slots from {int} to {int} days ahead without _include=Slot:schedule', async function (this: GpcWorld, from: number, to: number) {
  await searchSlots(this, from, to, withoutParam(freeSlotParams(from, to), SlotSearch.include));
});

Then('the Bundle includes the Schedule of every Slot offered', function (this: GpcWorld) {
  const bundle = this.need(this.providerAnswer, 'provider answer').body;
  assert.ok(resourcesOf(bundle, 'Slot').length > 0, 'PROV-SLOTS-INCLUDE: the practice offered no free slot in the window; its profile says it has some');
  const missing = missingIncludes(bundle, resourcesOf(bundle, 'Slot').map((s) => s.schedule?.reference));
  assert.deepEqual(missing, [], `PROV-SLOTS-INCLUDE: _include=Slot:schedule, but the Bundle lacks ${missing.join(', ')}`);
});

Then('the Bundle includes the {word} of every Schedule offered', function (this: GpcWorld, type: string) {
  const bundle = this.need(this.providerAnswer, 'provider answer').body;
  const schedules = resourcesOf(bundle, 'Schedule');
  assert.ok(schedules.length > 0, 'PROV-SLOTS-INCLUDE: the Bundle has no Schedule, so no slot was offered in the window');
  const missing = missingIncludes(bundle, schedules.flatMap((s) => actorsOf(s, type)));
  assert.deepEqual(missing, [], `PROV-SLOTS-INCLUDE: ${type} asked for with _include:recurse, but the Bundle lacks ${missing.join(', ')}`);
});

Given('the consumer has searched for free slots from {int} to {int} days ahead without search filters', async function (this: GpcWorld, from: number, to: number) {
  await searchSlots(this, from, to, freeSlotParams(from, to));
  const answer = this.need(this.providerAnswer, 'provider answer');
  assertStatus(answer, 200);
  this.slotsOfferedWithoutFilters = slotIdsOf(answer.body);
  assert.ok(this.slotsOfferedWithoutFilters.length > 0, 'PROV-SLOTS-FILTER: the practice offered no free slot in the window without search filters; its profile says it has some');
});

When('the consumer searches for the same slots with search filters naming its own organisation', async function (this: GpcWorld) {
  const filters = bookingOrganisationFilters(this.providerUnderTest.profile.testData.slots);
  assert.ok(filters.length > 0, "the profile's testData.slots names neither consumerOds nor organisationType: there is no search filter to send");
  this.slotQuery = [...this.need(this.slotQuery, 'slot search'), ...filters];
  this.providerAnswer = await this.providerUnderTest.ask('Search for free slots', slotQueryTarget(this.slotQuery));
});

When('the consumer searches for the same slots with the search filter {string}', async function (this: GpcWorld, filter: string) {
  this.slotQuery = [...this.need(this.slotQuery, 'slot search'), [SlotSearch.searchFilter, filter]];
  this.providerAnswer = await this.providerUnderTest.ask('Search for free slots', slotQueryTarget(this.slotQuery));
});

Then('every slot offered without search filters is offered too', function (this: GpcWorld) {
  const offered = new Set(slotIdsOf(this.need(this.providerAnswer, 'provider answer').body));
  const dropped = this.need(this.slotsOfferedWithoutFilters, 'search without filters').filter((id) => !offered.has(id));
  assert.deepEqual(dropped, [], `PROV-SLOTS-FILTER: with the search filters the provider no longer offers ${dropped.map((id) => `Slot/${id}`).join(', ')}`);
});

// ------------------------------------------------------------------ Book an appointment (6c)

Given('the consumer has prepared a booking of the first free slot for the registered patient', async function (this: GpcWorld) {
  const { booking, slotId } = await firstFreeSlotBooking(this.providerUnderTest);
  this.booking = booking;
  this.bookedSlotId = slotId;
});

When('the consumer sends the booking {}', async function (this: GpcWorld, change: string) {
  this.booking = changedBooking(this.need(this.booking, 'booking'), change);
  this.providerAnswer = await this.providerUnderTest.ask('Book an appointment', '/Appointment', this.booking);
});

Then('the provider refuses the booking of an unknown slot with status {int} and Spine code {string} or {string}', function (this: GpcWorld, status: number, one: string, other: string) {
  assertRefusedWithEither(this.need(this.providerAnswer, 'provider answer'), 'PROV-BOOK-UNKNOWN-SLOT', status, [one, other]);
});

Then('the answer is the booking as sent, with an id', function (this: GpcWorld) {
  const problems = bookingEchoProblems(this.need(this.booking, 'booking'), this.need(this.providerAnswer, 'provider answer').body);
  assert.deepEqual(problems, [], `PROV-BOOK: the Appointment answered is not the booking: ${problems.join('; ')}`);
});

// ------------------------------------------------------------------ Read an appointment (6c)

When('the consumer reads the appointment it booked', async function (this: GpcWorld) {
  const booked = this.need(this.providerAnswer, 'provider answer');
  assertStatus(booked, 201);
  assert.ok(typeof booked.body?.id === 'string' && booked.body.id !== '', 'PROV-BOOK: the booking was answered without an Appointment id, so it cannot be read');
  this.bookedAppointment = booked.body;
  this.providerAnswer = await this.providerUnderTest.ask('Read an appointment', `/Appointment/${encodeURIComponent(booked.body.id)}`);
});

Then('the appointment read is the one booked', function (this: GpcWorld) {
  const read = this.need(this.providerAnswer, 'provider answer').body ?? {};
  const booked = this.need(this.bookedAppointment, 'booked appointment');
  const problems = [...(read.id === booked.id ? [] : [`id is ${read.id}, not ${booked.id}`]), ...sameAppointmentProblems(this.need(this.booking, 'booking'), read)];
  assert.deepEqual(problems, [], `PROV-READ-APPOINTMENT: Appointment/${booked.id} read back is not the one booked: ${problems.join('; ')}`);
});
