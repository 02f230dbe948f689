/**
 * Provider conformance for Search for free slots, Book an appointment and Read an appointment
 * (gpconnect-spec.md §5.3, §5.6). The phrases of steps/provider.steps.ts are used as they are.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { SlotSearch } from '../src/gpconnect/constants';
import {
  searchForFreeSlots,
  slotWindow,
  withAddedQueryParameter,
  withoutQueryParameter,
  withQueryParameter,
  type FreeSlotSearch,
  type GpcOperation,
} from '../src/gpconnect/operations';
import { assertStatus, parseRefusals } from '../src/rules/provider';
import {
  actorsOf,
  assertRefusedWithEither,
  assertWholeDescriptionOrRefused,
  bookingEchoProblems,
  changedBooking,
  missingIncludes,
  resourcesOf,
  sameAppointmentProblems,
  slotBound,
  slotIdsOf,
} from '../src/actors/provider/booking';
import type { GpcWorld } from '../support/world';

/** The search from `from` to `to` days ahead, sent as the negative test changes it. */
function searchChanged(world: GpcWorld, from: number, to: number, change: (operation: GpcOperation, search: FreeSlotSearch) => GpcOperation) {
  const search = { window: slotWindow(from, to) };
  return world.provider.searchSlots(search, change(searchForFreeSlots(search), search));
}

// ------------------------------------------------------------------ Search for free slots (4c)

When('the consumer searches for free slots from {int} to {int} days ahead without the {string} parameter', async function (this: GpcWorld, from: number, to: number, name: string) {
  await searchChanged(this, from, to, (operation) => withoutQueryParameter(operation, name));
});

When('the consumer searches for free slots from {int} to {int} days ahead with status {string}', async function (this: GpcWorld, from: number, to: number, status: string) {
  await searchChanged(this, from, to, (operation) => withQueryParameter(operation, SlotSearch.status, status));
});

When('the consumer searches for free slots from {int} to {int} days ahead with the prefixes {string} and {string}', async function (this: GpcWorld, from: number, to: number, startPrefix: string, endPrefix: string) {
  await searchChanged(this, from, to, (operation, { window }) => withQueryParameter(withQueryParameter(operation, SlotSearch.start, startPrefix + window.start), SlotSearch.end, endPrefix + window.end));
});

When('the consumer searches for free slots from {int} to {int} days ahead with the {word} written as {string}', async function (this: GpcWorld, from: number, to: number, bound: string, form: string) {
  assert.ok(bound === 'start' || bound === 'end', `"${bound}" is neither start nor end`);
  const value = bound === 'start' ? SlotSearch.startPrefix + slotBound(form, from) : SlotSearch.endPrefix + slotBound(form, to);
  await searchChanged(this, from, to, (operation) => withQueryParameter(operation, bound, value));
});

When('the consumer searches for free slots from {int} to {int} days ahead with only _include=Slot:schedule', async function (this: GpcWorld, from: number, to: number) {
  await this.provider.searchSlots({ window: slotWindow(from, to), recurse: [] });
});

When('the consumer searches for free slots from {int} to {int} days ahead with _include=Slot:schedule and _include:recurse={word}', async function (this: GpcWorld, from: number, to: number, recurse: string) {
  await this.provider.searchSlots({ window: slotWindow(from, to), recurse: [recurse] });
});

When('the consumer searches for free slots from {int} to {int} days ahead without _include=Slot:schedule', async function (this: GpcWorld, from: number, to: number) {
  await searchChanged(this, from, to, (operation) => withoutQueryParameter(operation, SlotSearch.include));
});

Then('the Bundle includes the Schedule of every Slot offered', function (this: GpcWorld) {
  const bundle = this.provider.answer.body;
  assert.ok(resourcesOf(bundle, 'Slot').length > 0, 'PROV-SLOTS-INCLUDE: the practice offered no free slot in the window; its profile says it has some');
  const missing = missingIncludes(bundle, resourcesOf(bundle, 'Slot').map((s) => s.schedule?.reference));
  assert.deepEqual(missing, [], `PROV-SLOTS-INCLUDE: _include=Slot:schedule, but the Bundle lacks ${missing.join(', ')}`);
});

Then('the Bundle includes the {word} of every Schedule offered', function (this: GpcWorld, type: string) {
  const bundle = this.provider.answer.body;
  const schedules = resourcesOf(bundle, 'Schedule');
  assert.ok(schedules.length > 0, 'PROV-SLOTS-INCLUDE: the Bundle has no Schedule, so no slot was offered in the window');
  const missing = missingIncludes(bundle, schedules.flatMap((s) => actorsOf(s, type)));
  assert.deepEqual(missing, [], `PROV-SLOTS-INCLUDE: ${type} asked for with _include:recurse, but the Bundle lacks ${missing.join(', ')}`);
});

Given('the consumer has searched for free slots from {int} to {int} days ahead without search filters', async function (this: GpcWorld, from: number, to: number) {
  const answer = await this.provider.searchSlots({ window: slotWindow(from, to) });
  assertStatus(answer, 200);
  this.provider.slotsOfferedWithoutFilters = slotIdsOf(answer.body);
  assert.ok(this.provider.slotsOfferedWithoutFilters.length > 0, 'PROV-SLOTS-FILTER: the practice offered no free slot in the window without search filters; its profile says it has some');
});

When('the consumer searches for the same slots with search filters naming its own organisation', async function (this: GpcWorld) {
  const { consumerOds: ods, organisationType: type } = this.provider.profile.testData.slots ?? {};
  assert.ok(ods || type, "the profile's testData.slots names neither consumerOds nor organisationType: there is no search filter to send");
  await this.provider.searchSlots({ ...this.provider.lastSlotSearch, bookingOrganisation: { ods, type } });
});

When('the consumer searches for the same slots with the search filter {string}', async function (this: GpcWorld, filter: string) {
  const search = this.provider.lastSlotSearch;
  await this.provider.searchSlots(search, withAddedQueryParameter(searchForFreeSlots(search), SlotSearch.searchFilter, filter));
});

Then('every slot offered without search filters is offered too', function (this: GpcWorld) {
  const offered = new Set(slotIdsOf(this.provider.answer.body));
  const dropped = this.provider.slotsOfferedWithoutFilters.filter((id) => !offered.has(id));
  assert.deepEqual(dropped, [], `PROV-SLOTS-FILTER: with the search filters the provider no longer offers ${dropped.map((id) => `Slot/${id}`).join(', ')}`);
});

// ------------------------------------------------------------------ Book an appointment (6c)

Given('the consumer has prepared a booking of the first free slot for the registered patient', async function (this: GpcWorld) {
  await this.provider.prepareFirstFreeSlotBooking();
});

When('the consumer sends the booking {}', async function (this: GpcWorld, change: string) {
  await this.provider.sendBooking(changedBooking(this.provider.booking, change));
});

Then('the provider refuses the booking of an unknown slot with status {int} and Spine code {string} or {string}', function (this: GpcWorld, status: number, one: string, other: string) {
  assertRefusedWithEither(this.provider.answer, 'PROV-BOOK-UNKNOWN-SLOT', status, [one, other]);
});

Then('the provider books it with the whole description or refuses it with one of {string}', function (this: GpcWorld, refusals: string) {
  assertWholeDescriptionOrRefused(this.provider.answer, this.provider.booking, parseRefusals(refusals));
});

Then('the answer is the booking as sent, with an id', function (this: GpcWorld) {
  const problems = bookingEchoProblems(this.provider.booking, this.provider.answer.body);
  assert.deepEqual(problems, [], `PROV-BOOK: the Appointment answered is not the booking: ${problems.join('; ')}`);
});

// ------------------------------------------------------------------ Read an appointment (6c)

When('the consumer reads the appointment it booked', async function (this: GpcWorld) {
  const booked = this.provider.answer;
  assertStatus(booked, 201);
  assert.ok(typeof booked.body?.id === 'string' && booked.body.id !== '', 'PROV-BOOK: the booking was answered without an Appointment id, so it cannot be read');
  await this.provider.readAppointment(booked.body);
});

Then('the appointment read is the one booked', function (this: GpcWorld) {
  const read = this.provider.answer.body ?? {};
  const booked = this.provider.bookedAppointment;
  const problems = [...(read.id === booked.id ? [] : [`id is ${read.id}, not ${booked.id}`]), ...sameAppointmentProblems(this.provider.booking, read)];
  assert.deepEqual(problems, [], `PROV-READ-APPOINTMENT: Appointment/${booked.id} read back is not the one booked: ${problems.join('; ')}`);
});
