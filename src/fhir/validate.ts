/**
 * Validation of FHIR STU3 resources for judging providers' answers and consumers' bodies: first against
 * the official StructureDefinitions (the GP Connect and CareConnect profiles from nhsconnect/STU3-FHIR-Assets
 * and the FHIR STU3 base, vendored in data/fhir/ and read by src/fhir/structure/), then against the prose
 * rules of the spec that no StructureDefinition expresses (src/fhir/prose/, each citing its page).
 *
 * Library decision (issue 17): no JavaScript library validates STU3 profiles with slicing, fixed/pattern
 * values and bindings: `fhir` (FHIR.js) validates cardinality and base types only and ships R4 (it is used
 * here for XML, src/fhir/xml.ts); the HL7 Java validator downloads its packages at run time; `@medplum/core`
 * and `fhir-validator`s on the registry are R4-only. So the walk over the StructureDefinitions is ours
 * (src/fhir/structure/validator.ts), and everything it reads comes from the vendored artefacts; the
 * profiles' invariants run on HL7's FHIRPath engine (`fhirpath`, with its STU3 model).
 *
 * Paths are FHIRPath-like: `Appointment.participant[1].actor.reference`,
 * `Bundle.entry[2].resource(Slot).status`, `Parameters.parameter[0].resource(Patient).maritalStatus`.
 */
import { createHash } from 'node:crypto';
import { FHIR_BASE_DEFINITION, FHIR_STU3_RESOURCE_TYPES, GpcProfile, ValidationProfile, fhirBaseDefinition } from '../gpconnect/constants';
import { Ctx, ValidationIssue, ValidationOptions, describe, isObject } from './issues';
import { DEFAULT_KEY, PROSE_CATALOGUE, PROSE_RULES, excusedByProse } from './prose';
import { Json, definitions } from './definitions';
import { validateAgainst } from './structure/validator';
import { normaliseSpecConflicts } from './spec-conflicts';

export type { ValidationIssue, ValidationOptions } from './issues';


/** The StructureDefinition each profile name is validated against (the prose rules add the rest). */
const STRUCTURE: Readonly<Record<string, { resourceType: string; structure: string }>> = {
  [GpcProfile.appointment]: { resourceType: 'Appointment', structure: GpcProfile.appointment },
  [ValidationProfile.appointmentBookRequest]: { resourceType: 'Appointment', structure: GpcProfile.appointment },
  [GpcProfile.slot]: { resourceType: 'Slot', structure: GpcProfile.slot },
  [GpcProfile.schedule]: { resourceType: 'Schedule', structure: GpcProfile.schedule },
  [GpcProfile.patient]: { resourceType: 'Patient', structure: GpcProfile.patient },
  [ValidationProfile.registerPatientResource]: { resourceType: 'Patient', structure: GpcProfile.patient },
  [GpcProfile.organization]: { resourceType: 'Organization', structure: GpcProfile.organization },
  [GpcProfile.location]: { resourceType: 'Location', structure: GpcProfile.location },
  [GpcProfile.practitioner]: { resourceType: 'Practitioner', structure: GpcProfile.practitioner },
  [GpcProfile.operationOutcome]: { resourceType: 'OperationOutcome', structure: GpcProfile.operationOutcome },
  [ValidationProfile.baseOperationOutcome]: { resourceType: 'OperationOutcome', structure: fhirBaseDefinition('OperationOutcome') },
  [GpcProfile.searchsetBundle]: { resourceType: 'Bundle', structure: GpcProfile.searchsetBundle },
  // The Find a patient and free slots responses name no Bundle profile in 1.2.9 (their examples have no meta.profile).
  [ValidationProfile.findPatientBundle]: { resourceType: 'Bundle', structure: fhirBaseDefinition('Bundle') },
  [ValidationProfile.freeSlotsBundle]: { resourceType: 'Bundle', structure: fhirBaseDefinition('Bundle') },
  [ValidationProfile.baseBundle]: { resourceType: 'Bundle', structure: fhirBaseDefinition('Bundle') },
  [ValidationProfile.registerPatientParameters]: { resourceType: 'Parameters', structure: fhirBaseDefinition('Parameters') },
  [ValidationProfile.capabilityStatement]: { resourceType: 'CapabilityStatement', structure: fhirBaseDefinition('CapabilityStatement') },
};

/** The profile used when neither the caller nor meta.profile names a known one: the prose rules' own default. */
const DEFAULT_PROFILE = DEFAULT_KEY;

/**
 * Containers whose prose rules hand their inner resources on with the profile the page names (a Bundle's
 * entries, the registration's Patient, the booking's contained Organization): the structure walk leaves
 * those resources to them, so each is judged once, by the rules of its place.
 */
const PROSE_HANDS_ON: ReadonlySet<string> = new Set([
  ValidationProfile.findPatientBundle, ValidationProfile.freeSlotsBundle, GpcProfile.searchsetBundle, ValidationProfile.baseBundle,
  ValidationProfile.registerPatientParameters, ValidationProfile.appointmentBookRequest,
]);

/** Any vendored base resource definition (`http://hl7.org/fhir/StructureDefinition/Device`) is a profile name too. */
function baseStructureEntry(url: string): { resourceType: string; structure: string } | undefined {
  if (!url.startsWith(FHIR_BASE_DEFINITION)) return undefined;
  const sd = definitions().byUrl.get(url);
  return sd?.resourceType === 'StructureDefinition' && sd.kind === 'resource' ? { resourceType: sd.type, structure: url } : undefined;
}

/** Profile names validateResource knows (GP Connect StructureDefinition URLs and ValidationProfile names). */
export const KNOWN_PROFILES: readonly string[] = Object.keys(STRUCTURE);

/** Which profile a resource would be validated against without an explicit one. */
export function profileFor(resource: unknown): string | undefined {
  if (!isObject(resource)) return undefined;
  const meta = resource.meta;
  if (isObject(meta) && Array.isArray(meta.profile)) {
    for (const p of meta.profile) {
      if (typeof p === 'string' && (STRUCTURE[p] ?? baseStructureEntry(p))?.resourceType === resource.resourceType) return p;
    }
  }
  return typeof resource.resourceType === 'string' ? DEFAULT_PROFILE[resource.resourceType] : undefined;
}

class Validation {
  readonly ctx: Ctx;
  /** Resources already validated in this run, with the profile: a prose rule's nested call does not repeat the structure's. */
  private readonly seen = new WeakMap<object, Set<string>>();

  constructor(options: ValidationOptions) {
    this.ctx = new Ctx(options, (inner, path, innerProfile) => this.run(inner, path, innerProfile, path));
  }

  run(resource: unknown, path: string | undefined, profile: string | undefined, prefix: string): void {
    const ctx = this.ctx;
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
      ctx.add(`${root}.resourceType`, 'unsupported-resource-type', `${root}.resourceType is "${type}"; no GP Connect profile is validated for it`);
      return;
    }
    const entry = STRUCTURE[chosen] ?? baseStructureEntry(chosen);
    if (!entry) {
      ctx.add(root, 'unknown-profile', `${root}: profile "${chosen}" is not one this validator knows`);
      return;
    }
    if (entry.resourceType !== type) {
      ctx.add(`${root}.resourceType`, 'resource-type', `${root}.resourceType is "${type}"; profile ${chosen} is for ${entry.resourceType}`);
      return;
    }
    const done = this.seen.get(resource) ?? new Set<string>();
    if (done.has(chosen)) return;
    done.add(chosen);
    this.seen.set(resource, done);
    const subject = normaliseSpecConflicts(resource, ctx.options);
    const issues = validateAgainst(subject, entry.structure, root, (inner, innerPath, innerProfile) => {
      if (PROSE_HANDS_ON.has(chosen)) return;
      // A nested resource's own profile: the element's type profile, else its meta.profile or its type's default.
      const known = innerProfile && (STRUCTURE[innerProfile] ?? baseStructureEntry(innerProfile)) ? innerProfile : undefined;
      this.run(originalOf(resource, subject, inner), innerPath, known, innerPath);
    });
    for (const issue of issues) {
      // Warnings of the StructureDefinitions (extensible bindings, warning invariants) are not failures.
      if (issue.severity !== 'error' || excusedByProse(issue, resource, ctx.options)) continue;
      ctx.add(issue.path, issue.rule, issue.message, { profile: issue.profile, element: issue.element });
    }
    PROSE_RULES[chosen]?.(ctx, resource, root);
  }
}

/** The original object behind a node of the normalised copy (so nested prose rules see what was sent). */
function originalOf(original: Json, copy: Json, node: Json): Json {
  if (original === copy) return node;
  const find = (a: unknown, b: unknown): Json | undefined => {
    if (b === node) return a as Json;
    if (Array.isArray(b) && Array.isArray(a)) {
      for (let i = 0; i < b.length; i++) {
        const hit = find(a[i], b[i]);
        if (hit) return hit;
      }
    } else if (isObject(b) && isObject(a)) {
      for (const k of Object.keys(b)) {
        const hit = find(a[k], b[k]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return find(original, copy) ?? node;
}

/**
 * Validates `resource` against `profile` (a GpcProfile URL or a ValidationProfile name), or against the
 * profile its `meta.profile` names, or the default for its resourceType. Never throws.
 */
export function validateResource(resource: unknown, profile?: string, options: ValidationOptions = {}): ValidationIssue[] {
  const key = memoKey(resource, profile, options);
  if (key === undefined) return validateAfresh(resource, profile, options);
  let issues = validated.get(key);
  if (issues) validated.delete(key);
  else issues = validateAfresh(resource, profile, options);
  validated.set(key, issues);
  if (validated.size > VALIDATED_KEPT) validated.delete(validated.keys().next().value!);
  return issues.map((issue) => ({ ...issue }));
}

/**
 * What validateResource found, by what it was given (the resource's JSON, the profile and the
 * options, digested): validation reads only them and the vendored definitions, and the same answers
 * come back run after run (a proof runs the provider features once per variant in one process, and
 * most answers are the same bytes each time), so each is validated once. The least recently used go
 * first beyond VALIDATED_KEPT.
 */
const validated = new Map<string, ValidationIssue[]>();
const VALIDATED_KEPT = 2000;

function memoKey(resource: unknown, profile: string | undefined, options: ValidationOptions): string | undefined {
  if (!isObject(resource)) return undefined;
  try {
    // Every option, whatever options there come to be: a finding kept under other options would be wrong.
    return createHash('sha256').update(JSON.stringify([profile ?? null, options, resource])).digest('base64');
  } catch {
    return undefined; // not JSON (a cycle, a BigInt): validated afresh, and the validator says what is wrong
  }
}

function validateAfresh(resource: unknown, profile: string | undefined, options: ValidationOptions): ValidationIssue[] {
  const validation = new Validation(options);
  try {
    validation.run(resource, undefined, profile, 'Resource');
  } catch (err) {
    // A rule hitting an unexpected shape is a validator bug, but the caller still gets an issue, not an exception.
    validation.ctx.add('Resource', 'validator-error', `validation stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A SHOULD of the pages (prose rules at level SHOULD) is a warning, not a failure: left out unless asked for.
  return options.includeShould ? validation.ctx.issues : validation.ctx.issues.filter((i) => !isShould(i.rule));
}

function isShould(rule: string): boolean {
  return (PROSE_CATALOGUE as Record<string, { level: string } | undefined>)[rule]?.level === 'SHOULD';
}
