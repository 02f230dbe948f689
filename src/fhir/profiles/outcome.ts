/** GPConnect-OperationOutcome-1 (§6) and the base STU3 OperationOutcome (SSP errors, §2.4). */
import { FhirCode, GpcProfile, SPINE_ERROR_OR_WARNING_CODES, System } from '../../gpconnect/constants';
import { Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, array, code, declaresProfile, describe, isObject, knownElements, object, string } from './common';

const OUTCOME_ELEMENTS = [...DOMAIN_RESOURCE_ELEMENTS, 'issue'];

function issues(ctx: Ctx, r: Json, path: string): Json[] {
  return array(ctx, r, 'issue', path, 1).flatMap((issue, i) => {
    const p = `${path}.issue[${i}]`;
    if (!isObject(issue)) {
      ctx.add(p, 'type', `${p} must be an object but is ${describe(issue)}`);
      return [];
    }
    code(ctx, issue, 'severity', p, FhirCode.issueSeverity, true);
    code(ctx, issue, 'code', p, FhirCode.issueType, true);
    string(ctx, issue, 'diagnostics', p);
    return [issue];
  });
}

/** Base STU3 OperationOutcome: at least one issue with severity and code. */
export function baseOperationOutcome(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, OUTCOME_ELEMENTS);
  issues(ctx, r, path).forEach((issue, i) => object(ctx, issue, 'details', `${path}.issue[${i}]`));
}

export function gpcOperationOutcome(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, OUTCOME_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.operationOutcome);
  // GPConnect-OperationOutcome-1 fixes the CodeSystem URL, but development_fhir_error_handling_guidance.md (1.2.9) takes
  // the codes "from ... the spine-error-or-warning-code-1 value set" and every 1.2.x error example writes
  // https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1; PTEST BundleSteps.cs does not check the system
  // (gpconnect-spec.md §9 conflict 1, spec-fidelity review F7). So the ValueSet URL is accepted unless a caller turns
  // it off. The validator has no warning level yet: once the rule model grades SHOULDs, the ValueSet URL becomes a warning.
  const systems: string[] = [System.spineErrorCodeStu3];
  if (ctx.options.acceptValueSetErrorSystem ?? true) systems.push(System.spineErrorCodeStu3ValueSet);
  issues(ctx, r, path).forEach((issue, i) => {
    const p = `${path}.issue[${i}]`;
    const details = object(ctx, issue, 'details', p, true);
    if (!details) return;
    const dp = `${p}.details`;
    array(ctx, details, 'coding', dp, 1, 1).forEach((c, j) => {
      const cp = `${dp}.coding[${j}]`;
      if (!isObject(c)) return ctx.add(cp, 'type', `${cp} must be a Coding object but is ${describe(c)}`);
      const system = string(ctx, c, 'system', cp, true);
      if (system !== undefined && !systems.includes(system)) {
        const hint = system === System.spineErrorCodeStu3ValueSet ? ' (the ValueSet URL of the 1.2.x page examples, §9 conflict 1)' : '';
        ctx.add(`${cp}.system`, 'fixed-value', `${cp}.system is "${system}"${hint}; it must be ${systems.join(' or ')}`);
      }
      const value = string(ctx, c, 'code', cp, true);
      if (value !== undefined && system !== undefined && systems.includes(system) && !SPINE_ERROR_OR_WARNING_CODES.includes(value)) {
        ctx.add(`${cp}.code`, 'code', `${cp}.code is "${value}"; it is not a code of Spine-ErrorOrWarningCode-1`);
      }
      string(ctx, c, 'display', cp, true);
      if (c.version !== undefined) ctx.add(`${cp}.version`, 'forbidden', `${cp}.version is present; it is max 0 in GPConnect-OperationOutcome-1`);
      if (c.userSelected !== undefined) ctx.add(`${cp}.userSelected`, 'forbidden', `${cp}.userSelected is present; it is max 0 in GPConnect-OperationOutcome-1`);
    });
  });
}
