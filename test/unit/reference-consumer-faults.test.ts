/**
 * Proof of the reference consumer's fault catalogue (reference/consumer/faults.ts): for every fault,
 * against Spine in a box, the check written from its description holds for the faulty consumer and
 * fails for the conformant one in the same situation; plus organisations, sessions and /organisations.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GpcAppointmentExtension, Interaction, Scope } from '../../src/gpconnect/constants';
import { SpineInABox } from '../../src/spine/spine';
import { practiceAddsNoise, practiceTooSlowToBook } from '../../src/actors/consumer/situations';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { configFromEnv, ConsumerConfigError, type ConsumerConfig } from '../../reference/consumer/config';
import { ReferenceConsumer, type BookingRequest, type ReferenceConsumerOptions } from '../../reference/consumer/consumer';
import { CONSUMER_FAULTS, type ConsumerFaultName } from '../../reference/consumer/faults';
import { PRE_1_2_3_AUDIENCE, SIGNED_JWT_TEST_KEY, SPOILS } from '../../reference/consumer/faults-spoils';
import type { BookingOutcome } from '../../reference/consumer/outcome';
import { startConsumerServer } from '../../reference/consumer/server';
import { accreditForActions, REFERENCE_CONSUMER_ENV } from '../support/reference-consumer-config';
import { addDays, ukToday } from '../../src/gpconnect/dates';

const A20047_ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const NORMAL = '9693632109';
const TO_REGISTER = '9651258500';
const PRACTITIONER = { id: '10019', sdsUserId: '111222333444', sdsRoleProfileId: '444555666777', family: 'Jones', given: ['Claire'], prefix: 'Dr', roleCode: 'R0260' };

let spine: SpineInABox;

function ucc01(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    pdsUrl: spine.urls.pds,
    sdsUrl: spine.urls.sds,
    sspUrl: spine.urls.ssp,
    asid: '200000000359',
    ods: 'UCC01',
    organisationName: 'Riverside Urgent Care Centre',
    organisationType: 'urgent-care',
    organisationPhone: '01632 960 700',
    practitioner: PRACTITIONER,
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** The regional portal: provisioned by RSP01 (the hosting organisation), used by PRT01 and PRT02. */
function portal(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return ucc01({
    asid: '200000000800',
    ods: 'RSP01',
    organisationName: 'Regional Shared Care Record',
    organisationType: undefined,
    organisationPhone: '01632 960 800',
    organisations: [
      { ods: 'PRT01', asid: '200000000801', name: 'Hillside Community Trust', phone: '01632 960 801' },
      { ods: 'PRT02', asid: '200000000802', name: 'Valley Hospice', phone: '01632 960 802' },
    ],
    ...overrides,
  });
}

const header = (e: JournalEntry | undefined, name: string) => (e ? Object.entries(e.requestHeaders).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] : undefined);
const interaction = (e: JournalEntry) => header(e, 'Ssp-InteractionID');
const token = (e: JournalEntry | undefined) => (header(e, 'Authorization') ?? '').replace(/^Bearer\s+/i, '');
const claims = (e: JournalEntry | undefined) => (e?.jwt?.payload ?? {}) as Record<string, any>;

interface Run {
  outcomes: BookingOutcome[];
  all: JournalEntry[];
  pds: JournalEntry[];
  sds: JournalEntry[];
  ssp: JournalEntry[];
  /** The SSP exchanges of one interaction. */
  of(id: string): JournalEntry[];
  /** The request bodies of Book an appointment. */
  bookings(): Array<Record<string, any>>;
  slotSearch(): JournalEntry;
}

interface Case {
  fault: ConsumerFaultName;
  /** The patient (default 9693632109), or several booked one after the other. */
  nhsNumber?: string | string[];
  config?: () => ConsumerConfig;
  request?: Partial<BookingRequest>;
  setup?: () => void;
  options?: () => ReferenceConsumerOptions;
  /** Book this many times (default once, or once per patient); `sessions` makes each booking a new session. */
  bookings?: number;
  sessions?: boolean;
  /** After the bookings, an action besides booking (issue 18) in the last booking's session, on the appointment it booked. */
  then?: (consumer: ReferenceConsumer, appointmentId: string, nhsNumber: string) => Promise<unknown>;
  /** Holds for the faulty consumer, fails for the conformant one. */
  expect: (r: Run) => void;
}

let scenarios = 0;
async function run(c: Case, faults: string[]): Promise<Run> {
  spine.reset();
  const id = `${c.fault}-${faults.length ? 'faulty' : 'conformant'}-${++scenarios}`;
  c.setup?.();
  if (c.then) accreditForActions(spine);
  spine.journal.beginScenario(id);
  const config = { ...(c.config?.() ?? ucc01()), faults: new Set(faults) };
  const outcomes: BookingOutcome[] = [];
  let consumer = new ReferenceConsumer(config, c.options?.());
  const patients = [c.nhsNumber ?? NORMAL].flat();
  for (let i = 0; i < (c.bookings ?? patients.length); i++) {
    if (i > 0 && c.sessions) consumer = new ReferenceConsumer(config, c.options?.());
    outcomes.push(await consumer.bookAppointment({ nhsNumber: patients[i % patients.length], ...c.request }));
  }
  const last = outcomes[outcomes.length - 1];
  if (c.then && last?.outcome === 'booked') await c.then(consumer, last.appointmentId, patients[0]);
  await spine.journal.settled();
  spine.journal.endScenario();
  const all = spine.journal.entries({ scenario: id }).filter((e) => e.service !== 'provider');
  const ssp = all.filter((e) => e.service === 'ssp');
  const of = (i: string) => ssp.filter((e) => interaction(e) === i || (i === Interaction.createAppointment && e.method === 'POST' && /\/Appointment$/.test(e.target)));
  return {
    outcomes,
    all,
    ssp,
    pds: all.filter((e) => e.service === 'pds'),
    sds: all.filter((e) => e.service === 'sds'),
    of,
    bookings: () => of(Interaction.createAppointment).map((e) => JSON.parse(e.requestBody)),
    slotSearch: () => ssp.find((e) => e.target.includes('/Slot?'))!,
  };
}

const cancel: Case['then'] = (consumer, appointmentId, nhsNumber) => consumer.cancelAppointment({ nhsNumber, appointmentId, reason: 'The patient is feeling better' });
const amend: Case['then'] = (consumer, appointmentId, nhsNumber) => consumer.amendAppointment({ nhsNumber, appointmentId, comment: 'Please call the patient on arrival' });
const retrieve: Case['then'] = (consumer, _id, nhsNumber) => consumer.retrieveAppointments({ nhsNumber, window: { start: ukToday(), end: addDays(ukToday(), 13) } });
/** The cancel or amend sent (PUT /Appointment/[id]), its body, and the retrieve sent. */
const put = (r: Run) => r.ssp.find((e) => e.method === 'PUT')!;
const putBody = (r: Run) => JSON.parse(put(r).requestBody);
const retrieved = (r: Run) => r.ssp.find((e) => /\/Patient\/[^/?]+\/Appointment\?/.test(e.target))!;

const daysOf = (target: string) => {
  const start = /start=ge(\d{4}-\d\d-\d\d)/.exec(target)?.[1] ?? '';
  const end = /end=le(\d{4}-\d\d-\d\d)/.exec(target)?.[1] ?? '';
  return (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1;
};

/** Every booking attempt's slot is taken by someone else just before it is sent (409). */
function takeEverySlotBooked(): ReferenceConsumerOptions {
  return {
    beforeSend: (draft) => {
      if (draft.interaction !== Interaction.createAppointment) return;
      const ref = (draft.body as { slot: Array<{ reference: string }> }).slot[0].reference.replace(/^Slot\//, '');
      const slot = spine.practice('A20047')!.state.slotById(ref);
      if (slot) slot.status = 'busy';
    },
  };
}

const CASES: Case[] = [
  // PDS
  { fault: 'skip-pds-trace', expect: (r) => assert.ok(r.pds.length === 0 && r.ssp.length > 0) },
  { fault: 'pds-without-request-id', expect: (r) => assert.ok(r.pds.length === 1 && r.pds[0].status === 400 && r.sds.length === 0 && r.ssp.length === 0) },
  { fault: 'pds-without-authorization', expect: (r) => assert.ok(header(r.pds[0], 'Authorization') === undefined && r.pds[0].status === 200 && r.ssp.length > 0) },
  { fault: 'sds-before-pds', expect: (r) => assert.equal(r.all[0].service, 'sds') },
  { fault: 'keeps-superseded-number', nhsNumber: '9658220223', expect: (r) => assert.ok(r.ssp.some((e) => e.target.includes('9658220223') || (e.requestBody ?? '').includes('9658220223'))) },
  { fault: 'ignore-pds-not-found', nhsNumber: '9999999999', expect: (r) => assert.ok(r.pds[0].status === 404 && r.ssp.length > 0) },
  // SDS
  { fault: 'sds-by-own-ods', expect: (r) => assert.match(r.sds[0].target, /ods-organization-code%7CUCC01/) },
  { fault: 'sds-structured-interaction', expect: (r) => assert.match(r.sds[0].target, /gpc\.getstructuredrecord-1/) },
  { fault: 'sds-without-apikey', expect: (r) => assert.ok(header(r.sds[0], 'apikey') === undefined && r.sds[0].status === 401 && r.ssp.length === 0) },
  { fault: 'skip-device-lookup', expect: (r) => assert.ok(!r.sds.some((e) => e.target.includes('/Device')) && header(r.ssp[0], 'Ssp-To') === '918999198993') },
  { fault: 'sds-cached-across-patients', nhsNumber: [NORMAL, '9733162043'], expect: (r) => assert.equal(r.sds.length, 2) },
  {
    fault: 'default-endpoint-when-none',
    setup: () => spine.amendDirectory((d) => d.mhs.filter((m) => m.organisation === 'A20047').forEach((m) => delete m.address)),
    expect: (r) => assert.ok(r.ssp.length > 0 && r.ssp[0].target.startsWith(`/${A20047_ROOT}/`)),
  },
  // SSP
  { fault: 'bypass-ssp', expect: (r) => assert.ok(r.ssp.length === 0 && r.outcomes[0].outcome === 'error' && r.outcomes[0].step === '3a') },
  { fault: 'add-port-to-root', expect: (r) => assert.ok(r.ssp[0].target.startsWith('/https://gpc.a20047.practice.test:443/A20047/')) },
  { fault: 'ssp-to-party-key', expect: (r) => assert.equal(header(r.ssp[0], 'Ssp-To'), 'A20047-821870') },
  { fault: 'stamp-hosting-asid', config: portal, request: { organisation: 'PRT01' }, expect: (r) => assert.equal(header(r.ssp[0], 'Ssp-From'), '200000000800') },
  { fault: 'reuse-trace-id', expect: (r) => assert.ok(r.ssp.length > 1 && new Set(r.ssp.map((e) => header(e, 'Ssp-TraceID'))).size === 1) },
  { fault: 'wrong-interaction-id', expect: (r) => assert.equal(interaction(r.of(Interaction.createAppointment)[0]), Interaction.searchSlot) },
  { fault: 'json-content-type', expect: (r) => assert.equal(header(r.of(Interaction.createAppointment)[0]!, 'Content-Type'), 'application/json') },
  { fault: 'unencoded-pipe', expect: (r) => assert.match(r.slotSearch().target, /ods-organization-code\|UCC01/) },
  // JWT
  {
    fault: 'signed-jwt',
    expect: (r) => {
      const [h, p, s] = token(r.ssp[0]).split('.');
      assert.equal(r.ssp[0].jwt?.header?.alg, 'HS256');
      assert.equal(s, createHmac('sha256', SIGNED_JWT_TEST_KEY).update(`${h}.${p}`).digest('base64url'));
    },
  },
  { fault: 'no-trailing-dot', expect: (r) => assert.equal(token(r.ssp[0]).split('.').length, 2) },
  { fault: 'one-hour-expiry', expect: (r) => assert.equal(claims(r.ssp[0]).exp - claims(r.ssp[0]).iat, 3600) },
  { fault: 'stale-token', expect: (r) => assert.ok(claims(r.ssp[0]).iat <= Date.now() / 1000 - 590) },
  { fault: 'fixed-audience', expect: (r) => assert.equal(claims(r.ssp[0]).aud, PRE_1_2_3_AUDIENCE) },
  { fault: 'reason-administrative', expect: (r) => assert.equal(claims(r.ssp[0]).reason_for_request, 'administrative') },
  { fault: 'wrong-scope', expect: (r) => assert.equal(claims(r.of(Interaction.createAppointment)[0]).requested_scope, Scope.patientRead) },
  { fault: 'no-iss', expect: (r) => assert.ok(!('iss' in claims(r.ssp[0]))) },
  { fault: 'device-without-identifier', expect: (r) => assert.equal(claims(r.ssp[0]).requesting_device.identifier, undefined) },
  { fault: 'r4-device-claim', expect: (r) => assert.deepEqual(claims(r.ssp[0]).requesting_device.deviceName, [{ name: claims(r.ssp[0]).requesting_device.model, type: 'model-name' }]) },
  { fault: 'organisation-without-ods', expect: (r) => assert.equal(claims(r.ssp[0]).requesting_organization.identifier[0].system, 'https://fhir.nhs.uk/Id/ods-site-code') },
  {
    fault: 'hosting-organisation-in-jwt',
    config: portal,
    request: { organisation: 'PRT01' },
    expect: (r) => assert.equal(claims(r.ssp[0]).requesting_organization.identifier[0].value, 'RSP01'),
  },
  { fault: 'system-user', expect: (r) => assert.equal(claims(r.ssp[0]).requesting_practitioner.id, 'system') },
  { fault: 'no-local-user-id', expect: (r) => assert.deepEqual(claims(r.ssp[0]).requesting_practitioner.identifier.map((i: any) => i.system), ['https://fhir.nhs.uk/Id/sds-user-id', 'https://fhir.nhs.uk/Id/sds-role-profile-id']) },
  {
    fault: 'retry-with-same-jwt',
    setup: () => practiceTooSlowToBook(spine, 'A20047'),
    expect: (r) => {
      const tries = r.of(Interaction.createAppointment);
      assert.ok(tries.length === 2 && tries.every((e) => e.status === 504), tries.map((e) => e.status).join());
      assert.equal(header(tries[1], 'Authorization'), header(tries[0], 'Authorization'));
      assert.notEqual(header(tries[1], 'Ssp-TraceID'), header(tries[0], 'Ssp-TraceID'));
    },
  },
  {
    fault: 'fixed-system-user',
    request: { user: { id: 'asked-user-1', family: 'Okafor', given: 'Ada', sdsUserId: '123456789012', sdsRoleProfileId: '210987654321' } },
    expect: (r) => {
      const p = claims(r.ssp[0]).requesting_practitioner;
      assert.equal(p.id, PRACTITIONER.id);
      assert.deepEqual(p.identifier.map((i: any) => i.value), [PRACTITIONER.sdsUserId, PRACTITIONER.sdsRoleProfileId, PRACTITIONER.id]);
    },
  },
  { fault: 'sub-is-sds-user-id', expect: (r) => assert.equal(claims(r.ssp[0]).sub, PRACTITIONER.sdsUserId) },
  // Slots
  { fault: 'slot-bounds-as-utc', expect: (r) => assert.match(r.slotSearch().target, /start=ge[0-9]{4}-[0-9]{2}-[0-9]{2}T00%3A00%3A00Z&end=le[0-9-]{10}T00%3A00%3A00Z/) },
  { fault: 'no-org-type-filter', expect: (r) => assert.ok(!r.slotSearch().target.includes('GPConnect-OrganisationType-1')) },
  {
    fault: 'rejects-unknown-extensions',
    setup: () => practiceAddsNoise(spine, 'A20047'),
    expect: (r) => assert.ok(r.outcomes[0].outcome === 'error' && r.outcomes[0].code === 'UNKNOWN_EXTENSION'),
  },
  { fault: 'no-schedule-include', expect: (r) => assert.doesNotMatch(r.slotSearch().target, /_include=Slot%3Aschedule/) },
  { fault: 'window-28-days', expect: (r) => assert.equal(daysOf(r.slotSearch().target), 28) },
  { fault: 'no-second-window', request: { window: { start: '2020-01-06', end: '2020-01-10' } }, expect: (r) => assert.equal(r.of(Interaction.searchSlot).length, 1) },
  // Find or register
  { fault: 'register-always', expect: (r) => assert.ok(r.of(Interaction.searchPatient).length === 0 && r.of(Interaction.registerPatient).length === 1) },
  {
    fault: 'book-without-registering',
    nhsNumber: TO_REGISTER,
    expect: (r) => assert.ok(r.of(Interaction.registerPatient).length === 0 && r.bookings()[0].participant.some((p: any) => p.actor.reference === `Patient/${TO_REGISTER}`)),
  },
  {
    fault: 'register-marital-status',
    nhsNumber: TO_REGISTER,
    expect: (r) => assert.equal(JSON.parse(r.of(Interaction.registerPatient)[0].requestBody).parameter[0].resource.maritalStatus?.coding?.[0]?.code, 'M'),
  },
  // Booking
  { fault: 'book-patient-nhs-number', expect: (r) => assert.equal(r.bookings()[0].participant[0].actor.reference, `Patient/${NORMAL}`) },
  { fault: 'no-location-participant', expect: (r) => assert.ok(!r.bookings()[0].participant.some((p: any) => p.actor.reference.startsWith('Location/'))) },
  { fault: 'no-booking-organisation', expect: (r) => assert.ok(r.bookings()[0].extension === undefined && r.bookings()[0].contained === undefined) },
  { fault: 'booking-without-created', expect: (r) => assert.ok(!('created' in r.bookings()[0]) && r.of(Interaction.createAppointment)[0].status === 422) },
  { fault: 'long-description', expect: (r) => assert.equal(r.bookings()[0].description.length, 150) },
  { fault: 'slot-times-as-utc', expect: (r) => assert.match(r.bookings()[0].start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) },
  {
    fault: 'rebook-same-slot-on-409',
    options: takeEverySlotBooked,
    expect: (r) => {
      const slots = r.bookings().map((b) => b.slot[0].reference);
      assert.ok(slots.length > new Set(slots).size, `the same slot booked again: ${slots.join(', ')}`);
    },
  },
  // Outcomes and errors
  {
    fault: 'swallow-errors',
    options: takeEverySlotBooked,
    expect: (r) => assert.ok(r.outcomes[0].outcome === 'booked' && r.of(Interaction.createAppointment).every((e) => e.status >= 400)),
  },
  {
    fault: 'retry-on-403',
    // CHC01 has a data sharing agreement with A20047 only; 9658218881 is registered at B82617.
    config: () => ucc01({ asid: '200000000401', ods: 'CHC01', organisationName: 'Northside Clinic' }),
    nhsNumber: '9658218881',
    expect: (r) => assert.ok(r.ssp.length > 1 && r.ssp.every((e) => e.status === 403)),
  },
  { fault: 'retry-5xx-forever', setup: () => spine.makeUnreachable('A20047'), expect: (r) => assert.ok(r.ssp.length > 4 && r.ssp.every((e) => e.status === 502)) },
  { fault: 'cache-across-sessions', bookings: 2, sessions: true, expect: (r) => assert.equal(r.pds.length, 1) },
  // Cancel, amend and retrieve (issue 18)
  { fault: 'cancel-as-update', then: cancel, expect: (r) => assert.equal(interaction(put(r)), Interaction.updateAppointment) },
  { fault: 'cancel-with-read-scope', then: cancel, expect: (r) => assert.equal(claims(put(r)).requested_scope, Scope.patientRead) },
  { fault: 'cancel-keeps-status', then: cancel, expect: (r) => assert.equal(putBody(r).status, 'booked') },
  { fault: 'cancel-without-reason', then: cancel, expect: (r) => assert.ok(!(putBody(r).extension ?? []).some((x: any) => x.url === GpcAppointmentExtension.cancellationReason)) },
  { fault: 'cancel-changes-description', then: cancel, expect: (r) => assert.match(putBody(r).description, /^CANCELLED: /) },
  { fault: 'cancel-stale-if-match', then: cancel, expect: (r) => assert.equal(header(put(r), 'If-Match'), 'W/"0"') },
  { fault: 'amend-as-cancel', then: amend, expect: (r) => assert.equal(interaction(put(r)), Interaction.cancelAppointment) },
  { fault: 'amend-with-read-scope', then: amend, expect: (r) => assert.equal(claims(put(r)).requested_scope, Scope.patientRead) },
  { fault: 'amend-moves-start', then: amend, expect: (r) => assert.notEqual(Date.parse(putBody(r).start), Date.parse(JSON.parse(r.of(Interaction.readAppointment)[0]!.responseBody).start)) },
  { fault: 'amend-with-cancellation-reason', then: amend, expect: (r) => assert.ok((putBody(r).extension ?? []).some((x: any) => x.url === GpcAppointmentExtension.cancellationReason)) },
  { fault: 'amend-long-comment', then: amend, expect: (r) => assert.equal(putBody(r).comment.length, 600) },
  { fault: 'amend-stale-if-match', then: amend, expect: (r) => assert.equal(header(put(r), 'If-Match'), 'W/"0"') },
  { fault: 'retrieve-as-read', then: retrieve, expect: (r) => assert.equal(interaction(retrieved(r)), Interaction.readAppointment) },
  { fault: 'retrieve-with-write-scope', then: retrieve, expect: (r) => assert.equal(claims(retrieved(r)).requested_scope, Scope.patientWrite) },
  { fault: 'retrieve-without-end', then: retrieve, expect: (r) => assert.doesNotMatch(retrieved(r).target, /start=le/) },
  { fault: 'retrieve-with-date-times', then: retrieve, expect: (r) => assert.match(retrieved(r).target, /start=ge\d{4}-\d\d-\d\dT00%3A00%3A00/) },
  { fault: 'retrieve-from-yesterday', then: retrieve, expect: (r) => assert.match(retrieved(r).target, new RegExp(`start=ge${addDays(ukToday(), -1)}&`)) },
];

before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
});
after(async () => {
  await spine?.stop();
});
beforeEach(() => {
  spine.reset();
});

describe('reference consumer fault catalogue', () => {
  it('names each fault once, with a CONS-* requirement and a one-sentence description; every request fault has its spoil', () => {
    const names = CONSUMER_FAULTS.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    for (const f of CONSUMER_FAULTS) {
      assert.match(f.requirement, /^CONS-[A-Z-]+$/, f.name);
      assert.match(f.description, /^[A-Z].*\.$/, f.name);
      assert.equal(f.kind === 'request', f.name in SPOILS, f.name);
    }
    assert.deepEqual(Object.keys(SPOILS).filter((n) => !names.includes(n)), []);
  });

  it('has a proof below for every fault', () => {
    assert.deepEqual(
      CONSUMER_FAULTS.map((f) => f.name).filter((n) => !CASES.some((c) => c.fault === n)),
      [],
    );
  });

  it('refuses an unknown fault, naming the known ones', () => {
    assert.throws(() => new ReferenceConsumer(ucc01({ faults: new Set(['no-such-fault']) })), /no-such-fault.*known: skip-pds-trace, /);
    const env = REFERENCE_CONSUMER_ENV;
    assert.throws(() => configFromEnv({ ...env, GPC_CONSUMER_FAULTS: 'signed-jwt, bogus' }), (e: unknown) => e instanceof ConsumerConfigError && /bogus.*known: skip-pds-trace/.test(e.message));
    const c = configFromEnv({
      ...env,
      GPC_CONSUMER_FAULTS: 'signed-jwt,no-iss',
      GPC_CONSUMER_DEFAULT_PRACTICE: 'B82617',
      GPC_CONSUMER_PROVIDER_ASIDS: '{"B82617":"918999198738"}',
      GPC_CONSUMER_ORGANISATIONS: '[{"ods":"PRT01","asid":"200000000801","name":"Hillside Community Trust","phone":"01632 960 801"}]',
    });
    assert.deepEqual([...c.faults!], ['signed-jwt', 'no-iss']);
    assert.equal(c.defaultPracticeOds, 'B82617');
    assert.deepEqual(c.providerAsids, { B82617: '918999198738' });
    assert.equal(c.organisations?.[0].asid, '200000000801');
    assert.throws(() => configFromEnv({ ...env, GPC_CONSUMER_ORGANISATIONS: '[{"ods":"PRT01"}]', GPC_CONSUMER_PROVIDER_ASIDS: '[]' }), (e: unknown) => e instanceof ConsumerConfigError && e.problems.length === 2);
  });

  for (const c of CASES) {
    const info = CONSUMER_FAULTS.find((f) => f.name === c.fault)!;
    it(`${c.fault} (${info.requirement}): ${info.description}`, async () => {
      const faulty = await run(c, [c.fault]);
      c.expect(faulty);
      const conformant = await run(c, []);
      assert.throws(() => c.expect(conformant), assert.AssertionError, 'the check must fail for the conformant consumer');
    });
  }
});

describe('reference consumer: several organisations (a portal)', () => {
  it("books from the organisation asked for: its ASID, its ODS code in the JWT, the search filter and the booking organisation", async () => {
    spine.journal.beginScenario('portal-prt01');
    const outcome = await new ReferenceConsumer(portal()).bookAppointment({ nhsNumber: NORMAL, organisation: 'PRT01' });
    await spine.journal.settled();
    spine.journal.endScenario();
    assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
    const ssp = spine.journal.entries({ scenario: 'portal-prt01' }).filter((e) => e.service === 'ssp');
    assert.equal(ssp.length, 4);
    for (const e of ssp) {
      assert.equal(header(e, 'Ssp-From'), '200000000801');
      assert.equal(claims(e).requesting_organization.identifier[0].value, 'PRT01');
      assert.equal(claims(e).requesting_organization.name, 'Hillside Community Trust');
    }
    assert.match(ssp[1].target, /searchFilter=https%3A%2F%2Ffhir\.nhs\.uk%2FId%2Fods-organization-code%7CPRT01/);
    const booking = JSON.parse(ssp[3].requestBody);
    assert.equal(booking.contained[0].identifier[0].value, 'PRT01');
    assert.equal(booking.contained[0].telecom[0].value, '01632 960 801');
  });

  it('an organisation it does not serve is an error naming the known ones, before anything is sent', async () => {
    spine.journal.beginScenario('portal-unknown');
    const outcome = await new ReferenceConsumer(portal()).bookAppointment({ nhsNumber: NORMAL, organisation: 'XYZ99' });
    spine.journal.endScenario();
    assert.equal(outcome.outcome, 'error');
    if (outcome.outcome !== 'error') return;
    assert.equal(outcome.code, 'UNKNOWN_ORGANISATION');
    assert.match(outcome.message, /XYZ99.*RSP01, PRT01, PRT02/);
    assert.equal(spine.journal.entries({ scenario: 'portal-unknown' }).length, 0);
  });

  it('the hosting organisation has no agreement of its own: its requests are refused (what stamp-hosting-asid meets)', async () => {
    const outcome = await new ReferenceConsumer(portal()).bookAppointment({ nhsNumber: NORMAL });
    assert.equal(outcome.outcome === 'error' && outcome.status, 403);
  });
});

describe('reference consumer: sessions and organisations over HTTP', () => {
  it('GET /organisations lists the hosting organisation first; each session has its own cache; the default session is shared', async () => {
    const server = await startConsumerServer({ consumer: new ReferenceConsumer(portal()), maxSessions: 2 });
    try {
      const orgs = await (await fetch(`${server.origin}/organisations`)).json();
      assert.deepEqual(orgs, [
        { ods: 'RSP01', name: 'Regional Shared Care Record' },
        { ods: 'PRT01', name: 'Hillside Community Trust' },
        { ods: 'PRT02', name: 'Valley Hospice' },
      ]);
      const book = async (body: Record<string, unknown>) =>
        (await fetch(`${server.origin}/book`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ nhsNumber: NORMAL, organisation: 'PRT01', ...body }) })).json();
      const pdsCalls = async (work: () => Promise<unknown>) => {
        spine.journal.clear();
        await work();
        await spine.journal.settled();
        return spine.journal.entries({ service: 'pds' }).length;
      };
      assert.equal(await pdsCalls(() => book({ session: 'alice' })), 1);
      assert.equal(await pdsCalls(() => book({ session: 'alice' })), 0, 'the same session reuses its trace');
      assert.equal(await pdsCalls(() => book({ session: 'bob' })), 1, 'a new session traces again');
      assert.equal(await pdsCalls(() => fetch(`${server.origin}/slots?nhsNumber=${NORMAL}&session=bob&organisation=PRT01`).then((r) => r.json())), 0);
      assert.equal(await pdsCalls(() => book({})), 1);
      assert.equal(await pdsCalls(() => book({})), 0, 'no session: the one default session');
      await book({ session: 'carol' }); // beyond maxSessions 2: alice, the oldest, is dropped
      assert.equal(await pdsCalls(() => book({ session: 'alice' })), 1);
      const bad = await fetch(`${server.origin}/book`, { method: 'POST', body: JSON.stringify({ nhsNumber: NORMAL, session: 'x'.repeat(101) }) });
      assert.equal(bad.status, 400);
      const badOrg = await fetch(`${server.origin}/slots?nhsNumber=${NORMAL}&organisation=not%20an%20ods`);
      assert.equal(badOrg.status, 400);
      const unknown = await book({ organisation: 'XYZ99' });
      assert.equal(unknown.code, 'UNKNOWN_ORGANISATION');
    } finally {
      await server.close();
    }
  });
});
