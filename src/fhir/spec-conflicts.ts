/**
 * Where the spec's own examples and the official artefacts disagree, both forms are accepted: the artefacts'
 * form is what a supplier following the profiles writes, the examples' what one copying the spec writes.
 * Each alias is rewritten to the profile's form on a copy before the StructureDefinitions judge it.
 */
import { GpcExtension, ValidationSystem } from '../gpconnect/constants';
import { Json } from './definitions';
import { ValidationOptions, isObject } from './issues';

/** Coding systems of the examples → the CodeSystem the profile binds. */
const EXAMPLE_SYSTEMS: Readonly<Record<string, string>> = {
  // gpconnect-spec.md §9 conflict 18: read/find/register patient examples vs Extension-CareConnect-GPC-NHSNumberVerificationStatus-1.
  [GpcExtension.nhsNumberVerificationStatusSystem]: ValidationSystem.nhsNumberVerificationStatusStu3,
  // register_patient_response_example vs Extension-CareConnect-GPC-RegistrationDetails-1 (the same kind of conflict).
  [GpcExtension.registrationTypeSystem]: ValidationSystem.registrationTypeStu3,
};

function rewrite(node: unknown, systems: Readonly<Record<string, string>>): { value: unknown; changed: boolean } {
  if (Array.isArray(node)) {
    let changed = false;
    const value = node.map((n) => {
      const r = rewrite(n, systems);
      changed ||= r.changed;
      return r.value;
    });
    return changed ? { value, changed } : { value: node, changed };
  }
  if (!isObject(node)) return { value: node, changed: false };
  let changed = false;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'system' && typeof v === 'string' && systems[v] && typeof node.code === 'string') {
      out[k] = systems[v];
      changed = true;
      continue;
    }
    const r = rewrite(v, systems);
    changed ||= r.changed;
    out[k] = r.value;
  }
  return changed ? { value: out, changed } : { value: node, changed };
}

/** The resource with the examples' systems in the profiles' form (the same object when nothing changes). */
export function normaliseSpecConflicts(resource: Json, options: ValidationOptions): Json {
  // (The OperationOutcome's ValueSet URL, §9 conflict 1, is the prose rules' latitude: src/fhir/prose/outcome.ts.)
  void options;
  return rewrite(resource, EXAMPLE_SYSTEMS).value as Json;
}
