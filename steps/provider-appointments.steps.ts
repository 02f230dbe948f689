/**
 * Provider conformance for Search for free slots, Book an appointment and Read an appointment
 * (gpconnect-spec.md §5.3, §5.6). The phrases of steps/provider.steps.ts are used as they are.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { SlotSearch } from '../src/gpconnect/constants';
import {
  readAnAppointment,
  searchForFreeSlots,
  slotWindow,
  withAddedQueryParameter,
  withoutQueryParameter,
  withQueryParameter,
  type FreeSlotSearch,
  type GpcOperation,
} from '../src/gpconnect/operations';
import {
  actorsIncluded,
  booked,
  bookingEchoed,
  bookingOrganisationKept,
  commentReturned,
  etagOfVersion,
  extensionsReturned,
  parseRefusals,
  readAsBooked,
  refusedWith,
  schedulesIncluded,
  serviceFieldsOwn,
  slotsOffered,
  stillOffered,
  versionIdIncluded,
  wholeDescriptionOrRefused,
} from '../src/rules/provider';
import { changedBooking, slotSearchWithBound, withOrganisationType } from '../src/actors/provider/booking';
import { judgeRefusal } from './provider-judging';
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
  if (bound !== 'start' && bound !== 'end') throw new Error(`"${bound}" is neither start nor end`);
  const { window, value } = slotSearchWithBound(bound, form, from, to);
  const search = { window };
  await this.provider.searchSlots(search, withQueryParameter(searchForFreeSlots(search), bound, (bound === 'start' ? SlotSearch.startPrefix : SlotSearch.endPrefix) + value));
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
  this.judge('PROV-SLOTS-INCLUDE', schedulesIncluded(this.provider.answer));
});

Then('the Bundle includes the {word} of every Schedule offered', function (this: GpcWorld, type: string) {
  this.judge('PROV-SLOTS-INCLUDE', actorsIncluded(this.provider.answer, type));
});

Given('the consumer has searched for free slots from {int} to {int} days ahead without search filters', async function (this: GpcWorld, from: number, to: number) {
  this.judgeScenario(slotsOffered(await this.provider.searchWithoutFilters(slotWindow(from, to))));
});

When('the consumer searches for the same slots with search filters naming its own organisation', async function (this: GpcWorld) {
  const { consumerOds: ods, organisationType: type } = this.provider.profile.testData.slots ?? {};
  if (!ods && !type) throw new Error("the profile's testData.slots names neither consumerOds nor organisationType: there is no search filter to send");
  await this.provider.searchSlots({ ...this.provider.lastSlotSearch, bookingOrganisation: { ods, type } });
});

When('the consumer searches for the same slots with the search filter {string}', async function (this: GpcWorld, filter: string) {
  const search = this.provider.lastSlotSearch;
  await this.provider.searchSlots(search, withAddedQueryParameter(searchForFreeSlots(search), SlotSearch.searchFilter, filter));
});

Then('every slot offered without search filters is offered too', function (this: GpcWorld) {
  this.judgeScenario(stillOffered(this.provider.answer, this.provider.slotsOfferedWithoutFilters));
});

// ------------------------------------------------------------------ Book an appointment (6c)

Given('the consumer has prepared a booking of the first free slot for the registered patient', async function (this: GpcWorld) {
  await this.provider.prepareFirstFreeSlotBooking();
});

Given('the consumer has prepared a booking of two free slots {}', async function (this: GpcWorld, pair: string) {
  if (pair !== 'that are not adjacent' && pair !== 'on different schedules') throw new Error(`"${pair}" is neither "that are not adjacent" nor "on different schedules"`);
  if (await this.provider.prepareTwoSlotBooking(pair)) return undefined;
  await this.attach(`Skipped: a slot search over the next week offered no two free slots ${pair}.`, 'text/plain');
  return 'skipped';
});

When('the consumer sends the booking {}', async function (this: GpcWorld, change: string) {
  await this.provider.sendBooking(changedBooking(this.provider.booking, change));
});

When('the consumer, from an organisation of the type its search filtered by, sends the booking {}', async function (this: GpcWorld, change: string) {
  const type = this.provider.profile.testData.slots?.organisationType;
  if (!type) throw new Error("the profile's testData.slots names no organisationType: there is no organisation type to book with");
  await this.provider.sendBooking(withOrganisationType(changedBooking(this.provider.booking, change), type));
});

Then('the provider refuses the booking of an unknown slot with status {int} and Spine code {string} or {string}', function (this: GpcWorld, status: number, one: string, other: string) {
  judgeRefusal(this, refusedWith(this.provider.answer, status, one, other));
});

Then('the provider books it with the whole comment or refuses it with one of {string}', function (this: GpcWorld, refusals: string) {
  judgeRefusal(this, wholeDescriptionOrRefused(this.provider.answer, this.provider.booking, parseRefusals(refusals)));
});

Then('the provider books it with the whole description or refuses it with one of {string}', function (this: GpcWorld, refusals: string) {
  judgeRefusal(this, wholeDescriptionOrRefused(this.provider.answer, this.provider.booking, parseRefusals(refusals)));
});

Then('the answer is the booking as sent, with an id', function (this: GpcWorld) {
  this.judgeScenario(bookingEchoed(this.provider.answer, this.provider.booking));
});

// ------------------------------------------------------------------ Read an appointment (6c)

When('the consumer reads the appointment it booked', async function (this: GpcWorld) {
  this.judge('PROV-BOOK', booked(this.provider.answer));
  await this.provider.readAppointment(this.provider.answer.body!);
});

Then('the appointment read is the one booked', function (this: GpcWorld) {
  this.judgeScenario(readAsBooked(this.provider.answer, this.provider.booking, this.provider.bookedAppointment));
});

When('the consumer reads an appointment with the id {string}', async function (this: GpcWorld, id: string) {
  await this.provider.ask(readAnAppointment(id));
});

Then('the appointment read carries the booking organisation booked', function (this: GpcWorld) {
  this.judgeScenario(bookingOrganisationKept(this.provider.answer, this.provider.booking));
});

// ------------------------------------------------------------------ Both: issue 16 gaps 10 and 11

Then("the Appointment answered carries the practice's own serviceType and serviceCategory", function (this: GpcWorld) {
  this.judge('PROV-BOOK-SERVICE', serviceFieldsOwn(this.provider.answer, this.provider.booking.serviceType?.[0]?.text));
});

Then('the comment sent is returned as stored', function (this: GpcWorld) {
  this.judgeScenario(commentReturned(this.provider.answer, this.provider.booking));
});

Then('the Appointment answered carries the delivery channel and practitioner role booked', function (this: GpcWorld) {
  this.judgeScenario(extensionsReturned(this.provider.answer, this.provider.booking));
});

Then('the Appointment answered carries its meta.versionId', function (this: GpcWorld) {
  this.judge('PROV-APPOINTMENT-VERSIONID', versionIdIncluded(this.provider.answer));
});

Then('the answer carries an ETag of that version', function (this: GpcWorld) {
  this.judge('PROV-APPOINTMENT-ETAG', etagOfVersion(this.provider.answer));
});
