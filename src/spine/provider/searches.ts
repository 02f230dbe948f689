/**
 * Search for an organisation and Search for a practitioner (foundations_use_case_find_an_organisation.md,
 * _find_a_practitioner.md, 1.2.9): `GET [base]/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|X`
 * and `GET [base]/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|X`. The guard has already
 * checked the Ssp-* headers, the JWT and content negotiation; this checks the query and answers.
 *
 * 200 with a searchset Bundle of the matching resources, as the reads give them (the practice's own
 * Organization, its Practitioners); none is not an error ("Failure to find a record with the supplied
 * business identifier is not considered an error condition"). Refusals where the pages name no code
 * are the official tests' (PTEST PractitionerSearch.feature): no identifier, `Identifier` in the wrong
 * case or the identifier twice 400 BAD_REQUEST; a blank system or value 422 INVALID_PARAMETER; a system
 * the search does not know 400 INVALID_IDENTIFIER_SYSTEM (the error page's identity validation row).
 * Other parameters (`_count`, `_sort`) are ignored.
 */
import { GpcProfile, SEARCH_IDENTIFIER_PARAMETER, SpineError } from '../../gpconnect/constants';
import { gpcOutcome } from '../../gpconnect/outcomes';
import { SEARCH_SYSTEM, type SearchableType } from '../../gpconnect/operations-searches';
import type { ProviderContext } from './context';
import { organizationResource, practitionerResource, respond } from './slots';
import { searchset } from './foundations';

type Json = Record<string, unknown>;

const refuse = {
  badRequest: (d: string) => respond(gpcOutcome('invalid', SpineError.badRequest, 'Submitted request is malformed/invalid.', d), 400),
  invalidParameter: (d: string) => respond(gpcOutcome('invalid', SpineError.invalidParameter, 'Submitted parameter is not valid.', d), 422),
  invalidSystem: (d: string) => respond(gpcOutcome('value', SpineError.invalidIdentifierSystem, 'Invalid identifier system', d), 400),
};


/** The identifier value the query asks for, or the refusal of the query. */
function identifierValue(type: SearchableType, url: URL): string | Response {
  const keys = [...url.searchParams.keys()];
  const wrongCase = keys.find((k) => k !== SEARCH_IDENTIFIER_PARAMETER && k.toLowerCase() === SEARCH_IDENTIFIER_PARAMETER);
  if (wrongCase) return refuse.badRequest(`unknown search parameter ${wrongCase} (did you mean ${SEARCH_IDENTIFIER_PARAMETER}?)`);
  const values = url.searchParams.getAll(SEARCH_IDENTIFIER_PARAMETER);
  if (values.length === 0) return refuse.badRequest(`a ${type} search needs the ${SEARCH_IDENTIFIER_PARAMETER} search parameter`);
  if (values.length > 1) return refuse.badRequest(`a ${type} search takes exactly one ${SEARCH_IDENTIFIER_PARAMETER} search parameter`);
  const raw = values[0]!;
  const expected = SEARCH_SYSTEM[type];
  const bar = raw.indexOf('|');
  if (bar < 0) return refuse.invalidParameter(`identifier ${JSON.stringify(raw)} has no system (expected ${expected}|<value>)`);
  const system = raw.slice(0, bar);
  const value = raw.slice(bar + 1);
  if (system.trim() === '') return refuse.invalidParameter('identifier system is blank');
  if (value.trim() === '') return refuse.invalidParameter('identifier value is blank');
  if (system !== expected) return refuse.invalidSystem(`identifier system ${system} is not ${expected}`);
  return value;
}

/** GET [base]/Organization?identifier=…: the practice's own Organization when the ODS code is its own. */
export function searchOrganizations(ctx: ProviderContext, url: URL): Response {
  const value = identifierValue('Organization', url);
  if (value instanceof Response) return value;
  return respond(searchset(value === ctx.state.ods ? [organizationResource(ctx.state)] : []));
}

/** GET [base]/Practitioner?identifier=…: the practice's Practitioners with that SDS user id. */
export function searchPractitioners(ctx: ProviderContext, url: URL): Response {
  const value = identifierValue('Practitioner', url);
  if (value instanceof Response) return value;
  return respond(searchset(ctx.state.practitioners().filter((p) => p.sdsUserId === value).map(practitionerResource)));
}

/** The search a GET path asks for, answered; undefined when the path is neither search. */
export function searchResource(ctx: ProviderContext, method: string, path: string, url: URL): Response | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/Organization') return searchOrganizations(ctx, url);
  if (path === '/Practitioner') return searchPractitioners(ctx, url);
  return undefined;
}
