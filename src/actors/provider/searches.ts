/**
 * Search for an organisation and Search for a practitioner as a consumer does them
 * (foundations_use_case_find_an_organisation.md, _find_a_practitioner.md): by a business identifier
 * it already knows, never one it guessed. The ODS code is the practice's own, the one the consumer
 * resolved the provider's endpoint by in SDS (the profile's `ods`); the SDS user id is that of a
 * Practitioner a slot search includes (Schedule:actor:Practitioner), as a consumer showing a slot
 * knows it. The answers are judged in src/rules/provider/searches.ts.
 */
import assert from 'node:assert/strict';
import { ALL_SLOT_RECURSE_INCLUDES, searchForFreeSlots, slotWindow } from '../../gpconnect/operations';
import {
  parseQueryParameters,
  searchByIdentifier,
  searchWithQuery,
  SEARCH_SYSTEM,
  type SearchableType,
} from '../../gpconnect/operations-searches';
import { resourcesOf, type ProviderAnswer } from '../../rules/provider';
import type { ProviderScenario } from './provider-scenario';
import type { ProviderUnderTest } from './provider-under-test';

/** What a scenario searched for: the resource type and the identifier value (under the type's system). */
export interface SearchAsked {
  type: SearchableType;
  value: string;
}

/** The last search of each scenario (kept here, beside the scenario, rather than in its state). */
const asked = new WeakMap<ProviderScenario, SearchAsked>();

/** The search the scenario last made; a Then step before any When says so. */
export function lastSearch(scenario: ProviderScenario): SearchAsked {
  const search = asked.get(scenario);
  if (!search) throw new Error('no Organization or Practitioner search has been made in this scenario (a When step is missing)');
  return search;
}

/**
 * The identifier value the consumer knows for `type`: the practice's ODS code, or the SDS user id of
 * the first Practitioner a slot search over the next week includes. A provider whose slot search
 * gives none fails here with why (that search's own scenarios judge it).
 */
export async function knownIdentifierOf(provider: ProviderUnderTest, type: SearchableType): Promise<string> {
  if (type === 'Organization') return provider.ods;
  const search = await provider.ask(searchForFreeSlots({ window: slotWindow(1, 8), recurse: ALL_SLOT_RECURSE_INCLUDES }));
  const sdsUserId = resourcesOf(search.body, 'Practitioner')
    .flatMap((p) => (Array.isArray(p.identifier) ? p.identifier : []))
    .find((i) => i?.system === SEARCH_SYSTEM.Practitioner && typeof i.value === 'string' && i.value !== '')?.value as string | undefined;
  assert.ok(sdsUserId, `a slot search over the next week included no Practitioner with an ${SEARCH_SYSTEM.Practitioner} identifier (${search.asked} answered ${search.response.status}), so there is no practitioner to search for`);
  return sdsUserId;
}

/** Search for the `type` the consumer knows (the practice's ODS code, a slot's practitioner). */
export async function searchKnown(scenario: ProviderScenario, type: SearchableType): Promise<ProviderAnswer> {
  return searchFor(scenario, type, await knownIdentifierOf(scenario.underTest, type));
}

/** Search for `type` by the identifier value given, under the system the search guarantees. */
export function searchFor(scenario: ProviderScenario, type: SearchableType, value: string): Promise<ProviderAnswer> {
  asked.set(scenario, { type, value });
  return scenario.ask(searchByIdentifier(type, value));
}

/**
 * Search for `type` with the query a feature writes (readable, unencoded: `identifier={system}|{value}&_count=1`),
 * `{system}` standing for the search's identifier system and `{value}` for the identifier the consumer knows.
 */
export async function searchWithParameters(scenario: ProviderScenario, type: SearchableType, written: string): Promise<ProviderAnswer> {
  const value = written.includes('{value}') ? await knownIdentifierOf(scenario.underTest, type) : '';
  asked.set(scenario, { type, value });
  const query = parseQueryParameters(written.replaceAll('{system}', SEARCH_SYSTEM[type]).replaceAll('{value}', value));
  return scenario.ask(searchWithQuery(type, query));
}
