import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GpcProfile, Header, Interaction, PdsError, SpineError, SSP_HEADERS, System } from '../../src/gpconnect/constants';
import { prepareRequest, targetOf, type PreparedRequest } from '../../src/actors/provider/ssp-exchange';
import { exampleOperation } from '../../src/actors/provider/requests';
import { SpineInABox } from '../../src/spine/spine';
import { makeCase, Rng, serialise, type BaseRequest, type FuzzCase, type Service } from '../support/fuzz';
import { preparedBooking } from '../support/ssp-booking';

/**
 * Issue 6: many thousands of random and malformed requests to PDS, SDS, the SSP and the reference
 * provider, bounded in count and time. Every answer must be an error in the service's own shape
 * (or, where the mutation may have been harmless, a valid FHIR answer); no server may crash, and
 * sockets, heap and the traffic journal must come back within bounds afterwards.
 *   GPC_FUZZ_SEED replays a run (the seed is printed); GPC_FUZZ_COUNT sets how many requests.
 */
const SEED = Number(process.env.GPC_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const COUNT = Number(process.env.GPC_FUZZ_COUNT ?? 6000);
const CONCURRENCY = 8;
const ANSWER_TIMEOUT_MS = 20_000;
const HALF_CLOSE_AFTER_MS = 1_000;
/** A small journal budget, so that fuzzing must go past it: the journal stays within it and counts what it let go. */
const JOURNAL_LIMITS = { maxEntries: 2000, maxChars: 16 * 1024 * 1024 };
/** Heap growth allowed across the fuzz, after GC: the journal's budget (two bytes a character at worst) and room for caches. */
const HEAP_GROWTH_BOUND = JOURNAL_LIMITS.maxChars * 2 + 48 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const processFaults: string[] = [];
const onUncaught = (e: unknown) => processFaults.push(`uncaught exception: ${(e as Error)?.stack ?? e}`);
const onUnhandled = (e: unknown) => processFaults.push(`unhandled rejection: ${(e as Error)?.stack ?? e}`);

let spine: SpineInABox;
let bases: BaseRequest[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

before(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {}, journalLimits: JOURNAL_LIMITS, sspTimeoutMs: 10_000 });
  bases = await validRequests(spine);
});

after(async () => {
  agent.destroy();
  await spine?.stop();
  if (process.env.GPC_FUZZ_VERBOSE) console.error('spine-fuzz: still holding the event loop:', (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().map((h) => (h as object).constructor.name));
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUnhandled);
});

const GPC_HEADERS = [...SSP_HEADERS, Header.authorization];

/** One valid request per service and interaction, each checked to get its valid answer first. */
async function validRequests(box: SpineInABox): Promise<BaseRequest[]> {
  const pds = new URL(box.urls.pds);
  const sds = new URL(box.urls.sds);
  const patient = box.patients.find((p) => p.nhsNumber === '9693632109')!;
  const org = encodeURIComponent(`${System.odsOrganizationCode}|A20047`);
  const svc = encodeURIComponent(`${System.interactionId}|${Interaction.readMetadata}`);
  const list: BaseRequest[] = [
    { service: 'pds', name: 'pds read', origin: pds.origin, method: 'GET', target: `${pds.pathname}/Patient/9693632109`, headers: [['X-Request-ID', randomUUID()]], required: ['X-Request-ID'], answers: ['Patient'] },
    {
      service: 'pds',
      name: 'pds search',
      origin: pds.origin,
      method: 'GET',
      target: `${pds.pathname}/Patient?family=${patient.family}&birthdate=eq${patient.birthDate}`,
      headers: [['X-Request-ID', randomUUID()], ['Authorization', 'Bearer token123']],
      required: ['X-Request-ID'],
      answers: ['Bundle', 'OperationOutcome'],
    },
    { service: 'sds', name: 'sds endpoint', origin: sds.origin, method: 'GET', target: `${sds.pathname}/Endpoint?organization=${org}&identifier=${svc}`, headers: [['apikey', 'fuzz'], ['X-Correlation-Id', randomUUID()]], required: ['apikey'], validated: ['apikey', 'X-Correlation-Id'], answers: ['Bundle'] },
    { service: 'sds', name: 'sds device', origin: sds.origin, method: 'GET', target: `${sds.pathname}/Device?organization=${org}&identifier=${svc}`, headers: [['apikey', 'fuzz'], ['Accept', 'application/fhir+json']], required: ['apikey'], answers: ['Bundle'] },
  ];
  const prepared = async (operation: string) => prepareRequest(box, exampleOperation(operation), '200000000359', 'A20047');
  const { slots, book } = await preparedBooking(box);
  const gpc: Array<[string, PreparedRequest, string[]]> = [
    ['metadata', await prepared('Get the capability statement'), ['CapabilityStatement']],
    ['slots', slots, ['Bundle']],
    ['find patient', await prepared('Find a patient'), ['Bundle']],
    ['book', book, ['Appointment']],
  ];
  const providerRoot = new URL(box.urls.providers.A20047);
  for (const [name, p, answers] of gpc) {
    const required = p.method === 'POST' ? [...GPC_HEADERS, Header.contentType] : GPC_HEADERS;
    list.push({ service: 'ssp', name: `ssp ${name}`, origin: box.urls.ssp, method: p.method, target: '/' + targetOf(p), headers: p.headers, body: p.body, required, answers });
    list.push({ service: 'provider', name: `provider ${name}`, origin: providerRoot.origin, method: p.method, target: providerRoot.pathname + p.relativeTarget, headers: p.headers, body: p.body, required, answers });
  }
  for (const base of list) {
    box.reset(); // the same slot is booked through the SSP and directly
    const answer = await send({ index: -1, service: base.service, base: base.name, method: base.method, target: base.target, headers: base.headers, body: base.body === undefined ? undefined : Buffer.from(base.body), mutations: [], mustFail: false, answers: base.answers }, base.origin);
    assert.ok(answer.status !== undefined && answer.status < 300, `the valid ${base.name} request is not answered 2xx (${answer.status} ${answer.error ?? answer.body.subarray(0, 300)}): the fuzz would not start from valid requests`);
  }
  box.reset();
  return list;
}

interface Answer {
  status?: number;
  headers: Record<string, string>;
  body: Buffer;
  error?: string;
}

function send(c: FuzzCase, origin: string, via: http.Agent | false = agent): Promise<Answer> {
  // The method on the wire (a mutated request line may say another than the case).
  if (c.raw) return sendRaw(origin, c.raw, c.raw.subarray(0, 16).toString('latin1').split(' ')[0]);
  const url = new URL(origin);
  const headers: Record<string, string> = Object.fromEntries(c.headers);
  if (c.body) headers['Content-Length'] = String(c.body.length);
  // CONNECT is a tunnel, not a request node:http answers with 'response': it goes on the wire as is.
  // node:http upper-cases a method: a lower-case one goes on the wire as is, as it was meant to.
  if (c.method === 'CONNECT' || c.method !== c.method.toUpperCase()) return sendRaw(origin, serialise(c), c.method);
  let req: http.ClientRequest;
  try {
    req = http.request({ host: url.hostname, port: url.port, method: c.method, path: c.target, headers, agent: via });
  } catch {
    // node:http will not write it (bad characters in the path or a header): it goes on the wire as is.
    return sendRaw(origin, serialise(c), c.method);
  }
  return new Promise((resolve) => {
    let done = false;
    const settle = (answer: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const failed = (error: string) => settle({ headers: {}, body: Buffer.alloc(0), error });
    const timer = setTimeout(() => (failed(`no answer within ${ANSWER_TIMEOUT_MS} ms`), req.destroy()), ANSWER_TIMEOUT_MS);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => settle({ status: res.statusCode, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
      res.on('error', (e) => failed(`answer cut: ${e.message}`));
      res.on('close', () => failed('answer cut: the connection closed'));
    });
    req.on('error', (e: NodeJS.ErrnoException) => failed(`${e.code ?? ''} ${e.message}`));
    req.on('close', () => failed('closed without an answer'));
    req.end(c.body);
  });
}

/**
 * Write bytes and read the first answer (complete by Content-Length or chunked end, or at close).
 * The client's side is closed only if no answer has come within a second: a server takes a
 * half-closed connection as a client gone away (Node's httpAllowHalfOpen is off), so closing at once
 * would lose answers that take longer than the first check; bytes that never make a whole request
 * (garbage, a body cut short) need the end of input to be refused at once rather than after HEADERS_TIMEOUT_MS.
 */
function sendRaw(origin: string, bytes: Buffer, method: string): Promise<Answer> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ ...parseAnswer(data, method), ...(error && data.length === 0 ? { error } : {}) });
    };
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => finish(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      if (parseAnswer(data, method).complete) finish();
    });
    socket.on('close', () => finish('closed without an answer'));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(`${e.code ?? ''} ${e.message}`));
    socket.write(bytes);
    const endInput = setTimeout(() => !done && socket.end(), HALF_CLOSE_AFTER_MS);
    socket.on('close', () => clearTimeout(endInput));
  });
}

function parseAnswer(data: Buffer, method: string): Answer & { complete: boolean } {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return { headers: {}, body: Buffer.alloc(0), complete: false, ...(data.length ? { error: `half an answer: ${data.subarray(0, 200)}` } : {}) };
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.match(/^HTTP\/1\.[01] (\d{3})/)?.[1]);
  let body = data.subarray(end + 4);
  let complete = false;
  if (method === 'HEAD' || status === 204 || status === 304) complete = true;
  else if (headers['content-length'] !== undefined) complete = body.length >= Number(headers['content-length']);
  else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    complete = body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString() === '0\r\n\r\n';
    if (complete) body = dechunk(body);
  }
  return { status: Number.isNaN(status) ? undefined : status, headers, body, complete };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, eol).toString(), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

// ---------------------------------------------------------------------------------------------
// What a good answer is

const PDS_CODES = new Set<string>([...Object.values(PdsError), SpineError.internalServerError]);
const SDS_CODES = new Set<string>([SpineError.badRequest, SpineError.noRecordFound, SpineError.notImplemented, SpineError.missingOrInvalidHeader, SpineError.internalServerError, SpineError.sdsAccessDenied]);
const GPC_CODES = new Set<string>(Object.values(SpineError));
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

type Outcome = { resourceType?: string; id?: string; meta?: { profile?: string[] }; issue?: Array<{ severity?: string; code?: string; diagnostics?: string; details?: { coding?: Array<{ system?: string; version?: string; code?: string; display?: string }> } }> };

function issueProblem(oo: Outcome): string | undefined {
  if (oo.resourceType !== 'OperationOutcome') return `the error body is a ${oo.resourceType ?? 'thing without resourceType'}, not an OperationOutcome`;
  const issue = oo.issue?.[0];
  if (!issue || typeof issue.code !== 'string' || typeof issue.severity !== 'string') return 'the OperationOutcome has no issue with a code and severity';
  if (!issue.details?.coding?.length) return 'the OperationOutcome issue has no details.coding';
  return undefined;
}

/** PDS: R4 Spine-ErrorOrWarningCode (pds-sds.md §1.5). */
function pdsProblem(oo: Outcome): string | undefined {
  const coding = oo.issue![0].details!.coding![0];
  if (coding.system !== System.spineErrorCodeR4 || coding.version !== '1') return `PDS error coding system ${coding.system} version ${coding.version}`;
  if (!PDS_CODES.has(coding.code ?? '') || !coding.display) return `PDS error code ${coding.code} / display ${coding.display}`;
  return undefined;
}

/** SDS: id is the correlation id, also in X-Correlation-Id; STU3 ValueSet system (pds-sds.md §2.4). */
function sdsProblem(oo: Outcome, headers: Record<string, string>): string | undefined {
  const coding = oo.issue![0].details!.coding![0];
  if (!UUID.test(oo.id ?? '')) return `SDS error id ${oo.id} is not a correlation id`;
  if (headers['x-correlation-id'] !== oo.id) return `SDS error X-Correlation-Id ${headers['x-correlation-id']} is not the body's id ${oo.id}`;
  if (coding.system !== System.spineErrorCodeStu3ValueSet || !SDS_CODES.has(coding.code ?? '') || !coding.display || typeof oo.issue![0].diagnostics !== 'string') return `SDS error coding ${JSON.stringify(coding)}`;
  return undefined;
}

/** A GP Connect provider error (gpconnect-spec.md §6): profiled, one coding, the Spine CodeSystem. */
function gpcProblem(oo: Outcome): string | undefined {
  const coding = oo.issue![0].details!.coding!;
  if (!oo.meta?.profile?.includes(GpcProfile.operationOutcome)) return 'the provider error is not GPConnect-OperationOutcome-1 profiled';
  if (coding.length !== 1 || coding[0].system !== System.spineErrorCodeStu3) return `provider error coding ${JSON.stringify(coding)}`;
  if (!GPC_CODES.has(coding[0].code ?? '') || !coding[0].display) return `provider error code ${coding[0].code} / display ${coding[0].display}`;
  return undefined;
}

/** The SSP's own error (gpconnect-spec.md §2.4): the status as the code, never cached; or the 405 as the spec shows it; or the provider's, forwarded. */
function sspProblem(oo: Outcome, status: number, headers: Record<string, string>): string | undefined {
  const coding = oo.issue![0].details!.coding![0];
  if (coding.system === System.spineErrorCodeStu3) return gpcProblem(oo);
  if (coding.system === System.spineOperationOutcome) return status === 405 && coding.code === '405' ? undefined : `SSP ${status} with the 405 shape`;
  if (coding.system !== System.sspResponseCode) return `SSP error coding system ${coding.system}`;
  if (coding.code !== String(status) || !coding.display) return `SSP error code ${coding.code} for status ${status}`;
  if (headers['cache-control'] !== 'no-store') return 'SSP error may be cached (Cache-Control is not no-store)';
  return undefined;
}

const FHIR_JSON = /^application\/fhir\+json(;|$)/;

/** Why an answer is wrong for the case, or undefined. */
function judge(c: FuzzCase, a: Answer): string | undefined {
  if (a.status === undefined) return c.mayCloseUnanswered && a.error === 'closed without an answer' ? undefined : `no answer: ${a.error}`;
  if (a.status >= 500) return `${a.status}: the server failed (${a.body.subarray(0, 300)})`;
  const type = a.headers['content-type'] ?? '';
  const bodyless = (c.raw ? c.raw.subarray(0, 5).toString('latin1') : c.method + ' ') === 'HEAD ';
  // An OPTIONS to the SSP is a CORS preflight it answers itself (SSP-CORS), whatever else the request
  // carries (a browser's preflight has no Ssp-* headers or token); a target it cannot read is refused.
  const preflight = (c.raw ? c.raw.subarray(0, 8).toString('latin1') : `${c.method} `) === 'OPTIONS ';
  if (c.service === 'ssp' && preflight && a.status < 400) {
    if (a.status < 200 || a.status >= 300) return `${a.status} to a CORS preflight`;
    return a.headers['access-control-allow-origin'] && a.headers['access-control-allow-methods'] ? undefined : `${a.status} to a CORS preflight without Access-Control-Allow-Origin and -Methods`;
  }
  if (a.status < 400) {
    if (c.mustFail) return `${a.status}: an invalid request was accepted`;
    if (a.status < 200 || a.status >= 300) return `${a.status}: neither a FHIR answer nor an error`;
    if (!FHIR_JSON.test(type) && !(c.service === 'sds' && type === 'application/json')) return `${a.status} with content type ${type}`;
    if (bodyless) return undefined;
    const body = parse(a.body) as Outcome | undefined;
    if (!body || !c.answers.includes(body.resourceType ?? '')) return `${a.status} with a ${body?.resourceType ?? 'body that is not JSON'} (expected ${c.answers.join(' or ')})`;
    return undefined;
  }
  if (!FHIR_JSON.test(type)) return `${a.status} with content type ${type || '(none)'}`;
  if (bodyless) return undefined;
  const oo = parse(a.body) as Outcome | undefined;
  if (!oo) return `${a.status} with a body that is not JSON: ${a.body.subarray(0, 200)}`;
  const problem = issueProblem(oo);
  if (problem) return `${a.status}: ${problem}`;
  const shaped = { pds: () => pdsProblem(oo), sds: () => sdsProblem(oo, a.headers), ssp: () => sspProblem(oo, a.status!, a.headers), provider: () => gpcProblem(oo) }[c.service]();
  return shaped && `${a.status}: ${shaped}`;
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const describeCase = (c: FuzzCase) => `#${c.index} ${c.base} [${c.mutations.join(', ')}] ${c.method} ${c.target.slice(0, 160)}`;

async function openConnections(): Promise<Partial<Record<Service, { open: number; incomplete: number }>>> {
  return spine.connections();
}

async function untilNoConnections(boundMs: number): Promise<number> {
  const started = Date.now();
  let open = Infinity;
  while (Date.now() - started < boundMs) {
    open = Object.values(await openConnections()).reduce((s, c) => s + (c?.open ?? 0), 0);
    if (open === 0) return 0;
    await new Promise((r) => setTimeout(r, 250));
  }
  return open;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('fuzzing Spine in a box: every answer is spec-shaped, nothing crashes or leaks', { timeout: 600_000 }, async (t) => {
  t.diagnostic(`GPC_FUZZ_SEED=${SEED} GPC_FUZZ_COUNT=${COUNT} (set them to replay this run)`);
  console.error(`spine-fuzz: GPC_FUZZ_SEED=${SEED} GPC_FUZZ_COUNT=${COUNT}`);
  const rng = new Rng(SEED);
  const origins = Object.fromEntries(bases.map((b) => [b.name, b.origin]));
  const findings: string[] = [];
  const tally = { sent: 0, accepted: 0, refused: 0, raw: 0, statuses: new Map<number | string, number>() };
  const warmUp = Math.min(300, Math.floor(COUNT / 10));
  let heapBefore = 0;
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  // The journal lets old entries go: watch for mocks that threw as it records them.
  const faults: Array<{ service: string; method: string; target: string; fault?: string }> = [];
  spine.journal.on('entry', (e) => e.fault && e.status >= 500 && faults.push(e));

  let next = 0;
  const worker = async () => {
    while (next < COUNT) {
      // Made as it is sent (one at a time, in order: the same seed gives the same cases), so the test holds no bodies but those in flight.
      const c = makeCase(rng, next++, bases);
      if (c.index === warmUp) heapBefore = heapAfterGc();
      if (c.index > 0 && c.index % 500 === 0) spine.reset(); // bookings would use up the free slots
      if (process.env.GPC_FUZZ_VERBOSE) console.error(`spine-fuzz: sending ${describeCase(c)}`);
      if (process.env.GPC_FUZZ_SHOW === String(c.index)) console.error(`spine-fuzz: case ${c.index} on the wire: ${JSON.stringify((c.raw ?? serialise(c)).subarray(0, 3000).toString('latin1'))}`);
      const answer = await send(c, origins[c.base]);
      tally.sent++;
      if (c.raw) tally.raw++;
      tally.statuses.set(answer.status ?? 'none', (tally.statuses.get(answer.status ?? 'none') ?? 0) + 1);
      if (answer.status !== undefined && answer.status < 400) tally.accepted++;
      else tally.refused++;
      const problem = judge(c, answer);
      if (problem) findings.push(`${describeCase(c)} -> ${problem}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await spine.journal.settled();
  const seconds = (Date.now() - started) / 1000;

  agent.destroy();
  const stillOpen = await untilNoConnections(15_000);
  const heapAfter = heapAfterGc();
  const statuses = [...tally.statuses.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([s, n]) => `${s}:${n}`).join(' ');
  const figures =
    `${tally.sent} requests (${tally.raw} malformed on the wire) in ${seconds.toFixed(1)} s; ${tally.accepted} accepted, ${tally.refused} refused; statuses ${statuses}; ` +
    `heap after GC ${(heapBefore / 1048576).toFixed(1)} MB -> ${(heapAfter / 1048576).toFixed(1)} MB; RSS ${(rssBefore / 1048576).toFixed(0)} MB -> ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB; ` +
    `connections open after ${stillOpen}; journal holds ${spine.journal.size} entries (${(spine.journal.heldChars / 1048576).toFixed(1)} M chars), dropped ${spine.journal.dropped}`;
  t.diagnostic(figures);
  console.error(`spine-fuzz: ${figures}`);

  assert.deepEqual(findings.slice(0, 15), [], `seed ${SEED}: ${findings.length} answer(s) were not spec-shaped or not refused`);
  assert.deepEqual(faults.slice(0, 5).map((e) => `${e.service} ${e.method} ${e.target.slice(0, 120)}: ${e.fault}`), [], `seed ${SEED}: a mock threw`);
  assert.deepEqual(processFaults, [], `seed ${SEED}: the process saw errors no server handled`);
  assert.equal(stillOpen, 0, `seed ${SEED}: ${stillOpen} connection(s) still open 15 s after the fuzz ended: ${JSON.stringify(await openConnections())}`);
  assert.ok(spine.journal.size <= JOURNAL_LIMITS.maxEntries && spine.journal.heldChars <= JOURNAL_LIMITS.maxChars, `the journal went past its limits: ${spine.journal.size} entries, ${spine.journal.heldChars} chars`);
  assert.ok(heapAfter - heapBefore < HEAP_GROWTH_BOUND, `seed ${SEED}: the heap grew by ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB after GC over ${COUNT} requests (bound ${HEAP_GROWTH_BOUND / 1048576} MB): something keeps what it should let go`);
});

test('after the fuzz every server still answers a valid request', async () => {
  for (const base of bases.filter((b) => b.method === 'GET')) {
    const answer = await send({ index: -1, service: base.service, base: base.name, method: base.method, target: base.target, headers: base.headers, mutations: [], mustFail: false, answers: base.answers }, base.origin, false);
    assert.equal(answer.status, 200, `${base.name} no longer answers: ${answer.status ?? answer.error}`);
  }
});
