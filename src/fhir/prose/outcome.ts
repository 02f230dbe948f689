/**
 * Prose rules of the Error handling page (GP Connect 1.2.9) for GPConnect-OperationOutcome-1, and the coding
 * system latitude: GPConnect-OperationOutcome-1 fixes `issue.details.coding.system` to the CodeSystem URL
 * https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1, but the page takes the codes "from … the
 * spine-error-or-warning-code-1 value set" and every one of its examples writes the ValueSet URL
 * https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1; the official provider tests do not check the
 * system (gpconnect-spec.md §9 conflict 1, spec-fidelity review F7).
 *
 * With `acceptValueSetErrorSystem` (the default), a coding with the ValueSet URL is judged here instead: its code
 * must be one of the vendored CodeSystem's, and `excusedByProse` tells the caller which findings of the
 * StructureDefinition (the fixed system, and the required binding of `details` it then fails) the spec's own
 * examples excuse. With the option off, the StructureDefinition alone judges the system.
 */
import { GpcProfile, System } from '../../gpconnect/constants';
import { definitions } from '../definitions';
import type { Ctx, Json, ValidationOptions } from '../issues';
import { ProseRuleId, citation, isJson, items, report, requireProfile } from './citations';

let spineCodes: ReadonlySet<string> | undefined;

/** The codes of the vendored CodeSystem Spine-ErrorOrWarningCode-1. */
export function spineErrorCodes(): ReadonlySet<string> {
  if (!spineCodes) {
    const cs = definitions().byUrl.get(System.spineErrorCodeStu3);
    const codes = new Set<string>();
    const walk = (concepts: unknown): void => {
      for (const c of Array.isArray(concepts) ? concepts : []) {
        if (isJson(c) && typeof c.code === 'string') codes.add(c.code);
        if (isJson(c)) walk(c.concept);
      }
    };
    walk(cs?.concept);
    spineCodes = codes;
  }
  return spineCodes;
}

const latitude = (options: ValidationOptions) => options.acceptValueSetErrorSystem ?? true;

/** A GP Connect error: GPConnect-OperationOutcome-1 declared, and the ValueSet-URL codings judged by their code. */
export function gpcOperationOutcome(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.operationOutcome, 'outcome-meta-profile');
  if (!latitude(ctx.options)) return;
  items(r, 'issue').forEach((issue, i) => {
    if (!isJson(issue) || !isJson(issue.details)) return;
    items(issue.details, 'coding').forEach((c, j) => {
      if (!isJson(c) || c.system !== System.spineErrorCodeStu3ValueSet) return;
      const p = `${path}.issue[${i}].details.coding[${j}].code`;
      if (typeof c.code === 'string' && !spineErrorCodes().has(c.code)) {
        report(ctx, 'outcome-spine-code', p, `${p} is "${c.code}"; it is not a code of Spine-ErrorOrWarningCode-1`);
      }
    });
  });
}

/** The base STU3 OperationOutcome (SSP errors): the StructureDefinition says everything; no prose rule. */
export function baseOperationOutcome(): void {}

/** The shape of a StructureDefinition finding, as far as excusing one needs. */
export interface StructureFinding {
  path: string;
  rule: string;
  /** The element id in the profile, e.g. `OperationOutcome.issue.details.coding.system`. */
  element?: string;
  profile?: string;
}

export interface Excuse {
  rule: ProseRuleId;
  why: string;
}

/**
 * Whether the spec excuses a StructureDefinition finding about `resource` (validated with `options`): today only
 * the OperationOutcome coding system latitude. Returns the prose rule and why, or undefined. The caller drops
 * the finding, or turns it into a warning once it grades by level.
 */
export function excusedByProse(finding: StructureFinding, resource: unknown, options: ValidationOptions = {}): Excuse | undefined {
  if (!latitude(options) || !isJson(resource) || resource.resourceType !== 'OperationOutcome') return undefined;
  if (finding.profile !== undefined && finding.profile !== GpcProfile.operationOutcome) return undefined;
  // The fixed system is reported at `…details.coding[n].system`; the missed binding at `…details` (or, by some
  // validators, at the coding or its code).
  const m = /\.issue\[(\d+)\]\.details(?:\.coding\[(\d+)\](\.system|\.code)?)?$/.exec(finding.path);
  if (!m) return undefined;
  const issue = items(resource, 'issue')[Number(m[1])];
  if (!isJson(issue) || !isJson(issue.details)) return undefined;
  const codings = m[2] === undefined ? items(issue.details, 'coding') : [items(issue.details, 'coding')[Number(m[2])]];
  const onValueSet = codings.some((c) => isJson(c) && c.system === System.spineErrorCodeStu3ValueSet);
  const usesValueSet = onValueSet && (finding.rule === 'fixed-value' ? m[3] === '.system' : finding.rule === 'code' && m[3] !== '.system');
  if (!usesValueSet) return undefined;
  return {
    rule: 'outcome-spine-code',
    why: `the ValueSet URL ${System.spineErrorCodeStu3ValueSet} is what every example of the Error handling page writes; its code is judged against Spine-ErrorOrWarningCode-1 instead (${citation('outcome-spine-code')})`,
  };
}
