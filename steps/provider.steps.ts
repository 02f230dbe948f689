import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { getCapabilityStatement, searchForFreeSlots, slotWindow, withFormat } from '../src/gpconnect/operations';
import { assertNoStore, assertRefusedWith, assertRefusedWithOneOf, assertStatus, assertValid, nhsNumberOf, parseRefusals, patientsIn } from '../src/rules/provider';
import type { DirectSpoil } from '../src/actors/provider/provider-under-test';
import { resourcesOf } from '../src/actors/provider/booking';
import type { GpcWorld } from '../support/world';

/** Through the harness's SSP or directly, as its profile says (`via`); a provider that cannot be reached breaks the scenario with the reason. */
Given('the provider under test is reachable', function (this: GpcWorld) {
  assert.ok(this.spine.urls.providers[this.provider.underTest.ods], `Spine in a box knows no live address for ${this.provider.underTest.ods}`);
});

When('the consumer asks for the capability statement', async function (this: GpcWorld) {
  await this.provider.ask(getCapabilityStatement());
});

When('the consumer finds the registered patient', async function (this: GpcWorld) {
  await this.provider.findPatient(this.provider.profile.testData.registeredPatient);
});

When('the consumer finds the patient {string}', async function (this: GpcWorld, nhsNumber: string) {
  await this.provider.findPatient(nhsNumber);
});

When('the consumer searches for patients with the query {string}', async function (this: GpcWorld, query: string) {
  await this.provider.findPatientsWithQuery(query);
});

Then('the provider answers with status {int}', function (this: GpcWorld, status: number) {
  assertStatus(this.provider.answer, status);
});

Then('the answer is a valid {string} resource', function (this: GpcWorld, what: string) {
  assertValid(this.provider.answer, what);
});

Then('the capability statement declares FHIR version {string}', function (this: GpcWorld, version: string) {
  assert.equal(this.provider.answer.body?.fhirVersion, version, 'PROV-METADATA: another FHIR version');
});

Then('the answer carries Cache-Control with the no-store directive', function (this: GpcWorld) {
  assertNoStore(this.provider.answer);
});

Then('the provider refuses it with status {int} and Spine code {string}', function (this: GpcWorld, status: number, code: string) {
  assertRefusedWith(this.provider.answer, status, code);
});

/** Where the spec names no code, or the sources differ: "400 BAD_REQUEST, 422 INVALID_PARAMETER" (src/rules/provider.ts parseRefusals). */
Then('the provider refuses it with one of {string}', function (this: GpcWorld, refusals: string) {
  assertRefusedWithOneOf(this.provider.answer, parseRefusals(refusals));
});

Then('the Bundle holds {int} Patient with the NHS number searched for', function (this: GpcWorld, count: number) {
  const patients = patientsIn(this.provider.answer);
  assert.equal(patients.length, count, `PROV-FIND-PATIENT: expected ${count} Patient, got ${patients.length}`);
  for (const p of patients) assert.equal(nhsNumberOf(p), this.provider.searchedNhsNumber, 'PROV-FIND-PATIENT: the Patient does not carry the NHS number searched for');
});

Then('the Bundle holds {int} Patient', function (this: GpcWorld, count: number) {
  assert.equal(patientsIn(this.provider.answer).length, count, 'PROV-FIND-PATIENT-NOT-FOUND: the Bundle holds another number of Patients');
});

When('the consumer searches for free slots from {int} to {int} days ahead', async function (this: GpcWorld, from: number, to: number) {
  await this.provider.searchSlots({ window: slotWindow(from, to) });
});

Then('every Slot offered is free and inside the window', function (this: GpcWorld) {
  const window = this.provider.slotWindow;
  const slots = resourcesOf(this.provider.answer.body, 'Slot');
  assert.ok(slots.length > 0, 'PROV-SLOTS: the practice offered no free slot in the window; its profile says it has some');
  for (const slot of slots) {
    assert.equal(slot.status, 'free', `PROV-SLOTS: Slot/${slot.id} is ${slot.status}`);
    assert.ok(slot.start.slice(0, 10) >= window.start && slot.end.slice(0, 10) <= window.end, `PROV-SLOTS: Slot/${slot.id} (${slot.start}–${slot.end}) is outside ${window.start}–${window.end}`);
  }
});

Then('the Bundle includes the Organization', function (this: GpcWorld) {
  assert.ok(resourcesOf(this.provider.answer.body, 'Organization').length > 0, 'PROV-SLOTS: the Bundle has slots but no Organization');
});

When('the consumer books the first free slot for the registered patient', async function (this: GpcWorld) {
  await this.provider.prepareFirstFreeSlotBooking();
  await this.provider.sendBooking();
});

When('the consumer books the same slot again', async function (this: GpcWorld) {
  await this.provider.sendBooking();
});

Then('the answer carries a Location header for the new appointment', function (this: GpcWorld) {
  const answer = this.provider.answer;
  const location = answer.response.headers['location'];
  assert.ok(location, 'PROV-BOOK: 201 without a Location header');
  assert.match(location, new RegExp(`/Appointment/${answer.body?.id}/_history/[^/]+$`), 'PROV-BOOK: the Location header does not name the new appointment as [base]/Appointment/[id]/_history/[vid]');
});

Then('a new search no longer offers that slot', async function (this: GpcWorld) {
  const answer = await this.provider.underTest.ask(searchForFreeSlots({ window: slotWindow(1, 8) }));
  const offered = resourcesOf(answer.body, 'Slot').map((s) => s.id);
  assert.ok(!offered.includes(this.provider.bookedSlotId), `PROV-BOOK-SLOT-TAKEN: Slot/${this.provider.bookedSlotId} is still offered after it was booked`);
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const direct = (world: GpcWorld, spoil: DirectSpoil) => world.provider.askDirectly(getCapabilityStatement(), spoil);

When('the capability statement is asked for directly, as the SSP forwards it', async function (this: GpcWorld) {
  await direct(this, {});
});

When('the capability statement is asked for directly without the {string} header', async function (this: GpcWorld, header: string) {
  await direct(this, { removeHeader: header });
});

When('the capability statement is asked for directly with {string} set to {string}', async function (this: GpcWorld, header: string, value: string) {
  await direct(this, { setHeader: [header, value] });
});

When('the capability statement is asked for directly with a JWT that expired {int} seconds ago', async function (this: GpcWorld, ago: number) {
  await direct(this, { claims: { iat: nowSeconds() - ago - 300, exp: nowSeconds() - ago } });
});

When('the capability statement is asked for directly with a JWT that lasts {int} seconds', async function (this: GpcWorld, lifetime: number) {
  await direct(this, { claims: { iat: nowSeconds(), exp: nowSeconds() + lifetime } });
});

When('the capability statement is asked for directly with the scope {string}', async function (this: GpcWorld, scope: string) {
  await direct(this, { claims: { requested_scope: scope } });
});

Then('the answer is FHIR JSON in UTF-8', function (this: GpcWorld) {
  const answer = this.provider.answer;
  const type = answer.response.headers['content-type'] ?? '';
  assert.match(type, /^application\/fhir\+json\s*;\s*charset=utf-8$/i, `PROV-CONTENT-TYPE: ${answer.asked} answered with Content-Type "${type}"`);
});

When('the capability statement is asked for directly with Accept {string} and _format {string}', async function (this: GpcWorld, accept: string, format: string) {
  await this.provider.askDirectly(withFormat(getCapabilityStatement(), format), { setHeader: ['Accept', accept] });
});

Then('the answer is an OperationOutcome', function (this: GpcWorld) {
  const answer = this.provider.answer;
  assert.equal(answer.body?.resourceType, 'OperationOutcome', `PROV-ERROR-SYSTEM: ${answer.asked} refused with ${answer.body?.resourceType ?? 'a body that is not JSON'}, not an OperationOutcome`);
});
