/**
 * validateResource keeps what it found for each resource it was given (src/fhir/validate.ts): the
 * same answers come back run after run. What it keeps must never show: the findings are those of
 * the resource as it is now, whatever the caller did to an earlier answer or to the resource itself.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { GpcProfile } from '../../src/gpconnect/constants';
import { validateResource } from '../../src/fhir/validate';

const patient = (gender: string) => ({
  resourceType: 'Patient',
  meta: { profile: [GpcProfile.patient] },
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9693632109' }],
  name: [{ use: 'official', family: 'Jones', given: ['Kim'] }],
  gender,
  birthDate: '1983-02-14',
});
const genderFindings = (issues: Array<{ path: string }>) => issues.filter((i) => i.path.endsWith('.gender'));

test('the same resource again: the same findings, though the caller changed the ones it was given', () => {
  const first = validateResource(patient('robot'));
  assert.ok(genderFindings(first).length > 0, `"robot" is not an administrative gender: ${JSON.stringify(first)}`);
  const expected = structuredClone(first);
  first[0].message = 'changed by the caller';
  first.length = 0;
  assert.deepEqual(validateResource(patient('robot')), expected);
});

test('a resource changed in place is judged as it is now', () => {
  const resource = patient('robot');
  assert.ok(genderFindings(validateResource(resource)).length > 0);
  resource.gender = 'female';
  assert.deepEqual(genderFindings(validateResource(resource)), []);
  resource.gender = 'robot';
  assert.ok(genderFindings(validateResource(resource)).length > 0);
});

test('the profile asked for is part of what is kept: the same resource against another profile is judged against that one', () => {
  const resource = patient('male');
  const asPatient = validateResource(resource, GpcProfile.patient);
  const asPractitioner = validateResource(resource, GpcProfile.practitioner);
  assert.deepEqual(genderFindings(asPatient), []);
  assert.ok(asPractitioner.some((i) => i.rule === 'resource-type'), JSON.stringify(asPractitioner));
  assert.deepEqual(validateResource(resource, GpcProfile.patient), asPatient);
});

test('what is not JSON is still judged, never thrown', () => {
  const cyclic: Record<string, unknown> = { resourceType: 'Patient' };
  cyclic.contained = [cyclic];
  assert.doesNotThrow(() => validateResource(cyclic));
  assert.ok(validateResource(undefined).some((i) => i.rule === 'not-object'));
  assert.ok(validateResource(null).some((i) => i.rule === 'not-object'));
});
