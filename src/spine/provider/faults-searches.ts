/**
 * Reference-provider faults for Search for an organisation and Search for a practitioner
 * (foundations_use_case_find_an_organisation.md, _find_a_practitioner.md): each breaks one catalogue
 * requirement, and features/provider/search-for-an-organisation.feature or
 * search-for-a-practitioner.feature must fail (or, for a SHOULD or an exact code, warn) naming it
 * (see faults.ts for how they are used and proven).
 */
import { GpcProfile, Header, SEARCH_IDENTIFIER_PARAMETER, SpineError } from '../../gpconnect/constants';
import type { SearchableType } from '../../gpconnect/operations-searches';
import { faultOutcome, rewriteJson, type FaultDefinition, type FaultInput, type Json } from './fault-kit';
import { jsonOf } from '../../gpconnect/whole-bodies';

const isSearchOf = (type: SearchableType) => ({ request, url }: FaultInput) => request.method === 'GET' && url.pathname.endsWith(`/${type}`);

const withoutLength = (response: Response) => {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return headers;
};

const emptySearchset = (response: Response) =>
  new Response(JSON.stringify({ resourceType: 'Bundle', meta: { profile: [GpcProfile.searchsetBundle] }, type: 'searchset' }), { status: 200, headers: withoutLength(response) });

/** Each `type` in a successful search's Bundle, changed in place. */
function eachFound(type: SearchableType, change: (resource: Json) => void) {
  return async (input: FaultInput): Promise<Response> => {
    if (!isSearchOf(type)(input) || input.response.status !== 200) return input.response;
    return rewriteJson(input.response, (bundle) => {
      const found = (bundle.entry ?? []).map((e: Json) => e?.resource).filter((r: Json) => r?.resourceType === type);
      found.forEach(change);
      return found.length > 0 ? bundle : undefined;
    });
  };
}

/** A successful search's Bundle emptied. */
function findsNothing(type: SearchableType) {
  return async (input: FaultInput): Promise<Response> => (isSearchOf(type)(input) && input.response.status === 200 ? emptySearchset(input.response) : input.response);
}

/** A search that found nothing answered 404 with the error table's code instead of the empty Bundle. */
function noneAsNotFound(type: SearchableType, code: string) {
  return async (input: FaultInput): Promise<Response> => {
    if (!isSearchOf(type)(input) || input.response.status !== 200) return input.response;
    const body = (await jsonOf(input.response)) as Json;
    if ((body.entry ?? []).some((e: Json) => e?.resource?.resourceType === type)) return input.response;
    return new Response(JSON.stringify(faultOutcome('not-found', code, `no ${type} has the identifier asked for`)), { status: 404, headers: withoutLength(input.response) });
  };
}

/** A search the conformant provider refused, when `when` holds, answered 200 with an empty Bundle instead. */
function answeredAnyway(type: SearchableType, when: (input: FaultInput) => boolean) {
  return async (input: FaultInput): Promise<Response> => (isSearchOf(type)(input) && input.response.status >= 400 && input.response.status < 500 && when(input) ? emptySearchset(input.response) : input.response);
}

const identifierValues = ({ url }: FaultInput) => url.searchParams.getAll(SEARCH_IDENTIFIER_PARAMETER);

export const SEARCH_FAULTS = {
  'organisation-search-finds-nothing': {
    breaks: 'PROV-SEARCH-ORGANISATION',
    what: "answers a search for the practice's own ODS code with an empty Bundle (matches on another identifier, or not at all)",
    apply: findsNothing('Organization'),
  },
  'organisation-search-without-version': {
    breaks: 'PROV-SEARCH-ORGANISATION-FIELDS',
    what: 'returns the Organization found without meta.versionId',
    apply: eachFound('Organization', (r) => {
      if (r.meta) delete r.meta.versionId;
    }),
  },
  'organisation-search-with-contact': {
    breaks: 'PROV-SEARCH-ORGANISATION-NOT-IN-USE',
    what: "returns the Organization found with a contact (the practice manager), which the page says SHALL NOT be populated",
    apply: eachFound('Organization', (r) => {
      r.contact = [{ name: { text: 'Practice Manager' }, telecom: [{ system: 'phone', value: '01632 960000', use: 'work' }] }];
    }),
  },
  'organisation-search-unknown-as-not-found': {
    breaks: 'PROV-SEARCH-ORGANISATION-NONE',
    what: 'answers a search for an ODS code it does not hold 404 ORGANISATION_NOT_FOUND instead of an empty Bundle',
    apply: noneAsNotFound('Organization', SpineError.organisationNotFound),
  },
  'organisation-search-ignores-blank-value': {
    breaks: 'PROV-SEARCH-ORGANISATION-PARAMETERS',
    what: 'answers an organisation search whose identifier has a blank system or value 200 with an empty Bundle instead of refusing it',
    apply: answeredAnyway('Organization', (input) => identifierValues(input).some((v) => /^\s*\||\|\s*$/.test(v))),
  },
  'practitioner-search-finds-nothing': {
    breaks: 'PROV-SEARCH-PRACTITIONER',
    what: 'answers a search for a practitioner it holds with an empty Bundle',
    apply: findsNothing('Practitioner'),
  },
  'practitioner-search-without-name': {
    breaks: 'PROV-SEARCH-PRACTITIONER-FIELDS',
    what: 'returns the Practitioner found without its name',
    apply: eachFound('Practitioner', (r) => {
      delete r.name;
    }),
  },
  'practitioner-search-with-birth-date': {
    breaks: 'PROV-SEARCH-PRACTITIONER-NOT-IN-USE',
    what: "returns the Practitioner found with its birthDate, which the page says SHALL NOT be populated",
    apply: eachFound('Practitioner', (r) => {
      r.birthDate = '1970-01-01';
    }),
  },
  'practitioner-search-unknown-as-not-found': {
    breaks: 'PROV-SEARCH-PRACTITIONER-NONE',
    what: 'answers a search for an SDS user id it does not hold 404 PRACTITIONER_NOT_FOUND instead of an empty Bundle',
    apply: noneAsNotFound('Practitioner', SpineError.practitionerNotFound),
  },
  'practitioner-search-answers-wrong-case-identifier': {
    breaks: 'PROV-SEARCH-PRACTITIONER-PARAMETERS',
    what: 'answers a practitioner search whose only parameter is Identifier (the wrong case) 200 with an empty Bundle, as a search without a filter it knows, instead of refusing it',
    apply: answeredAnyway('Practitioner', ({ url }) => url.searchParams.has('Identifier')),
  },
  'practitioner-search-reads-first-identifier': {
    breaks: 'PROV-SEARCH-PRACTITIONER-REPEATED',
    what: 'answers a practitioner search with the identifier parameter twice 200 with an empty Bundle instead of refusing it',
    apply: answeredAnyway('Practitioner', (input) => identifierValues(input).length > 1),
  },
  'searches-refuse-count': {
    breaks: 'PROV-SEARCH-COUNT-SORT',
    what: 'refuses an organisation or practitioner search with _count 400 BAD_REQUEST instead of ignoring it',
    apply: async (input: FaultInput): Promise<Response> => {
      if (!(isSearchOf('Organization')(input) || isSearchOf('Practitioner')(input)) || input.response.status !== 200 || !input.url.searchParams.has('_count')) return input.response;
      const headers = withoutLength(input.response);
      headers.set(Header.cacheControl, 'no-store');
      return new Response(JSON.stringify(faultOutcome('not-supported', SpineError.badRequest, '_count is not supported')), { status: 400, headers });
    },
  },
} as const satisfies Record<string, FaultDefinition>;
