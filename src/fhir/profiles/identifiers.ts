/**
 * `identifier` lists sliced by system with `rules="openAtEnd"`, as CareConnect-GPC-Patient-1 (1.8.0),
 * -Practitioner-1 (1.3.0), -Location-1 (1.3.0) and -Organization-1 (1.4.0) slice them
 * (nhsconnect/STU3-FHIR-Assets develop, StructureDefinitions/, discriminator `value:system`).
 * Open slicing: identifiers under other systems (a GMC/GMP number, a local id) are allowed and keep only
 * the base STU3 Identifier rules; the known slices are checked for cardinality, and within a slice
 * `system` (the fixedUri) and `value` are 1..1.
 */
import { FhirCode } from '../../gpconnect/constants';
import { Ctx, Json, array, code, describe, isObject, string } from './common';

export interface IdentifierSlice {
  /** The sliceName of the StructureDefinition, for messages (e.g. `nhsNumber`). */
  name: string;
  /** The slice's `system` fixedUri. */
  system: string;
  min: number;
  max: number;
  /** Rule name of the cardinality issue, reported at `{path}.identifier`; distinct per slice. */
  rule: string;
  /** Where the cardinality comes from, when it is not the profile's own (e.g. a spec page). */
  source?: string;
}

export interface SlicedIdentifier {
  id: Json;
  /** `{path}.identifier[i]` */
  path: string;
}

/**
 * Checks `obj.identifier` against `slices` (system discriminated, open at end). Returns the identifiers of
 * each slice by slice name, so a caller can add checks of its own (the NHS number check digit).
 */
export function slicedIdentifiers(
  ctx: Ctx,
  obj: Json,
  path: string,
  slices: readonly IdentifierSlice[],
  min = 0,
): Map<string, SlicedIdentifier[]> {
  const bySlice = new Map<string, SlicedIdentifier[]>(slices.map((s) => [s.name, []]));
  const others: string[] = [];
  array(ctx, obj, 'identifier', path, min).forEach((id, i) => {
    const p = `${path}.identifier[${i}]`;
    if (!isObject(id)) {
      ctx.add(p, 'type', `${p} must be an Identifier object but is ${describe(id)}`);
      return;
    }
    code(ctx, id, 'use', p, FhirCode.identifierUse);
    const system = string(ctx, id, 'system', p);
    const slice = slices.find((s) => s.system === system);
    if (!slice) {
      // Not a known slice (openAtEnd): base Identifier, system and value 0..1 (string() still rejects "" and non-strings).
      string(ctx, id, 'value', p);
      if (system !== undefined) others.push(system);
      return;
    }
    string(ctx, id, 'value', p, true);
    bySlice.get(slice.name)!.push({ id, path: p });
  });
  if (Array.isArray(obj.identifier)) {
    for (const s of slices) {
      const n = bySlice.get(s.name)!.length;
      if (n < s.min || n > s.max) {
        const bound = s.max === Infinity ? `at least ${s.min}` : s.min === s.max ? `exactly ${s.min}` : `${s.min} to ${s.max}`;
        const near = others.filter((o) => o !== s.system && o.endsWith(s.system.slice(s.system.lastIndexOf('/'))));
        const hint = near.length > 0 ? `; ${near.join(', ')} is not ${s.system}` : '';
        ctx.add(
          `${path}.identifier`,
          s.rule,
          `${path}.identifier has ${n} ${s.name} identifier(s) (system ${s.system}); ${bound} allowed${s.source ? ` (${s.source})` : ''}${hint}`,
        );
      }
    }
  } else if (obj.identifier === undefined && min === 0) {
    for (const s of slices.filter((x) => x.min > 0)) {
      ctx.add(`${path}.identifier`, s.rule, `${path}.identifier is absent; ${s.min} ${s.name} identifier(s) (system ${s.system}) required${s.source ? ` (${s.source})` : ''}`);
    }
  }
  return bySlice;
}
