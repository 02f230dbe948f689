import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { commandDriver } from '../../src/actors/drivers/command-driver';
import { DriverFailed, outcomeFrom } from '../../src/actors/drivers/driver';
import { httpDriver } from '../../src/actors/drivers/http-driver';
import { moduleDriver } from '../../src/actors/drivers/module-driver';
import { fillTemplate, TemplateError } from '../../src/actors/drivers/template';
import { parseConsumerProfile, sendsOf } from '../../src/actors/profiles/consumer';
import { Interaction } from '../../src/gpconnect/constants';
import { scenarioUser } from '../../src/actors/consumer/consumer-under-test';
import { ProfileError } from '../../src/actors/profiles/load';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-drivers-'));
const servers: http.Server[] = [];
after(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(work, { recursive: true, force: true });
});

const request = { nhsNumber: '9693632109', start: '2026-11-22', end: '2026-12-05', session: 'scenario-1', organisation: 'UCC01' };

test('templates fill placeholders, JSON-escape in JSON, and name an unknown placeholder', () => {
  assert.equal(fillTemplate('{sspUrl}/x?n={nhsNumber}', { sspUrl: 'http://127.0.0.1:1', nhsNumber: '1' }), 'http://127.0.0.1:1/x?n=1');
  assert.equal(fillTemplate('{"a":"{v}"}', { v: 'say "hi"\\' }, { json: true }), '{"a":"say \\"hi\\"\\\\"}');
  assert.throws(() => fillTemplate('{nhsnumber}', { nhsNumber: '1' }, { where: 'driver.body' }), (e: Error) => e instanceof TemplateError && /driver.body: no value for \{nhsnumber\}; the placeholders are \{nhsNumber\}/.test(e.message));
});

test('the outcome is read by the profile paths, the reference consumer shape by default', () => {
  assert.deepEqual(outcomeFrom({ outcome: 'booked', appointmentId: '7' }), { booked: true, appointmentId: '7', error: undefined, raw: { outcome: 'booked', appointmentId: '7' } });
  assert.equal(outcomeFrom({ outcome: 'error', message: 'SSP 403' }).error, 'SSP 403');
  const custom = outcomeFrom({ result: { ok: true, appt: { id: 'A1' } } }, { bookedPath: 'result.ok', appointmentIdPath: 'result.appt.id' });
  assert.deepEqual([custom.booked, custom.appointmentId], [true, 'A1']);
  assert.equal(outcomeFrom({ status: 'BOOKED' }, { bookedPath: 'status', bookedValue: 'BOOKED' }).booked, true);
});

async function hook(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('the http driver posts the filled body and reads the answer', async () => {
  let seen = '';
  const origin = await hook((req, res) => {
    req.on('data', (d) => (seen += d));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ outcome: 'booked', appointmentId: '12' })));
  });
  const driver = httpDriver({ kind: 'http', url: `${origin}/book`, body: '{"nhs":"{nhsNumber}","from":"{start}","to":"{end}"}' }, {}, 2_000);
  const outcome = await driver.book(request);
  assert.deepEqual(JSON.parse(seen), { nhs: '9693632109', from: '2026-11-22', to: '2026-12-05' });
  assert.equal(outcome.appointmentId, '12');
});

test("a hook's answer that carries the outcome is the consumer's report, whatever its status", async () => {
  const body = '{"nhsNumber":"{nhsNumber}"}';
  // Ordinary REST practice: 502 when the practice refused, the outcome in the body. Judged, not broken.
  const refused = await hook((_req, res) => res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ outcome: 'error', message: 'The practice refused the booking' })));
  const outcome = await httpDriver({ kind: 'http', url: `${refused}/book`, body }, {}, 1_000).book(request);
  assert.deepEqual([outcome.booked, outcome.error], [false, 'The practice refused the booking']);
  // With the profile's own paths too.
  const own = await hook((_req, res) => res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { ok: false, why: 'slot taken' } })));
  const mapped = await httpDriver({ kind: 'http', url: `${own}/book`, body, outcome: { bookedPath: 'result.ok', errorPath: 'result.why' } }, {}, 1_000).book(request);
  assert.deepEqual([mapped.booked, mapped.error], [false, 'slot taken']);
  // Without an outcome, a 5xx still breaks the scenario, saying so; a refusal of the harness names the key.
  const bare = await hook((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}'));
  await assert.rejects(httpDriver({ kind: 'http', url: `${bare}/book`, body }, {}, 1_000).book(request), (e: Error) => e instanceof DriverFailed && /answered 500 without an outcome/.test(e.message));
  const locked = await hook((_req, res) => res.writeHead(401).end());
  await assert.rejects(httpDriver({ kind: 'http', url: `${locked}/book`, body }, {}, 1_000).book(request), (e: Error) => e instanceof DriverFailed && /refused the harness \(401\)/.test(e.message));
});

test('a hook that is down, hangs or answers garbage fails the driver with the reason', async () => {
  const body = '{"nhsNumber":"{nhsNumber}"}';
  await assert.rejects(httpDriver({ kind: 'http', url: 'http://127.0.0.1:9/book', body }, {}, 1_000).book(request), (e: Error) => e instanceof DriverFailed && /ECONNREFUSED/.test(e.message));
  const hanging = await hook(() => undefined);
  await assert.rejects(httpDriver({ kind: 'http', url: `${hanging}/book`, body }, {}, 300).book(request), (e: Error) => e instanceof DriverFailed && /within 300 ms/.test(e.message));
  const garbage = await hook((_req, res) => res.writeHead(200).end('<html>oops</html>'));
  await assert.rejects(httpDriver({ kind: 'http', url: `${garbage}/book`, body }, {}, 1_000).book(request), (e: Error) => e instanceof DriverFailed && /not JSON: <html>oops/.test(e.message));
});

test('the command driver reads the last line as the outcome, and names a command that gives none', async () => {
  const ok = await commandDriver({ kind: 'command', command: `echo working; echo '{"outcome":"booked","appointmentId":"{nhsNumber}"}'` }, {}, 5_000).book(request);
  assert.equal(ok.appointmentId, '9693632109');
  await assert.rejects(commandDriver({ kind: 'command', command: 'echo nope >&2; exit 4' }, {}, 5_000).book(request), /exited 4 without a JSON outcome as its last line: nope/);
  await assert.rejects(commandDriver({ kind: 'command', command: 'sleep 5' }, {}, 300).book(request), /did not finish within 300 ms/);
});

test('the module driver calls the exported function with the request and the Spine coordinates', async () => {
  const file = path.join(work, 'consumer.js');
  writeFileSync(file, "exports.book = async (request, spine) => ({ outcome: 'booked', appointmentId: request.nhsNumber + '@' + spine.sspUrl });\nexports.never = () => new Promise(() => {});\n");
  const outcome = await moduleDriver({ kind: 'module', module: file }, { sspUrl: 'http://127.0.0.1:5' }, 1_000).book(request);
  assert.equal(outcome.appointmentId, '9693632109@http://127.0.0.1:5');
  await assert.rejects(moduleDriver({ kind: 'module', module: file, export: 'missing' }, {}, 1_000).book(request), /has no function missing/);
  await assert.rejects(moduleDriver({ kind: 'module', module: file, export: 'never' }, {}, 200).book(request), /did not finish booking within 200 ms/);
});

const minimal = `role: consumer
name: My consumer
identity: { asid: "200000000359", ods: UCC01 }
driver: { kind: http, url: "http://127.0.0.1:{port}/book", body: '{"nhsNumber":"{nhsNumber}"}' }
`;

test('a consumer profile loads, and every problem names its field', () => {
  assert.equal(parseConsumerProfile(minimal).identity.ods, 'UCC01');
  const problems = (text: string) => {
    try {
      parseConsumerProfile(text, 'c.yaml');
    } catch (error) {
      assert.ok(error instanceof ProfileError);
      return error.message;
    }
    assert.fail('accepted');
  };
  assert.match(problems(minimal.replace("body: '{\"nhsNumber\":\"{nhsNumber}\"}' ", '')), /driver.body: required for a http driver, missing/);
  assert.match(problems(minimal.replace('kind: http', 'kind: telnet')), /driver.kind: must be one of http, command, module, browser/);
  assert.match(problems(minimal.replace('asid: "200000000359"', 'asid: 200000000359')), /identity.asid: must be a string/);
  assert.match(problems(minimal.replace('ods: UCC01 }', 'ods: UCC01, organisations: [{ ods: CHC01, asid: "200000000359" }] }')), /an ASID is listed twice/);
});

// ------------------------------------------------------------------ actions besides booking (issue 18)

const cancelAsked = { action: 'cancel' as const, nhsNumber: '9693632109', session: 'scenario-1', organisation: 'UCC01', appointmentId: '12', reason: 'Feeling better' };

test('each driver makes the consumer cancel, amend or retrieve through the action template, read as a booking is', async () => {
  let seen = '';
  const origin = await hook((req, res) => {
    req.on('data', (d) => (seen += d));
    req.on('end', () => res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify(req.url === '/cancel' ? { outcome: 'cancelled', appointmentId: '12' } : { outcome: 'error', message: 'the practice refused' })));
  });
  const http = httpDriver({ kind: 'http', url: `${origin}/book`, body: '{}', cancel: { url: `${origin}/cancel`, body: '{"id":"{appointmentId}","why":"{reason}","nhs":"{nhsNumber}"}' } }, {}, 2_000);
  const done = await http.act(cancelAsked);
  assert.deepEqual(JSON.parse(seen), { id: '12', why: 'Feeling better', nhs: '9693632109' });
  assert.equal(done.done, true);
  assert.throws(() => http.act({ ...cancelAsked, action: 'amend' }), (e: Error) => e instanceof DriverFailed && /no amend\.url/.test(e.message));

  const command = commandDriver({ kind: 'command', command: 'true', retrieve: { command: `echo '{"result":"listed","appointments":[{"id":"{start}"},"b"]}'`, outcome: { donePath: 'result', doneValue: 'listed' } } }, {}, 5_000);
  const listed = await command.act({ action: 'retrieve', nhsNumber: '9693632109', session: 's', organisation: 'UCC01', start: '2026-12-04', end: '2026-12-17' });
  assert.deepEqual([listed.done, listed.appointmentIds], [true, ['2026-12-04', 'b']]);

  const file = path.join(work, 'actions.js');
  writeFileSync(file, 'exports.book = async () => ({ outcome: "booked", appointmentId: "1" });\nexports.amend = async (r, spine) => ({ outcome: "amended", seen: [r.appointmentId, r.comment, spine.sspUrl] });\n');
  const module = moduleDriver({ kind: 'module', module: file }, { sspUrl: 'http://127.0.0.1:3' }, 2_000);
  const amended = await module.act({ action: 'amend', nhsNumber: '9693632109', session: 's', organisation: 'UCC01', appointmentId: '1', comment: 'Call on arrival' });
  assert.equal(amended.done, true);
  assert.deepEqual((amended.raw as { seen: string[] }).seen, ['1', 'Call on arrival', 'http://127.0.0.1:3']);
  await assert.rejects(module.act({ ...cancelAsked }), (e: Error) => e instanceof DriverFailed && /has no function cancel/.test(e.message));
});

test('a profile declares its actions (default book), each besides book with its template', () => {
  const base = 'role: consumer\nname: x\nidentity: { asid: "200000000359", ods: UCC01 }\n';
  const http = `${base}driver: { kind: http, url: "http://127.0.0.1:1/book", body: "{}" }\n`;
  assert.equal(parseConsumerProfile(http).actions, undefined);
  assert.throws(() => parseConsumerProfile(`${http}actions: [book, cancel]\n`), (e: Error) => e instanceof ProfileError && /driver\.cancel\.url: required/.test(e.message) && /driver\.cancel\.body: required/.test(e.message));
  assert.throws(() => parseConsumerProfile(`${http}actions: [cancel]\n`), (e: Error) => e instanceof ProfileError && /"book" is missing/.test(e.message));
  assert.throws(() => parseConsumerProfile(`${http}actions: [book, rebook]\n`), ProfileError);
  const module = parseConsumerProfile(`${base}driver: { kind: module, module: x.js }\nactions: [book, cancel, amend, retrieve]\n`);
  assert.ok(sendsOf(module).includes(Interaction.cancelAppointment) && sendsOf(module).includes(Interaction.searchPatientAppointments));
  assert.ok(!sendsOf(parseConsumerProfile(http)).includes(Interaction.cancelAppointment));
});

test('every driver hands the consumer the user asking: the user placeholders, and `user` in a module request', async () => {
  const user = { id: 'gpc-user-1', family: 'Okafor', given: 'Ada', sdsUserId: '123456789012', sdsRoleProfileId: '210987654321' };
  const asked = { ...request, user };
  const command = `echo '{"outcome":"booked","appointmentId":"{userId}|{userName}|{userFamily}|{userGiven}|{userSdsId}|{userRoleProfileId}"}'`;
  assert.equal((await commandDriver({ kind: 'command', command }, {}, 5_000).book(asked)).appointmentId, 'gpc-user-1|Ada Okafor|Okafor|Ada|123456789012|210987654321');
  // Without a smartcard the SDS placeholders are empty; an action's templates have the same placeholders.
  const noCard = { id: 'gpc-user-2', family: 'Bhatt', given: 'Priya' };
  const cancel = await commandDriver({ kind: 'command', command: 'true', cancel: { command: `echo '{"outcome":"cancelled","message":"{userId}|{userSdsId}|{userRoleProfileId}"}'` } }, {}, 5_000).act({ action: 'cancel', nhsNumber: '9693632109', session: 's', organisation: 'UCC01', appointmentId: '1', user: noCard });
  assert.deepEqual([cancel.done, cancel.error], [true, 'gpc-user-2||']);
  const file = path.join(work, 'user-consumer.js');
  writeFileSync(file, "exports.book = async (request) => ({ outcome: 'booked', appointmentId: request.user.id + '/' + request.user.sdsUserId });\n");
  assert.equal((await moduleDriver({ kind: 'module', module: file }, {}, 1_000).book(asked)).appointmentId, 'gpc-user-1/123456789012');
});

test('a profile may declare the one user its consumer always acts as (identity.user)', () => {
  const text = (user: string) => `role: consumer\nname: x\nidentity: {asid: "200000000359", ods: UCC01, user: ${user}}\ndriver: {kind: command, command: "true"}\n`;
  assert.deepEqual(parseConsumerProfile(text('{id: clinic-user-3, family: Jones, sdsUserId: "555566667777"}')).identity.user, { id: 'clinic-user-3', family: 'Jones', sdsUserId: '555566667777' });
  assert.throws(() => parseConsumerProfile(text('{family: Jones}')), ProfileError);
  assert.throws(() => parseConsumerProfile(text('{id: u, password: x}')), ProfileError);
});

test("the harness's users: one per scenario and per user in it, the same on a rerun, SDS ids only with a smartcard", () => {
  const first = scenarioUser('jwt.feature;1', 1);
  assert.deepEqual(scenarioUser('jwt.feature;1', 1), first);
  assert.notEqual(scenarioUser('jwt.feature;2', 1).id, first.id);
  assert.notEqual(scenarioUser('jwt.feature;1', 2).id, first.id);
  assert.match(first.id, /^gpc-user-[0-9a-f]{10}$/);
  assert.match(first.sdsUserId ?? '', /^[1-9][0-9]{11}$/);
  assert.match(first.sdsRoleProfileId ?? '', /^[1-9][0-9]{11}$/);
  assert.ok(first.family && first.given);
  const noCard = scenarioUser('jwt.feature;1', 3, { smartcard: false });
  assert.deepEqual([noCard.sdsUserId, noCard.sdsRoleProfileId], [undefined, undefined]);
});
