import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { System } from '../support/constants';
import { askProvider, assertRefusedWith, assertStatus, assertValid, nhsNumberOf, patientsIn } from '../support/gpconnect/provider-exchange';
import type { GpcWorld } from '../support/world';

const encode = encodeURIComponent;

Given('the provider under test is reachable through the SSP', function (this: GpcWorld) {
  const profile = this.need(this.providerProfile, 'provider profile');
  assert.ok(this.spine.urls.providers[profile.ods], `Spine in a box serves no provider for ${profile.ods}`);
});

When('the consumer asks for the capability statement', async function (this: GpcWorld) {
  this.providerAnswer = await askProvider(this.spine, this.need(this.providerProfile, 'provider profile').ods, 'Get the capability statement');
});

When('the consumer finds the registered patient', async function (this: GpcWorld) {
  const profile = this.need(this.providerProfile, 'provider profile');
  this.searchedNhsNumber = profile.testData.registeredPatient;
  this.providerAnswer = await askProvider(this.spine, profile.ods, 'Find a patient', `/Patient?identifier=${encode(`${System.nhsNumber}|${this.searchedNhsNumber}`)}`);
});

When('the consumer finds the patient {string}', async function (this: GpcWorld, nhsNumber: string) {
  this.searchedNhsNumber = nhsNumber;
  this.providerAnswer = await askProvider(this.spine, this.need(this.providerProfile, 'provider profile').ods, 'Find a patient', `/Patient?identifier=${encode(`${System.nhsNumber}|${nhsNumber}`)}`);
});

When('the consumer searches for patients with the query {string}', async function (this: GpcWorld, query: string) {
  this.providerAnswer = await askProvider(this.spine, this.need(this.providerProfile, 'provider profile').ods, 'Find a patient', `/Patient?${query}`);
});

Then('the provider answers with status {int}', function (this: GpcWorld, status: number) {
  assertStatus(this.need(this.providerAnswer, 'provider answer'), status);
});

Then('the answer is a valid {string} resource', function (this: GpcWorld, what: string) {
  assertValid(this.need(this.providerAnswer, 'provider answer'), what);
});

Then('the capability statement declares FHIR version {string}', function (this: GpcWorld, version: string) {
  assert.equal(this.need(this.providerAnswer, 'provider answer').body?.fhirVersion, version, 'PROV-METADATA: another FHIR version');
});

Then('the answer carries {string} {string}', function (this: GpcWorld, header: string, value: string) {
  const answer = this.need(this.providerAnswer, 'provider answer');
  assert.equal(answer.response.headers[header.toLowerCase()], value, `PROV-NO-STORE: ${answer.asked} answered without ${header}: ${value}`);
});

Then('the provider refuses it with status {int} and Spine code {string}', function (this: GpcWorld, status: number, code: string) {
  assertRefusedWith(this.need(this.providerAnswer, 'provider answer'), status, code);
});

Then('the Bundle holds {int} Patient with the NHS number searched for', function (this: GpcWorld, count: number) {
  const patients = patientsIn(this.need(this.providerAnswer, 'provider answer'));
  assert.equal(patients.length, count, `PROV-FIND-PATIENT: expected ${count} Patient, got ${patients.length}`);
  for (const p of patients) assert.equal(nhsNumberOf(p), this.searchedNhsNumber, 'PROV-FIND-PATIENT: the Patient does not carry the NHS number searched for');
});

Then('the Bundle holds {int} Patient', function (this: GpcWorld, count: number) {
  assert.equal(patientsIn(this.need(this.providerAnswer, 'provider answer')).length, count, 'PROV-FIND-PATIENT-NOT-FOUND: the Bundle holds another number of Patients');
});
