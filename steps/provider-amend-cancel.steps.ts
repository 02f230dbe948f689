/**
 * Provider conformance for Amend an appointment and Cancel an appointment
 * (appointments_use_case_amend_an_appointment, appointments_use_case_cancel_an_appointment). The
 * consumer's side is src/actors/provider/amend-cancel.ts, the judges src/rules/provider/amend-cancel.ts;
 * the phrases of steps/provider.steps.ts are used as they are.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { CONSUMER_SERVICE_TEXT } from '../src/actors/provider/booking';
import {
  amend,
  amended,
  appointmentRead,
  appointmentSent,
  bookAndReadBack,
  cancel,
  cancelWithReason,
  changedAmendment,
  changedCancellation,
  readAgain,
  reasonSent,
  sendingAs,
  updateUnknown,
  versionRead,
} from '../src/actors/provider/amend-cancel';
import { cancelled } from '../src/gpconnect/operations-amend-cancel';
import { amendedAsSent, cancelledAsSent, newVersion, readAsCancelled, serviceFieldsOwn, staleVersionRefused } from '../src/rules/provider';
import { judgeRefusal } from './provider-judging';
import type { GpcWorld } from '../support/world';

Given('the consumer has booked an appointment for the registered patient and read it back', async function (this: GpcWorld) {
  this.judge('PROV-BOOK', await bookAndReadBack(this.provider));
});

// ------------------------------------------------------------------ Amend an appointment

When("the consumer amends the appointment's description to {string}", async function (this: GpcWorld, description: string) {
  await amend(this.provider, amended(appointmentRead(this.provider), description));
});

When("the consumer amends the appointment's description to {string}, sent {}", async function (this: GpcWorld, description: string, how: string) {
  await amend(this.provider, amended(appointmentRead(this.provider), description), sendingAs(how));
});

When("the consumer amends the appointment's description to {string} and its comment to {string}", async function (this: GpcWorld, description: string, comment: string) {
  await amend(this.provider, amended(appointmentRead(this.provider), description, comment));
});

When("the consumer amends the appointment's description to {string}, also sending a serviceCategory and serviceType of its own", async function (this: GpcWorld, description: string) {
  await amend(this.provider, { ...amended(appointmentRead(this.provider), description), serviceCategory: { text: CONSUMER_SERVICE_TEXT }, serviceType: [{ text: CONSUMER_SERVICE_TEXT }] });
});

When("the consumer amends the appointment's description to {string}, leaving out serviceCategory and serviceType", async function (this: GpcWorld, description: string) {
  const { serviceCategory: _c, serviceType: _t, ...rest } = amended(appointmentRead(this.provider), description);
  await amend(this.provider, rest);
});

When('the consumer amends the appointment with {}', async function (this: GpcWorld, change: string) {
  await amend(this.provider, changedAmendment(appointmentRead(this.provider), change));
});

When("the consumer amends the appointment's description to {string} after cancelling it", async function (this: GpcWorld, description: string) {
  this.judge('PROV-CANCEL', cancelledAsSent(await cancelWithReason(this.provider, 'double booked'), appointmentRead(this.provider), 'double booked'));
  await amend(this.provider, amended(cancelled(appointmentRead(this.provider), 'double booked'), description));
});

When('the consumer amends an appointment with the id {string}', async function (this: GpcWorld, id: string) {
  await updateUnknown(this.provider, 'amend', id);
});

When('the consumer cancels an appointment with the id {string}', async function (this: GpcWorld, id: string) {
  await updateUnknown(this.provider, 'cancel', id);
});

Then('the answer is the appointment read, with the description and comment sent', function (this: GpcWorld) {
  this.judge('PROV-AMEND', amendedAsSent(this.provider.answer, appointmentRead(this.provider), appointmentSent(this.provider)));
});

/** The same check under the scenario's own requirement (a SHOULD scenario warns where the answer is not the Appointment). */
Then('the answer is the whole Appointment as amended', function (this: GpcWorld) {
  this.judgeScenario(amendedAsSent(this.provider.answer, appointmentRead(this.provider), appointmentSent(this.provider)));
});

// ------------------------------------------------------------------ Cancel an appointment

When('the consumer cancels the appointment with the reason {string}', async function (this: GpcWorld, reason: string) {
  await cancelWithReason(this.provider, reason);
});

When('the consumer cancels the appointment with the reason {string}, sent {}', async function (this: GpcWorld, reason: string, how: string) {
  await cancelWithReason(this.provider, reason, sendingAs(how));
});

When('the consumer cancels the appointment with the reason {string}, leaving out serviceCategory and serviceType', async function (this: GpcWorld, reason: string) {
  const { serviceCategory: _c, serviceType: _t, ...rest } = cancelled(appointmentRead(this.provider), reason);
  await cancel(this.provider, rest, reason);
});

When('the consumer cancels the appointment with the reason {string} and {}', async function (this: GpcWorld, reason: string, change: string) {
  await cancel(this.provider, changedCancellation(appointmentRead(this.provider), reason, change), reason);
});

When('the consumer cancels the appointment with the reason {string} under the extension URL {string}', async function (this: GpcWorld, reason: string, url: string) {
  await cancel(this.provider, cancelled(appointmentRead(this.provider), reason, url), reason);
});

When('the consumer reads the appointment again', async function (this: GpcWorld) {
  await readAgain(this.provider);
});

Then('the answer is the appointment read, cancelled with the reason sent', function (this: GpcWorld) {
  this.judge('PROV-CANCEL', cancelledAsSent(this.provider.answer, appointmentRead(this.provider), reasonSent(this.provider)));
});

/** The same check under the scenario's own requirement. */
Then('the answer is the whole Appointment as cancelled', function (this: GpcWorld) {
  this.judgeScenario(cancelledAsSent(this.provider.answer, appointmentRead(this.provider), reasonSent(this.provider)));
});

Then('the appointment read is cancelled', function (this: GpcWorld) {
  this.judge('PROV-CANCEL', readAsCancelled(this.provider.answer));
});

// ------------------------------------------------------------------ Both

Then('the Appointment answered carries a new versionId', function (this: GpcWorld) {
  this.judge('PROV-UPDATE-VERSIONID', newVersion(this.provider.answer, versionRead(this.provider)));
});

Then('the provider refuses the out-of-date version with 409 Conflict', function (this: GpcWorld) {
  judgeRefusal(this, staleVersionRefused(this.provider.answer));
});

Then("the Appointment answered carries the practice's serviceType and serviceCategory, not those sent", function (this: GpcWorld) {
  this.judge('PROV-BOOK-SERVICE', serviceFieldsOwn(this.provider.answer, CONSUMER_SERVICE_TEXT));
});
