/**
 * The bare baseline's steps: the step text of bench/overhead-feature.ts, each interaction made with
 * plain fetch as a consumer would (SDS Endpoint and Device look-ups, then the request through the
 * SSP with the same Ssp-* headers and JWT the harness sends; src/actors/provider/ssp-exchange.ts
 * prepareRequest), and plain assertions.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { Interaction, System } from '../../src/gpconnect/constants';
import { jwtClaims } from '../../src/actors/provider/requests';
import { getCapabilityStatement, relativeTarget, searchForFreeSlots, slotWindow, type GpcOperation } from '../../src/gpconnect/operations';
import { encodeUnsecuredJwt } from '../../src/gpconnect/jwt';
import { spine, type BareWorld } from './world';

const PRACTICE = 'A20047';
const FROM_ASID = '200000000359';
const PARTY = { ods: 'UCC01', organisationName: 'Riverside Urgent Care Centre', practitionerId: 'gpc-conform-user-1' };
const enc = encodeURIComponent;
const idOf = (resource: any, system: string) => resource?.identifier?.find((i: any) => i.system === system)?.value;

async function sdsGet(query: string): Promise<any[]> {
  const res = await fetch(`${spine.urls.sds}/${query}`, { headers: { apikey: 'gpc-conform', accept: 'application/fhir+json' } });
  assert.equal(res.status, 200);
  return ((await res.json()).entry ?? []).map((e: any) => e.resource);
}

async function ask(world: BareWorld, operation: GpcOperation): Promise<void> {
  const interaction = operation.interaction;
  const org = enc(`${System.odsOrganizationCode}|${PRACTICE}`);
  const svc = enc(`${System.interactionId}|${Interaction.readMetadata}`);
  const [endpoint] = await sdsGet(`Endpoint?organization=${org}&identifier=${svc}`);
  const partyKey = idOf(endpoint, System.partyKey);
  const devices = await sdsGet(`Device?organization=${org}&identifier=${svc}&identifier=${enc(`${System.partyKey}|${partyKey}`)}`);
  const serviceRoot: string = endpoint.address;
  const res = await fetch(`${spine.urls.ssp}/${serviceRoot}${relativeTarget(operation)}`, {
    headers: {
      'Ssp-TraceID': randomUUID(),
      'Ssp-From': FROM_ASID,
      'Ssp-To': idOf(devices[0], System.asid),
      'Ssp-InteractionID': interaction,
      Authorization: `Bearer ${encodeUnsecuredJwt(jwtClaims(PARTY, serviceRoot, interaction))}`,
      Accept: 'application/fhir+json',
    },
  });
  world.status = res.status;
  world.headers = res.headers;
  world.body = await res.json();
}

Given('the provider under test is reachable', function () {
  assert.ok(spine.urls.providers[PRACTICE]);
});

When('the consumer asks for the capability statement', async function (this: BareWorld) {
  await ask(this, getCapabilityStatement());
});

When('the consumer searches for free slots from {int} to {int} days ahead', async function (this: BareWorld, from: number, to: number) {
  this.window = slotWindow(from, to);
  await ask(this, searchForFreeSlots({ window: this.window }));
});

Then('the provider answers with status {int}', function (this: BareWorld, status: number) {
  assert.equal(this.status, status);
});

Then('the answer is a valid {string} resource', function (this: BareWorld, what: string) {
  assert.equal(this.body.resourceType, what === 'CapabilityStatement' ? 'CapabilityStatement' : 'Bundle');
});

Then('the capability statement declares FHIR version {string}', function (this: BareWorld, version: string) {
  assert.equal(this.body.fhirVersion, version);
});

Then('the answer carries Cache-Control with the no-store directive', function (this: BareWorld) {
  assert.match(this.headers?.get('Cache-Control') ?? '', /(^|,)\s*no-store\s*(,|$)/);
});

Then('every Slot offered is free and inside the window', function (this: BareWorld) {
  const slots = this.body.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === 'Slot');
  assert.ok(slots.length > 0);
  for (const slot of slots) {
    assert.equal(slot.status, 'free');
    assert.ok(slot.start.slice(0, 10) >= this.window!.start && slot.end.slice(0, 10) <= this.window!.end);
  }
});

Then('the Bundle includes the Organization', function (this: BareWorld) {
  assert.ok(this.body.entry.some((e: any) => e.resource.resourceType === 'Organization'));
});
