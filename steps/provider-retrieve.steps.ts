/**
 * Provider conformance for Retrieve a patient's appointments
 * (appointments_use_case_retrieve_a_patients_appointments). The phrases of steps/provider.steps.ts
 * are used as they are; the consumer's side is src/actors/provider/retrieve.ts.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import {
  allBookedForRetrieval,
  alsoSending,
  bookedForRetrieval,
  bookForRetrieval,
  daysAhead,
  interactionHeader,
  lastRetrieval,
  rangeAfterBooked,
  readParticipants,
  retrieveOf,
  retrieveRegistered,
  withDateWrittenAs,
  withFormatParameter,
  withOnlyStart,
  withPrefixes,
} from '../src/actors/provider/retrieve';
import {
  appointmentBundle,
  appointmentElements,
  bookedAmong,
  bookedNotAmong,
  noAppointmentRetrieved,
  onlyThePatientsInRange,
  participantsResolved,
  refusalExplained,
} from '../src/rules/provider';
import type { GpcWorld } from '../support/world';

const REGISTERED = "the consumer retrieves the registered patient's appointments";

Given('the consumer has booked the first free slot for the registered patient', async function (this: GpcWorld) {
  this.judge('PROV-BOOK', await bookForRetrieval(this.provider));
});

Given('the consumer has booked the first {int} free slots for the registered patient, one after the other', async function (this: GpcWorld, count: number) {
  for (let i = 0; i < count; i++) this.judge('PROV-BOOK', await bookForRetrieval(this.provider));
});

When(`${REGISTERED} from {int} to {int} days ahead`, async function (this: GpcWorld, from: number, to: number) {
  await retrieveRegistered(this.provider, daysAhead(from, to));
});

When(`${REGISTERED} from the day after the one booked`, async function (this: GpcWorld) {
  await retrieveRegistered(this.provider, rangeAfterBooked(this.provider));
});

When(`${REGISTERED} from {int} to {int} days ahead with the {word} date written as {string}`, async function (this: GpcWorld, from: number, to: number, bound: string, form: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), withDateWrittenAs(bound, form, from, to));
});

When(`${REGISTERED} from {int} to {int} days ahead with the prefixes {string} and {string}`, async function (this: GpcWorld, from: number, to: number, first: string, second: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), withPrefixes(first, second));
});

When(`${REGISTERED} with only the start parameter {string} {int} days ahead`, async function (this: GpcWorld, prefix: string, days: number) {
  await retrieveRegistered(this.provider, daysAhead(days, days), withOnlyStart(prefix));
});

When(`${REGISTERED} from {int} to {int} days ahead, also sending {string} as {string}`, async function (this: GpcWorld, from: number, to: number, name: string, value: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), alsoSending(name, value));
});

When('the consumer retrieves the appointments of the patient with the logical id {string} from {int} to {int} days ahead', async function (this: GpcWorld, id: string, from: number, to: number) {
  await retrieveOf(this.provider, id, daysAhead(from, to));
});

When(`${REGISTERED} from {int} to {int} days ahead directly with the scope {string}`, async function (this: GpcWorld, from: number, to: number, scope: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), undefined, { claims: { requested_scope: scope } });
});

When(`${REGISTERED} from {int} to {int} days ahead directly with Accept {string} and _format {string}`, async function (this: GpcWorld, from: number, to: number, accept: string, format: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), withFormatParameter(format), { setHeader: ['Accept', accept] });
});

When(`${REGISTERED} from {int} to {int} days ahead directly with the Ssp-InteractionID of {string}`, async function (this: GpcWorld, from: number, to: number, interaction: string) {
  await retrieveRegistered(this.provider, daysAhead(from, to), undefined, interactionHeader(interaction));
});

Then('the answer is a searchset Bundle of valid Appointments', function (this: GpcWorld) {
  this.judgeScenario(appointmentBundle(this.provider.answer));
});

Then('the appointment booked is among those retrieved, as booked', function (this: GpcWorld) {
  const { booking, booked } = bookedForRetrieval(this.provider);
  this.judge('PROV-RETRIEVE', bookedAmong(this.provider.answer, booking, booked));
});

Then('every appointment booked is among those retrieved, as booked', function (this: GpcWorld) {
  this.judge('PROV-RETRIEVE', allBookedForRetrieval(this.provider).flatMap(({ booking, booked }) => bookedAmong(this.provider.answer, booking, booked)));
});

Then('the appointment booked is not among those retrieved', function (this: GpcWorld) {
  this.judge('PROV-RETRIEVE-CONTENT', bookedNotAmong(this.provider.answer, bookedForRetrieval(this.provider).booked, lastRetrieval(this.provider).range));
});

Then("every Appointment retrieved is the patient's and starts within the range asked for, not before today", function (this: GpcWorld) {
  const { patientId, range } = lastRetrieval(this.provider);
  this.judge('PROV-RETRIEVE-CONTENT', onlyThePatientsInRange(this.provider.answer, patientId, range));
});

Then('every Appointment retrieved declares its profile and carries its versionId, serviceType, booking organisation and UK local times, and no reason or specialty', function (this: GpcWorld) {
  this.judge('PROV-RETRIEVE-ELEMENTS', appointmentElements(this.provider.answer));
});

Then('every participant of the Appointments retrieved reads as the resource it names', async function (this: GpcWorld) {
  this.judgeScenario(participantsResolved(await readParticipants(this.provider)));
});

Then('the Bundle holds no Appointment retrieved', function (this: GpcWorld) {
  this.judge('PROV-RETRIEVE-EMPTY', noAppointmentRetrieved(this.provider.answer));
});

Then('the refusal says that appointments in the past cannot be requested', function (this: GpcWorld) {
  this.judge('PROV-RETRIEVE-PAST', refusalExplained(this.provider.answer));
});
