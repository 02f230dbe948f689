/** CareConnect-GPC-Organization-1, CareConnect-GPC-Location-1, CareConnect-GPC-Practitioner-1. */
import { FhirCode, GpcProfile, OrganisationType, System, ValidationSystem } from '../../gpconnect/constants';
import {
  Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, addressShape, array, code, codings, declaresProfile, describe, isObject, knownElements,
  object, reference, string, telecoms,
} from './common';

/** Identifiers: system+value each, system one of `systems`, at most one per system. */
export function identifiers(ctx: Ctx, obj: Json, path: string, systems: readonly string[], min = 0): Json[] {
  const seen = new Map<string, number>();
  return array(ctx, obj, 'identifier', path, min).flatMap((id, i) => {
    const p = `${path}.identifier[${i}]`;
    if (!isObject(id)) {
      ctx.add(p, 'type', `${p} must be an Identifier object but is ${describe(id)}`);
      return [];
    }
    const system = string(ctx, id, 'system', p, true);
    string(ctx, id, 'value', p, true);
    code(ctx, id, 'use', p, FhirCode.identifierUse);
    if (system !== undefined) {
      if (!systems.includes(system)) {
        ctx.add(`${p}.system`, 'identifier-system', `${p}.system is "${system}"; allowed systems are ${systems.join(', ')}`);
      } else if (seen.has(system)) {
        ctx.add(`${p}.system`, 'cardinality', `${p} repeats the ${system} identifier of ${path}.identifier[${seen.get(system)}]; at most one is allowed`);
      } else {
        seen.set(system, i);
      }
    }
    return [id];
  });
}

const ORGANIZATION_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'active', 'type', 'name', 'alias', 'telecom', 'address', 'partOf', 'contact', 'endpoint',
];

export function organization(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, ORGANIZATION_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.organization);
  identifiers(ctx, r, path, [System.odsOrganizationCode, ValidationSystem.odsSiteCode]);
  string(ctx, r, 'name', path, true);
  telecoms(ctx, r, path);
  array(ctx, r, 'address', path).forEach((a, i) => addressShape(ctx, a, `${path}.address[${i}]`));
  array(ctx, r, 'type', path).forEach((t, i) => {
    const p = `${path}.type[${i}]`;
    if (!isObject(t)) return ctx.add(p, 'type', `${p} must be a CodeableConcept object`);
    codings(ctx, t, p).forEach((c, j) => {
      if (c.system === System.organisationType) code(ctx, c, 'code', `${p}.coding[${j}]`, Object.values(OrganisationType));
    });
  });
  reference(ctx, r, 'partOf', path, ['Organization']);
}

const LOCATION_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'status', 'operationalStatus', 'name', 'alias', 'description', 'mode', 'type', 'telecom',
  'address', 'physicalType', 'position', 'managingOrganization', 'partOf', 'endpoint',
];

export function location(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, LOCATION_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.location);
  identifiers(ctx, r, path, [ValidationSystem.odsSiteCode]);
  string(ctx, r, 'name', path, true);
  code(ctx, r, 'status', path, FhirCode.locationStatus);
  code(ctx, r, 'mode', path, FhirCode.locationMode);
  telecoms(ctx, r, path);
  // STU3 Location.address is 0..1: a single Address, not an array.
  if (Array.isArray(r.address)) {
    ctx.add(`${path}.address`, 'type', `${path}.address is an array; STU3 Location.address is 0..1, a single Address object`);
  } else if (r.address !== undefined) {
    addressShape(ctx, r.address, `${path}.address`);
  }
  reference(ctx, r, 'managingOrganization', path, ['Organization']);
  reference(ctx, r, 'partOf', path, ['Location']);
  object(ctx, r, 'position', path);
}

const PRACTITIONER_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'active', 'name', 'telecom', 'address', 'gender', 'birthDate', 'photo', 'qualification',
  'communication',
];

export function practitioner(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, PRACTITIONER_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.practitioner);
  identifiers(ctx, r, path, [System.sdsUserId, System.sdsRoleProfileId]);
  const names = array(ctx, r, 'name', path, 1, 1);
  names.forEach((n, i) => {
    const p = `${path}.name[${i}]`;
    if (!isObject(n)) return ctx.add(p, 'type', `${p} must be a HumanName object`);
    string(ctx, n, 'family', p, true);
    array(ctx, n, 'given', p);
    array(ctx, n, 'prefix', p);
  });
  code(ctx, r, 'gender', path, FhirCode.administrativeGender);
  telecoms(ctx, r, path);
  array(ctx, r, 'address', path).forEach((a, i) => addressShape(ctx, a, `${path}.address[${i}]`));
}
