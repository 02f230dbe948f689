/**
 * What validation reports and how a rule set reports it: the issue, the options, the collector the
 * StructureDefinition walk and the prose rules both add to.
 */
export interface ValidationIssue {
  /** FHIRPath-like location, e.g. `Appointment.participant[1].actor.reference`. */
  path: string;
  /** Stable rule name, e.g. `required`, `max-length`, `forbidden`. */
  rule: string;
  /** Names the element and what is wrong. */
  message: string;
  /** The StructureDefinition whose element says so (absent for the spec's prose rules). */
  profile?: string;
  /** The element id in that StructureDefinition: `Appointment.extension:bookingOrganisation`. */
  element?: string;
}

export interface ValidationOptions {
  /**
   * Accept `https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1` as OperationOutcome coding system
   * (default true: every 1.2.x error example uses it, §9 conflict 1); false holds providers to the profile's fixed CodeSystem URL.
   */
  acceptValueSetErrorSystem?: boolean;
  /** Also return the findings of the pages' SHOULDs (prose rules at level SHOULD), which are warnings. */
  includeShould?: boolean;
}

export type Json = Record<string, unknown>;

/** Validates `resource` (found at `path`) against `profile`, or against the profile its meta/resourceType names. */
export type NestedValidator = (resource: unknown, path: string, profile?: string) => void;

export class Ctx {
  readonly issues: ValidationIssue[] = [];
  constructor(
    readonly options: ValidationOptions,
    /** Set by validate.ts: lets bundle/parameters/contained rules validate inner resources. */
    readonly nested: NestedValidator,
  ) {}

  /** Records an issue; a second one with the same path and rule (two rule sets agreeing) is dropped. */
  add(path: string, rule: string, message: string, source?: { profile: string; element?: string }): void {
    if (this.issues.some((i) => i.path === path && i.rule === rule)) return;
    this.issues.push(source ? { path, rule, message, profile: source.profile, ...(source.element ? { element: source.element } : {}) } : { path, rule, message });
  }
}

export type RuleSet = (ctx: Ctx, resource: Json, path: string) => void;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 60 ? v.slice(0, 57) + '...' : v}"`;
  return typeof v === 'object' ? 'an object' : String(v);
}
