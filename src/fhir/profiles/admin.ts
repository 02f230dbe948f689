/** CareConnect-GPC-Organization-1, CareConnect-GPC-Location-1, CareConnect-GPC-Practitioner-1. */
import { FhirCode, GpcProfile, OrganisationType, System, ValidationSystem } from '../../gpconnect/constants';
import {
  Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, addressShape, array, code, codings, declaresProfile, isObject, knownElements,
  object, reference, string, telecoms,
} from './common';
import { IdentifierSlice, slicedIdentifiers } from './identifiers';

// The known identifier slices (nhsconnect/STU3-FHIR-Assets develop). All three profiles slice `openAtEnd`, so other
// systems are allowed: PTEST PractitionerSteps.cs accepts https://fhir.hl7.org.uk/Id/gmp-number, LocationSteps.cs
// filters the site codes and ignores the rest (spec-fidelity review F9).
/** CareConnect-GPC-Organization-1 1.4.0: `odsOrganisationCode` 0..1. */
const ORGANIZATION_SLICES: readonly IdentifierSlice[] = [
  { name: 'odsOrganisationCode', system: System.odsOrganizationCode, min: 0, max: 1, rule: 'ods-organization-code-identifier' },
];
/** CareConnect-GPC-Location-1 1.3.0: `odsSiteCode` 0..1. */
const LOCATION_SLICES: readonly IdentifierSlice[] = [
  { name: 'odsSiteCode', system: ValidationSystem.odsSiteCode, min: 0, max: 1, rule: 'ods-site-code-identifier' },
];
/** CareConnect-GPC-Practitioner-1 1.3.0: `sdsUserID` 0..1, `sdsRoleProfileID` 0..*. */
const PRACTITIONER_SLICES: readonly IdentifierSlice[] = [
  { name: 'sdsUserID', system: System.sdsUserId, min: 0, max: 1, rule: 'sds-user-id-identifier' },
  { name: 'sdsRoleProfileID', system: System.sdsRoleProfileId, min: 0, max: Infinity, rule: 'sds-role-profile-id-identifier' },
];

const ORGANIZATION_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'active', 'type', 'name', 'alias', 'telecom', 'address', 'partOf', 'contact', 'endpoint',
];

export function organization(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, ORGANIZATION_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.organization);
  slicedIdentifiers(ctx, r, path, ORGANIZATION_SLICES);
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
  slicedIdentifiers(ctx, r, path, LOCATION_SLICES);
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
  slicedIdentifiers(ctx, r, path, PRACTITIONER_SLICES);
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
