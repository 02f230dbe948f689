/**
 * Conformant variants of Search for an organisation and Search for a practitioner
 * (foundations_use_case_find_an_organisation.md, _find_a_practitioner.md): choices the pages leave to
 * a supplier, made the other way from the reference provider's (src/spine/provider/searches.ts).
 * Against each, every provider feature must pass (test/system/provider-variant-proof.test.ts);
 * a code the pages leave open may warn.
 */
import { SpineError, System } from '../../gpconnect/constants';
import type { SearchableType } from '../../gpconnect/operations-searches';
import { recode, rewriteJson, type FaultInput, type Json } from './fault-kit';
import type { VariantDefinition } from './variants';

const isSearch = ({ request, url }: FaultInput, types: readonly SearchableType[] = ['Organization', 'Practitioner']) =>
  request.method === 'GET' && types.some((type) => url.pathname.endsWith(`/${type}`));

export const SEARCH_VARIANTS = {
  'searches-as-plain-searchset': {
    latitude: 'answers the organisation and practitioner searches with a plain FHIR searchset Bundle: no meta.profile, and a total',
    source: 'foundations_use_case_find_an_organisation, _find_a_practitioner "Payload response body": "zero or more matching … resources in a `Bundle` of `type` searchset" (no Bundle profile named, unlike Register a patient); FHIR STU3 Bundle.total 0..1',
    apply: async (input: FaultInput): Promise<Response> => {
      if (!isSearch(input) || input.response.status !== 200) return input.response;
      return rewriteJson(input.response, (bundle) => {
        const { meta: _meta, ...rest } = bundle;
        return { ...rest, total: (bundle.entry ?? []).length };
      });
    },
  },
  'practitioner-search-with-role-profiles': {
    latitude: "returns the practitioner's SDS role profile ids beside the SDS user id on each Practitioner found",
    source: 'foundations_use_case_find_a_practitioner: "`identifier` with relevant business identifiers (for example, SDS User Id)"; PTEST PractitionerSearch.feature expects 0, 1 or 2 SDS role profile identifiers',
    apply: async (input: FaultInput): Promise<Response> => {
      if (!isSearch(input, ['Practitioner']) || input.response.status !== 200) return input.response;
      return rewriteJson(input.response, (bundle) => {
        for (const entry of bundle.entry ?? []) {
          const r = entry?.resource as Json | undefined;
          if (r?.resourceType !== 'Practitioner') continue;
          r.identifier = [...(r.identifier ?? []), { system: System.sdsRoleProfileId, value: `${r.id}00001` }, { system: System.sdsRoleProfileId, value: `${r.id}00002` }];
        }
        return bundle;
      });
    },
  },
  'search-parameter-errors-as-bad-request': {
    latitude: 'refuses an organisation or practitioner search whose identifier has a blank system or value 400 BAD_REQUEST, not the official tests\' 422 INVALID_PARAMETER (a warning)',
    source: 'foundations_use_case_find_an_organisation, _find_a_practitioner "Error handling": an OperationOutcome when request fields are corrupt, no code named; development_fhir_error_handling_guidance "Malformed request errors" (BAD_REQUEST)',
    apply: recode(isSearch, { code: SpineError.invalidParameter }, 400, SpineError.badRequest),
  },
} as const satisfies Record<string, VariantDefinition>;
