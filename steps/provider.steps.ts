import { Given, Then, When } from '@cucumber/cucumber';
import { getCapabilityStatement, slotWindow, withFormat } from '../src/gpconnect/operations';
import {
  fhirJson,
  fhirVersion,
  freeInWindow,
  isOperationOutcome,
  locationHeader,
  noLongerOffered,
  noFullUrl,
  noStore,
  organisationIncluded,
  parseRefusals,
  patientCount,
  patientsFound,
  refusedWith,
  refusedWithOneOf,
  statementInteraction,
  statementOperation,
  statementProfile,
  statementSearchIncludes,
  statementSoftware,
  statementVersion,
  status as statusIs,
  validResource,
} from '../src/rules/provider';
import type { DirectSpoil } from '../src/actors/provider/provider-under-test';
import { judgeRefusal } from './provider-judging';
import type { GpcWorld } from '../support/world';

/**
 * Through the harness's SSP or directly, as its profile says (`via`); a provider that cannot be reached breaks the scenario with the reason.
 * Spine in a box without an address for it is the harness's own mistake, not the provider's.
 */
Given('the provider under test is reachable', function (this: GpcWorld) {
  if (!this.spine.urls.providers[this.provider.underTest.ods]) throw new Error(`Spine in a box knows no live address for ${this.provider.underTest.ods}`);
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
  this.judgeScenario(statusIs(this.provider.answer, status));
});

Then('the answer is a valid {string} resource', function (this: GpcWorld, what: string) {
  this.judgeScenario(validResource(this.provider.answer, what));
});

Then('the {string} gives its entries no fullUrl', function (this: GpcWorld, what: string) {
  this.judge('PROV-BUNDLE-FULLURL', noFullUrl(this.provider.answer, what));
});

Then('the capability statement declares FHIR version {string}', function (this: GpcWorld, version: string) {
  this.judge('PROV-METADATA', fhirVersion(this.provider.answer, version));
});

const list = (items: string) => items.split(',').map((s) => s.trim()).filter((s) => s !== '');

Then('the capability statement\'s version is one of {string}', function (this: GpcWorld, releases: string) {
  this.judgeScenario(statementVersion(this.provider.answer, list(releases)));
});

Then('the capability statement names its software and its version', function (this: GpcWorld) {
  this.judgeScenario(statementSoftware(this.provider.answer));
});

Then('the capability statement declares the profile {string}', function (this: GpcWorld, url: string) {
  this.judgeScenario(statementProfile(this.provider.answer, url));
});

Then('the capability statement declares the {string} resource with the {string} interaction', function (this: GpcWorld, type: string, code: string) {
  this.judgeScenario(statementInteraction(this.provider.answer, type, code));
});

Then('the capability statement declares the operation {string} defined by {string}', function (this: GpcWorld, name: string, definition: string) {
  this.judgeScenario(statementOperation(this.provider.answer, name, definition));
});

Then('the capability statement declares for {string} the search includes {string}', function (this: GpcWorld, type: string, includes: string) {
  this.judgeScenario(statementSearchIncludes(this.provider.answer, type, list(includes)));
});

Then('the answer carries Cache-Control with the no-store directive', function (this: GpcWorld) {
  this.judge('PROV-NO-STORE', noStore(this.provider.answer));
});

Then('the provider refuses it with status {int} and Spine code {string}', function (this: GpcWorld, status: number, code: string) {
  judgeRefusal(this, refusedWith(this.provider.answer, status, code));
});

/** Where the spec names no code, or the sources differ: "400 BAD_REQUEST, 422 INVALID_PARAMETER" (src/rules/provider/refusals.ts). */
Then('the provider refuses it with one of {string}', function (this: GpcWorld, refusals: string) {
  judgeRefusal(this, refusedWithOneOf(this.provider.answer, parseRefusals(refusals)));
});

Then('the Bundle holds {int} Patient with the NHS number searched for', function (this: GpcWorld, count: number) {
  this.judgeScenario(patientsFound(this.provider.answer, count, this.provider.searchedNhsNumber));
});

Then('the Bundle holds {int} Patient', function (this: GpcWorld, count: number) {
  this.judgeScenario(patientCount(this.provider.answer, count));
});

When('the consumer searches for free slots from {int} to {int} days ahead', async function (this: GpcWorld, from: number, to: number) {
  await this.provider.searchSlots({ window: slotWindow(from, to) });
});

Then('every Slot offered is free and inside the window', function (this: GpcWorld) {
  this.judge('PROV-SLOTS', freeInWindow(this.provider.answer, this.provider.slotWindow));
});

Then('the Bundle includes the Organization', function (this: GpcWorld) {
  this.judge('PROV-SLOTS', organisationIncluded(this.provider.answer));
});

When('the consumer books the first free slot for the registered patient', async function (this: GpcWorld) {
  await this.provider.prepareFirstFreeSlotBooking();
  await this.provider.sendBooking();
});

When('the consumer books the same slot again', async function (this: GpcWorld) {
  await this.provider.sendBooking();
});

Then('the answer carries a Location header for the new appointment', function (this: GpcWorld) {
  this.judge('PROV-BOOK', locationHeader(this.provider.answer));
});

Then('a new search no longer offers that slot', async function (this: GpcWorld) {
  this.judgeScenario(noLongerOffered(await this.provider.searchAgain(slotWindow(1, 8)), this.provider.bookedSlotId));
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
  this.judgeScenario(fhirJson(this.provider.answer));
});

When('the capability statement is asked for directly with Accept {string} and _format {string}', async function (this: GpcWorld, accept: string, format: string) {
  await this.provider.askDirectly(withFormat(getCapabilityStatement(), format), { setHeader: ['Accept', accept] });
});

Then('the answer is an OperationOutcome', function (this: GpcWorld) {
  this.judge('PROV-ERROR-SYSTEM', isOperationOutcome(this.provider.answer));
});
