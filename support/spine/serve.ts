import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { getResponse, type RequestHandler } from 'msw';
import { MediaType } from '../constants';
import { attachConnection, MAX_REQUEST_BODY, type ConnectionInfo } from './service';
import { peerIdentity } from './tls';

export interface TlsServerMaterial {
  cert: string;
  key: string;
  /** CA that client certificates are checked against. */
  ca: string;
  /** Ask clients for a certificate (mutual TLS). Refusal is left to the handlers (495/496), not the handshake... */
  requestCert: boolean;
  /** ...unless this is set: then a client without a certificate signed by `ca` is refused in the handshake, as most providers do. */
  rejectUnauthorized?: boolean;
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
}

export interface RunningServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

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
  let handlers: RequestHandler[] = [];
  let origin = '';
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res, origin, handlers, errorBody).catch((error: Error) => {
      if (!res.headersSent) writeError(res, 500, `the mock failed: ${error.message}`, errorBody);
      else res.destroy();
    });
  };
  const server = options.tls
    ? https.createServer({ requireHostHeader: false, minVersion: 'TLSv1.2', cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca, requestCert: options.tls.requestCert, rejectUnauthorized: options.tls.rejectUnauthorized ?? false }, listener)
    : http.createServer({ requireHostHeader: false }, listener);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify(errorBody(status, status === 431 ? 'request headers are too large' : `malformed HTTP request: ${error.code ?? error.message}`));
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: ${MediaType.fhirJson}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
  handlers: RequestHandler[],
  errorBody: (status: number, message: string) => unknown,
): Promise<void> {
  const body = await readBody(req);
  if (body === 'too-large') return writeError(res, 413, `request body is over the ${MAX_REQUEST_BODY}-byte limit`, errorBody);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } catch {
      return writeError(res, 400, `header ${JSON.stringify(req.rawHeaders[i])} has a value that is not allowed`, errorBody);
    }
  }
  const abort = new AbortController();
  res.on('close', () => !res.writableFinished && abort.abort());
  let request: Request;
  try {
    const hasBody = body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
    request = new Request(origin + req.url, { method: req.method, headers, body: hasBody ? Uint8Array.from(body) : undefined, signal: abort.signal });
  } catch (error) {
    return writeError(res, 400, `the request cannot be read: ${(error as Error).message}`, errorBody);
  }
  attachConnection(request, { ...connectionInfo(req), rawTarget: req.url });
  const response = await getResponse(handlers, request);
  if (!response) return writeError(res, 404, `no such resource: ${req.method} ${req.url}`, errorBody);
  await writeResponse(res, response);
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

function writeError(res: http.ServerResponse, status: number, message: string, errorBody: (status: number, message: string) => unknown): void {
  const body = JSON.stringify(errorBody(status, message));
  res.writeHead(status, { 'content-type': MediaType.fhirJson, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
