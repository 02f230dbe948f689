/**
 * Validation of FHIR STU3 resources against the GP Connect 1.2.x profiles named in
 * ../shared/spec/gpconnect-spec.md (§5.2–§5.6, §6, §7), for judging providers' answers and consumers' bodies.
 *
 * Library decision: hand-written rules, no validation library. Checked (npm view, search corpus):
 *  - `fhir` (4.12.0) validates against the base FHIR schemas and can load StructureDefinitions, but the
 *    GP Connect/CareConnect STU3 StructureDefinitions are not published on npm, so they would have to be
 *    downloaded (nhsconnect/STU3-FHIR-Assets) and their snapshots generated; it would still not know the
 *    rules that live only in the spec pages (NHS number check digit, §5.5 "MUST NOT send", §5.4 forbidden
 *    elements, booking organisation in `contained`).
 *  - the HL7 reference validator is Java and downloads its packages at run time; `fhir-validator` and the
 *    `@types/fhir` / io-ts type packages are R4-oriented or type-only, without profile support.
 * Every system URL, code and name comes from ../constants.ts.
 *
 * Paths are FHIRPath-like: `Appointment.participant[1].actor.reference`,
 * `Bundle.entry[2].resource(Slot).status`, `Parameters.parameter[0].resource(Patient).maritalStatus`.
 */
import { FHIR_STU3_RESOURCE_TYPES, GpcProfile, ValidationProfile } from '../gpconnect/constants';
import { organization, location, practitioner } from './profiles/admin';
import { appointment, appointmentBookRequest, schedule, slot } from './profiles/appointment';
import { Ctx, RuleSet, ValidationIssue, ValidationOptions, describe, isObject, resourceBasics } from './profiles/common';
import {
  baseBundle, capabilityStatement, findPatientBundle, freeSlotsBundle, gpcSearchsetBundle, registerPatientParameters,
} from './profiles/containers';
import { baseOperationOutcome, gpcOperationOutcome } from './profiles/outcome';
import { patient, registerPatient } from './profiles/patient';

export type { ValidationIssue, ValidationOptions } from './profiles/common';
export { isDateValue } from './profiles/common';

interface ProfileEntry {
  resourceType: string;
  rules: RuleSet;
}

/** Every rule set, by profile URL or ValidationProfile name. */
const PROFILES: Readonly<Record<string, ProfileEntry>> = {
  [GpcProfile.appointment]: { resourceType: 'Appointment', rules: appointment },
  [ValidationProfile.appointmentBookRequest]: { resourceType: 'Appointment', rules: appointmentBookRequest },
  [GpcProfile.slot]: { resourceType: 'Slot', rules: slot },
  [GpcProfile.schedule]: { resourceType: 'Schedule', rules: schedule },
  [GpcProfile.patient]: { resourceType: 'Patient', rules: patient },
  [ValidationProfile.registerPatientResource]: { resourceType: 'Patient', rules: registerPatient },
  [GpcProfile.organization]: { resourceType: 'Organization', rules: organization },
  [GpcProfile.location]: { resourceType: 'Location', rules: location },
  [GpcProfile.practitioner]: { resourceType: 'Practitioner', rules: practitioner },
  [GpcProfile.operationOutcome]: { resourceType: 'OperationOutcome', rules: gpcOperationOutcome },
  [ValidationProfile.baseOperationOutcome]: { resourceType: 'OperationOutcome', rules: baseOperationOutcome },
  [GpcProfile.searchsetBundle]: { resourceType: 'Bundle', rules: gpcSearchsetBundle },
  [ValidationProfile.findPatientBundle]: { resourceType: 'Bundle', rules: findPatientBundle },
  [ValidationProfile.freeSlotsBundle]: { resourceType: 'Bundle', rules: freeSlotsBundle },
  [ValidationProfile.baseBundle]: { resourceType: 'Bundle', rules: baseBundle },
  [ValidationProfile.registerPatientParameters]: { resourceType: 'Parameters', rules: registerPatientParameters },
  [ValidationProfile.capabilityStatement]: { resourceType: 'CapabilityStatement', rules: capabilityStatement },
};

/** The rule set used when neither the caller nor meta.profile names a known profile. */
const DEFAULT_PROFILE: Readonly<Record<string, string>> = {
  Appointment: GpcProfile.appointment,
  Slot: GpcProfile.slot,
  Schedule: GpcProfile.schedule,
  Patient: GpcProfile.patient,
  Organization: GpcProfile.organization,
  Location: GpcProfile.location,
  Practitioner: GpcProfile.practitioner,
  // SSP errors carry no GP Connect profile (§2.4); GP Connect ones declare it in meta.profile (§6).
  OperationOutcome: ValidationProfile.baseOperationOutcome,
  Bundle: ValidationProfile.baseBundle,
  Parameters: ValidationProfile.registerPatientParameters,
  CapabilityStatement: ValidationProfile.capabilityStatement,
};

/** Profile names validateResource knows (GP Connect StructureDefinition URLs and ValidationProfile names). */
export const KNOWN_PROFILES: readonly string[] = Object.keys(PROFILES);

/** Which profile a resource would be validated against without an explicit one. */
export function profileFor(resource: unknown): string | undefined {
  if (!isObject(resource)) return undefined;
  const meta = resource.meta;
  if (isObject(meta) && Array.isArray(meta.profile)) {
    for (const p of meta.profile) {
      if (typeof p === 'string' && PROFILES[p] && PROFILES[p].resourceType === resource.resourceType) return p;
    }
  }
  return typeof resource.resourceType === 'string' ? DEFAULT_PROFILE[resource.resourceType] : undefined;
}

function run(ctx: Ctx, resource: unknown, path: string | undefined, profile: string | undefined, prefix: string): void {
  if (!isObject(resource)) {
    const at = path ?? prefix;
    ctx.add(at, 'not-object', `${at} must be a FHIR resource (a JSON object) but is ${describe(resource)}`);
    return;
  }
  const type = resource.resourceType;
  const root = path === undefined ? (typeof type === 'string' ? type : prefix) : `${path}(${typeof type === 'string' ? type : '?'})`;
  if (typeof type !== 'string' || type === '') {
    ctx.add(`${root}.resourceType`, 'resource-type', `${root}.resourceType is ${describe(type)}; a FHIR resource names its type`);
    return;
  }
  if (!FHIR_STU3_RESOURCE_TYPES.includes(type)) {
    ctx.add(`${root}.resourceType`, 'unknown-resource-type', `${root}.resourceType "${type}" is not an STU3 resource type`);
    return;
  }
  const chosen = profile ?? profileFor(resource);
  if (chosen === undefined) {
    ctx.add(`${root}.resourceType`, 'unsupported-resource-type', `${root}.resourceType is "${type}"; no GP Connect rule set exists for it`);
    return;
  }
  const entry = PROFILES[chosen];
  if (!entry) {
    ctx.add(root, 'unknown-profile', `${root}: profile "${chosen}" is not one this validator knows`);
    return;
  }
  if (entry.resourceType !== type) {
    ctx.add(`${root}.resourceType`, 'resource-type', `${root}.resourceType is "${type}"; profile ${chosen} is for ${entry.resourceType}`);
    return;
  }
  resourceBasics(ctx, resource, root);
  entry.rules(ctx, resource, root);
}

/**
 * Validates `resource` against `profile` (a GpcProfile URL or a ValidationProfile name), or against the
 * profile its `meta.profile` names, or the default for its resourceType. Never throws.
 */
export function validateResource(resource: unknown, profile?: string, options: ValidationOptions = {}): ValidationIssue[] {
  const ctx: Ctx = new Ctx(options, (inner, path, innerProfile) => run(ctx, inner, path, innerProfile, path));
  try {
    run(ctx, resource, undefined, profile, 'Resource');
  } catch (err) {
    // A rule hitting an unexpected shape is a validator bug, but the caller still gets an issue, not an exception.
    ctx.add('Resource', 'validator-error', `validation stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
  return ctx.issues;
}
