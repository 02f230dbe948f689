/**
 * FHIR validation = the official StructureDefinitions (data/fhir/, see data/fhir/README.md) + these prose rules:
 * the SHALLs and MUSTs of GP Connect 1.2.9's pages that no StructureDefinition expresses, each citing its page,
 * heading and level (./citations.ts). docs/fhir-validation.md says where every check of the old hand-written
 * transcription went.
 *
 * `PROSE_RULES` is keyed like src/fhir/validate.ts: GP Connect profile URLs (GpcProfile) and the names of
 * interaction-specific rule sets (ValidationProfile). A caller runs, per key, the StructureDefinition the key
 * stands for and then the key's prose rules. Where the spec names the profile of a resource held inside another,
 * the prose rule hands it on with `ctx.nested(resource, path, profile)`:
 *
 * | Key | Hands on |
 * |---|---|
 * | ValidationProfile.findPatientBundle | each `entry.resource` as GpcProfile.patient |
 * | ValidationProfile.freeSlotsBundle | each `entry.resource` by type: Slot, Schedule, Practitioner, Location, Organization as their GpcProfile |
 * | GpcProfile.searchsetBundle (Register a patient response) | Patient entries as GpcProfile.patient, others by their own profile |
 * | ValidationProfile.baseBundle | each `entry.resource` by its own meta.profile / resourceType |
 * | ValidationProfile.registerPatientParameters | the `registerPatient` Patient as ValidationProfile.registerPatientResource |
 * | ValidationProfile.appointmentBookRequest | the contained booking Organization as GpcProfile.organization |
 *
 * GpcProfile.appointment's prose rules are those of a *returned* Appointment (the response pages forbid `reason` and
 * `specialty`); the Amend and Cancel request bodies have no prose rule of the old transcription's, so judge them by
 * the StructureDefinition alone rather than under this key.
 */
import { GpcProfile, ValidationProfile } from '../../gpconnect/constants';
import { Ctx, RuleSet, ValidationIssue, ValidationOptions } from '../issues';
import { location, organization, practitioner } from './admin';
import { appointment, appointmentBookRequest, schedule, slot } from './appointment';
import { isJson } from './citations';
import {
  baseBundle, capabilityStatement, findPatientBundle, freeSlotsBundle, gpcSearchsetBundle, registerPatientParameters,
} from './containers';
import { baseOperationOutcome, gpcOperationOutcome } from './outcome';
import { patient, registerPatient } from './patient';

export { PROSE_CATALOGUE, citation } from './citations';
export type { ProseRule, ProseRuleId } from './citations';
export { excusedByProse, spineErrorCodes } from './outcome';
export type { Excuse, StructureFinding } from './outcome';

/** The prose rules of each key, run after the key's StructureDefinition. */
export const PROSE_RULES: Readonly<Record<string, RuleSet>> = {
  [GpcProfile.appointment]: appointment,
  [ValidationProfile.appointmentBookRequest]: appointmentBookRequest,
  [GpcProfile.slot]: slot,
  [GpcProfile.schedule]: schedule,
  [GpcProfile.patient]: patient,
  [ValidationProfile.registerPatientResource]: registerPatient,
  [GpcProfile.organization]: organization,
  [GpcProfile.location]: location,
  [GpcProfile.practitioner]: practitioner,
  [GpcProfile.operationOutcome]: gpcOperationOutcome,
  [ValidationProfile.baseOperationOutcome]: baseOperationOutcome,
  [GpcProfile.searchsetBundle]: gpcSearchsetBundle,
  [ValidationProfile.findPatientBundle]: findPatientBundle,
  [ValidationProfile.freeSlotsBundle]: freeSlotsBundle,
  [ValidationProfile.baseBundle]: baseBundle,
  [ValidationProfile.registerPatientParameters]: registerPatientParameters,
  [ValidationProfile.capabilityStatement]: capabilityStatement,
};

/** The key a resource handed on without a profile is judged by: its meta.profile when a key, else by resourceType. */
export const DEFAULT_KEY: Readonly<Record<string, string>> = {
  Appointment: GpcProfile.appointment,
  Slot: GpcProfile.slot,
  Schedule: GpcProfile.schedule,
  Patient: GpcProfile.patient,
  Organization: GpcProfile.organization,
  Location: GpcProfile.location,
  Practitioner: GpcProfile.practitioner,
  OperationOutcome: ValidationProfile.baseOperationOutcome,
  Bundle: ValidationProfile.baseBundle,
  Parameters: ValidationProfile.registerPatientParameters,
  CapabilityStatement: ValidationProfile.capabilityStatement,
};

export function proseKeyFor(resource: unknown): string | undefined {
  if (!isJson(resource)) return undefined;
  const meta = resource.meta;
  if (isJson(meta) && Array.isArray(meta.profile)) {
    const declared = meta.profile.find((p): p is string => typeof p === 'string' && PROSE_RULES[p] !== undefined);
    if (declared) return declared;
  }
  return typeof resource.resourceType === 'string' ? DEFAULT_KEY[resource.resourceType] : undefined;
}

/**
 * The prose rules alone, of `key` (or the resource's own), with the resources they hand on judged by their own
 * prose rules. `onNested` sees each handed-on resource, e.g. for the caller's StructureDefinition validation.
 */
export function validateProse(
  resource: unknown,
  key?: string,
  options: ValidationOptions = {},
  onNested?: (resource: unknown, path: string, key: string | undefined) => void,
): ValidationIssue[] {
  const run = (res: unknown, path: string | undefined, k: string | undefined): void => {
    if (!isJson(res)) return;
    const type = typeof res.resourceType === 'string' ? res.resourceType : '?';
    const root = path === undefined ? type : `${path}(${type})`;
    const chosen = k ?? proseKeyFor(res);
    const rules = chosen === undefined ? undefined : PROSE_RULES[chosen];
    rules?.(ctx, res, root);
  };
  const ctx: Ctx = new Ctx(options, (inner, path, innerKey) => {
    onNested?.(inner, path, innerKey);
    run(inner, path, innerKey);
  });
  run(resource, undefined, key);
  return ctx.issues;
}
