/**
 * The consumer judges against real traffic: the reference consumer books through Spine in a box, and
 * every judge that applies finds nothing; spoiled runs (through the consumer's beforeSend hook) and
 * hand-edited journals make each judge speak, each problem starting with its requirement id.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Header, Interaction, MediaType } from '../../src/gpconnect/constants';
import type { JudgeContext } from '../../src/rules/consumer/judge-context';
import type { Findings } from '../../src/rules/rule';
import { ALTERNATIVE_PATH_JUDGES, CONSUMER_JUDGES, judgeRule } from '../../src/rules/consumer/judges';
import { boundProblem } from '../../src/rules/consumer/judges-fidelity';
import { noEndpointFor, noFreeSlotsForDays, practiceUnreachable, withdrawAgreement } from '../../src/actors/consumer/situations';
import { ConsumerTraffic } from '../../src/rules/consumer/traffic';
import { outcomeFrom } from '../../src/actors/drivers/driver';
import { type BookingRequest, type ConsumerUser, type DriverOutcome } from '../../src/rules/consumer/judge-context';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { SpineInABox } from '../../src/spine/spine';
import type { ConsumerConfig } from '../../reference/consumer/config';
import { ReferenceConsumer } from '../../reference/consumer/consumer';
import type { BeforeSend, SspDraft } from '../../reference/consumer/ssp-client';
import { accreditForActions, referenceConsumerConfig, UCC01 } from '../support/reference-consumer-config';
import { PACKAGE_ROOT } from '../../src/package-root';

const HAPPY = '9693632109';
/** The user the harness asks as in these runs (a scenario's user): the reference consumer's JWTs must name them. */
const USER: ConsumerUser = { id: 'test-user-7', family: 'Okafor', given: 'Ada', sdsUserId: '123456789012', sdsRoleProfileId: '210987654321' };
const UNREGISTERED = '9651258500';

let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
});
after(async () => {
  await spine?.stop();
});

function config(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return referenceConsumerConfig(spine, overrides);
}

interface Run {
  /** NHS numbers to book, in order, each with its session (default one session for the run). */
  bookings: Array<string | { nhsNumber: string; session?: string; practice?: string }>;
  beforeSend?: BeforeSend;
  consumer?: ReferenceConsumer;
  /** Set up the situation after Spine in a box is reset. */
  setup?: () => void;
  /** Keep the provider's state from the run before (a slot already taken). */
  keepState?: boolean;
  /** The user asking (default USER). */
  user?: ConsumerUser;
}

let scenarios = 0;

async function run(options: Run): Promise<JudgeContext> {
  if (!options.keepState) spine.reset();
  options.setup?.();
  const scenario = `judges-${++scenarios}`;
  const consumer = options.consumer ?? new ReferenceConsumer(config(), { beforeSend: options.beforeSend });
  const asked: BookingRequest[] = [];
  const outcomes: DriverOutcome[] = [];
  const user = options.user ?? USER;
  const users = [{ from: new Date().toISOString(), user }];
  spine.journal.beginScenario(scenario);
  try {
    for (const b of options.bookings) {
      const { nhsNumber, session = scenario, practice } = typeof b === 'string' ? { nhsNumber: b } : b;
      asked.push({ nhsNumber, start: '', end: '', session, organisation: UCC01.ods, ...(practice ? { practice } : {}), user });
      outcomes.push(outcomeFrom(await consumer.bookAppointment({ nhsNumber, ...(practice ? { practice } : {}), user })));
    }
    await spine.journal.settled();
  } finally {
    spine.journal.endScenario();
  }
  return context(spine.journal.entries({ scenario }), asked, outcomes, users);
}

function context(entries: JournalEntry[], asked: BookingRequest[], outcomes: DriverOutcome[], users: JudgeContext['users'] = [{ from: new Date(0).toISOString(), user: USER }]): JudgeContext {
  return {
    users,
    traffic: new ConsumerTraffic(entries),
    asked,
    outcomes,
    identity: { asid: UCC01.asid, ods: UCC01.ods },
    directory: spine.directory,
    patients: spine.patients,
    earlierTraceIds: new Set(),
  };
}

/** The same scenario with its journal or outcomes edited by hand. */
function edited(ctx: JudgeContext, edit: (entries: JournalEntry[]) => JournalEntry[], outcomes = ctx.outcomes): JudgeContext {
  const entries = edit(structuredClone(ctx.traffic.journalled));
  return { ...ctx, traffic: new ConsumerTraffic(entries), outcomes };
}

const texts = (findings: Findings): string[] => findings.map((f) => (typeof f === 'string' ? f : f.text));

/** What a judge says, as sentences: its findings, or that it was not reached. */
function said(ctx: JudgeContext, id: string): string[] {
  const { findings, notReached } = CONSUMER_JUDGES[id](ctx);
  return notReached !== undefined ? [`not reached: ${notReached}`] : texts(findings);
}

function judged(ctx: JudgeContext, ids = Object.keys(CONSUMER_JUDGES)): Record<string, string[]> {
  return Object.fromEntries(ids.map((id) => [id, said(ctx, id)]));
}

function assertClean(ctx: JudgeContext, ids: string[]): void {
  const found = Object.entries(judged(ctx, ids)).filter(([, problems]) => problems.length > 0);
  assert.deepEqual(found, [], found.map(([, p]) => p.join('\n')).join('\n'));
}

function assertSpeaks(ctx: JudgeContext, id: string, pattern?: RegExp): string[] {
  const { findings, notReached } = CONSUMER_JUDGES[id](ctx);
  assert.equal(notReached, undefined, `${id} was not reached: ${notReached}`);
  const problems = texts(findings);
  assert.ok(problems.length > 0, `${id} found nothing`);
  // The RuleBook names the requirement; a finding names only the request and what was wrong.
  for (const p of problems) assert.ok(!/CONS-[A-Z]/.test(p), `"${p}" spells a requirement id`);
  if (pattern) assert.ok(problems.some((p) => pattern.test(p)), `${id}: no problem matches ${pattern}:\n${problems.join('\n')}`);
  return problems;
}

const GENERAL = Object.keys(CONSUMER_JUDGES).filter((id) => !ALTERNATIVE_PATH_JUDGES.includes(id));
const later = (e: JournalEntry, ms: number, seq: number): JournalEntry => ({ ...structuredClone(e), time: new Date(Date.parse(e.time) + ms).toISOString(), seq });
const isSsp = (e: JournalEntry, interaction: string) => e.service === 'ssp' && Object.entries(e.requestHeaders).some(([k, v]) => k.toLowerCase() === Header.sspInteractionId.toLowerCase() && v === interaction);

describe('consumer judges: the catalogue', () => {
  it('has one judge per CONS-* requirement, exactly', () => {
    const catalogue = readFileSync(path.join(PACKAGE_ROOT, 'requirements', 'catalogue.yaml'), 'utf8');
    const ids = [...catalogue.matchAll(/^\s*- id: (CONS-[A-Z0-9-]+)\s*$/gm)].map((m) => m[1]);
    assert.deepEqual(Object.keys(CONSUMER_JUDGES).sort(), [...ids].sort());
  });
});

describe('consumer judges: one mistake, one failure (issue 15 item 7)', () => {
  /** Each rule as the step sees it (judgeRule): failed, not reached, or holding. */
  function outcomes(ctx: JudgeContext): { failed: Record<string, string[]>; notReached: Record<string, string>; held: string[] } {
    const failed: Record<string, string[]> = {};
    const notReached: Record<string, string> = {};
    const held: string[] = [];
    for (const id of Object.keys(CONSUMER_JUDGES)) {
      const verdict = judgeRule(id, ctx);
      if (verdict.notReached !== undefined) notReached[id] = verdict.notReached;
      else if (verdict.findings.length > 0) failed[id] = texts(verdict.findings);
      else held.push(id);
    }
    return { failed, notReached, held };
  }

  it('a PDS trace without X-Request-ID fails CONS-PDS-HEADERS alone; CONS-PDS-TRACE and every rule downstream are not reached, naming the refusal and the rule broken', async () => {
    const ctx = await run({ bookings: [HAPPY], consumer: new ReferenceConsumer(config({ faults: new Set(['pds-without-request-id']) })) });
    assert.equal(ctx.outcomes[0].booked, false);
    const { failed, notReached, held } = outcomes(ctx);
    assert.deepEqual(Object.keys(failed), ['CONS-PDS-HEADERS'], JSON.stringify(failed, null, 1));
    assert.match(failed['CONS-PDS-HEADERS']![0]!, /^\(1a PDS trace, GET \/Patient\/9693632109\): no X-Request-ID was sent/);
    assert.match(notReached['CONS-PDS-TRACE'] ?? 'CONS-PDS-TRACE was reached', /PDS refused the trace with 400 .*for its headers.*the rule broken there: CONS-PDS-HEADERS$/);
    for (const id of ['CONS-BOOK-PARTICIPANTS', 'CONS-BOOK-ORGANISATION', 'CONS-BOOK-VALID', 'CONS-JWT-AUD', 'CONS-SSP-TO', 'CONS-SLOT-QUERY', 'CONS-FIND-PATIENT', 'CONS-SDS-DEVICE', ...ALTERNATIVE_PATH_JUDGES]) {
      assert.match(notReached[id] ?? `${id} was reached`, /PDS refused the trace of 9693632109 with 400 .*the rule broken there: CONS-PDS-HEADERS$/);
    }
    // What held, held: the consumer sent nothing to the SSP and showed the error.
    assert.ok(held.includes('CONS-OUTCOME-SHOWN') && held.includes('CONS-VIA-SSP'), held.join(', '));
    for (const why of Object.values(notReached)) assert.ok(!/^CONS-/.test(why), why);
  });

  it('an SDS lookup without the apikey fails CONS-SDS-APIKEY alone; a trace without a PDS token fails CONS-PDS-HEADERS alone, the rest of the flow judged', async () => {
    const noKey = outcomes(await run({ bookings: [HAPPY], consumer: new ReferenceConsumer(config({ faults: new Set(['sds-without-apikey']) })) }));
    // The alternative paths were not set up: their judges say so whatever the consumer does (judged in their own scenarios only).
    const mainFailed = (r: { failed: Record<string, string[]> }) => Object.keys(r.failed).filter((id) => !ALTERNATIVE_PATH_JUDGES.includes(id));
    assert.deepEqual(mainFailed(noKey), ['CONS-SDS-APIKEY'], JSON.stringify(noKey.failed, null, 1));
    assert.match(noKey.notReached['CONS-SSP-TO'] ?? 'CONS-SSP-TO was reached', /SDS refused .* 401.*the rule broken there: CONS-SDS-APIKEY$/);
    const noToken = outcomes(await run({ bookings: [HAPPY], consumer: new ReferenceConsumer(config({ faults: new Set(['pds-without-authorization']) })) }));
    assert.deepEqual(mainFailed(noToken), ['CONS-PDS-HEADERS'], JSON.stringify(noToken.failed, null, 1));
    assert.ok(noToken.held.includes('CONS-BOOK-VALID') && noToken.held.includes('CONS-SSP-TO'), noToken.held.join(', '));
  });

  it('a consumer that sent nothing and said nothing fails; one that sent nothing and reported an error fails CONS-PDS-TRACE, the rest not reached', async () => {
    const happy = await run({ bookings: [HAPPY] });
    const silent = outcomes(edited(happy, () => [], [{ booked: false, raw: {} }]));
    assert.ok(silent.failed['CONS-PDS-TRACE'] && silent.failed['CONS-OUTCOME-SHOWN'] && silent.failed['CONS-BOOK-PARTICIPANTS'], JSON.stringify(silent, null, 1));
    assert.deepEqual(silent.notReached, {});
    const gaveUp = outcomes(edited(happy, () => [], [{ booked: false, error: 'cannot reach PDS', raw: {} }]));
    assert.deepEqual(Object.keys(gaveUp.failed), ['CONS-PDS-TRACE'], JSON.stringify(gaveUp.failed, null, 1));
    assert.match(gaveUp.notReached['CONS-BOOK-PARTICIPANTS'] ?? '', /sent nothing to Spine, and reported "cannot reach PDS"; the rule broken there: CONS-PDS-TRACE/);
  });

  it('an alternative path set up and not taken still fails', async () => {
    const ctx = await run({ bookings: [HAPPY] });
    for (const id of ALTERNATIVE_PATH_JUDGES) {
      const verdict = judgeRule(id, ctx);
      assert.equal(verdict.notReached, undefined, `${id}: ${verdict.notReached}`);
      assert.ok(verdict.findings.length > 0, id);
    }
  });
});

describe('consumer judges: a conformant consumer', () => {
  let happy: JudgeContext;
  let registered: JudgeContext;
  before(async () => {
    happy = await run({ bookings: [HAPPY] });
    registered = await run({ bookings: [UNREGISTERED] });
  });

  it('a plain booking passes every judge that applies; the alternative paths say they never arose', () => {
    assert.equal(happy.outcomes[0].booked, true);
    assertClean(happy, GENERAL);
    for (const id of ALTERNATIVE_PATH_JUDGES) assertSpeaks(happy, id, /never (arose|put to the test)/);
  });

  it('registering a patient the practice does not hold passes, CONS-REGISTER included', () => {
    assert.equal(registered.outcomes[0].booked, true);
    assertClean(registered, [...GENERAL, 'CONS-REGISTER']);
  });

  it('a second window after an empty first one passes CONS-SLOTS-NEXT-WINDOW', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => noFreeSlotsForDays(spine, 'A20047', 14) });
    assert.equal(ctx.outcomes[0].booked, true);
    assertClean(ctx, [...GENERAL, 'CONS-SLOTS-NEXT-WINDOW']);
  });

  it('stopping for a restricted, deceased, invalidated or unknown patient passes CONS-PDS-STOP', async () => {
    for (const nhs of ['9000000025', '9658220290', '9990003343', '9999999999']) {
      const ctx = await run({ bookings: [nhs] });
      assertClean(ctx, ['CONS-PDS-STOP', 'CONS-OUTCOME-SHOWN', 'CONS-VIA-SSP']);
    }
  });

  it('no endpoint in SDS: nothing to the SSP and the error shown passes CONS-SDS-NO-ENDPOINT', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => noEndpointFor(spine, 'A20047') });
    assertClean(ctx, ['CONS-SDS-NO-ENDPOINT', 'CONS-OUTCOME-SHOWN', 'CONS-PDS-TRACE']);
    const withSsp = edited(ctx, (entries) => [...entries, ...happy.traffic.of('ssp').map((e, i) => later(e, 60_000, 1000 + i))]);
    assertSpeaks(withSsp, 'CONS-SDS-NO-ENDPOINT', /expected nothing sent to the SSP/);
    assertSpeaks(edited(ctx, (e) => e, [{ booked: true, appointmentId: '1', raw: {} }]), 'CONS-SDS-NO-ENDPOINT', /show the error/);
  });

  it('an SSP 403 shown and not sent again passes CONS-SSP-REFUSAL; a resend or a hidden error does not', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => withdrawAgreement(spine, UCC01.ods, 'A20047') });
    assert.equal(ctx.traffic.of('ssp')[0]?.status, 403);
    assertClean(ctx, ['CONS-SSP-REFUSAL', 'CONS-OUTCOME-SHOWN']);
    const resent = edited(ctx, (entries) => [...entries, later(entries.find((e) => e.service === 'ssp')!, 1_000, 1000)]);
    assertSpeaks(resent, 'CONS-SSP-REFUSAL', /sent it 1 more time/);
    assertSpeaks(edited(ctx, (e) => e, [{ booked: false, raw: {} }]), 'CONS-SSP-REFUSAL', /error shown/);
  });

  it('a 502 shown with no retry passes CONS-PROVIDER-ERROR; four resends or a hidden error do not', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => practiceUnreachable(spine, 'A20047') });
    assert.equal(ctx.traffic.of('ssp')[0]?.status, 502);
    assertClean(ctx, ['CONS-PROVIDER-ERROR', 'CONS-OUTCOME-SHOWN']);
    const resent = edited(ctx, (entries) => [...entries, ...[1, 2, 3, 4].map((n) => later(entries.find((e) => e.service === 'ssp')!, n * 1_000, 1000 + n))]);
    assertSpeaks(resent, 'CONS-PROVIDER-ERROR', /at most 3 automated retries, saw 4/);
    assertSpeaks(edited(ctx, (e) => e, [{ booked: true, appointmentId: '9', raw: {} }]), 'CONS-PROVIDER-ERROR', /error shown/);
  });

  it('a 409 followed by a fresh search and another slot passes CONS-BOOK-CONFLICT; the same slot again does not', async () => {
    const first = await run({ bookings: [HAPPY] });
    const taken = JSON.parse(first.traffic.of('ssp').find((e) => isSsp(e, Interaction.createAppointment))!.requestBody);
    let spoiled = 0;
    const toTaken = (every: boolean): BeforeSend => (draft: SspDraft) => {
      if (draft.interaction !== Interaction.createAppointment || (!every && spoiled++ > 0)) return;
      return { ...draft, body: { ...(draft.body as object), slot: taken.slot, start: taken.start, end: taken.end } };
    };
    const conformant = await run({ bookings: [HAPPY], beforeSend: toTaken(false), keepState: true });
    assert.equal(conformant.outcomes[0].booked, true);
    assertClean(conformant, ['CONS-BOOK-CONFLICT', 'CONS-OUTCOME-SHOWN']);
    const again = await run({ bookings: [HAPPY], beforeSend: toTaken(true), keepState: true });
    assertSpeaks(again, 'CONS-BOOK-CONFLICT', /never to be booked again/);
  });

  it('a second booking in the same session may reuse PDS, SDS and metadata; another patient is looked up again', async () => {
    const consumer = new ReferenceConsumer(config());
    const same = await run({ bookings: [HAPPY, HAPPY], consumer });
    assert.deepEqual(same.outcomes.map((o) => o.booked), [true, true]);
    assert.equal(same.traffic.pdsTraces().length, 1);
    assertClean(same, GENERAL);
    const two = await run({ bookings: [HAPPY, '9733162043'] });
    assertClean(two, GENERAL);
    const cached = edited(two, (entries) => {
      const secondTrace = entries.find((e) => e.service === 'pds' && e.url.endsWith('/9733162043'))!;
      return entries.filter((e) => !(e.service === 'sds' && e.time >= secondTrace.time));
    });
    assertSpeaks(cached, 'CONS-SDS-PER-PATIENT', /looked up in SDS after its own PDS trace/);
  });
});

describe('consumer judges: each judge speaks when its rule is broken', () => {
  let happy: JudgeContext;
  let registered: JudgeContext;
  before(async () => {
    happy = await run({ bookings: [HAPPY] });
    registered = await run({ bookings: [UNREGISTERED] });
  });

  const spoil = (interaction: string | undefined, change: (d: SspDraft) => SspDraft): BeforeSend => (draft) => (interaction === undefined || draft.interaction === interaction ? change(draft) : undefined);
  const withQuery = (d: SspDraft, edit: (q: string) => string) => {
    const [path, query = ''] = d.relative.split('?');
    const relative = `${path}?${edit(query)}`;
    return { ...d, relative, url: d.url.slice(0, d.url.length - d.relative.length) + relative };
  };
  const claim = (claims: Record<string, unknown>) => (d: SspDraft) => ({ ...d, claims: { ...d.claims, ...claims } });
  const body = (edit: (b: Record<string, any>) => Record<string, any>) => (d: SspDraft) => ({ ...d, body: edit(structuredClone(d.body) as Record<string, any>) });

  const cases: Array<[string, BeforeSend, RegExp?]> = [
    ['CONS-SERVICE-ROOT', spoil(undefined, (d) => ({ ...d, url: d.url.replace('.practice.test/', '.practice.test:443/') })), /does not begin with/],
    ['CONS-SSP-TO', spoil(undefined, (d) => ({ ...d, headers: { ...d.headers, [Header.sspTo]: 'A20047-821870' } })), /SDS gave 918999198993/],
    ['CONS-SSP-FROM', spoil(undefined, (d) => ({ ...d, headers: { ...d.headers, [Header.sspFrom]: '200000000401' } })), /whose ASID is 200000000359/],
    ['CONS-TRACE-ID', spoil(undefined, (d) => ({ ...d, headers: { ...d.headers, [Header.sspTraceId]: 'trace-1' } })), /expected a UUID/],
    ['CONS-INTERACTION-ID', spoil(Interaction.readMetadata, (d) => ({ ...d, headers: { ...d.headers, [Header.sspInteractionId]: Interaction.searchSlot } })), /GET \/metadata is/],
    ['CONS-CONTENT-TYPE', spoil(Interaction.createAppointment, (d) => ({ ...d, headers: { ...d.headers, [Header.contentType]: MediaType.fhirJson } })), /Content-Type was "application\/fhir\+json", expected .*charset=utf-8/],
    ['CONS-QUERY-ENCODED', spoil(Interaction.searchSlot, (d) => withQuery(d, (q) => q.replace(/%7C/g, '|'))), /not percent-encoded/],
    ['CONS-JWT-UNSECURED', spoil(undefined, (d) => ({ ...d, jwtHeader: { alg: 'HS256', typ: 'JWT' } })), /alg was "HS256", expected "none"/],
    ['CONS-JWT-EXPIRY', spoil(undefined, (d) => claim({ exp: (d.claims.iat as number) + 3600 })(d)), /iat \+ 3600/],
    ['CONS-JWT-IAT', spoil(undefined, (d) => claim({ iat: (d.claims.iat as number) - 600, exp: (d.claims.iat as number) - 300 })(d)), /\d+ s before the request arrived/],
    ['CONS-JWT-AUD', spoil(undefined, claim({ aud: 'https://authorize.fhir.nhs.net/token' })), /aud was/],
    ['CONS-JWT-REASON', spoil(undefined, claim({ reason_for_request: 'administrative' })), /administrative/],
    ['CONS-JWT-SCOPE', spoil(undefined, claim({ requested_scope: 'patient/*.write' })), /expected organization\/\*\.read/],
    ['CONS-JWT-ISS', spoil(undefined, claim({ iss: undefined })), /iss was missing/],
    ['CONS-JWT-DEVICE', spoil(undefined, (d) => claim({ requesting_device: { ...(d.claims.requesting_device as object), identifier: [] } })(d)), /identifier/],
    ['CONS-JWT-ORGANIZATION', spoil(undefined, (d) => claim({ requesting_organization: { resourceType: 'Organization', name: 'X', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-site-code', value: 'UCC01' }] } })(d)), /the organisation the booking was made from/],
    ['CONS-JWT-PRACTITIONER', spoil(undefined, claim({ requesting_practitioner: { resourceType: 'Practitioner', id: 'system' }, sub: 'system' })), /family/],
    ['CONS-JWT-SUB', spoil(undefined, claim({ sub: '111222333444' })), /requesting_practitioner.id was "test-user-7"/],
    ['CONS-JWT-USER', spoil(undefined, (d) => claim({ requesting_practitioner: { ...(d.claims.requesting_practitioner as any), identifier: (d.claims.requesting_practitioner as any).identifier.map((i: any) => ({ ...i, value: i.value === USER.id ? 'reference-user-1' : i.value })) } })(d)), /local identifier was "reference-user-1", expected "test-user-7"/],
    ['CONS-SLOT-QUERY', spoil(Interaction.searchSlot, (d) => withQuery(d, (q) => q.replace('&_include=Slot%3Aschedule', ''))), /Slot:schedule/],
    ['CONS-SLOT-WINDOW', spoil(Interaction.searchSlot, (d) => withQuery(d, (q) => q.replace(/end=le(\d{4}-\d\d-\d\d)/, (_m, end: string) => `end=le${new Date(Date.parse(end) + 14 * 86_400_000).toISOString().slice(0, 10)}`))), /expected at most 14/],
    ['CONS-FIND-PATIENT', spoil(Interaction.searchPatient, (d) => withQuery(d, () => 'identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9733162043')), /the traced NHS number/],
    ['CONS-BOOK-PATIENT', spoil(Interaction.createAppointment, body((b) => ({ ...b, participant: b.participant.map((p: any) => (p.actor.reference.startsWith('Patient/') ? { ...p, actor: { reference: `Patient/${HAPPY}` } } : p)) }))), /expected Patient\/3/],
    ['CONS-BOOK-PARTICIPANTS', spoil(Interaction.createAppointment, body((b) => ({ ...b, participant: b.participant.filter((p: any) => !p.actor.reference.startsWith('Location/')) }))), /Location/],
    ['CONS-BOOK-ORGANISATION', spoil(Interaction.createAppointment, body((b) => ({ ...b, extension: [], contained: [] }))), /BookingOrganisation/],
    ['CONS-BOOK-DESCRIPTION', spoil(Interaction.createAppointment, body((b) => ({ ...b, description: 'x'.repeat(150) }))), /150 characters/],
    ['CONS-BOOK-SLOT-TIMES', spoil(Interaction.createAppointment, body((b) => ({ ...b, start: new Date(b.start).toISOString().slice(0, 19), end: new Date(b.end).toISOString().slice(0, 19) }))), /not an instant with a time zone/],
    ['CONS-OUTCOME-SHOWN', spoil(Interaction.createAppointment, body((b) => ({ ...b, status: 'proposed' }))), undefined],
    ['CONS-BOOK-VALID', spoil(Interaction.createAppointment, body((b) => ({ ...b, created: undefined }))), /Appointment\.created.*|the practice refused it with 422/],
  ];

  it('the JWT header beyond alg none, and a raw + in a query value, are exact-value findings (warnings): the standard demands neither', async () => {
    const header = CONSUMER_JUDGES['CONS-JWT-UNSECURED'](await run({ bookings: [HAPPY], beforeSend: spoil(undefined, (d) => ({ ...d, jwtHeader: { alg: 'none' } })) }));
    assert.ok(header.findings.length > 0 && header.findings.every((f) => typeof f !== 'string' && f.exactOnly), JSON.stringify(header.findings));
    const plus = CONSUMER_JUDGES['CONS-QUERY-ENCODED'](await run({ bookings: [HAPPY], beforeSend: spoil(Interaction.searchSlot, (d) => withQuery(d, (q) => `${q}&x=a+b`)) }));
    assert.ok(plus.findings.length > 0 && plus.findings.every((f) => typeof f !== 'string' && f.exactOnly), JSON.stringify(plus.findings));
  });

  for (const [id, beforeSend, pattern] of cases) {
    it(`${id}: a spoiled request`, async () => {
      const ctx = await run({ bookings: [HAPPY], beforeSend });
      if (id === 'CONS-OUTCOME-SHOWN') {
        // The provider refused the spoiled booking; pretend the consumer said it booked.
        assert.equal(ctx.outcomes[0].booked, false);
        assertSpeaks(edited(ctx, (e) => e, [{ booked: true, appointmentId: '1', raw: {} }]), id, /reported booked/);
        return;
      }
      assertSpeaks(ctx, id, pattern);
    });
  }

  it('CONS-TRACE-ID: a trace ID reused within the scenario or from an earlier one', () => {
    const reused = edited(happy, (entries) => entries.map((e) => (e.service === 'ssp' ? { ...e, requestHeaders: { ...e.requestHeaders, 'ssp-traceid': '5f3b8b0c-3a6e-4f1c-9d2a-1b2c3d4e5f60' } } : e)));
    assertSpeaks(reused, 'CONS-TRACE-ID', /on 4 requests/);
    const first = happy.traffic.of('ssp')[0];
    const earlier = Object.entries(first.requestHeaders).find(([k]) => k.toLowerCase() === 'ssp-traceid')![1];
    assertSpeaks({ ...happy, earlierTraceIds: new Set([earlier]) }, 'CONS-TRACE-ID', /earlier scenario/);
  });

  it('CONS-JWT-UNSECURED: no trailing dot, and only that rule: the claims are still read', async () => {
    const ctx = await run({
      bookings: [HAPPY],
      beforeSend: (d) => {
        const token = `${Buffer.from(JSON.stringify(d.jwtHeader)).toString('base64url')}.${Buffer.from(JSON.stringify(d.claims)).toString('base64url')}`;
        return { ...d, headers: { ...d.headers, [Header.authorization]: `Bearer ${token}` } };
      },
    });
    assertSpeaks(ctx, 'CONS-JWT-UNSECURED', /trailing "\."/);
    assertClean(ctx, ['CONS-JWT-EXPIRY', 'CONS-JWT-AUD', 'CONS-JWT-REASON', 'CONS-JWT-ISS', 'CONS-JWT-SUB']);
  });

  it('CONS-CONTENT-TYPE: a wrong charset speaks; no Accept, a space before charset, XML or an upper-case UTF-8 do not (review F15)', async () => {
    const latin = await run({ bookings: [HAPPY], beforeSend: spoil(Interaction.createAppointment, (d) => ({ ...d, headers: { ...d.headers, [Header.contentType]: 'application/fhir+json;charset=iso-8859-1' } })) });
    assertSpeaks(latin, 'CONS-CONTENT-TYPE', /iso-8859-1/);
    const lenient = edited(happy, (entries) =>
      entries.map((e) => {
        if (e.service !== 'ssp') return e;
        const headers = Object.fromEntries(Object.entries(e.requestHeaders).filter(([k]) => k.toLowerCase() !== 'accept' && k.toLowerCase() !== 'content-type'));
        return e.method === 'POST' ? { ...e, requestHeaders: { ...headers, 'content-type': e.seq % 2 ? 'application/fhir+json; charset=utf-8' : 'application/fhir+xml;charset="UTF-8"' } } : { ...e, requestHeaders: headers };
      }),
    );
    assertClean(lenient, ['CONS-CONTENT-TYPE']);
  });

  it('CONS-JWT-UNSECURED: the bearer scheme in lower case is Bearer (RFC 7235 §2.1, review F22)', () => {
    const lower = edited(happy, (entries) => entries.map((e) => (e.service === 'ssp' ? { ...e, requestHeaders: Object.fromEntries(Object.entries(e.requestHeaders).map(([k, v]) => [k, k.toLowerCase() === 'authorization' ? v.replace(/^Bearer /, 'bearer ') : v])) } : e)));
    assertClean(lower, ['CONS-JWT-UNSECURED']);
  });

  it('CONS-BOOK-SLOT-TIMES: the same instants written with Z pass; another time does not (review F21)', () => {
    const rewrite = (edit: (v: string) => string) =>
      edited(happy, (entries) =>
        entries.map((e) => {
          if (!isSsp(e, Interaction.createAppointment)) return e;
          const b = JSON.parse(e.requestBody!);
          return { ...e, requestBody: JSON.stringify({ ...b, start: edit(b.start), end: edit(b.end) }) };
        }),
      );
    assertClean(rewrite((v) => new Date(v).toISOString()), ['CONS-BOOK-SLOT-TIMES']);
    assertSpeaks(rewrite((v) => new Date(Date.parse(v) + 3_600_000).toISOString()), 'CONS-BOOK-SLOT-TIMES', /another time than/);
  });

  it('CONS-REGISTER: a registration of another NHS number, or none at all', async () => {
    const other = await run({ bookings: [UNREGISTERED], beforeSend: spoil(Interaction.registerPatient, body((b) => ({ ...b, parameter: [{ ...b.parameter[0], resource: { ...b.parameter[0].resource, identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9733162043' }] } }] }))) });
    assertSpeaks(other, 'CONS-REGISTER', /expected 9651258500/);
    const none = edited(registered, (entries) => entries.filter((e) => !isSsp(e, Interaction.registerPatient)));
    assertSpeaks(none, 'CONS-REGISTER', /a booking without registering/);
  });

  it('CONS-PDS-HEADERS: no token, an X-Request-ID that is no UUID, one sent twice, or a re-send of a failed trace with a new one', () => {
    const noToken = edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? { ...e, requestHeaders: Object.fromEntries(Object.entries(e.requestHeaders).filter(([k]) => k.toLowerCase() !== 'authorization')) } : e)));
    assertSpeaks(noToken, 'CONS-PDS-HEADERS', /no Authorization was sent/);
    const setId = (e: JournalEntry, id: string) => ({ ...e, requestHeaders: { ...Object.fromEntries(Object.entries(e.requestHeaders).filter(([k]) => k.toLowerCase() !== 'x-request-id')), 'x-request-id': id } });
    assertSpeaks(edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? setId(e, '1234') : e))), 'CONS-PDS-HEADERS', /expected a UUID/);
    const twice = (status: number, secondId: string) =>
      edited(happy, (entries) => {
        const pds = entries.find((e) => e.service === 'pds')!;
        const first = { ...setId(pds, '60e0b220-8136-4ca5-ae46-1d97ef59d068'), status };
        return [first, { ...setId(later(pds, 1, 10_000), secondId), seq: 10_000 }, ...entries.filter((e) => e !== pds)];
      });
    assertSpeaks(twice(200, '60e0b220-8136-4ca5-ae46-1d97ef59d068'), 'CONS-PDS-HEADERS', /already sent on/);
    assertSpeaks(twice(503, '70e0b220-8136-4ca5-ae46-1d97ef59d068'), 'CONS-PDS-HEADERS', /re-send of the request PDS answered 503, expected the same X-Request-ID/);
    assert.deepEqual(texts(CONSUMER_JUDGES['CONS-PDS-HEADERS'](twice(503, '60e0b220-8136-4ca5-ae46-1d97ef59d068')).findings), []);
    const earlier = { ...happy, earlierPdsTraces: happy.traffic.of('pds') };
    assertSpeaks(earlier, 'CONS-PDS-HEADERS', /already sent in an earlier scenario/);
    // A consumer that reuses a cached trace is judged on the trace it rests on.
    const cached = { ...edited(happy, (entries) => entries.filter((e) => e.service !== 'pds')), earlierPdsTraces: noToken.traffic.of('pds') };
    assertSpeaks(cached, 'CONS-PDS-HEADERS', /cached from an earlier scenario\): no Authorization was sent/);
    assert.deepEqual(texts(CONSUMER_JUDGES['CONS-PDS-HEADERS']({ ...cached, earlierPdsTraces: happy.traffic.of('pds') }).findings), []);
  });

  it('CONS-PDS-TRACE: a trace PDS refused does not stand in for a later booking in the session (review M4)', async () => {
    const two = await run({ bookings: [HAPPY, HAPPY] });
    const refusedFirst = edited(two, (entries) => {
      const traces = entries.filter((e) => e.service === 'pds');
      return entries.map((e) => (e === traces[0] ? { ...e, status: 401, responseBody: '{"resourceType":"OperationOutcome","issue":[{"code":"forbidden"}]}' } : e)).filter((e) => e.service !== 'pds' || e === traces[0]);
    });
    assertSpeaks(refusedFirst, 'CONS-PDS-TRACE', /never traced 9693632109 on PDS in booking 2/);
  });

  it('CONS-SDS-APIKEY: an SDS lookup without the apikey', () => {
    assertSpeaks(edited(happy, (entries) => entries.map((e) => (e.service === 'sds' ? { ...e, requestHeaders: Object.fromEntries(Object.entries(e.requestHeaders).filter(([k]) => k.toLowerCase() !== 'apikey')) } : e))), 'CONS-SDS-APIKEY', /no apikey header/);
  });

  it('CONS-JWT-PRACTITIONER: no local user identifier beside the SDS ones (review M14)', async () => {
    const ctx = await run({ bookings: [HAPPY], beforeSend: spoil(undefined, (d) => ({ ...d, claims: { ...d.claims, requesting_practitioner: { ...(d.claims.requesting_practitioner as any), identifier: (d.claims.requesting_practitioner as any).identifier.slice(0, 2) } } })) });
    assertSpeaks(ctx, 'CONS-JWT-PRACTITIONER', /no local identifier/);
  });

  it('CONS-JWT-IAT: the same token on two requests 2 s or more apart, not within the same second (review M14)', () => {
    const reuse = (ms: number) =>
      edited(happy, (entries) => {
        const ssp = entries.filter((e) => e.service === 'ssp');
        const token = ssp[0].requestHeaders[Object.keys(ssp[0].requestHeaders).find((k) => k.toLowerCase() === 'authorization')!];
        const last = ssp[ssp.length - 1];
        const again = { ...later(last, ms, 10_000), requestHeaders: { ...Object.fromEntries(Object.entries(last.requestHeaders).filter(([k]) => k.toLowerCase() !== 'authorization')), authorization: token } };
        return [...entries, { ...again, time: new Date(Date.parse(ssp[0].time) + ms).toISOString() }];
      });
    assertSpeaks(reuse(2_500), 'CONS-JWT-IAT', /the very one sent on .* 2\.5 s before/);
    assert.deepEqual(texts(CONSUMER_JUDGES['CONS-JWT-IAT'](reuse(300)).findings), []);
  });

  it('CONS-PDS-TRACE: no trace, or SDS before the trace', () => {
    assertSpeaks(edited(happy, (entries) => entries.filter((e) => e.service !== 'pds')), 'CONS-PDS-TRACE', /never traced 9693632109/);
    const late = edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? later(e, 1, e.seq) : e)).map((e) => (e.service === 'pds' ? { ...e, time: new Date(Date.parse(entries.find((x) => x.service === 'sds')!.time) + 1).toISOString() } : e)));
    assertSpeaks(late, 'CONS-PDS-TRACE', /before the PDS trace/);
  });

  it('CONS-PDS-TRACE: a trace cached from an earlier scenario may stand in, unless the profile says traces are not cached (review F16)', () => {
    const earlier = happy.traffic.of('pds').map((e) => ({ ...e, scenario: 'an-earlier-scenario' }));
    const cached = { ...edited(happy, (entries) => entries.filter((e) => e.service !== 'pds')), earlierPdsTraces: earlier };
    assertClean(cached, ['CONS-PDS-TRACE', 'CONS-SDS-ENDPOINT', 'CONS-SESSION-CACHE']);
    assertSpeaks({ ...cached, capabilities: { cachesPdsTrace: false } }, 'CONS-PDS-TRACE', /never traced 9693632109/);
    // A trace of its own is still judged: SDS before it is a problem whatever was cached.
    const late = edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? later(e, 1, e.seq) : e)).map((e) => (e.service === 'pds' ? { ...e, time: new Date(Date.parse(entries.find((x) => x.service === 'sds')!.time) + 1).toISOString() } : e)));
    assertSpeaks({ ...late, earlierPdsTraces: earlier }, 'CONS-PDS-TRACE', /before the PDS trace/);
  });

  it('CONS-PDS-STOP: booking on after a PDS 404', async () => {
    const notFound = await run({ bookings: ['9999999999'] });
    const pds404 = notFound.traffic.of('pds')[0];
    const spoiled = edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? { ...e, status: 404, responseBody: pds404.responseBody } : e)));
    assertSpeaks(spoiled, 'CONS-PDS-STOP', /then sent GET \/metadata/);
    assertSpeaks(spoiled, 'CONS-PDS-STOP', /reported booked/);
  });

  it('CONS-SDS-ENDPOINT: asking SDS with the consumer\'s own ODS code or a structured interaction', () => {
    const ownOds = edited(happy, (entries) => entries.map((e) => (e.service === 'sds' && e.url.includes('/Endpoint') ? { ...e, url: e.url.replace('%7CA20047', '%7CUCC01') } : e)));
    assertSpeaks(ownOds, 'CONS-SDS-ENDPOINT', /asked about UCC01, but PDS gave A20047/);
    const structured = edited(happy, (entries) => entries.map((e) => (e.service === 'sds' && e.url.includes('/Endpoint') ? { ...e, url: e.url.replace(/rest%3Aread%3Ametadata-1/, 'operation%3Agpc.getstructuredrecord-1') } : e)));
    assertSpeaks(structured, 'CONS-SDS-ENDPOINT', /getstructuredrecord/);
  });

  it('CONS-SDS-ENDPOINT: booking into a practice the user chose is judged against that practice (review F17)', async () => {
    const chosen = await run({ bookings: [{ nhsNumber: HAPPY, practice: 'B82617' }] });
    assert.ok(chosen.traffic.of('sds').some((e) => e.url.includes('%7CB82617')), 'the consumer looked B82617 up');
    assertClean(chosen, ['CONS-SDS-ENDPOINT', 'CONS-PDS-TRACE', 'CONS-SDS-DEVICE']);
    const unasked = { ...chosen, asked: chosen.asked.map(({ practice: _practice, ...rest }) => rest) };
    assertSpeaks(unasked, 'CONS-SDS-ENDPOINT', /SDS was asked about B82617, but PDS gave A20047/);
    assertSpeaks({ ...happy, asked: happy.asked.map((r) => ({ ...r, practice: 'B82617' })) }, 'CONS-SDS-ENDPOINT', /expected an Endpoint lookup by B82617 \(the practice the user chose/);
  });

  it('CONS-SDS-DEVICE: no Device lookup', () => {
    assertSpeaks(edited(happy, (entries) => entries.filter((e) => !(e.service === 'sds' && e.url.includes('/Device')))), 'CONS-SDS-DEVICE', /party key A20047-821870/);
  });

  it('CONS-VIA-SSP: a request straight to the provider, or none through the SSP after SDS', () => {
    const provider = happy.traffic.journalled.find((e) => e.service === 'provider')!;
    const direct = edited(happy, (entries) => [...entries, { ...later(provider, 5_000, 2000), requestHeaders: { ...provider.requestHeaders, 'ssp-traceid': 'f0f0f0f0-0000-4000-8000-000000000000' } }]);
    assertSpeaks(direct, 'CONS-VIA-SSP', /directly, not through the SSP/);
    assertSpeaks(edited(happy, (entries) => entries.filter((e) => e.service !== 'ssp')), 'CONS-VIA-SSP', /did the consumer call the provider directly/);
  });

  it('CONS-FIND-PATIENT: registering without looking the patient up first', () => {
    assertSpeaks(edited(registered, (entries) => entries.filter((e) => !isSsp(e, Interaction.searchPatient))), 'CONS-FIND-PATIENT', /no Find a patient/);
  });

  it('CONS-SLOTS-NEXT-WINDOW: giving up after an empty window', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => noFreeSlotsForDays(spine, 'A20047', 14) });
    const searches = ctx.traffic.of('ssp').filter((e) => isSsp(e, Interaction.searchSlot));
    assert.equal(searches.length, 2);
    const gaveUp = edited(ctx, (entries) => entries.filter((e) => !(isSsp(e, Interaction.searchSlot) && e.seq === searches[1].seq) && !(e.service === 'ssp' && e.time > searches[1].time)), [{ booked: false, error: 'no free slots', raw: {} }]);
    assertSpeaks(gaveUp, 'CONS-SLOTS-NEXT-WINDOW', /expected another search with a different date range/);
  });

  it('CONS-SESSION-CACHE: a new session that reuses the last one\'s trace and SDS answers', async () => {
    const consumer = new ReferenceConsumer(config());
    const ctx = await run({ bookings: [{ nhsNumber: HAPPY, session: 'one' }, { nhsNumber: HAPPY, session: 'two' }], consumer });
    assertSpeaks(ctx, 'CONS-SESSION-CACHE', /expected its own SDS lookups/);
    // The PDS trace may be reused across sessions (integration_illustrated step 1, review F16) unless the profile says the consumer does not cache it.
    assert.ok(!texts(CONSUMER_JUDGES['CONS-SESSION-CACHE'](ctx).findings).some((p) => /PDS trace/.test(p)));
    assertSpeaks({ ...ctx, capabilities: { cachesPdsTrace: false } }, 'CONS-SESSION-CACHE', /a new session \(two\), and the profile declares cachesPdsTrace: false, expected its own PDS trace/);
  });

  it('CONS-PDS-STOP: for a deceased patient, going on to the practice is allowed; a booking reported is not (review F18)', async () => {
    const deceased = await run({ bookings: ['9658220290'] });
    const trace = deceased.traffic.of('pds')[0];
    const wentOn = edited(happy, (entries) => entries.map((e) => (e.service === 'pds' ? { ...e, responseBody: trace.responseBody, url: e.url.replace(HAPPY, '9658220290') } : e)), [{ booked: false, error: 'the practice refused to register the patient', raw: {} }]);
    const asked = { ...wentOn, asked: [{ ...wentOn.asked[0], nhsNumber: '9658220290' }] };
    assertClean(asked, ['CONS-PDS-STOP']);
    assertSpeaks({ ...asked, outcomes: [{ booked: true, appointmentId: '1', raw: {} }] }, 'CONS-PDS-STOP', /expected no booking to be reported/);
  });

  it('CONS-PROVIDER-ERROR: a 599 timeout counts as a provider error, judged on the status only (review C1)', async () => {
    const ctx = await run({ bookings: [HAPPY], setup: () => practiceUnreachable(spine, 'A20047') });
    const as599 = edited(ctx, (entries) => entries.map((e) => (e.service === 'ssp' && e.status === 502 ? { ...e, status: 599, responseBody: '' } : e)));
    assertClean(as599, ['CONS-PROVIDER-ERROR']);
    assertSpeaks(edited(as599, (e) => e, [{ booked: true, appointmentId: '9', raw: {} }]), 'CONS-PROVIDER-ERROR', /answered 599/);
  });

  it('per-request judges: a scenario with nothing sent through the SSP is a problem, not a pass', () => {
    const nothing = edited(happy, (entries) => entries.filter((e) => e.service !== 'ssp' && e.service !== 'provider'));
    for (const id of ['CONS-SSP-TO', 'CONS-SSP-FROM', 'CONS-TRACE-ID', 'CONS-JWT-AUD', 'CONS-QUERY-ENCODED']) assertSpeaks(nothing, id, /no request through the SSP/);
  });
});


describe('CONS-SLOT-BOUNDS: a slot search bound is a date or a UK local time with its offset (review M3)', () => {
  it('accepts dates and UK local times with the offset of their date, both readings of the repeated autumn hour', () => {
    for (const v of ['2026-12-05', '2026-12-05T09:00:00+00:00', '2026-07-01T09:00:00+01:00', '2026-10-25T01:30:00+00:00', '2026-10-25T01:30:00+01:00', '2026-03-29T00:30:00+00:00']) assert.equal(boundProblem(v), undefined, v);
  });
  it('refuses Z, a missing offset, the wrong UK offset, partial and impossible dates', () => {
    for (const v of ['2026-12-05T00:00:00Z', '2026-12-05T00:00:00', '2026-07-01T09:00:00+00:00', '2026-12-05T09:00:00+01:00', '2026-12', '2026-02-30', '2026-12-05T09:00+00:00']) assert.ok(boundProblem(v), v);
    assert.match(boundProblem('2026-07-01T09:00:00+00:00')!, /BST, expected \+01:00/);
  });
});

describe('consumer judges: cancel, amend and retrieve (issue 18)', () => {
  /** Books for 9693632109, then does each action in the same session; the context with the actions asked. */
  async function acted(actions: Array<'cancel' | 'amend' | 'retrieve'>, faults: string[] = []): Promise<JudgeContext> {
    spine.reset();
    accreditForActions(spine);
    const scenario = `judges-actions-${++scenarios}`;
    const consumer = new ReferenceConsumer(config({ faults: new Set(faults) }));
    spine.journal.beginScenario(scenario);
    const asked: BookingRequest[] = [{ nhsNumber: HAPPY, start: '', end: '', session: scenario, organisation: UCC01.ods }];
    const booked = await consumer.bookAppointment({ nhsNumber: HAPPY, user: USER });
    const outcomes = [outcomeFrom(booked)];
    const done: NonNullable<JudgeContext['actions']> = [];
    const appointmentId = booked.outcome === 'booked' ? booked.appointmentId : '';
    for (const action of actions) {
      const request = { action, nhsNumber: HAPPY, session: scenario, organisation: UCC01.ods, appointmentId, comment: 'Please call the patient on arrival', user: USER };
      const answer = action === 'cancel' ? await consumer.cancelAppointment(request) : action === 'amend' ? await consumer.amendAppointment(request) : await consumer.retrieveAppointments({ nhsNumber: HAPPY, user: USER });
      done.push({ request, outcome: { done: answer.outcome !== 'error', raw: answer } });
    }
    await spine.journal.settled();
    spine.journal.endScenario();
    return { ...context(spine.journal.entries({ scenario }), asked, outcomes), actions: done };
  }
  const ACTION_IDS = Object.keys(CONSUMER_JUDGES).filter((id) => /^CONS-(CANCEL|AMEND|RETRIEVE)-/.test(id));

  it('a conformant cancel, amend and retrieve pass every judge of their action, and the general ones', async () => {
    for (const action of ['cancel', 'amend', 'retrieve'] as const) {
      const ctx = await acted([action]);
      assertClean(ctx, [...ACTION_IDS.filter((id) => id.startsWith(`CONS-${action.toUpperCase()}-`)), 'CONS-VIA-SSP', 'CONS-INTERACTION-ID', 'CONS-JWT-SCOPE', 'CONS-SSP-TO', 'CONS-TRACE-ID']);
    }
  });

  it('on a plain booking the action judges say their situation never arose', async () => {
    const ctx = await run({ bookings: [HAPPY] });
    for (const id of ACTION_IDS) assertSpeaks(ctx, id, /never arose/);
  });

  it('a cancel and an amendment in one scenario are told apart by the body', async () => {
    const ctx = await acted(['amend', 'cancel']);
    assertClean(ctx, ACTION_IDS.filter((id) => !id.startsWith('CONS-RETRIEVE-')));
  });

  it('the latitude providers take holds for consumers too: serviceType and serviceCategory left out, the strong If-Match form', async () => {
    const ctx = await acted(['cancel']);
    const loose = edited(ctx, (entries) =>
      entries.map((e) => {
        if (e.service !== 'ssp' || e.method !== 'PUT') return e;
        const body = JSON.parse(e.requestBody);
        delete body.serviceType;
        delete body.serviceCategory;
        const headers = Object.fromEntries(Object.entries(e.requestHeaders).map(([k, v]) => [k, k.toLowerCase() === 'if-match' ? v.replace(/^W\//, '') : v]));
        return { ...e, requestBody: JSON.stringify(body), requestHeaders: headers };
      }),
    );
    assertClean({ ...loose, actions: ctx.actions }, ['CONS-CANCEL-UNCHANGED', 'CONS-CANCEL-IF-MATCH', 'CONS-CANCEL-STATUS']);
  });

  it('each judge speaks of the mistake it is about', async () => {
    assertSpeaks(await acted(['cancel'], ['cancel-changes-description']), 'CONS-CANCEL-UNCHANGED', /description was "CANCELLED: /);
    assertSpeaks(await acted(['amend'], ['amend-stale-if-match']), 'CONS-AMEND-IF-MATCH', /If-Match was W\/"0", expected W\/"1"/);
    assertSpeaks(await acted(['retrieve'], ['retrieve-with-date-times']), 'CONS-RETRIEVE-DATE-ONLY', /is not a plain date/);
  });
});

describe('consumer judges: the user who asked (CONS-JWT-USER)', () => {
  const OTHER: ConsumerUser = { id: 'test-user-8', family: 'Bhatt', given: 'Priya' };

  it('passes a consumer that names the user asking, and UNK for the SDS ids of a user without a smartcard', async () => {
    assertClean(await run({ bookings: [HAPPY] }), ['CONS-JWT-USER', 'CONS-JWT-PRACTITIONER', 'CONS-JWT-SUB']);
    const noCard = await run({ bookings: [HAPPY], user: OTHER });
    assertClean(noCard, ['CONS-JWT-USER', 'CONS-JWT-PRACTITIONER', 'CONS-JWT-SUB']);
    // The same traffic judged as if a user with a smartcard had asked: UNK is then wrong.
    assertSpeaks({ ...noCard, users: [{ from: new Date(0).toISOString(), user: { ...OTHER, sdsUserId: '999888777666', sdsRoleProfileId: '666777888999' } }] }, 'CONS-JWT-USER', /SDS user id .* was "UNK", expected "999888777666"/);
  });

  it('fails a consumer that names its one configured user whoever asked (fault fixed-system-user), naming the user who asked', async () => {
    const ctx = await run({ bookings: [HAPPY], consumer: new ReferenceConsumer(config({ faults: new Set(['fixed-system-user']) })) });
    assertClean(ctx, ['CONS-JWT-PRACTITIONER', 'CONS-JWT-SUB']);
    const problems = assertSpeaks(ctx, 'CONS-JWT-USER', /local identifier was "10019", expected "test-user-7": the user who asked was test-user-7 \(Ada Okafor\)/);
    assert.ok(problems.some((p) => /SDS role profile id .* expected "210987654321"/.test(p)), problems.join('\n'));
  });

  it('judges each request by the user who last asked before it arrived: another user cancelling is named, not the one who booked', async () => {
    spine.reset();
    accreditForActions(spine);
    const scenario = `judges-users-${++scenarios}`;
    spine.journal.beginScenario(scenario);
    const booked = await new ReferenceConsumer(config()).bookAppointment({ nhsNumber: HAPPY, user: USER });
    await spine.journal.settled();
    const switched = new Date().toISOString();
    const appointmentId = booked.outcome === 'booked' ? booked.appointmentId : '';
    await new ReferenceConsumer(config()).cancelAppointment({ nhsNumber: HAPPY, appointmentId, user: OTHER });
    await spine.journal.settled();
    spine.journal.endScenario();
    const entries = spine.journal.entries({ scenario });
    const asked: BookingRequest[] = [{ nhsNumber: HAPPY, start: '', end: '', session: scenario, organisation: UCC01.ods, user: USER }];
    const timeline = [{ from: new Date(0).toISOString(), user: USER }, { from: switched, user: OTHER }];
    assertClean(context(entries, asked, [outcomeFrom(booked)], timeline), ['CONS-JWT-USER']);
    // Had the user who booked cancelled too, the cancellation's JWTs would be wrong.
    assertSpeaks(context(entries, asked, [outcomeFrom(booked)], [timeline[0]]), 'CONS-JWT-USER', /expected "test-user-7"/);
  });

  it('leaves requesting_practitioner.id and sub to the consumer: a GUID of its own passes (variant user-guid-as-id)', async () => {
    const ctx = await run({ bookings: [HAPPY], consumer: new ReferenceConsumer(config({ variants: new Set(['user-guid-as-id']) })) });
    assertClean(ctx, ['CONS-JWT-USER', 'CONS-JWT-PRACTITIONER', 'CONS-JWT-SUB']);
  });

  it('is not reached when the harness asked as no user', async () => {
    const ctx = await run({ bookings: [HAPPY] });
    assert.match(CONSUMER_JUDGES['CONS-JWT-USER']({ ...ctx, users: [] }).notReached ?? '', /asked the consumer nothing as a user/);
  });
});

describe('consumer judges read XML (issue 17 part 4)', () => {
  const { toXml } = require('../../src/fhir/xml') as typeof import('../../src/fhir/xml');
  const xmlType = 'application/fhir+xml;charset=utf-8';
  /** The same traffic as a consumer that speaks XML would make it: each GP Connect body (request and answer) in FHIR XML. */
  const inXml = (entries: JournalEntry[]) =>
    entries.map((e) => {
      if (e.service !== 'ssp' && e.service !== 'provider') return e;
      const x = structuredClone(e);
      const convert = (body: string, headers: Record<string, string>) => {
        const type = Object.keys(headers).find((h) => h.toLowerCase() === 'content-type');
        if (!body || !type || !/json/.test(headers[type])) return body;
        headers[type] = xmlType;
        return toXml(JSON.parse(body));
      };
      x.requestBody = convert(x.requestBody, x.requestHeaders);
      x.responseBody = convert(x.responseBody, x.responseHeaders);
      return x;
    });

  it('a booking and a registration sent and answered in XML pass every judge that applies, as in JSON', async () => {
    for (const nhs of [HAPPY, UNREGISTERED]) {
      const ctx = await run({ bookings: [nhs] });
      const xml = edited(ctx, inXml);
      assert.ok(xml.traffic.journalled.some((e) => e.requestBody.startsWith('<?xml')), 'the booking went in XML');
      assertClean(xml, nhs === UNREGISTERED ? [...GENERAL, 'CONS-REGISTER'] : GENERAL);
    }
  });

  it('a booking in XML is judged on its content: one without its Location is still a finding', async () => {
    const spoilt = await run({
      bookings: [HAPPY],
      beforeSend: (d) => (d.interaction === Interaction.createAppointment ? { ...d, body: { ...(d.body as any), participant: (d.body as any).participant.filter((p: any) => !p.actor.reference.startsWith('Location/')) } } : d),
    });
    assertSpeaks(edited(spoilt, inXml), 'CONS-BOOK-PARTICIPANTS', /Location/);
  });
});
