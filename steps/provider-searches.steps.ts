/**
 * Search for an organisation and Search for a practitioner (foundations_use_case_find_an_organisation.md,
 * _find_a_practitioner.md). Domain work is in src/actors/provider/searches.ts; the judges are in
 * src/rules/provider/searches.ts. The phrases of steps/provider.steps.ts are used as they are.
 */
import { Then, When } from '@cucumber/cucumber';
import { Header } from '../src/gpconnect/constants';
import { searchByIdentifier, searchableType } from '../src/gpconnect/operations-searches';
import { knownIdentifierOf, lastSearch, searchFor, searchKnown, searchWithParameters } from '../src/actors/provider/searches';
import { searchFieldsNotInUse, searchFieldsPopulated, searchFinds, searchFindsNone } from '../src/rules/provider';
import type { GpcWorld } from '../support/world';

When('the consumer searches for the practice\'s Organization by its ODS code', async function (this: GpcWorld) {
  await searchKnown(this.provider, 'Organization');
});

When('the consumer searches for a Practitioner a slot search included, by its SDS user id', async function (this: GpcWorld) {
  await searchKnown(this.provider, 'Practitioner');
});

When('the consumer searches for the Organization with the ODS code {string}', async function (this: GpcWorld, ods: string) {
  await searchFor(this.provider, 'Organization', ods);
});

When('the consumer searches for the Practitioner with the SDS user id {string}', async function (this: GpcWorld, sdsUserId: string) {
  await searchFor(this.provider, 'Practitioner', sdsUserId);
});

/** `{system}` is the search's identifier system, `{value}` the identifier the consumer knows (src/actors/provider/searches.ts). */
When('the consumer searches for {word} resources with the parameters {string}', async function (this: GpcWorld, type: string, parameters: string) {
  await searchWithParameters(this.provider, searchableType(type), parameters);
});

When('the consumer\'s search for the {word} it knows is sent directly with the interaction ID {string}', async function (this: GpcWorld, type: string, interaction: string) {
  const searched = searchableType(type);
  const operation = searchByIdentifier(searched, await knownIdentifierOf(this.provider.underTest, searched));
  await this.provider.askDirectly(operation, { setHeader: [Header.sspInteractionId, interaction] });
});

Then('the Bundle holds the {word} searched for, valid against its profile', function (this: GpcWorld, type: string) {
  const { value } = lastSearch(this.provider);
  this.judgeScenario(searchFinds(this.provider.answer, searchableType(type), value));
});

Then('the Bundle holds no {word}', function (this: GpcWorld, type: string) {
  const { value } = lastSearch(this.provider);
  this.judgeScenario(searchFindsNone(this.provider.answer, searchableType(type), value));
});

Then('the {word} found carries its profile, its version, the identifier searched for and its name', function (this: GpcWorld, type: string) {
  const { value } = lastSearch(this.provider);
  this.judgeScenario(searchFieldsPopulated(this.provider.answer, searchableType(type), value));
});

Then('the {word} found populates none of the fields the page excludes', function (this: GpcWorld, type: string) {
  this.judgeScenario(searchFieldsNotInUse(this.provider.answer, searchableType(type)));
});
