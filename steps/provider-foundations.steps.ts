/**
 * Register a patient (gpconnect-spec.md §5.5) and the provider's own checks of the Ssp-* headers
 * and the JWT (§2.3, §4), as the provider features word them. Domain work is in
 * src/actors/provider/registration.ts and src/actors/provider/jwt-spoils.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import { getCapabilityStatement, registerAPatient } from '../src/gpconnect/operations';
import { jwtSpoil } from '../src/actors/provider/jwt-spoils';
import { exampleOperation } from '../src/actors/provider/requests';
import { etagOfVersion, foundOnceRegistered, readAs, registeredAsTemporary, patientsPopulated, eachPatientFound } from '../src/rules/provider';
import { readableType } from '../src/actors/provider/reads';
import {
  profilePatient,
  registrationPatient,
  unfindablePatientField,
  withElement,
  type RegistrationPatientField,
} from '../src/actors/provider/registration';
import type { GpcWorld } from '../support/world';

/** The consumer's PDS trace (worked example step 1): the record Spine in a box's PDS holds, if any. */
const traced = (world: GpcWorld, nhsNumber: string) => world.spine.patients.find((p) => p.nhsNumber === nhsNumber);

async function register(world: GpcWorld, nhsNumber: string, patient = registrationPatient(nhsNumber, traced(world, nhsNumber))): Promise<void> {
  await world.provider.register(nhsNumber, patient);
}

/** The profile's patient for `field`, or 'skipped' (with the reason attached) when the profile does not give one. */
async function registerFromProfile(world: GpcWorld, field: RegistrationPatientField): Promise<void | 'skipped'> {
  const nhsNumber = profilePatient(world.provider.profile, field);
  if (!nhsNumber) {
    await world.attach(`Skipped: the profile gives no testData.${field}; add one to run this check.`, 'text/plain');
    return 'skipped';
  }
  await register(world, nhsNumber);
}

When('the consumer registers the patient the practice does not yet hold', function (this: GpcWorld) {
  return registerFromProfile(this, 'registrablePatient');
});

When('the consumer registers a patient the practice already holds', function (this: GpcWorld) {
  return registerFromProfile(this, 'registeredPatient');
});

When('the consumer registers a patient who is not on PDS', function (this: GpcWorld) {
  return registerFromProfile(this, 'notOnPdsPatient');
});

When('the consumer registers a patient PDS records as deceased', function (this: GpcWorld) {
  return registerFromProfile(this, 'deceasedPatient');
});

When('the consumer registers a patient PDS records as sensitive', function (this: GpcWorld) {
  return registerFromProfile(this, 'sensitivePatient');
});

When('the consumer registers the patient the practice does not yet hold under the NHS number {string}', function (this: GpcWorld, nhsNumber: string) {
  const registrable = this.provider.profile.testData.registrablePatient;
  return register(this, nhsNumber, registrationPatient(nhsNumber, traced(this, registrable)));
});

When('the consumer registers the patient the practice does not yet hold, also sending {string} as {string}', function (this: GpcWorld, element: string, value: string) {
  const registrable = this.provider.profile.testData.registrablePatient;
  return register(this, registrable, withElement(registrationPatient(registrable, traced(this, registrable)), element, value));
});

/**
 * A negative probe never registers a patient the provider could lawfully register: a provider that
 * answered it would hold the registrable patient before Register a patient is tried. So the patient PDS does
 * not know, whom no provider may register (review F2).
 */
When('a patient PDS does not know is registered directly with the scope {string}', async function (this: GpcWorld, scope: string) {
  const nhsNumber = profilePatient(this.provider.profile, 'notOnPdsPatient');
  if (!nhsNumber) {
    await this.attach('Skipped: the profile gives no testData.notOnPdsPatient; add one to run this check.', 'text/plain');
    return 'skipped';
  }
  await this.provider.askDirectly(registerAPatient(registrationPatient(nhsNumber, traced(this, nhsNumber))), { claims: { requested_scope: scope } });
});

Then('the Bundle holds the registered Patient as a temporary registration', function (this: GpcWorld) {
  this.judgeScenario(registeredAsTemporary(this.provider.answer, this.provider.searchedNhsNumber));
});

Then('Find a patient now finds the registered patient', async function (this: GpcWorld) {
  this.judgeScenario(foundOnceRegistered(await this.provider.findAgain(), this.provider.searchedNhsNumber));
});

// ---------------------------------------------------------------------------------------------
// Find a patient: the patients it leaves out, and parameters beside the identifier (§5.4)

When('the consumer finds the patient the profile gives as {string}', async function (this: GpcWorld, field: string) {
  const nhsNumber = profilePatient(this.provider.profile, unfindablePatientField(field));
  if (!nhsNumber) {
    await this.attach(`Skipped: the profile gives no testData.${field}; add one to run this check.`, 'text/plain');
    return 'skipped';
  }
  await this.provider.findPatient(nhsNumber);
});

When('the consumer finds the registered patient, also sending {string} as {string}', async function (this: GpcWorld, name: string, value: string) {
  await this.provider.findPatientAlsoSending(this.provider.profile.testData.registeredPatient, [[name, value]]);
});

When('the consumer finds the registered patient, also sending {string} as {string} and {string} as {string}', async function (this: GpcWorld, n1: string, v1: string, n2: string, v2: string) {
  await this.provider.findPatientAlsoSending(this.provider.profile.testData.registeredPatient, [[n1, v1], [n2, v2]]);
});

// ---------------------------------------------------------------------------------------------
// Read a patient, an organisation, a practitioner, a location (foundations_use_case_read_*.md)

When('the consumer reads the {word} it found', async function (this: GpcWorld, type: string) {
  await this.provider.readFound(readableType(type));
});

When('the consumer reads the {word} {string}', async function (this: GpcWorld, type: string, id: string) {
  await this.provider.read(readableType(type), id);
});

When('the consumer reads the PDS-sensitive patient the profile gives', async function (this: GpcWorld) {
  const id = this.provider.profile.testData.sensitivePatientId;
  if (!id) {
    await this.attach('Skipped: the profile gives no testData.sensitivePatientId (the logical id of a PDS-sensitive patient the practice holds); add one to run this check.', 'text/plain');
    return 'skipped';
  }
  await this.provider.read('Patient', id);
});

Then('the answer is the resource read, valid against its profile', function (this: GpcWorld) {
  const { type, id } = this.provider.lastRead;
  this.judgeScenario(readAs(this.provider.answer, type, id));
});

When('the consumer finds each of the other patients the profile names', async function (this: GpcWorld) {
  const others = this.provider.profile.testData.otherPatients ?? [];
  if (others.length === 0) {
    await this.attach('Skipped: the profile gives no testData.otherPatients (more patients the practice holds, with other demographics); add some to run this check.', 'text/plain');
    return 'skipped';
  }
  this.provider.otherSearches = await this.provider.findEach(others);
});

Then('each is found once, valid, with the fields a provider SHALL populate', function (this: GpcWorld) {
  this.judgeScenario(eachPatientFound(this.provider.otherSearches));
});

Then('every Patient answered carries the fields a provider SHALL populate', function (this: GpcWorld) {
  this.judge('PROV-PATIENT-POPULATED', patientsPopulated(this.provider.answer));
});

Then('the answer carries an ETag of the resource\'s versionId', function (this: GpcWorld) {
  this.judge('PROV-READ-ETAG', etagOfVersion(this.provider.answer));
});

// ---------------------------------------------------------------------------------------------
// Headers and JWT, sent straight to the provider as the SSP forwards them (§2.3)

When('the capability statement is asked for directly with a JWT without the claim {string}', async function (this: GpcWorld, claim: string) {
  await this.provider.askDirectly(getCapabilityStatement(), { claims: { [claim]: undefined } });
});

When('{string} is asked for directly with a JWT in which {string}', async function (this: GpcWorld, operation: string, mistake: string) {
  const spoilt = exampleOperation(operation);
  await this.provider.askDirectly(spoilt, await jwtSpoil(this.provider.underTest, spoilt, mistake));
});

When('{string} is asked for directly with the scope {string}', async function (this: GpcWorld, operation: string, scope: string) {
  await this.provider.askDirectly(exampleOperation(operation), { claims: { requested_scope: scope } });
});
