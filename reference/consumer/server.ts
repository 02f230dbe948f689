/**
 * The reference consumer as a process a harness can drive: an HTTP hook (`POST /book`, answering
 * the BookingOutcome) and a small web UI for the browser driver, served by one node:http server.
 *
 *   GET  /                       the UI (plain HTML, no framework)
 *   GET  /slots?nhsNumber=…[&start=yyyy-mm-dd&end=yyyy-mm-dd][&session=…][&organisation=ODS]   steps 1–4: SlotsOutcome JSON
 *   POST /book  {"nhsNumber": "…", "start"?, "end"?, "slotId"?, "session"?, "organisation"?, "practice"?}   BookingOutcome JSON
 *   GET  /organisations          [{ods, name}]: the organisations it books from, the hosting one first
 *   POST /cancel    {"nhsNumber", "appointmentId", "reason"?, "session"?, "organisation"?, "practice"?}   ActionResult JSON (outcome cancelled)
 *   POST /amend     {"nhsNumber", "appointmentId", "description"?, "comment"?, "session"?, …}            ActionResult JSON (outcome amended)
 *   POST /retrieve  {"nhsNumber", "start"?, "end"?, "session"?, "organisation"?, "practice"?}           ActionResult JSON (outcome retrieved, appointments)
 *   GET  /appointments?nhsNumber=…[&start&end][&session][&organisation]   the same as POST /retrieve, for the UI
 *
 * Every request may name the user asking: `"user": {"id", "family"?, "given"?, "sdsUserId"?,
 * "sdsRoleProfileId"?}` in a POST body, userId, userFamily, userGiven, userSdsId, userRoleProfileId
 * in a GET's query. Its JWTs name that user (their SDS ids UNK when they have none); a request that
 * names none is made as the configured user (GPC_CONSUMER_PRACTITIONER_*).
 *
 * Each `session` value is a user session of its own: one ReferenceConsumer, with its own PDS, SDS and
 * metadata cache (a request without one uses the default session). At most `maxSessions` are kept,
 * the least recently used dropped first.
 *
 * Outcomes (booked or error) are 200; a malformed request is 400; anything else 404/405.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReferenceConsumer, windowProblem, type DateWindow } from './consumer';
import type { LoggedOnUser } from './config';
import { UI_HTML } from './ui';

export interface ConsumerServerOptions {
  /** The default session; every other session is a new ReferenceConsumer with its config and options. */
  consumer: ReferenceConsumer;
  /** Default 1000. */
  maxSessions?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** When set, the POST hooks (/book, /cancel, /amend, /retrieve) need this value in X-Api-Key (a supplier's hook behind an API key; the profile's driver.headersFromEnv). */
  hookKey?: string;
}

export interface RunningConsumerServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
export const DEFAULT_MAX_SESSIONS = 1000;

/** One ReferenceConsumer per session id, the least recently used dropped beyond the bound. */
export class ConsumerSessions {
  private readonly sessions = new Map<string, ReferenceConsumer>();

  constructor(
    readonly defaultSession: ReferenceConsumer,
    private readonly max = DEFAULT_MAX_SESSIONS,
  ) {}

  get(session?: string): ReferenceConsumer {
    if (session === undefined) return this.defaultSession;
    let consumer = this.sessions.get(session);
    if (consumer) this.sessions.delete(session);
    else consumer = new ReferenceConsumer(this.defaultSession.config, this.defaultSession.options);
    this.sessions.set(session, consumer);
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value as string);
    return consumer;
  }

  get size(): number {
    return this.sessions.size;
  }
}

export interface BookingInput {
  nhsNumber: string;
  window?: DateWindow;
  slotId?: string;
  session?: string;
  organisation?: string;
  /** The practice the user chose to book into (an ODS code); empty or absent: the registered practice. */
  practice?: string;
  /** The user asking; absent: the configured user. */
  user?: LoggedOnUser;
}

class BadRequest extends Error {}

/**
 * The user asking, from a hook's `user` object ({id, family?, given?, sdsUserId?, sdsRoleProfileId?})
 * or, for the UI's GETs, the query's userId, userFamily, userGiven, userSdsId, userRoleProfileId;
 * undefined when none is named (the configured user). Empty strings are absent (a template's empty
 * placeholder): the SDS ids are then UNK.
 */
export function parseUser(input: Record<string, unknown>): LoggedOnUser | undefined {
  const given = input.user !== undefined ? input.user : input.userId !== undefined ? { id: input.userId, family: input.userFamily, given: input.userGiven, sdsUserId: input.userSdsId, sdsRoleProfileId: input.userRoleProfileId } : undefined;
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'object' || Array.isArray(given)) throw new BadRequest('user must be an object {id, family?, given?, sdsUserId?, sdsRoleProfileId?}');
  const fields = given as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const name of ['id', 'family', 'given', 'sdsUserId', 'sdsRoleProfileId']) {
    const value = fields[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > 200) throw new BadRequest(`user.${name} must be a string of at most 200 characters`);
    out[name] = value;
  }
  if (out.id === undefined) return undefined;
  return out as unknown as LoggedOnUser;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`the body is larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The NHS number, optional window, slot id, session and organisation of a request, or BadRequest naming what is wrong. */
export function parseBookingInput(input: Record<string, unknown>): BookingInput {
  const { nhsNumber, start, end, slotId, session, organisation, practice } = input;
  if (typeof nhsNumber !== 'string' || nhsNumber.trim() === '') throw new BadRequest('nhsNumber (a string) is required');
  if (!/^[0-9]{10}$/.test(nhsNumber.trim())) throw new BadRequest('nhsNumber must be 10 digits');
  const user = parseUser(input);
  if ((start === undefined) !== (end === undefined)) throw new BadRequest('start and end go together');
  let window: DateWindow | undefined;
  if (start !== undefined) {
    if (typeof start !== 'string' || typeof end !== 'string') throw new BadRequest('start and end must be strings yyyy-mm-dd');
    window = { start, end };
    const problem = windowProblem(window);
    if (problem) throw new BadRequest(problem);
  }
  if (slotId !== undefined && (typeof slotId !== 'string' || !/^[A-Za-z0-9.-]{1,64}$/.test(slotId))) throw new BadRequest('slotId must be a FHIR id');
  if (session !== undefined && (typeof session !== 'string' || session === '' || session.length > 100)) throw new BadRequest('session must be a string of 1 to 100 characters');
  if (organisation !== undefined && (typeof organisation !== 'string' || !/^[A-Za-z0-9]{3,10}$/.test(organisation))) throw new BadRequest('organisation must be an ODS code');
  if (practice !== undefined && practice !== '' && (typeof practice !== 'string' || !/^[A-Za-z0-9]{3,10}$/.test(practice))) throw new BadRequest('practice must be an ODS code (or empty: the registered practice)');
  return {
    nhsNumber: nhsNumber.trim(),
    ...(window ? { window } : {}),
    ...(slotId !== undefined ? { slotId: slotId as string } : {}),
    ...(session !== undefined ? { session: session as string } : {}),
    ...(organisation !== undefined ? { organisation: organisation as string } : {}),
    ...(typeof practice === 'string' && practice !== '' ? { practice } : {}),
    ...(user ? { user } : {}),
  };
}

export interface ActionInput {
  nhsNumber: string;
  session?: string;
  organisation?: string;
  practice?: string;
  appointmentId?: string;
  reason?: string;
  description?: string;
  comment?: string;
  window?: DateWindow;
  user?: LoggedOnUser;
}

const optionalText = (input: Record<string, unknown>, name: string, max: number): string | undefined => {
  const value = input[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw new BadRequest(`${name} must be a string of at most ${max} characters`);
  return value;
};

/** The fields of a cancel, amend or retrieve request (its action says which it needs), or BadRequest naming what is wrong. */
export function parseActionInput(input: Record<string, unknown>, action: 'cancel' | 'amend' | 'retrieve'): ActionInput {
  // The patient, session, organisation and practice are checked as a booking's are.
  const { nhsNumber, session, organisation, practice } = parseBookingInput({ nhsNumber: input.nhsNumber, session: input.session, organisation: input.organisation, practice: input.practice });
  const user = parseUser(input);
  const out: ActionInput = { nhsNumber, ...(session ? { session } : {}), ...(organisation ? { organisation } : {}), ...(practice ? { practice } : {}), ...(user ? { user } : {}) };
  if (action === 'retrieve') {
    const { start, end } = input;
    if ((start === undefined || start === '') !== (end === undefined || end === '')) throw new BadRequest('start and end go together');
    if (typeof start === 'string' && start !== '' && typeof end === 'string') out.window = { start, end };
    return out;
  }
  const id = input.appointmentId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9.-]{1,64}$/.test(id)) throw new BadRequest('appointmentId (a FHIR id) is required');
  out.appointmentId = id;
  const reason = optionalText(input, 'reason', 1000);
  const description = optionalText(input, 'description', 1000);
  const comment = optionalText(input, 'comment', 2000);
  return { ...out, ...(reason ? { reason } : {}), ...(description ? { description } : {}), ...(comment ? { comment } : {}) };
}

async function act(sessions: ConsumerSessions, action: 'cancel' | 'amend' | 'retrieve', input: Record<string, unknown>): Promise<unknown> {
  const { session, window, appointmentId, ...rest } = parseActionInput(input, action);
  const consumer = sessions.get(session);
  if (action === 'retrieve') return consumer.retrieveAppointments({ ...rest, ...(window ? { window } : {}) });
  const change = { ...rest, appointmentId: appointmentId! };
  return action === 'cancel' ? consumer.cancelAppointment(change) : consumer.amendAppointment(change);
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function route(sessions: ConsumerSessions, req: http.IncomingMessage, res: http.ServerResponse, hookKey: string | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://consumer.invalid');
  if (url.pathname === '/') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'GET only' });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(UI_HTML) });
    res.end(req.method === 'HEAD' ? undefined : UI_HTML);
    return;
  }
  if (url.pathname === '/slots') {
    if (req.method !== 'GET') return json(res, 405, { error: 'GET only' });
    const input: Record<string, unknown> = {};
    for (const name of ['nhsNumber', 'start', 'end', 'session', 'organisation', 'userId', 'userFamily', 'userGiven', 'userSdsId', 'userRoleProfileId']) if (url.searchParams.has(name)) input[name] = url.searchParams.get(name);
    const { session, ...parsed } = parseBookingInput(input);
    return json(res, 200, await sessions.get(session).findSlots(parsed));
  }
  if (url.pathname === '/organisations') {
    if (req.method !== 'GET') return json(res, 405, { error: 'GET only' });
    return json(res, 200, sessions.defaultSession.organisations().map((o) => ({ ods: o.ods, name: o.name })));
  }
  if (url.pathname === '/appointments') {
    if (req.method !== 'GET') return json(res, 405, { error: 'GET only' });
    return json(res, 200, await act(sessions, 'retrieve', Object.fromEntries(url.searchParams)));
  }
  const hooks = ['/book', '/cancel', '/amend', '/retrieve'];
  if (hooks.includes(url.pathname)) {
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    if (hookKey !== undefined && !sameSecret(req.headers['x-api-key'], hookKey)) return json(res, 401, { error: 'X-Api-Key is missing or wrong' });
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadRequest('the body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
    if (url.pathname !== '/book') return json(res, 200, await act(sessions, url.pathname.slice(1) as 'cancel' | 'amend' | 'retrieve', body as Record<string, unknown>));
    const { session, ...parsed } = parseBookingInput(body as Record<string, unknown>);
    return json(res, 200, await sessions.get(session).bookAppointment(parsed));
  }
  json(res, 404, { error: `no such endpoint: ${url.pathname}` });
}

/** Serves the hook and the UI: the consumer given as the default session, a new one per other session. */
export function startConsumerServer(options: ConsumerServerOptions): Promise<RunningConsumerServer> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new ConsumerSessions(options.consumer, options.maxSessions);
  const server = http.createServer((req, res) => {
    route(sessions, req, res, options.hookKey).catch((error: Error) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BadRequest) json(res, 400, { error: error.message, message: error.message });
      else json(res, 500, { error: `the reference consumer failed: ${error.message}` });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        origin,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
