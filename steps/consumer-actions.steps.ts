import { Given, Then, When } from '@cucumber/cucumber';
import { addDays, ukToday } from '../src/gpconnect/dates';
import { exampleOperation } from '../src/actors/provider/requests';
import { accreditToSend, senderNotAuthorised } from '../src/actors/consumer/situations';
import { Interaction } from '../src/gpconnect/constants';
import type { GpcWorld } from '../support/world';

// ------------------------------------------------------------------ cancel, amend, retrieve (issue 18)

Given('the user has booked an appointment for {string}', async function (this: GpcWorld, nhsNumber: string) {
  await this.consumer.book(nhsNumber);
  this.consumer.bookedAppointment(); // a consumer that booked nothing leaves nothing to act on: the scenario stops here
});

When('the user cancels that appointment, giving the reason {string}', async function (this: GpcWorld, reason: string) {
  const booked = this.consumer.bookedAppointment();
  await this.consumer.act('cancel', booked.nhsNumber, { ...booked, reason });
});

When('another user cancels that appointment, giving the reason {string}', async function (this: GpcWorld, reason: string) {
  const booked = this.consumer.bookedAppointment();
  this.consumer.anotherUser();
  await this.consumer.act('cancel', booked.nhsNumber, { ...booked, reason });
});

When("the user changes that appointment's comment to {string}", async function (this: GpcWorld, comment: string) {
  const booked = this.consumer.bookedAppointment();
  await this.consumer.act('amend', booked.nhsNumber, { ...booked, comment });
});

When("the user changes that appointment's description to {string} and its comment to {string}", async function (this: GpcWorld, description: string, comment: string) {
  const booked = this.consumer.bookedAppointment();
  await this.consumer.act('amend', booked.nhsNumber, { ...booked, description, comment });
});

When("the user lists the patient's appointments from today for {int} days", async function (this: GpcWorld, days: number) {
  const start = ukToday();
  const { nhsNumber, practice } = this.consumer.bookedAppointment();
  await this.consumer.act('retrieve', nhsNumber, { ...(practice ? { practice } : {}), start, end: addDays(start, days - 1) });
});

/** Each Then is one rule of the catalogue, judged on the scenario's traffic (src/rules/consumer/judges-actions.ts). */
const RULES: Array<[string, string]> = [
  ['the cancellation named the cancel interaction in Ssp-InteractionID', 'CONS-CANCEL-INTERACTION'],
  ["the cancellation's JWT asked for patient\\/*.write", 'CONS-CANCEL-SCOPE'],
  ['the cancellation sent a GPConnect-Appointment-1 Appointment with status cancelled', 'CONS-CANCEL-STATUS'],
  ['the cancellation carried the cancellation reason extension with the reason', 'CONS-CANCEL-REASON'],
  ['the cancellation changed nothing but the status and the cancellation reason of the appointment as read', 'CONS-CANCEL-UNCHANGED'],
  ["the cancellation's If-Match, if sent, named the version the practice last gave", 'CONS-CANCEL-IF-MATCH'],
  ['the amendment named the update interaction in Ssp-InteractionID', 'CONS-AMEND-INTERACTION'],
  ["the amendment's JWT asked for patient\\/*.write", 'CONS-AMEND-SCOPE'],
  ['the amendment changed only the description and the comment of the appointment as read', 'CONS-AMEND-ONLY-ALLOWED'],
  ['the amendment carried no cancellation reason and was not of a cancelled appointment', 'CONS-AMEND-NO-CANCELLATION'],
  ["the amendment's description had at most 100 characters and its comment at most 500", 'CONS-AMEND-LIMITS'],
  ["the amendment's If-Match, if sent, named the version the practice last gave", 'CONS-AMEND-IF-MATCH'],
  ['the retrieve named the patient appointments interaction in Ssp-InteractionID', 'CONS-RETRIEVE-INTERACTION'],
  ["the retrieve's JWT asked for patient\\/*.read", 'CONS-RETRIEVE-SCOPE'],
  ['the retrieve sent two start parameters, one ge and one le', 'CONS-RETRIEVE-RANGE'],
  ["the retrieve's start parameters were plain dates", 'CONS-RETRIEVE-DATE-ONLY'],
  ['the retrieve asked for no date before today', 'CONS-RETRIEVE-NOT-PAST'],
];

for (const [phrase, requirement] of RULES) {
  Then(phrase, function (this: GpcWorld) {
    return this.consumer.expectRule(requirement, this);
  });
}

// ------------------------------------------------------------------ the SSP and the directory beyond booking

Given("the consumer's ASID at the user's organisation is not accredited to cancel appointments", function (this: GpcWorld) {
  const consumer = this.consumer;
  senderNotAuthorised(this.spine, consumer.asidAt(consumer.organisation()), Interaction.cancelAppointment);
});

Given('the consumer with ASID {string} is accredited to send {string}', function (this: GpcWorld, asid: string, useCase: string) {
  accreditToSend(this.spine, asid, exampleOperation(useCase).interaction);
});
