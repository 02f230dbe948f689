import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Interaction, Jwt, SCOPE_FOR_INTERACTION } from '../../src/gpconnect/constants';
import { SpineInABox } from '../../src/spine/spine';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { configFromEnv, ConsumerConfigError, type ConsumerConfig } from '../../reference/consumer/config';
import { ReferenceConsumer } from '../../reference/consumer/consumer';
import { startConsumerServer, type RunningConsumerServer } from '../../reference/consumer/server';
import { accreditForActions, referenceConsumerConfig, UCC01 } from '../support/reference-consumer-config';

const A20047_ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';

let spine: SpineInABox;

function config(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return referenceConsumerConfig(spine, overrides);
}

const sspEntries = (): JournalEntry[] => spine.journal.entries({ service: 'ssp' });
const header = (e: JournalEntry, name: string) => Object.entries(e.requestHeaders).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
});
after(async () => {
  await spine?.stop();
});
beforeEach(() => {
  spine.reset();
  spine.journal.clear();
});

describe('reference consumer: the worked example', () => {
  it('books the first free slot for a patient the practice holds, every request conformant', async () => {
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '9693632109' });
    assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
    if (outcome.outcome !== 'booked') return;
    assert.equal(outcome.patientId, '3');
    assert.equal(outcome.registered, false);
    assert.ok(outcome.appointmentId);
    await spine.journal.settled();

    // 1a, 2a, 2c before anything through the SSP.
    const pds = spine.journal.entries({ service: 'pds' });
    assert.equal(pds.length, 1);
    assert.match(pds[0].target, /\/Patient\/9693632109$/);
    const sds = spine.journal.entries({ service: 'sds' });
    assert.deepEqual(sds.map((e) => e.target.split('?')[0].split('/').pop()), ['Endpoint', 'Device']);
    assert.ok(sds.every((e) => e.status === 200));
    assert.match(sds[1].target, /identifier=https%3A%2F%2Ffhir\.nhs\.uk%2FId%2FnhsMhsPartyKey%7CA20047-821870/);

    const ssp = sspEntries();
    assert.deepEqual(
      ssp.map((e) => header(e, 'Ssp-InteractionID')),
      [Interaction.readMetadata, Interaction.searchSlot, Interaction.searchPatient, Interaction.createAppointment],
    );
    const traceIds = new Set<string>();
    for (const e of ssp) {
      assert.ok(e.status < 400, `${e.method} ${e.target} -> ${e.status}: ${e.responseBody.slice(0, 300)}`);
      assert.ok(e.target.startsWith(`/${A20047_ROOT}/`), e.target);
      assert.equal(header(e, 'Ssp-From'), UCC01.asid);
      assert.equal(header(e, 'Ssp-To'), '918999198993');
      traceIds.add(header(e, 'Ssp-TraceID') ?? '');
      const jwt = e.jwt!;
      assert.deepEqual(jwt.problems, []);
      assert.equal(jwt.header?.alg, 'none');
      assert.ok(header(e, 'Authorization')!.endsWith('.'));
      const claims = jwt.payload!;
      assert.equal(claims.aud, A20047_ROOT);
      assert.equal((claims.exp as number) - (claims.iat as number), Jwt.lifetimeSeconds);
      assert.equal(claims.reason_for_request, 'directcare');
      assert.equal(claims.requested_scope, SCOPE_FOR_INTERACTION[header(e, 'Ssp-InteractionID')!]);
      assert.equal(claims.sub, (claims.requesting_practitioner as { id: string }).id);
    }
    assert.equal(traceIds.size, ssp.length, 'a fresh Ssp-TraceID per request');
    const search = ssp[1].target;
    assert.match(search, /status=free&start=ge\d{4}-\d\d-\d\d&end=le\d{4}-\d\d-\d\d&_include=Slot%3Aschedule/);
    assert.match(search, /searchFilter=https%3A%2F%2Ffhir\.nhs\.uk%2FId%2Fods-organization-code%7CUCC01/);
    assert.match(ssp[2].target, /\/Patient\?identifier=https%3A%2F%2Ffhir\.nhs\.uk%2FId%2Fnhs-number%7C9693632109$/);
    const booked = JSON.parse(ssp[3].requestBody);
    assert.equal(booked.start, outcome.slot.start);
    assert.equal(booked.end, outcome.slot.end);
    assert.ok(booked.description.length <= 100);
    assert.equal(ssp[3].status, 201);
  });

  it('registers a patient PDS has at A20047 but the practice does not hold, then books with the new id', async () => {
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '9651258500' });
    assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
    if (outcome.outcome !== 'booked') return;
    assert.equal(outcome.registered, true);
    await spine.journal.settled();
    const ssp = sspEntries();
    assert.deepEqual(
      ssp.map((e) => header(e, 'Ssp-InteractionID')),
      [Interaction.readMetadata, Interaction.searchSlot, Interaction.searchPatient, Interaction.registerPatient, Interaction.createAppointment],
    );
    assert.ok(ssp.every((e) => e.status < 400), ssp.map((e) => `${e.status} ${e.responseBody.slice(0, 200)}`).join('\n'));
    const book = JSON.parse(ssp[4].requestBody);
    assert.ok(book.participant.some((p: { actor: { reference: string } }) => p.actor.reference === `Patient/${outcome.patientId}`));
  });

  it('reuses the PDS trace, SDS answers and CapabilityStatement within a session, unless caching is off', async () => {
    const consumer = new ReferenceConsumer(config());
    assert.equal((await consumer.bookAppointment({ nhsNumber: '9733162043' })).outcome, 'booked');
    assert.equal((await consumer.bookAppointment({ nhsNumber: '9733162043' })).outcome, 'booked');
    await spine.journal.settled();
    assert.equal(spine.journal.entries({ service: 'pds' }).length, 1);
    assert.equal(spine.journal.entries({ service: 'sds' }).length, 2);
    assert.equal(sspEntries().filter((e) => header(e, 'Ssp-InteractionID') === Interaction.readMetadata).length, 1);

    spine.journal.clear();
    const uncached = new ReferenceConsumer(config({ cache: false }));
    await uncached.bookAppointment({ nhsNumber: '9733162043' });
    await uncached.bookAppointment({ nhsNumber: '9733162043' });
    await spine.journal.settled();
    assert.equal(spine.journal.entries({ service: 'pds' }).length, 2);
    assert.equal(sspEntries().filter((e) => header(e, 'Ssp-InteractionID') === Interaction.readMetadata).length, 2);
  });

  it('searches the next window once when the one given has no free slot', async () => {
    const past = { start: '2020-01-06', end: '2020-01-10' };
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '9693632109', window: past });
    assert.equal(outcome.outcome, 'error');
    if (outcome.outcome !== 'error') return;
    assert.equal(outcome.step, '4a');
    assert.equal(outcome.code, 'NO_FREE_SLOTS');
    await spine.journal.settled();
    const searches = sspEntries().filter((e) => header(e, 'Ssp-InteractionID') === Interaction.searchSlot);
    assert.equal(searches.length, 2);
    assert.match(searches[1].target, /start=ge2020-01-11&end=le2020-01-15/);
  });
});

describe('reference consumer: stopping without booking', () => {
  const cases: Array<[string, string, string]> = [
    ['restricted', '9000000025', 'RESTRICTED'],
    ['deceased', '9658220290', 'DECEASED'],
    ['not found', '9999999999', 'RESOURCE_NOT_FOUND'],
    ['invalidated', '9990003343', 'INVALIDATED_RESOURCE'],
    ['without a registered practice', '9732110317', 'NO_REGISTERED_PRACTICE'],
  ];
  for (const [kind, nhsNumber, code] of cases) {
    it(`a ${kind} patient (${nhsNumber}) is an error at 1a and nothing goes to the SSP`, async () => {
      const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber });
      assert.equal(outcome.outcome, 'error');
      if (outcome.outcome !== 'error') return;
      assert.equal(outcome.step, '1a');
      assert.equal(outcome.code, code, outcome.message);
      await spine.journal.settled();
      assert.equal(sspEntries().length, 0);
      assert.equal(spine.journal.entries({ service: 'sds' }).length, 0);
    });
  }

  it('a superseded NHS number (9658220223) goes on under the number of the record PDS answered (9658220215)', async () => {
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '9658220223' });
    await spine.journal.settled();
    const ssp = sspEntries();
    assert.ok(ssp.length > 0, JSON.stringify(outcome));
    assert.ok(ssp.every((e) => !e.target.includes('9658220223') && !(e.requestBody ?? '').includes('9658220223')));
    assert.ok(ssp.some((e) => e.target.includes('9658220215')));
  });

  it('an invalid NHS number is refused before PDS is asked', async () => {
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '1234567890' });
    assert.equal(outcome.outcome === 'error' && outcome.step, '1a');
    await spine.journal.settled();
    assert.equal(spine.journal.size, 0);
  });

  it('no data sharing agreement: one 403 from the SSP, an error outcome, no retry', async () => {
    // CHC01 has an agreement with A20047 only; 9658218881 is registered at B82617.
    const chc01 = config({ asid: '200000000401', ods: 'CHC01', organisationName: 'Northside Clinic' });
    const outcome = await new ReferenceConsumer(chc01).bookAppointment({ nhsNumber: '9658218881' });
    assert.equal(outcome.outcome, 'error');
    if (outcome.outcome !== 'error') return;
    assert.equal(outcome.step, '3a');
    assert.equal(outcome.status, 403);
    assert.match(outcome.code ?? '', /^FOT_CHECK_FAILED_MESSAGESENDER_200000000401_MESSAGERECEIVER_918999198738$/);
    await spine.journal.settled();
    assert.equal(sspEntries().length, 1);
  });

  it('a provider the SSP cannot reach is a 502 error outcome at the step it happened', async () => {
    spine.makeUnreachable('A20047');
    const outcome = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: '9693632109' });
    assert.equal(outcome.outcome === 'error' && outcome.status, 502);
    await spine.journal.settled();
    assert.equal(sspEntries().length, 1);
  });

  it('a 409 on booking: one fresh search and one more attempt, then an error', async () => {
    // First book a slot, so that there is one already taken.
    let bookings = 0;
    const consumer = new ReferenceConsumer(config(), {
      beforeSend: (draft) => {
        if (draft.interaction !== Interaction.createAppointment) return;
        bookings++;
      },
    });
    const first = await consumer.bookAppointment({ nhsNumber: '9693632109' });
    assert.equal(first.outcome, 'booked');
    if (first.outcome !== 'booked') return;
    spine.journal.clear();
    const taken = first.slot;
    // Then spoil every booking's slot reference into the taken one, through the beforeSend hook.
    const spoiling = new ReferenceConsumer(config(), {
      beforeSend: (draft) => {
        if (draft.interaction !== Interaction.createAppointment) return;
        const body = draft.body as Record<string, unknown>;
        return { ...draft, body: { ...body, slot: [{ reference: `Slot/${taken.id}` }], start: taken.start, end: taken.end } };
      },
    });
    const outcome = await spoiling.bookAppointment({ nhsNumber: '9693632109' });
    assert.equal(outcome.outcome, 'error');
    if (outcome.outcome !== 'error') return;
    assert.equal(outcome.step, '6a');
    assert.equal(outcome.status, 409);
    await spine.journal.settled();
    const ids = sspEntries().map((e) => header(e, 'Ssp-InteractionID'));
    assert.equal(ids.filter((i) => i === Interaction.createAppointment).length, 2);
    assert.equal(ids.filter((i) => i === Interaction.searchSlot).length, 2);
    assert.equal(bookings, 1);
  });
});

describe('reference consumer: configuration from the environment', () => {
  const env = {
    GPC_CONSUMER_PDS_URL: 'http://127.0.0.1:1/pds/',
    GPC_CONSUMER_SDS_URL: 'http://127.0.0.1:2/sds',
    GPC_CONSUMER_SSP_URL: 'http://127.0.0.1:3',
    GPC_CONSUMER_ASID: '200000000359',
    GPC_CONSUMER_ODS: 'UCC01',
    GPC_CONSUMER_ORG_NAME: 'Riverside Urgent Care Centre',
    GPC_CONSUMER_ORG_PHONE: '01632 960 700',
    GPC_CONSUMER_ORG_TYPE: 'urgent-care',
    GPC_CONSUMER_PRACTITIONER_ID: '10019',
    GPC_CONSUMER_SDS_USER_ID: '111222333444',
    GPC_CONSUMER_SDS_ROLE_PROFILE_ID: '444555666777',
    GPC_CONSUMER_PRACTITIONER_FAMILY: 'Jones',
    GPC_CONSUMER_PRACTITIONER_GIVEN: 'Claire, Anne',
    GPC_CONSUMER_ROLE_CODE: 'R0260',
    GPC_CONSUMER_CACHE: 'false',
  };
  it('reads every GPC_CONSUMER_* variable', () => {
    const c = configFromEnv(env);
    assert.equal(c.pdsUrl, 'http://127.0.0.1:1/pds');
    assert.deepEqual(c.practitioner.given, ['Claire', 'Anne']);
    assert.equal(c.cache, false);
    assert.equal(c.organisationType, 'urgent-care');
  });
  it('names every missing or bad variable', () => {
    assert.throws(
      () => configFromEnv({ ...env, GPC_CONSUMER_SSP_URL: '', GPC_CONSUMER_ASID: 'abc', GPC_CONSUMER_TLS_CA: 'x' }),
      (e: unknown) => e instanceof ConsumerConfigError && e.problems.length === 3 && /GPC_CONSUMER_SSP_URL/.test(e.message) && /GPC_CONSUMER_ASID/.test(e.message) && /TLS/.test(e.message),
    );
  });
});

describe('reference consumer: the HTTP hook and UI endpoints', () => {
  let server: RunningConsumerServer;
  before(async () => {
    server = await startConsumerServer({ consumer: new ReferenceConsumer(config()), port: 0 });
  });
  after(async () => {
    await server?.close();
  });
  const post = (body: string) => fetch(`${server.origin}/book`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

  it('POST /book books and answers the outcome', async () => {
    const res = await post(JSON.stringify({ nhsNumber: '9693632109' }));
    assert.equal(res.status, 200);
    const outcome = await res.json();
    assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
  });

  it('POST /book answers 200 with an error outcome', async () => {
    const res = await post(JSON.stringify({ nhsNumber: '9000000025' }));
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).step, '1a');
  });

  it('POST /book answers 400 to a malformed request', async () => {
    for (const body of ['not json', '[]', '{}', JSON.stringify({ nhsNumber: 9693632109 }), JSON.stringify({ nhsNumber: '9693632109', start: '2026-01-01' }), JSON.stringify({ nhsNumber: '9693632109', start: '2026-01-01', end: '2026-02-01' })]) {
      const res = await post(body);
      assert.equal(res.status, 400, body);
      assert.ok((await res.json()).error);
    }
  });

  it('GET /slots then POST /book with a slotId books that slot', async () => {
    const slots = await (await fetch(`${server.origin}/slots?nhsNumber=9733162043`)).json();
    assert.equal(slots.outcome, 'slots', JSON.stringify(slots));
    assert.ok(slots.slots.length > 1);
    const chosen = slots.slots[1];
    const outcome = await (await post(JSON.stringify({ nhsNumber: '9733162043', slotId: chosen.id }))).json();
    assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
    assert.equal(outcome.slot.id, chosen.id);
  });

  it('POST /book and GET /slots act for the user they name: the JWTs name them, UNK for SDS ids they have none of; 400 to a malformed user', async () => {
    spine.journal.beginScenario('hook-user');
    const booked = await (await post(JSON.stringify({ nhsNumber: '9693632109', session: 'hook-user', user: { id: 'gpc-user-9', family: 'Moreau', given: 'Rowan', sdsUserId: '', sdsRoleProfileId: '' } }))).json();
    assert.equal(booked.outcome, 'booked', JSON.stringify(booked));
    const slots = await (await fetch(`${server.origin}/slots?nhsNumber=9733162043&session=hook-user-2&userId=gpc-user-10&userFamily=Nakamura&userGiven=Kenji&userSdsId=123456789012&userRoleProfileId=210987654321`)).json();
    assert.equal(slots.outcome, 'slots', JSON.stringify(slots));
    await spine.journal.settled();
    spine.journal.endScenario();
    const practitioners = spine.journal.entries({ scenario: 'hook-user', service: 'ssp' }).map((e) => {
      const auth = Object.entries(e.requestHeaders).find(([k]) => k.toLowerCase() === 'authorization')![1] as string;
      return JSON.parse(Buffer.from(auth.split(' ')[1].split('.')[1], 'base64url').toString('utf8')).requesting_practitioner;
    });
    const seen = new Set(practitioners.map((p) => p.identifier.map((i: { value: string }) => i.value).join('|') + ` ${p.name[0].given.join(' ')} ${p.name[0].family}`));
    assert.deepEqual([...seen].sort(), ['UNK|UNK|gpc-user-9 Rowan Moreau', '123456789012|210987654321|gpc-user-10 Kenji Nakamura'].sort());
    for (const user of [[], 'u', { id: 7 }]) assert.equal((await post(JSON.stringify({ nhsNumber: '9693632109', user }))).status, 400, JSON.stringify(user));
  });

  it('GET / serves the UI with the element ids the browser driver uses', async () => {
    const res = await fetch(`${server.origin}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    for (const id of ['user', 'nhs-number', 'find-slots', 'slots', 'confirmation', 'error', 'list-appointments', 'appointments', 'cancel-reason', 'amend-form', 'amend-description', 'amend-comment', 'amend-save', 'action-result']) assert.match(html, new RegExp(`id="${id}"`));
    assert.match(html, /data-slot-id/);
    assert.match(html, /data-cancel-id/);
  });

  it('POST /cancel, /amend and /retrieve (and GET /appointments) act for the patient and answer the outcome; 400 to a malformed request', async () => {
    accreditForActions(spine);
    const hook = (path: string, body: unknown) => fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const booked = await (await post(JSON.stringify({ nhsNumber: '9693632109', session: 'actions' }))).json();
    assert.equal(booked.outcome, 'booked', JSON.stringify(booked));
    // The practice's answer decides the outcome (an error outcome, 200, while it does not serve the interaction).
    for (const [path, body] of [['/cancel', { appointmentId: booked.appointmentId, reason: 'Feeling better' }], ['/amend', { appointmentId: booked.appointmentId, comment: 'Call on arrival' }], ['/retrieve', {}]] as const) {
      const res = await hook(path, { nhsNumber: '9693632109', session: 'actions', ...body });
      assert.equal(res.status, 200, path);
      assert.match((await res.json()).outcome, /^(cancelled|amended|retrieved|error)$/, path);
    }
    const listed = await fetch(`${server.origin}/appointments?nhsNumber=9693632109&session=actions`);
    assert.equal(listed.status, 200);
    for (const [path, body] of [['/cancel', { nhsNumber: '9693632109' }], ['/amend', { nhsNumber: '9693632109', appointmentId: 'a b' }], ['/retrieve', { nhsNumber: '9693632109', start: '2026-12-04' }], ['/retrieve', { nhsNumber: 'x' }]] as const) {
      assert.equal((await hook(path, body)).status, 400, `${path} ${JSON.stringify(body)}`);
    }
  });
});

describe('reference consumer: over mutual TLS', () => {
  it('presents its client certificate to PDS, SDS and the SSP and books', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'gpc-consumer-tls-'));
    const secure = await SpineInABox.start({ mode: 'sockets', tls: true, tlsDir: dir, referenceProvider: {} });
    try {
      const client = secure.tls!.clients['booking.ucc01.consumer.test'];
      const consumer = new ReferenceConsumer({
        ...config(),
        pdsUrl: secure.urls.pds,
        sdsUrl: secure.urls.sds,
        sspUrl: secure.urls.ssp,
        tls: { ca: secure.tls!.ca.certPem, cert: client.certPem, key: client.keyPem },
      });
      assert.match(secure.urls.ssp, /^https:/);
      const outcome = await consumer.bookAppointment({ nhsNumber: '9693632109' });
      assert.equal(outcome.outcome, 'booked', JSON.stringify(outcome));
    } finally {
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reference consumer: SDS answers are not reused across patients', () => {
  it('a second patient at the same practice is looked up in SDS again', async () => {
    const consumer = new ReferenceConsumer(config());
    assert.equal((await consumer.bookAppointment({ nhsNumber: '9693632109' })).outcome, 'booked');
    assert.equal((await consumer.bookAppointment({ nhsNumber: '9733162043' })).outcome, 'booked');
    await spine.journal.settled();
    assert.equal(spine.journal.entries({ service: 'sds' }).length, 4);
  });
});
