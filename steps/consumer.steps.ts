import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import { Interaction } from '../src/gpconnect/constants';
import * as situation from '../src/actors/consumer/situations';
import type { GpcWorld } from '../support/world';

defineParameterType({ name: 'ordinal', regexp: /first|second|third/, transformer: (word: string) => ['first', 'second', 'third'].indexOf(word) + 1 });

// ------------------------------------------------------------------ the patient and the practice

Given('PDS has the patient {string} registered at {word}', function (this: GpcWorld, nhsNumber: string, ods: string) {
  situation.expectPatientAt(this.spine, nhsNumber, ods);
});

Given('PDS answers the NHS number {string} with the record of {string}, which replaced it', function (this: GpcWorld, nhsNumber: string, by: string) {
  situation.expectSuperseded(this.spine, nhsNumber, by);
});

Given('the practice system at {word} adds unknown extensions and elements, Bundle.entry.fullUrl and a searchset outcome entry to its answers', function (this: GpcWorld, ods: string) {
  situation.practiceAddsNoise(this.spine, ods);
});

Given('{word} has no free slot in the next {int} days', function (this: GpcWorld, ods: string, days: number) {
  situation.noFreeSlotsForDays(this.spine, ods, days);
});

Given('another consumer takes the slot at {word} a moment before it is booked', function (this: GpcWorld, ods: string) {
  situation.slotTakenBeforeBooking(this.spine, ods);
});

Given('the practice system at {word} fails when asked to book', function (this: GpcWorld, ods: string) {
  situation.practiceFailsBooking(this.spine, ods);
});

Given('the practice system at {word} answers bookings later than the SSP waits', function (this: GpcWorld, ods: string) {
  situation.practiceTooSlowToBook(this.spine, ods);
});

Given('the SSP cannot reach the practice system at {word}', function (this: GpcWorld, ods: string) {
  situation.practiceUnreachable(this.spine, ods);
});

Given("the SSP has no data sharing agreement between the user's organisation and {word}", function (this: GpcWorld, practiceOds: string) {
  situation.withdrawAgreement(this.spine, this.consumer.organisation(), practiceOds);
});

Given("the consumer's ASID at the user's organisation is not accredited to book appointments", function (this: GpcWorld) {
  const consumer = this.consumer;
  situation.senderNotAuthorised(this.spine, consumer.asidAt(consumer.organisation()), Interaction.createAppointment);
});

Given('SDS holds no GP Connect endpoint for {word}', function (this: GpcWorld, ods: string) {
  situation.noEndpointFor(this.spine, ods);
});

// ------------------------------------------------------------------ asking the consumer to act

Given('the user is logged on without a smartcard', function (this: GpcWorld) {
  this.consumer.anotherUser({ smartcard: false });
});

When('the user books an appointment for {string}', async function (this: GpcWorld, nhsNumber: string) {
  await this.consumer.book(nhsNumber);
});

When("a user at the consumer's {ordinal} organisation books an appointment for {string}", async function (this: GpcWorld, nth: number, nhsNumber: string) {
  await this.consumer.book(nhsNumber, { organisation: this.consumer.organisation(nth) });
});

When('a user at an organisation that shares records with {word} books an appointment for {string}', async function (this: GpcWorld, practice: string, nhsNumber: string) {
  await this.consumer.book(nhsNumber, { organisation: this.consumer.organisationSharingWith(practice) });
});

When('the user books an appointment for {string} at {word}, a practice of their choosing', async function (this: GpcWorld, nhsNumber: string, practice: string) {
  await this.consumer.book(nhsNumber, { practice });
});

When('the user books another appointment for {string} in the same session', async function (this: GpcWorld, nhsNumber: string) {
  await this.consumer.book(nhsNumber);
});

When('the user starts a new session and books an appointment for {string}', async function (this: GpcWorld, nhsNumber: string) {
  this.consumer.newSession();
  await this.consumer.book(nhsNumber);
});

// ------------------------------------------------------------------ what the consumer sent, rule by rule

/** Each Then is one rule of the catalogue (requirements/catalogue.yaml), judged on the scenario's traffic (src/rules/consumer/judges.ts). */
const RULES: Array<[string, string]> = [
  ['the consumer traced the patient on PDS before asking SDS or the SSP about them', 'CONS-PDS-TRACE'],
  ['the consumer booked nothing and showed why', 'CONS-PDS-STOP'],
  ['the consumer reported no booking', 'CONS-PDS-STOP'],
  ['the consumer asked SDS for the endpoint of the practice PDS gave, with a GP Connect interaction', 'CONS-SDS-ENDPOINT'],
  ['the consumer asked SDS for the endpoint of the practice chosen, with a GP Connect interaction', 'CONS-SDS-ENDPOINT'],
  ["the consumer asked SDS for the practice's ASID with the party key SDS gave", 'CONS-SDS-DEVICE'],
  ['the consumer looked each patient up in SDS on its own', 'CONS-SDS-PER-PATIENT'],
  ['the consumer sent nothing to the SSP for the practice and showed the error', 'CONS-SDS-NO-ENDPOINT'],
  ['every GP Connect request went through the SSP', 'CONS-VIA-SSP'],
  ['every SSP target began with the service root exactly as SDS gave it', 'CONS-SERVICE-ROOT'],
  ['every request named the ASID SDS gave in Ssp-To', 'CONS-SSP-TO'],
  ["every request named the ASID of the organisation it came from in Ssp-From", 'CONS-SSP-FROM'],
  ['every request carried a fresh Ssp-TraceID', 'CONS-TRACE-ID'],
  ['every request named its interaction in Ssp-InteractionID', 'CONS-INTERACTION-ID'],
  ['every request body was sent with charset=utf-8', 'CONS-CONTENT-TYPE'],
  ['every query was percent-encoded', 'CONS-QUERY-ENCODED'],
  ['every JWT was unsecured, with the trailing dot', 'CONS-JWT-UNSECURED'],
  ['every JWT expired exactly 300 seconds after it was issued', 'CONS-JWT-EXPIRY'],
  ['every JWT was issued when it was sent', 'CONS-JWT-IAT'],
  ["every JWT's audience was the service root SDS gave", 'CONS-JWT-AUD'],
  ['every JWT gave direct care as the reason for the request', 'CONS-JWT-REASON'],
  ['every JWT asked for the scope of its interaction', 'CONS-JWT-SCOPE'],
  ["every JWT named the consumer's endpoint as its issuer", 'CONS-JWT-ISS'],
  ['every JWT described the requesting device', 'CONS-JWT-DEVICE'],
  ['every JWT named the requesting organisation by its ODS code', 'CONS-JWT-ORGANIZATION'],
  ['every JWT described the requesting practitioner', 'CONS-JWT-PRACTITIONER'],
  ["every JWT's subject was the requesting practitioner", 'CONS-JWT-SUB'],
  ['every JWT named the user who asked', 'CONS-JWT-USER'],
  ['the consumer searched for free slots with the parameters the search needs', 'CONS-SLOT-QUERY'],
  ['the consumer searched at most 14 days at a time', 'CONS-SLOT-WINDOW'],
  ['the consumer searched again with another date range', 'CONS-SLOTS-NEXT-WINDOW'],
  ['the consumer found the patient at the practice by NHS number before booking', 'CONS-FIND-PATIENT'],
  ['the consumer registered the patient and booked with the id the practice gave', 'CONS-REGISTER'],
  ["the booking named the patient by the practice's logical id", 'CONS-BOOK-PATIENT'],
  ['the booking named a free slot the search offered, a location and the patient', 'CONS-BOOK-PARTICIPANTS'],
  ['the booking carried the booking organisation', 'CONS-BOOK-ORGANISATION'],
  ['the booking had a description of at most 100 characters', 'CONS-BOOK-DESCRIPTION'],
  ["the booking's start and end were the slot's", 'CONS-BOOK-SLOT-TIMES'],
  ['the consumer showed the slot was taken or searched afresh, and never booked that slot again', 'CONS-BOOK-CONFLICT'],
  ['the consumer showed what happened', 'CONS-OUTCOME-SHOWN'],
  ['the consumer showed the refusal and did not send the refused request again', 'CONS-SSP-REFUSAL'],
  ['the consumer showed the error, retrying at most three times', 'CONS-PROVIDER-ERROR'],
  ['the consumer reused answers only within the session', 'CONS-SESSION-CACHE'],
  ['every PDS request carried a new X-Request-ID and a bearer token', 'CONS-PDS-HEADERS'],
  ['every SDS request carried the apikey', 'CONS-SDS-APIKEY'],
  ['the booking was a valid GPConnect-Appointment-1 and the practice booked it', 'CONS-BOOK-VALID'],
  ['every request carried a JWT made for it', 'CONS-JWT-IAT'],
  ["every slot search's start and end were a date, or a UK local time with its offset", 'CONS-SLOT-BOUNDS'],
  ["the booking organisation's type was the organisation type the slot search sent, and only then", 'CONS-BOOK-ORG-TYPE'],
  ['the consumer went on to the practice with the NHS number PDS gave, never the superseded one', 'CONS-PDS-SUPERSEDED'],
  ['the consumer ignored what it did not know and booked the appointment', 'CONS-TOLERANT'],
];

for (const [phrase, requirement] of RULES) {
  Then(phrase, function (this: GpcWorld) {
    return this.consumer.expectRule(requirement, this);
  });
}
