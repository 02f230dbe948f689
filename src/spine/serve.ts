import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'msw';
import { MediaType } from '../gpconnect/constants';
import { attachConnection, MAX_REQUEST_BODY, type ConnectionInfo } from './service';
import { peerIdentity } from './tls';
import { wholeBodyOf } from '../gpconnect/whole-bodies';

export interface TlsServerMaterial {
  cert: string;
  key: string;
  /** CA that client certificates are checked against. */
  ca: string;
  /** Ask clients for a certificate (mutual TLS). Refusal is left to the handlers (495/496), not the handshake... */
  requestCert: boolean;
  /** ...unless this is set: then a client without a certificate signed by `ca` is refused in the handshake, as most providers do. */
  rejectUnauthorized?: boolean;
  /** The lowest protocol version taken (default TLS 1.2) and an OpenSSL cipher list, held to its order, with DHE parameters (default: Node's list). */
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** The highest protocol version taken (default: Node's, TLS 1.3). */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
  /** A certificate revocation list (PEM) client certificates are checked against: a revoked one is then not `authorized`. */
  crl?: string;
  /** After the handshake, whether to keep the connection (a provider checking the SSP's FQDN): false closes it unanswered. */
  acceptPeer?: (socket: TLSSocket) => boolean;
}

export interface ServeOptions {
  /** Loopback only by default; anything else must be asked for by name. */
  host?: string;
  /** 0 (default) for an ephemeral port. */
  port?: number;
  tls?: TlsServerMaterial;
  /** Builds the handlers once the origin (with its real port) is known. */
  handlers: (origin: string) => RequestHandler[];
  /** The body for errors raised before any handler runs (bad request line, oversized headers or body). */
  errorBody?: (status: number, message: string) => unknown;
  /** Headers that go with such an error body (SDS names its correlation id in one). */
  errorHeaders?: (body: unknown) => Record<string, string>;
  /** Told of every request refused before any handler could run (malformed, too large, too slow), so it can be journalled. */
  onRefused?: (refusal: Refused) => void;
}

/** A request the server answered itself, before any handler: what came in and what went back. */
export interface Refused {
  status: number;
  message: string;
  /** The start of what the client sent (request line and headers so far), as far as the server read it. */
  head: string;
  body: string;
  remoteAddress?: string;
}

export interface RunningServer {
  origin: string;
  port: number;
  /** Connections open now (idle keep-alive ones included). */
  connections(): Promise<number>;
  /** Connections holding a request whose headers have not all arrived (a slow or stalled client). */
  incompleteRequests(): number;
  /** Over TLS: check client certificates against this revocation list from now on (new connections). */
  setCrl(crl: string): void;
  close(): Promise<void>;
}

/**
 * Bounds on a client that holds a connection open without finishing its request (slowloris): the
 * headers must all arrive within HEADERS_TIMEOUT_MS and the whole request within REQUEST_TIMEOUT_MS,
 * else the server answers 408 and closes the connection. Checked every CONNECTION_CHECK_MS.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;
const CONNECTION_CHECK_MS = 1_000;

const defaultErrorBody = (status: number, message: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: status === 404 ? 'not-found' : 'invalid', diagnostics: message }],
});

/**
 * Serve MSW handlers on a real socket (toolchain.md pitfall 11): each IncomingMessage becomes a
 * Fetch Request, `getResponse` runs the same handlers the in-process mode uses, and the Response
 * is streamed back. Errors that happen before a handler could run are answered spec-shaped too.
 */
export async function serveHandlers(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const errorBody = options.errorBody ?? defaultErrorBody;
  const errorHeaders = options.errorHeaders ?? (() => ({}));
  let handlers: RequestHandler[] = [];
  let origin = '';
  /** Sockets whose request the clientError handler answered (a body cut short). */
  const answeredHere = new WeakSet<Socket>();
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string) => {
    const body = writeError(res, status, message, errorBody, errorHeaders);
    options.onRefused?.({ status, message, head: `${req.method} ${req.url} HTTP/${req.httpVersion}`, body, remoteAddress: req.socket.remoteAddress });
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res, origin, handlers, refuse).catch((error: NodeJS.ErrnoException) => {
      if (clientWentAway(req, error)) {
        // Nothing to answer and no one to answer to: journalled as the client's doing (CORE 499), not as a failure of the mock.
        res.destroy();
        if (answeredHere.has(req.socket)) return;
        const message = 'the client closed the connection before its request was complete';
        options.onRefused?.({ status: 499, message, head: `${req.method} ${req.url} HTTP/${req.httpVersion}`, body: '', remoteAddress: req.socket.remoteAddress });
      } else if (!res.headersSent) refuse(req, res, 500, `the mock failed: ${error.message}`);
      else res.destroy();
    });
  };
  const bounds = { requireHostHeader: false, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CONNECTION_CHECK_MS };
  const material = options.tls;
  const secureContext = (crl: string | undefined) =>
    material && {
      minVersion: material.minVersion ?? 'TLSv1.2',
      ...(material.maxVersion ? { maxVersion: material.maxVersion } : {}),
      ...(material.ciphers ? { ciphers: material.ciphers, honorCipherOrder: true, dhparam: 'auto' as const } : {}),
      ...(crl ? { crl } : {}),
      cert: material.cert,
      key: material.key,
      ca: material.ca,
    };
  const server = material ? https.createServer({ ...bounds, ...secureContext(material.crl), requestCert: material.requestCert, rejectUnauthorized: material.rejectUnauthorized ?? false }, listener) : http.createServer(bounds, listener);
  const acceptPeer = material?.acceptPeer;
  if (acceptPeer) server.on('secureConnection', (socket: TLSSocket) => !acceptPeer(socket) && socket.destroy());
  const incomplete = trackIncompleteRequests(server, Boolean(options.tls));
  // Every socket, to close at stop: closeAllConnections leaves out those no longer in HTTP hands (CONNECT, refused malformed ones).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const underWay = incomplete.serving(socket);
    incomplete.forget(socket);
    // A reset is the client gone, not a malformed request: nothing to answer (a request under way is journalled as 499 by the listener).
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    // The input ended in the middle of a body: answered here, so the listener does not journal the same request again.
    const cutShort = error.code === 'HPE_INVALID_EOF_STATE' && underWay;
    if (cutShort) answeredHere.add(socket);
    const status = clientErrorStatus(error.code);
    const message = cutShort
      ? 'the request ended before its body was complete'
      : status === 431
        ? 'request headers are too large'
        : status === 408
          ? `no complete request within ${HEADERS_TIMEOUT_MS} ms: the connection is closed`
          : `malformed HTTP request: ${error.code ?? error.message}`;
    const outcome = errorBody(status, message);
    const head = error.rawPacket ? error.rawPacket.subarray(0, 2048).toString('latin1') : '';
    const headOnly = head.startsWith('HEAD ');
    // Answered whether or not anyone listens: `onRefused?.(…)` alone would skip evaluating its argument, the answer with it.
    const body = endWithError(socket, status, outcome, errorHeaders, headOnly);
    options.onRefused?.({ status, message, head, body, remoteAddress: socket.remoteAddress });
  });
  // CONNECT asks for a tunnel: a mock is no proxy, so it answers 405 rather than dropping the connection unanswered.
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    const message = `method ${req.method} is not supported`;
    const body = endWithError(socket, 405, errorBody(405, message), errorHeaders);
    options.onRefused?.({ status: 405, message, head: `${req.method} ${req.url} HTTP/${req.httpVersion}`, body, remoteAddress: socket.remoteAddress });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  handlers = options.handlers(origin);
  return {
    origin,
    port,
    connections: () => new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? -1 : count))),
    incompleteRequests: () => incomplete.count(),
    setCrl: (crl) => {
      if (!(server instanceof https.Server)) throw new Error(`${origin} is not served over TLS: there is no revocation list to set`);
      server.setSecureContext(secureContext(crl)!);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
  handlers: RequestHandler[],
  refuse: (req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string) => void,
): Promise<void> {
  const body = await readBody(req);
  if (body === 'too-large') return refuse(req, res, 413, `request body is over the ${MAX_REQUEST_BODY}-byte limit`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } catch {
      return refuse(req, res, 400, `header ${JSON.stringify(req.rawHeaders[i])} has a value that is not allowed`);
    }
  }
  const abort = new AbortController();
  res.on('close', () => !res.writableFinished && abort.abort());
  let request: Request;
  try {
    const hasBody = body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
    request = new Request(origin + req.url, { method: req.method, headers, body: hasBody ? Uint8Array.from(body) : undefined, signal: abort.signal });
  } catch (error) {
    return refuse(req, res, 400, `the request cannot be read: ${(error as Error).message}`);
  }
  attachConnection(request, { ...connectionInfo(req), rawTarget: req.url });
  const response = await firstResponse(handlers, request);
  if (!response) return refuse(req, res, 404, `no such resource: ${req.method} ${req.url}`);
  await writeResponse(res, response);
}

/**
 * msw's getResponse, without importing msw's entry point (it loads msw's GraphQL support and the
 * graphql package, ~0.1 s in every process that starts Spine in a box; the handlers import `http`
 * from msw/core/http): each handler in turn, the first that answers wins.
 */
async function firstResponse(handlers: readonly RequestHandler[], request: Request): Promise<Response | undefined> {
  const requestId = randomUUID();
  for (const handler of handlers) {
    const result = await handler.run({ request, requestId });
    if (result?.response) return result.response;
  }
  return undefined;
}

function connectionInfo(req: http.IncomingMessage): ConnectionInfo {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted) return { tls: false, remoteAddress: socket.remoteAddress };
  const identity = peerIdentity(socket.getPeerCertificate());
  return {
    tls: true,
    remoteAddress: socket.remoteAddress,
    clientCertificate: identity && {
      ...identity,
      authorized: socket.authorized,
      authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function writeResponse(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') headers[key] = response.headers.getSetCookie();
    else if (key !== 'content-length' && key !== 'transfer-encoding') headers[key] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const whole = wholeBodyOf(response);
  if (whole) return void res.end(whole);
  const stream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  await new Promise<void>((resolve) => {
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', resolve);
    stream.pipe(res);
  });
}

function writeError(
  res: http.ServerResponse,
  status: number,
  message: string,
  errorBody: (status: number, message: string) => unknown,
  errorHeaders: (body: unknown) => Record<string, string>,
): string {
  const outcome = errorBody(status, message);
  const body = JSON.stringify(outcome);
  res.writeHead(status, { ...errorHeaders(outcome), 'content-type': MediaType.fhirJson, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return body;
}

/** How long a refused client may keep its side of the connection open after the answer. */
const LINGER_MS = 2_000;

/**
 * Answer on the bare socket (no ServerResponse exists yet) and close it; returns the body written.
 * A HEAD request gets the headers only (RFC 9110 §9.3.2), or the client would read the body as the next answer.
 */
function endWithError(socket: Socket, status: number, outcome: unknown, errorHeaders: (body: unknown) => Record<string, string>, headOnly = false): string {
  const body = JSON.stringify(outcome);
  const extra = Object.entries(errorHeaders(outcome)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: ${MediaType.fhirJson}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${headOnly ? '' : body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  return body;
}

function clientWentAway(req: http.IncomingMessage, error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.message === 'aborted' || (req.destroyed && !req.complete);
}

function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Which connections hold a request whose headers are still arriving. The server's own data listener
 * runs first, so a chunk that completes a request's headers has already emitted 'request' when ours
 * sees it; data while a request is being served is its body.
 */
function trackIncompleteRequests(server: http.Server, tls: boolean): { count(): number; serving(socket: Socket): boolean; forget(socket: Socket): void } {
  const state = new Map<Socket, { inFlight: number; justDispatched: boolean; waiting: boolean }>();
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    // A connection that has sent nothing is not counted (browsers open spare ones); the headers timeout still closes it.
    const s = { inFlight: 0, justDispatched: false, waiting: false };
    state.set(socket, s);
    socket.on('data', () => {
      if (s.justDispatched) s.justDispatched = false;
      else if (s.inFlight === 0) s.waiting = true;
    });
    socket.on('close', () => state.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const s = state.get(req.socket);
    if (!s) return;
    s.inFlight++;
    s.waiting = false;
    s.justDispatched = true;
    res.on('close', () => s.inFlight--);
  });
  return {
    count: () => [...state.values()].filter((s) => s.waiting).length,
    serving: (socket) => (state.get(socket)?.inFlight ?? 0) > 0,
    forget: (socket) => state.delete(socket),
  };
}
