/**
 * The judges of Search for an organisation and Search for a practitioner
 * (foundations_use_case_find_an_organisation.md, _find_a_practitioner.md, 1.2.9): 200 with a
 * searchset Bundle of the matching resources, each valid against its CareConnect-GPC profile and
 * populated as the page's "Payload response body" lists; none for an identifier the practice does not
 * hold. Refusals (a missing, blank or misnamed identifier) are judged in refusals.ts.
 */
import { GpcProfile } from '../../gpconnect/constants';
import { SEARCH_SYSTEM, type SearchableType } from '../../gpconnect/operations-searches';
import { validateResource } from '../../fhir/validate';
import { resourcesOf, seen, type Json, type ProviderAnswer } from './answer';

const PROFILE: Readonly<Record<SearchableType, string>> = {
  Organization: GpcProfile.organization,
  Practitioner: GpcProfile.practitioner,
};

/** The fields each page says "SHALL NOT populate". */
const NOT_IN_USE: Readonly<Record<SearchableType, readonly string[]>> = {
  Organization: ['contact', 'endpoint'],
  Practitioner: ['telecom', 'address', 'birthDate', 'photo', 'qualification'],
};

const identifiersOf = (resource: Json): Json[] => (Array.isArray(resource.identifier) ? resource.identifier.filter((i: unknown) => i && typeof i === 'object') : []);
const carries = (resource: Json, system: string, value: string) => identifiersOf(resource).some((i) => i.system === system && i.value === value);
const named = (r: Json) => `${r.resourceType}/${String(r.id)}`;

/** 200 with a Bundle of type searchset; the findings when it is not. */
function searchsetFindings(answer: ProviderAnswer, type: SearchableType): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200 with a searchset Bundle of ${type} resources`];
  const body = answer.body;
  if (body?.resourceType !== 'Bundle') return [`${answer.asked} answered 200 with ${body?.resourceType ?? 'a body that is not JSON'}, not a Bundle`];
  if (body.type !== 'searchset') return [`the Bundle answering ${answer.asked} has type ${JSON.stringify(body.type)}, not searchset`];
  return [];
}

/**
 * The Bundle holds the `type` resources matching the identifier searched for, at least one, each
 * carrying that identifier and valid against the type's GP Connect profile, and nothing else but an
 * OperationOutcome (FHIR's search outcome).
 */
export function searchFinds(answer: ProviderAnswer, type: SearchableType, value: string): string[] {
  const wrong = searchsetFindings(answer, type);
  if (wrong.length > 0) return wrong;
  const system = SEARCH_SYSTEM[type];
  const entries: Json[] = Array.isArray(answer.body!.entry) ? answer.body!.entry : [];
  const findings: string[] = [];
  entries.forEach((e, i) => {
    const type_ = e?.resource?.resourceType;
    if (type_ !== type && type_ !== 'OperationOutcome') findings.push(`the Bundle answering ${answer.asked} holds at entry[${i}] ${type_ ? `a ${type_}` : 'no resource'}, not only the ${type} resources that match`);
  });
  const found = resourcesOf(answer.body, type);
  if (found.length === 0) findings.push(`the Bundle answering ${answer.asked} holds no ${type}; expected the one with the identifier ${system}|${value}`);
  for (const r of found) {
    if (!carries(r, system, value)) findings.push(`${named(r)} in the Bundle answering ${answer.asked} does not carry the identifier ${system}|${value} searched for, so it does not match`);
    for (const issue of validateResource(r, PROFILE[type])) findings.push(`${named(r)} in the Bundle answering ${answer.asked} is not a valid ${PROFILE[type].split('/').pop()}: ${issue.path}: ${issue.message}`);
  }
  return findings;
}

/** An identifier the practice does not hold: 200, a searchset Bundle, no `type` in it. */
export function searchFindsNone(answer: ProviderAnswer, type: SearchableType, value: string): string[] {
  const wrong = searchsetFindings(answer, type);
  if (wrong.length > 0) return wrong;
  const found = resourcesOf(answer.body, type);
  return found.length === 0 ? [] : [`the Bundle answering ${answer.asked} holds ${found.map(named).join(', ')}, though no ${type} has the identifier ${SEARCH_SYSTEM[type]}|${value}`];
}

/**
 * Every `type` found is populated as the page lists: meta.profile with the profile URI, meta.versionId,
 * the identifier searched for (an Organization at most one ODS code: the profile's odsOrganizationCode
 * slice is 0..1), and a name.
 */
export function searchFieldsPopulated(answer: ProviderAnswer, type: SearchableType, value: string): string[] {
  const found = resourcesOf(answer.body, type);
  if (found.length === 0) return [`${answer.asked} answered ${seen(answer)} with no ${type} whose fields could be judged`];
  const system = SEARCH_SYSTEM[type];
  const findings: string[] = [];
  for (const r of found) {
    const profiles: unknown[] = Array.isArray(r.meta?.profile) ? r.meta.profile : [];
    if (!profiles.includes(PROFILE[type])) findings.push(`${named(r)} found has meta.profile ${JSON.stringify(r.meta?.profile)}, without ${PROFILE[type]}`);
    if (typeof r.meta?.versionId !== 'string' || r.meta.versionId === '') findings.push(`${named(r)} found has no meta.versionId (its current version)`);
    if (!carries(r, system, value)) findings.push(`${named(r)} found does not carry its business identifier ${system}|${value}`);
    const same = identifiersOf(r).filter((i) => i.system === system).length;
    if (type === 'Organization' && same > 1) findings.push(`${named(r)} found carries ${same} identifiers with the system ${system}; the profile allows one`);
    const hasName = type === 'Organization' ? typeof r.name === 'string' && r.name.trim() !== '' : Array.isArray(r.name) && r.name.some((n: Json) => n && (n.family || n.text || n.given?.length));
    if (!hasName) findings.push(`${named(r)} found has no name`);
  }
  return findings;
}

/** No `type` found populates a field the page says SHALL NOT be populated. */
export function searchFieldsNotInUse(answer: ProviderAnswer, type: SearchableType): string[] {
  const found = resourcesOf(answer.body, type);
  if (found.length === 0) return [`${answer.asked} answered ${seen(answer)} with no ${type} whose fields could be judged`];
  return found.flatMap((r) => NOT_IN_USE[type].filter((field) => r[field] !== undefined).map((field) => `${named(r)} found populates ${field}, which the page says SHALL NOT be populated`));
}
