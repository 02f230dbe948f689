/**
 * Provider conformance for Search for free slots: the edge cases (gpconnect-spec.md §5.3;
 * appointments_use_case_search_for_free_slots "Payload response body"): raw bound values, both
 * bounds as date-times, what the Bundle may hold beside the Slots, and how it writes times.
 */
import { Then, When } from '@cucumber/cucumber';
import { searchForFreeSlots, slotWindow, withQueryParameter } from '../src/gpconnect/operations';
import { actorNotIncluded, locationsManaged, onlyAssociated, slotTypesDescribed, ukLocalTimes } from '../src/rules/provider';
import { slotSearchWithBothBounds } from '../src/actors/provider/booking';
import type { GpcWorld } from '../support/world';

When('the consumer searches for free slots from {int} to {int} days ahead with the {word} parameter set to {string}', async function (this: GpcWorld, from: number, to: number, name: string, value: string) {
  const search = { window: slotWindow(from, to) };
  await this.provider.searchSlots(search, withQueryParameter(searchForFreeSlots(search), name, value));
});

When('the consumer searches for free slots from {int} to {int} days ahead with both bounds written as {string}', async function (this: GpcWorld, from: number, to: number, form: string) {
  const { search, operation } = slotSearchWithBothBounds(form, from, to);
  await this.provider.searchSlots(search, operation);
});

When('the consumer searches for the same slots with search filters naming the organisation type {string} and the ODS code {string}', async function (this: GpcWorld, type: string, ods: string) {
  await this.provider.searchSlots({ ...this.provider.lastSlotSearch, bookingOrganisation: { ods: ods || undefined, type: type || undefined } });
});

Then('the Bundle has no {word}', function (this: GpcWorld, type: string) {
  this.judgeScenario(actorNotIncluded(this.provider.answer, type));
});

Then('the Bundle holds only resources associated with the Slots offered', function (this: GpcWorld) {
  this.judge('PROV-SLOTS-ASSOCIATED', onlyAssociated(this.provider.answer));
});

Then('every Location returned names its managing organisation, which the Bundle includes', function (this: GpcWorld) {
  this.judge('PROV-SLOTS-LOCATION-ORG', locationsManaged(this.provider.answer));
});

Then('every slot and planning horizon time is UK local time with the offset right for its date', function (this: GpcWorld) {
  this.judge('PROV-SLOTS-LOCAL-TIME', ukLocalTimes(this.provider.answer));
});

Then('every Slot offered describes its slot type', function (this: GpcWorld) {
  this.judge('PROV-SLOTS-SERVICE-TYPE', slotTypesDescribed(this.provider.answer));
});
