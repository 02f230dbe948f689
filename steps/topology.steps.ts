import { Given, Then, When } from '@cucumber/cucumber';
import { need } from '../src/actors/scenario-state';
import type { TopologyKind } from '../src/spine/directory/model';
import { everyTopology, ownAsids, refusals, refusedNaming, sharePartyKey } from '../src/rules/topology/directory';
import { asidGiven, endpointGiven, noEndpoint } from '../src/rules/topology/sds';
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
  for (const [rule, findings] of refusals(this.topology.loaded, this.requirements)) this.judge(rule, findings);
  this.judgeScenario(everyTopology(this.topology.loaded, DESIGN_TOPOLOGIES));
});

Then('loading fails naming {string} and rule {string}', function (this: GpcWorld, entry: string, rule: string) {
  this.judge(rule, refusedNaming(this.topology.loaded, entry, rule));
});

Then('the systems of topology {string} share party key {string}', function (this: GpcWorld, id: string, partyKey: string) {
  this.judge('SDS-2.3-SHARED-PARTY-KEY', sharePartyKey(this.spine.directory, id, partyKey));
  this.topology.systems = need(this.spine.directory.topology(id), `topology ${id}`).systems;
});

Then('each of them has its own ASID', function (this: GpcWorld) {
  if (this.topology.systems.length < 2) throw new Error('the topology has a single system: there is nothing to share');
  this.judge('SDS-1.1-UNIQUE-ASID', ownAsids(this.spine.directory, this.topology.systems));
});

When('SDS is asked for the GP Connect endpoint of organisation {string}', async function (this: GpcWorld, ods: string) {
  await this.topology.askSds(ods);
});

Then('SDS returns no endpoint', function (this: GpcWorld) {
  this.judge('SDS-2.2-CONSUMER-MHS-INTERACTIONS', noEndpoint(this.topology.sdsAnswer));
});

Then('SDS returns the service root {string} with party key {string}', function (this: GpcWorld, root: string, partyKey: string) {
  this.judge('SDS-ENDPOINT-LOOKUP', endpointGiven(this.topology.sdsAnswer, root, partyKey));
});

Then('SDS returns the ASID {string} for that party key', function (this: GpcWorld, asid: string) {
  this.judge('SDS-DEVICE-LOOKUP', asidGiven(this.topology.sdsAnswer, asid));
});
