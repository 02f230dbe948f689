/** The judges of a Search for free slots Bundle's edge cases (src/rules/provider/slots.ts), on the spec's own example. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import { actorNotIncluded, locationsManaged, notUkLocalTime, onlyAssociated, slotTypesDescribed, ukLocalTimes, type ProviderAnswer } from '../../src/rules/provider';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const example = (): J => JSON.parse(readFileSync(join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples', 'appointments_search_free_slots_response.json'), 'utf8'));
const answer = (body: J): ProviderAnswer => ({ response: { status: 200, headers: {}, body: JSON.stringify(body) } as ProviderAnswer['response'], body, asked: 'GET /Slot' });
const resource = (bundle: J, type: string): J => bundle.entry.find((e: J) => e.resource.resourceType === type).resource;
const without = (bundle: J, type: string): J => ({ ...bundle, entry: bundle.entry.filter((e: J) => e.resource.resourceType !== type) });

test("the spec's example passes every slot search judge", () => {
  const bundle = example();
  assert.deepEqual(onlyAssociated(answer(bundle)), []);
  assert.deepEqual(locationsManaged(answer(bundle)), []);
  assert.deepEqual(ukLocalTimes(answer(bundle)), []);
  assert.deepEqual(slotTypesDescribed(answer(bundle)), []);
  assert.deepEqual(actorNotIncluded(answer(without(bundle, 'Location')), 'Location'), []);
});

test('an actor not asked for is a finding', () => {
  assert.match(actorNotIncluded(answer(example()), 'Location')[0]!, /Schedule:actor:Location was not asked for, but the Bundle has Location\/17/);
});

test('a Schedule, Practitioner or Organization not associated with the Slots is a finding', () => {
  const bundle = example();
  bundle.entry.push({ resource: { ...resource(bundle, 'Schedule'), id: '99' } }, { resource: { resourceType: 'Practitioner', id: '98' } }, { resource: { resourceType: 'Organization', id: '97' } });
  const [finding] = onlyAssociated(answer(bundle));
  assert.match(finding!, /Schedule\/99 \(no Slot offered is on it\); Practitioner\/98 \(no Schedule returned names it\); Organization\/97 \(no Location returned is managed by it\)/);
  // Without Locations, the Organization is always there (the known issue): not judged.
  assert.deepEqual(onlyAssociated(answer(without(example(), 'Location'))), []);
});

test('a Location without managingOrganization, or whose Organization is missing, is a finding', () => {
  const bundle = example();
  delete resource(bundle, 'Location').managingOrganization;
  assert.match(locationsManaged(answer(bundle))[0]!, /Location\/17 has no managingOrganization/);
  assert.match(locationsManaged(answer(without(example(), 'Organization')))[0]!, /lacks the managing organisation Organization\/23/);
});

test('times carry the UK offset of their own date', () => {
  assert.equal(notUkLocalTime('2016-08-15T11:30:00+01:00'), '');
  assert.equal(notUkLocalTime('2016-12-15T11:30:00+00:00'), '');
  assert.match(notUkLocalTime('2016-12-15T11:30:00+01:00'), /the UK's on that date is \+00:00/);
  assert.match(notUkLocalTime('2016-08-15T11:30:00+00:00'), /the UK's on that date is \+01:00/);
  assert.match(notUkLocalTime('2016-08-15T10:30:00Z'), /is not yyyy-mm-ddThh:mm:ss\+hh:mm/);
  assert.match(notUkLocalTime('2016-08-15T11:30:00'), /is not yyyy-mm-ddThh:mm:ss\+hh:mm/);
  const bundle = example();
  resource(bundle, 'Schedule').planningHorizon.end = '2016-08-15T12:00:00+00:00';
  assert.match(ukLocalTimes(answer(bundle)).join(), /Schedule\/14\.planningHorizon\.end/);
});

test('a Slot without serviceType text is a finding', () => {
  const bundle = example();
  resource(bundle, 'Slot').serviceType = [{ coding: [] }];
  assert.match(slotTypesDescribed(answer(bundle))[0]!, /Slot\/1584 has no Slot.serviceType.text/);
});
