import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { GpcAppointmentExtension, GpcProfile, MediaType, SpineError, System } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { loadPatients } from '../../src/spine/patients';
import type { ProviderContext } from '../../src/spine/provider/context';
import { searchFreeSlots } from '../../src/spine/provider/slots';
import { formatUk, loadPracticeState, PracticeDataError, PRACTICE_DATA_DIR, slotWindowDay } from '../../src/spine/provider/state';

// Wednesday 22 October 2025, 09:00 BST; British Summer Time ends on Sunday 26 October.
const NOW = new Date('2025-10-22T08:00:00Z');
const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const pds = loadPatients();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Pairs = Array<[string, string]>;

let ctx: ProviderContext;
beforeEach(() => {
  ctx = { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047', { now: NOW }), pds, now: () => NOW };
});

const BASE: Pairs = [
  ['status', 'free'],
  ['start', 'ge2025-10-23'],
  ['end', 'le2025-10-28'],
  ['_include', 'Slot:schedule'],
];
const RECURSE: Pairs = [
  ['_include:recurse', 'Schedule:actor:Practitioner'],
  ['_include:recurse', 'Schedule:actor:Location'],
  ['_include:recurse', 'Location:managingOrganization'],
];
const with_ = (pairs: Pairs, replace: Record<string, string | null>, extra: Pairs = []): Pairs => [
  ...pairs.filter(([k]) => !(k in replace)),
  ...Object.entries(replace).filter((e): e is [string, string] => e[1] !== null),
  ...extra,
];

/** Encoded as a consumer must (RFC 3986: `+` → %2B, `|` → %7C). */
const search = (pairs: Pairs) => searchFreeSlots(ctx, new URL(`${ROOT}/Slot?${new URLSearchParams(pairs).toString()}`));

async function ok(pairs: Pairs): Promise<Json> {
  const r = search(pairs);
  const body = (await r.json()) as Json;
  assert.equal(r.status, 200, JSON.stringify(body));
  assert.equal(r.headers.get('Cache-Control'), 'no-store');
  assert.equal(r.headers.get('Content-Type'), MediaType.fhirJsonUtf8);
  assert.equal(body.resourceType, 'Bundle');
  assert.equal(body.type, 'searchset');
  return body;
}

async function expectError(pairs: Pairs, status: number, code: string) {
  const r = search(pairs);
  const body = (await r.json()) as Json;
  assert.equal(r.status, status, JSON.stringify(body));
  assert.equal(outcomeCode(body).code, code);
  assert.equal(outcomeCode(body).system, System.spineErrorCodeStu3);
  assert.deepEqual(body.meta.profile, [GpcProfile.operationOutcome]);
  assert.equal(r.headers.get('Cache-Control'), 'no-store');
  assert.equal(r.headers.get('Content-Type'), MediaType.fhirJsonUtf8);
}

const ofType = (bundle: Json, type: string): Json[] => bundle.entry.map((e: Json) => e.resource).filter((r: Json) => r.resourceType === type);
const UK_DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+0[01]:00$/;

describe('practice data (data/practices)', () => {
  test('A20047, B82617 and B82618 load, with free and busy slots in UK time', () => {
    for (const ods of ['A20047', 'B82617', 'B82618']) {
      const state = loadPracticeState(ods, { now: NOW });
      assert.equal(state.ods, ods);
      assert.ok(state.slots().some((s) => s.status === 'free'), `${ods} has free slots`);
      assert.ok(state.slots().some((s) => s.status === 'busy'), `${ods} has busy slots`);
      for (const s of state.slots()) assert.match(s.start, UK_DATE_TIME);
    }
  });
  test('A20047 holds a sensitive, a deceased and an inactive patient, all registered at A20047 or restricted on PDS', () => {
    const state = loadPracticeState('A20047', { now: NOW });
    assert.ok(state.patients().some((p) => p.sensitive));
    assert.ok(state.patients().some((p) => p.deceased));
    assert.ok(state.patients().some((p) => !p.active));
    for (const p of state.patients()) {
      const onPds = pds.find((x) => x.nhsNumber === p.nhsNumber);
      assert.ok(onPds && (onPds.gp === 'A20047' || onPds.kind === 'restricted'), `${p.nhsNumber} is registered at A20047 on PDS`);
    }
  });
  test('the patient eligible for registration (9651258500) is not held, so Register a patient can be tested', () => {
    assert.equal(loadPracticeState('A20047', { now: NOW }).patientByNhsNumber('9651258500'), undefined);
  });
  test('a bad file fails naming the file, the entry and the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'practice-'));
    const file = path.join(dir, 'A20047.yaml');
    const text = readFileSync(path.join(PRACTICE_DATA_DIR, 'A20047.yaml'), 'utf8').replace('deliveryChannel: Video', 'deliveryChannel: Visit');
    writeFileSync(file, text);
    assert.throws(
      () => loadPracticeState('A20047', { file }),
      (e: unknown) => e instanceof PracticeDataError && e.message.includes(file) && /schedules\[3\] \(id "4"\), field deliveryChannel/.test(e.message),
    );
    writeFileSync(file, text.replace('deliveryChannel: Visit', 'deliveryChannel: Video').replace('locationId: "2"\n', 'locationId: "9"\n'));
    assert.throws(() => loadPracticeState('A20047', { file }), /schedules\[1\] \(id "2"\), field locationId: no location has id "9"/);
    assert.throws(() => loadPracticeState('B82617', { file }), /organisation, field ods: is A20047, but the file was loaded for B82617/);
  });
  test('registerPatient adds a temporary registration, or re-activates an inactive one as temporary', () => {
    const state = loadPracticeState('A20047', { now: NOW });
    const rea = state.registerPatient({ nhsNumber: '9651258500', family: 'REA', given: ['Clive'], gender: 'male', birthDate: '1951-03-10' });
    assert.equal(rea.registrationType, 'T');
    assert.equal(rea.active, true);
    assert.ok(!['1', '2', '3', '4', '5', '6', '7', '8'].includes(rea.id));
    assert.equal(state.patientById(rea.id)?.nhsNumber, '9651258500');
    const okafor = state.registerPatient({ nhsNumber: '9736363015', family: 'OKAFOR', given: ['Daniel'], gender: 'male', birthDate: '1989-07-30' });
    assert.equal(okafor.id, '5');
    assert.equal(okafor.active, true);
    assert.equal(okafor.registrationType, 'T');
    assert.equal(okafor.versionId, '7');
  });
  test('UK offsets come from Europe/London', () => {
    assert.equal(formatUk(new Date('2025-10-26T00:59:59Z')), '2025-10-26T01:59:59+01:00');
    assert.equal(formatUk(new Date('2025-10-26T01:00:00Z')), '2025-10-26T01:00:00+00:00');
    assert.equal(formatUk(new Date('2026-03-29T01:00:00Z')), '2026-03-29T02:00:00+01:00');
  });
});

describe('GET /Slot: answers (§5.3)', () => {
  test('200 searchset with only free slots fully inside the window, their Schedules and the Organization', async () => {
    const bundle = await ok(BASE);
    const slots = ofType(bundle, 'Slot');
    assert.ok(slots.length > 10);
    const from = Date.parse('2025-10-23T00:00:00+01:00');
    const to = Date.parse('2025-10-29T00:00:00+00:00'); // le2025-10-28 includes the 28th
    for (const s of slots) {
      assert.equal(s.status, 'free');
      assert.ok(Date.parse(s.start) >= from && Date.parse(s.end) <= to, `${s.start}–${s.end} inside the window`);
      assert.equal(ctx.state.slotById(s.id)?.status, 'free');
    }
    // Every free offered slot of the window is there: none left out.
    const expected = ctx.state.slots().filter((s) => s.status === 'free' && Date.parse(s.start) >= from && Date.parse(s.end) <= to && ['1', '2', '3', '4'].includes(s.scheduleId));
    assert.deepEqual(slots.map((s) => s.id).sort(), expected.map((s) => s.id).sort());
    const scheduleIds = new Set(slots.map((s) => s.schedule.reference));
    assert.deepEqual(new Set(ofType(bundle, 'Schedule').map((s) => `Schedule/${s.id}`)), scheduleIds);
    // Organization always when there are slots (known issue), even without the include.
    const orgs = ofType(bundle, 'Organization');
    assert.equal(orgs.length, 1);
    assert.deepEqual(orgs[0].identifier, [{ system: System.odsOrganizationCode, value: 'A20047' }]);
    assert.equal(ofType(bundle, 'Practitioner').length, 0);
    assert.equal(ofType(bundle, 'Location').length, 0);
    assert.equal(bundle.total, undefined);
  });

  test('resource shapes follow the spec example', async () => {
    const bundle = await ok(BASE);
    const slot = ofType(bundle, 'Slot').find((s) => s.schedule.reference === 'Schedule/1')!;
    assert.deepEqual(slot.meta.profile, [GpcProfile.slot]);
    assert.ok(slot.meta.versionId);
    assert.deepEqual(slot.extension, [{ url: GpcAppointmentExtension.deliveryChannel, valueCode: 'In-person' }]);
    assert.deepEqual(slot.serviceType, [{ text: 'General GP Appointment' }]);
    const schedule = ofType(bundle, 'Schedule').find((s) => s.id === '1')!;
    assert.deepEqual(schedule.meta.profile, [GpcProfile.schedule]);
    assert.deepEqual(schedule.extension[0].valueCodeableConcept.coding, [
      { system: GpcAppointmentExtension.sdsJobRoleNameSystem, code: 'R0260', display: 'General Medical Practitioner' },
    ]);
    assert.equal(schedule.extension[0].url, GpcAppointmentExtension.practitionerRole);
    assert.deepEqual(schedule.serviceCategory, { text: 'General GP Appointments' });
    assert.deepEqual(schedule.actor, [{ reference: 'Location/1' }, { reference: 'Practitioner/1' }]);
    assert.match(schedule.planningHorizon.start, UK_DATE_TIME);
    assert.match(schedule.planningHorizon.end, UK_DATE_TIME);
    // Wednesday's pharmacist video clinic too.
    const week = await ok(with_(BASE, { start: 'ge2025-10-22' }));
    const channels = new Set(ofType(week, 'Slot').map((s) => s.extension[0].valueCode));
    assert.deepEqual(channels, new Set(['In-person', 'Telephone', 'Video']));
  });

  test('slots carry +01:00 before the clock change and +00:00 after it', async () => {
    const slots = ofType(await ok(BASE), 'Slot');
    const friday = slots.filter((s) => s.start.startsWith('2025-10-24'));
    const monday = slots.filter((s) => s.start.startsWith('2025-10-27'));
    assert.ok(friday.length > 0 && monday.length > 0);
    for (const s of friday) assert.match(s.start, /\+01:00$/);
    for (const s of monday) assert.match(s.start, /\+00:00$/);
    assert.ok(monday.some((s) => s.start === '2025-10-27T09:00:00+00:00'));
  });

  test('_include:recurse adds the Practitioners and Locations the Schedules name', async () => {
    const bundle = await ok([...BASE, ...RECURSE]);
    const practitioners = ofType(bundle, 'Practitioner');
    const locations = ofType(bundle, 'Location');
    for (const schedule of ofType(bundle, 'Schedule')) {
      for (const { reference } of schedule.actor) {
        const [type, id] = reference.split('/');
        assert.ok((type === 'Practitioner' ? practitioners : locations).some((r) => r.id === id), `${reference} included`);
      }
    }
    assert.deepEqual(practitioners[0].identifier[0].system, System.sdsUserId);
    assert.deepEqual(practitioners[0].meta.profile, [GpcProfile.practitioner]);
    assert.deepEqual(locations[0].managingOrganization, { reference: `Organization/${ctx.state.organisationId}` });
    assert.equal(ofType(bundle, 'Organization').length, 1);
  });

  test('only Practitioner asked for: no Locations', async () => {
    const bundle = await ok([...BASE, ['_include:recurse', 'Schedule:actor:Practitioner']]);
    assert.ok(ofType(bundle, 'Practitioner').length > 0);
    assert.equal(ofType(bundle, 'Location').length, 0);
  });

  test('restricted schedules are offered only to the organisation type or ODS code they name', async () => {
    const schedulesOf = async (pairs: Pairs) => new Set(ofType(await ok(pairs), 'Slot').map((s) => s.schedule.reference));
    const none = await schedulesOf(BASE);
    assert.ok(!none.has('Schedule/5') && !none.has('Schedule/6'));
    const urgent = await schedulesOf([...BASE, ['searchFilter', `${System.organisationType}|urgent-care`]]);
    assert.ok(urgent.has('Schedule/5') && !urgent.has('Schedule/6') && urgent.has('Schedule/1'));
    const practice = await schedulesOf([...BASE, ['searchFilter', `${System.organisationType}|gp-practice`]]);
    assert.ok(!practice.has('Schedule/5'));
    const chc01 = await schedulesOf([...BASE, ['searchFilter', `${System.odsOrganizationCode}|CHC01`]]);
    assert.ok(chc01.has('Schedule/6') && !chc01.has('Schedule/5'));
    const other = await schedulesOf([...BASE, ['searchFilter', `${System.odsOrganizationCode}|UCC01`]]);
    assert.ok(!other.has('Schedule/6'));
  });

  test('unknown search filters are ignored, not errors', async () => {
    const plain = await ok(BASE);
    const filtered = await ok([...BASE, ['searchFilter', 'https://example.org/unknown|x'], ['searchFilter', 'no-bar-at-all']]);
    assert.deepEqual(filtered, plain);
  });

  test('no free slots in the window → empty Bundle, no Organization', async () => {
    const bundle = await ok(with_(BASE, { start: 'ge2025-10-25', end: 'le2025-10-26' })); // a weekend
    assert.deepEqual(bundle.entry, []);
  });

  test('slots that have already started are not offered', async () => {
    const slots = ofType(await ok(with_(BASE, { start: 'ge2025-10-22', end: 'le2025-10-22' })), 'Slot');
    assert.ok(slots.length > 0);
    for (const s of slots) assert.ok(Date.parse(s.start) > NOW.getTime(), s.start);
  });

  test('datetime bounds with the right offsets narrow the window', async () => {
    const slots = ofType(await ok(with_(BASE, { start: 'ge2025-10-24T10:00:00+01:00', end: 'le2025-10-27T09:45:00+00:00' })), 'Slot');
    assert.ok(slots.length > 0);
    for (const s of slots) {
      assert.ok(Date.parse(s.start) >= Date.parse('2025-10-24T10:00:00+01:00'));
      assert.ok(Date.parse(s.end) <= Date.parse('2025-10-27T09:45:00+00:00'));
    }
    assert.ok(slots.some((s) => s.start === '2025-10-24T10:00:00+01:00'));
    assert.ok(slots.some((s) => s.end === '2025-10-27T09:45:00+00:00'));
  });

  test('ranges of 0, 8 and 14 days are accepted', async () => {
    await ok(with_(BASE, { start: 'ge2025-10-23', end: 'le2025-10-23' }));
    await ok(with_(BASE, { start: 'ge2025-10-23', end: 'le2025-10-31' }));
    await ok(with_(BASE, { start: 'ge2025-10-23', end: 'le2025-11-06' }));
  });
});

describe('GET /Slot: errors (§5.3 de-facto codes)', () => {
  for (const name of ['start', 'end', 'status']) {
    test(`${name} missing → 400 BAD_REQUEST`, () => expectError(with_(BASE, { [name]: null }), 400, SpineError.badRequest));
  }
  test('_include=Slot:schedule missing → 400 BAD_REQUEST', () => expectError(with_(BASE, { _include: null }), 400, SpineError.badRequest));
  test('_include=Slot:schedule missing, only the recurse includes → 400 BAD_REQUEST', () =>
    expectError(with_(BASE, { _include: null }, RECURSE), 400, SpineError.badRequest));

  const invalid: Array<[string, Record<string, string>]> = [
    ['status=busy', { status: 'busy' }],
    ['15 days', { start: 'ge2025-10-23', end: 'le2025-11-07' }],
    ['31 days', { start: 'ge2025-10-23', end: 'le2025-11-23' }],
    ['end before start (-1 day)', { start: 'ge2025-10-24', end: 'le2025-10-23' }],
    ['start prefix gt', { start: 'gt2025-10-23' }],
    ['start prefix eq', { start: 'eq2025-10-23' }],
    ['start prefix lt', { start: 'lt2025-10-23' }],
    ['end prefix ne', { end: 'ne2025-10-28' }],
    ['no prefixes', { start: '2025-10-23', end: '2025-10-28' }],
    ['prefixes swapped', { start: 'le2025-10-23', end: 'ge2025-10-28' }],
    ['year only', { start: 'ge2025' }],
    ['year and month', { end: 'le2025-10' }],
    ['not a date', { start: 'gehello' }],
    ['month 13', { start: 'ge2025-13-01' }],
    ['30 February', { end: 'le2026-02-30' }],
    ['empty start', { start: '' }],
    ['datetime without offset', { start: 'ge2025-10-24T09:00:00' }],
    ['datetime in Z', { start: 'ge2025-10-24T08:00:00Z' }],
    ['GMT offset on a BST date', { start: 'ge2025-10-24T09:00:00+00:00' }],
    ['BST offset on a GMT date', { end: 'le2025-10-28T09:00:00+01:00' }],
    ['an offset that is never UK', { start: 'ge2025-10-24T09:00:00+02:00' }],
    ['hour 25', { start: 'ge2025-10-24T25:00:00+01:00' }],
  ];
  for (const [label, replace] of invalid) {
    test(`${label} → 422 INVALID_PARAMETER`, () => expectError(with_(BASE, replace), 422, SpineError.invalidParameter));
  }
  test('start given twice → 422 INVALID_PARAMETER', () => expectError([...BASE, ['start', 'ge2025-10-24']], 422, SpineError.invalidParameter));
  test('status given twice → 422 INVALID_PARAMETER', () => expectError([...BASE, ['status', 'free']], 422, SpineError.invalidParameter));
});

describe('GET /Slot around the spring clock change', () => {
  test('+00:00 before 29 March 2026, +01:00 after; a GMT offset on a BST date is refused', async () => {
    const spring = new Date('2026-03-26T09:00:00Z'); // Thursday, GMT
    ctx = { ...ctx, state: loadPracticeState('A20047', { now: spring }), now: () => spring };
    const slots = ofType(await ok(with_(BASE, { start: 'ge2026-03-27', end: 'le2026-03-30' })), 'Slot');
    assert.ok(slots.some((s) => s.start === '2026-03-27T09:00:00+00:00'));
    assert.ok(slots.some((s) => s.start === '2026-03-30T09:00:00+01:00'));
    for (const s of slots) assert.match(s.start, s.start.startsWith('2026-03-30') ? /\+01:00$/ : /\+00:00$/);
    await ok(with_(BASE, { start: 'ge2026-03-30T09:00:00+01:00', end: 'le2026-03-30T12:00:00+01:00' }));
    await expectError(with_(BASE, { start: 'ge2026-03-30T09:00:00+00:00', end: 'le2026-03-30' }), 422, SpineError.invalidParameter);
  });
});

describe('GET /Slot with the lawful choices of the conformant variants (context choices)', () => {
  test('acceptAnyOffset reads Z and the other UK offset as the instants they name; no offset is still refused', async () => {
    ctx = { ...ctx, choices: { acceptAnyOffset: true } };
    const named = ofType(await ok(with_(BASE, { start: 'ge2025-10-24T08:00:00Z', end: 'le2025-10-28T09:00:00+01:00' })), 'Slot');
    const asUk = ofType(await ok(with_(BASE, { start: 'ge2025-10-24T09:00:00+01:00', end: 'le2025-10-28T08:00:00+00:00' })), 'Slot');
    assert.ok(named.length > 0, 'no slot in the window');
    assert.deepEqual(named.map((s) => s.id), asUk.map((s) => s.id));
    await expectError(with_(BASE, { start: 'ge2025-10-24T09:00:00' }), 422, SpineError.invalidParameter);
    await expectError(with_(BASE, { start: 'ge2025-10-23', end: 'le2025-11-07' }), 422, SpineError.invalidParameter);
  });
  test('acceptMissingPrefix reads a bound without ge/le as if it had it; a wrong prefix is still refused', async () => {
    ctx = { ...ctx, choices: { acceptMissingPrefix: true } };
    const unprefixed = ofType(await ok(with_(BASE, { start: '2025-10-23', end: '2025-10-28' })), 'Slot');
    assert.ok(unprefixed.length > 0, 'no slot in the window');
    assert.deepEqual(unprefixed.map((s) => s.id), ofType(await ok(BASE), 'Slot').map((s) => s.id));
    await expectError(with_(BASE, { start: 'gt2025-10-23' }), 422, SpineError.invalidParameter);
  });
});

describe('planning horizons', () => {
  test("each schedule's horizon is its first slot's start to its last slot's end, in every practice, and a booking does not move it", () => {
    for (const ods of ['A20047', 'B82617', 'B82618']) {
      const state = loadPracticeState(ods, { now: NOW });
      for (const schedule of state.schedules()) {
        const own = state.slots().filter((s) => s.scheduleId === schedule.id);
        const expected = own.length === 0 ? undefined : { start: own.map((s) => s.start).sort((a, b) => Date.parse(a) - Date.parse(b))[0], end: own.map((s) => s.end).sort((a, b) => Date.parse(b) - Date.parse(a))[0] };
        assert.deepEqual(state.planningHorizon!(schedule.id), expected, `${ods} schedule ${schedule.id}`);
        const free = own.find((s) => s.status === 'free');
        if (free) state.book({ resourceType: 'Appointment', status: 'booked' }, [free.id]);
        assert.deepEqual(loadPracticeState(ods, { now: NOW }).planningHorizon!(schedule.id), expected, `${ods} schedule ${schedule.id}, another state`);
      }
    }
  });
});

describe('the slot window\'s day (a new one moves the window, and Spine in a box then loads each practice again)', () => {
  test('is the day in London, not in UTC, on both sides of the clock changes', () => {
    assert.equal(slotWindowDay(new Date('2026-01-15T23:59:59Z')), '2026-1-15');
    assert.equal(slotWindowDay(new Date('2026-06-15T23:00:00Z')), '2026-6-16'); // 00:00 BST
    assert.equal(slotWindowDay(new Date('2026-06-15T22:59:59Z')), '2026-6-15');
    assert.equal(slotWindowDay(new Date('2026-10-24T23:30:00Z')), '2026-10-25'); // 00:30 BST, the night the clocks go back
  });
});
