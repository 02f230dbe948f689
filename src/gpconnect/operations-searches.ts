/**
 * Search for an organisation and Search for a practitioner as they go on the wire
 * (foundations_use_case_find_an_organisation.md, _find_a_practitioner.md, 1.2.9):
 * `GET /Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|[ODS code]` and
 * `GET /Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|[SDS user id]`. A negative test
 * makes its variant by a named change (withQueryParameters), never by writing a path by hand.
 */
import { Interaction, SEARCH_IDENTIFIER_PARAMETER, System } from './constants';
import type { GpcOperation, QueryParameter } from './operations';

/** The two business-identifier searches of Foundations, by the resource they find. */
export const SEARCHABLE_TYPES = ['Organization', 'Practitioner'] as const;
export type SearchableType = (typeof SEARCHABLE_TYPES)[number];

export function searchableType(name: string): SearchableType {
  const type = SEARCHABLE_TYPES.find((t) => t === name);
  if (!type) throw new Error(`"${name}" is not a resource Foundations searches by business identifier (${SEARCHABLE_TYPES.join(', ')})`);
  return type;
}

/** The identifier system each search guarantees (the pages' "GP Connect can only guarantee a successful response for searches using …"). */
export const SEARCH_SYSTEM: Readonly<Record<SearchableType, string>> = {
  Organization: System.odsOrganizationCode,
  Practitioner: System.sdsUserId,
};

/** Search for an organisation by ODS code: `GET /Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|{ods}`. */
export function searchForAnOrganisation(ods: string): GpcOperation {
  return searchWithQuery('Organization', [[SEARCH_IDENTIFIER_PARAMETER, `${System.odsOrganizationCode}|${ods}`]]);
}

/** Search for a practitioner by SDS user id: `GET /Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|{id}`. */
export function searchForAPractitioner(sdsUserId: string): GpcOperation {
  return searchWithQuery('Practitioner', [[SEARCH_IDENTIFIER_PARAMETER, `${System.sdsUserId}|${sdsUserId}`]]);
}

/** The search of `type` by its guaranteed identifier system. */
export function searchByIdentifier(type: SearchableType, value: string): GpcOperation {
  return type === 'Organization' ? searchForAnOrganisation(value) : searchForAPractitioner(value);
}

/**
 * The search of `type` with the query parameters given, in order, each value percent-encoded when
 * sent: none at all, a blank system or value, `Identifier` in the wrong case, `_count`, `_format`.
 */
export function searchWithQuery(type: SearchableType, query: readonly QueryParameter[]): GpcOperation {
  return type === 'Organization'
    ? { name: 'Search for an organisation', interaction: Interaction.searchOrganization, method: 'GET', path: '/Organization', query }
    : { name: 'Search for a practitioner', interaction: Interaction.searchPractitioner, method: 'GET', path: '/Practitioner', query };
}

/**
 * Query parameters as a feature writes them, readable and unencoded: `identifier=[system]|[value]&_count=1`.
 * Each `&`-separated part is a name, `=`, and a value (which may itself hold `=` or be empty); an empty text is no parameter.
 */
export function parseQueryParameters(text: string): QueryParameter[] {
  if (text.trim() === '') return [];
  return text.split('&').map((part): QueryParameter => {
    const at = part.indexOf('=');
    return at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
  });
}
