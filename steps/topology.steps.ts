import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { need } from '../src/actors/scenario-state';
import type { TopologyKind } from '../src/spine/directory/model';
import type { GpcWorld } from '../support/world';

const DESIGN_TOPOLOGIES: TopologyKind[] = [
  'consumer-single-system',
  'consumer-shared-mhs',
  'consumer-separate-mhs',
  'consumer-supplier-hosted',
  'consumer-integration-engine',
  'consumer-regional-portal',
  'provider-single-practice',
  'provider-datacentre-hosted',
];

Given('the default topology', function (this: GpcWorld) {
  this.topology.startFromDefault();
});

const draft = (world: GpcWorld) => world.topology.draft;

Given('the system at {string} has the ASID of the system at {string}', function (this: GpcWorld, target: string, source: string) {
  draft(this).giveAsidOf(target, source);
});
Given('practice {string} has a second provider system with ASID {string}', function (this: GpcWorld, ods: string, asid: string) {
  draft(this).addProvider(ods, asid);
});
Given('the consumer with ASID {string} is registered as a CMA endpoint', function (this: GpcWorld, asid: string) {
  draft(this).registerAsCma(asid);
});
Given('the topology allows consumer CMA endpoints', function (this: GpcWorld) {
  draft(this).allowConsumerCma();
});
Given('the MHS record {string} carries the interaction {string}', function (this: GpcWorld, partyKey: string, interaction: string) {
  draft(this).addMhsInteraction(partyKey, interaction);
});
Given('the CMA endpoint of the provider with ASID {string} is removed', function (this: GpcWorld, asid: string) {
  draft(this).removeCma(asid);
});
Given('the provider with ASID {string} uses party key {string}', function (this: GpcWorld, asid: string, partyKey: string) {
  draft(this).setPartyKey(asid, partyKey);
});
Given('the provider with ASID {string} also receives {string} on its AS record only', function (this: GpcWorld, asid: string, interaction: string) {
  draft(this).addReceivedInteraction(asid, interaction);
});
Given('the MHS record {string} has the address {string}', function (this: GpcWorld, partyKey: string, address: string) {
  draft(this).setAddress(partyKey, address);
});
Given('the system with ASID {string} belongs to organisation {string}', function (this: GpcWorld, asid: string, ods: string) {
  draft(this).setOrganisation(asid, ods);
});

When('the topology is loaded', function (this: GpcWorld) {
  this.topology.load();
});

Then('it loads with every topology of the design', function (this: GpcWorld) {
  const loaded = this.topology.loaded;
  assert.ok(loaded.directory, `the topology was refused: ${loaded.error?.message}`);
  const kinds = new Set(loaded.directory.data.topologies.map((t) => t.kind));
  for (const kind of DESIGN_TOPOLOGIES) assert.ok(kinds.has(kind), `the topology has no ${kind}`);
});

Then('loading fails naming {string} and rule {string}', function (this: GpcWorld, entry: string, rule: string) {
  const loaded = this.topology.loaded;
  assert.ok(loaded.error, `${rule}: the directory accepted a topology that breaks it`);
  const hit = loaded.error.problems.find((p) => p.rule === rule && p.entry.includes(entry));
  assert.ok(hit, `${rule}: expected a problem naming "${entry}", got:\n${loaded.error.message}`);
  assert.ok(loaded.error.message.includes(entry) && loaded.error.message.includes(rule), 'the error message does not name the entry and the rule');
});

Then('the systems of topology {string} share party key {string}', function (this: GpcWorld, id: string, partyKey: string) {
  const topology = need(this.spine.directory.topology(id), `topology ${id}`);
  for (const asid of topology.systems) assert.equal(this.spine.directory.systemByAsid(asid)?.partyKey, partyKey, `SDS-2.3: ${asid} is not behind ${partyKey}`);
  this.topology.systems = topology.systems;
});

Then('each of them has its own ASID', function (this: GpcWorld) {
  const systems = this.topology.systems.map((asid) => need(this.spine.directory.systemByAsid(asid), `system ${asid}`));
  const organisations = systems.map((s) => s.organisation);
  assert.ok(systems.length > 1, 'the topology has a single system');
  assert.equal(new Set(organisations).size, organisations.length, `SDS-1.1: one organisation has two of these systems: ${organisations.join(', ')}`);
  const sameAsid = this.spine.directory.data.systems.filter((s) => systems.some((t) => t.asid === s.asid));
  assert.equal(sameAsid.length, systems.length, 'SDS-1.1: an ASID of the topology is registered twice');
});

When('SDS is asked for the GP Connect endpoint of organisation {string}', async function (this: GpcWorld, ods: string) {
  await this.topology.askSds(ods);
});

Then('SDS returns no endpoint', function (this: GpcWorld) {
  const answer = this.topology.sdsAnswer;
  assert.ok(answer.error, `SDS-2.2: SDS offered a consumer as a GP Connect endpoint: ${JSON.stringify(answer.provider)}`);
  assert.match(answer.error.message, /has no GP Connect endpoint/);
});

Then('SDS returns the service root {string} with party key {string}', function (this: GpcWorld, root: string, partyKey: string) {
  const { provider, error } = this.topology.sdsAnswer;
  assert.ok(provider, `SDS-ENDPOINT-LOOKUP: ${error?.message}`);
  assert.equal(provider.serviceRoot, root, 'SDS-ENDPOINT-LOOKUP: another service root');
  assert.equal(provider.partyKey, partyKey, 'SDS-ENDPOINT-LOOKUP: another party key');
});

Then('SDS returns the ASID {string} for that party key', function (this: GpcWorld, asid: string) {
  assert.equal(this.topology.sdsAnswer.provider?.asid, asid, 'SDS-DEVICE-LOOKUP: another ASID');
});
