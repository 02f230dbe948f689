/**
 * Register a patient as the official suite checks it (PatientRegister.feature): the minimum, the
 * Parameters around the Patient, the uses and cardinality of addresses and telecoms, extra names,
 * nhsCommunication, the PDS verification, and the echo of what was sent. The registrations are
 * built in src/actors/provider/registration.ts, one change from a valid one each.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { registerAPatient } from '../src/gpconnect/operations';
import { carriesWhatWasSent } from '../src/rules/provider/register';
import {
  changedRegistration,
  profilePatient,
  registrationParameters,
  registrationPatient,
  withAddresses,
  withTelecoms,
  type AddressUse,
  type Registration,
  type TelecomUse,
} from '../src/actors/provider/registration';
import type { GpcWorld } from '../support/world';

/** The Patient each scenario sent last, for the echo. */
const sentPatients = new WeakMap<GpcWorld, Record<string, unknown>>();

/** The valid registration of the profile's registrable patient, with the demographics of its PDS record. */
function validPatient(world: GpcWorld) {
  const nhsNumber = world.provider.profile.testData.registrablePatient;
  return registrationPatient(nhsNumber, world.spine.patients.find((p) => p.nhsNumber === nhsNumber));
}

async function send(world: GpcWorld, registration: Registration): Promise<void> {
  sentPatients.set(world, registration.patient);
  const operation = registerAPatient(registration.patient);
  // A change outside the Patient (the Parameters themselves) goes as its own body.
  if (JSON.stringify(registration.parameters) === JSON.stringify(operation.body)) await world.provider.register(world.provider.profile.testData.registrablePatient, registration.patient);
  else await world.provider.ask({ ...operation, body: registration.parameters });
}

Given('a provider that holds no registration of the registrable patient when the scenario starts', async function (this: GpcWorld) {
  if (this.provider.profile.builtIn) return;
  await this.attach(
    'Skipped: this scenario registers testData.registrablePatient, which the built-in reference provider forgets before each scenario; a supplier provider is not reset between scenarios.',
    'text/plain',
  );
  return 'skipped';
});

When('the consumer registers the patient the practice does not yet hold {string}', function (this: GpcWorld, change: string) {
  return send(this, changedRegistration(validPatient(this), change));
});

When('the consumer registers the patient the practice does not yet hold with telecoms {string} and {string}', function (this: GpcWorld, use1: string, use2: string) {
  return send(this, withTelecoms(validPatient(this), [use1 as TelecomUse, use2 as TelecomUse]));
});

When('the consumer registers the patient the practice does not yet hold with addresses of use {string}', function (this: GpcWorld, uses: string) {
  return send(this, withAddresses(validPatient(this), uses.split(' and ') as AddressUse[]));
});

When('the consumer registers the same patient again', async function (this: GpcWorld) {
  const patient = validPatient(this);
  await send(this, { parameters: registrationParameters(patient), patient });
});

When('the consumer registers a patient whose NHS number PDS holds as superseded', async function (this: GpcWorld) {
  const nhsNumber = profilePatient(this.provider.profile, 'supersededPatient');
  if (!nhsNumber) {
    await this.attach('Skipped: the profile gives no testData.supersededPatient; add one to run this check.', 'text/plain');
    return 'skipped';
  }
  await this.provider.register(nhsNumber, registrationPatient(nhsNumber, this.spine.patients.find((p) => p.nhsNumber === nhsNumber)));
});

Then('the registered Patient carries the demographics sent', function (this: GpcWorld) {
  const sent = sentPatients.get(this);
  if (!sent) throw new Error('no registration was sent in this scenario');
  this.judge('PROV-REGISTER-ECHO', carriesWhatWasSent(this.provider.answer, sent));
});
