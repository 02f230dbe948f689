import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { BodyProgress, bytesInWords, describeTransportError } from './transport-faults';

export interface RawRequest {
  /** Origin to connect to, e.g. http://127.0.0.1:4003. */
  origin: string;
  /** Request target written on the request line verbatim (no normalisation at all). */
  target: string;
  method: string;
  /** Header lines in order; the same name may appear twice. Names keep their case. */
  headers: Array<[string, string]>;
  body?: string;
  tls?: ClientTls;
  /** Give up after this long, from connecting to the last byte of the body: the harness never waits without bound. */
  timeoutMs?: number;
  /** Stop reading a body larger than this (DEFAULT_RESPONSE_BYTES): the harness never reads without bound either. */
  maxBodyBytes?: number;
  /**
   * Send it on a kept-alive connection from a pool, where one is free, rather than on a connection
   * of its own (the default: what a system under test sees is then each request's connection and
   * TLS handshake). For the harness's own lookups, where the connection is not what is tested.
   */
  keepAlive?: boolean;
}

/** The pools of kept-alive connections (`keepAlive`); idle ones do not hold the process open. */
const KEPT_ALIVE = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** TLS material a client presents: PEM strings, or a PKCS#12 bundle (bytes) with its passphrase. */
export interface ClientTls {
  ca?: string | string[];
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
  /** An OpenSSL cipher list to offer (TLS 1.2 and below) and the highest protocol version: a transport probe's choice, Node's defaults otherwise. */
  ciphers?: string;
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, decoded from its gzip content coding when the answer has one (Content-Encoding stays in `headers`). */
  body: string;
  /** Why a body labelled Content-Encoding: gzip could not be decoded (the body is then the bytes as received). */
  decodingProblem?: string;
}

/** Why an exchange did not complete: the harness reports it as broken, not as a non-conformance. */
export class ExchangeFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExchangeFailed';
  }
}

/** The most of a response body the harness reads by default: far beyond any GP Connect answer. */
export const DEFAULT_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Send one HTTP request exactly as described: raw target, header case and duplicates kept. Used
 * where the harness plays a consumer and the point of the test is what is on the wire.
 *
 * Every way an answer can go wrong ends it, once, with the reason (ExchangeFailed): `timeoutMs` is
 * a deadline for the whole exchange, connection to last byte, so a body trickled a byte at a time
 * cannot hold the harness; a body over `maxBodyBytes` is not read further; a connection closed
 * before the promised body and a response Node cannot parse are named as such. Redirects are never
 * followed (Node's client does not): the caller sees the 3xx and says so.
 */
export function sendRaw(req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.origin);
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = req.timeoutMs ?? 30_000;
  const limit = req.maxBodyBytes ?? DEFAULT_RESPONSE_BYTES;
  const headers: string[] = req.headers.flat();
  // With headers given as raw pairs Node adds no Host of its own.
  if (!req.headers.some(([n]) => n.toLowerCase() === 'host')) headers.unshift('Host', url.host);
  if (req.body !== undefined) headers.push('Content-Length', String(Buffer.byteLength(req.body)));
  return new Promise((resolve, reject) => {
    let settled = false;
    let progress: BodyProgress | undefined;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      reject(new ExchangeFailed(message));
    };
    const request = client.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method: req.method,
        path: req.target,
        headers,
        agent: req.keepAlive ? KEPT_ALIVE[url.protocol === 'https:' ? 'https' : 'http'] : false,
        ...(url.protocol === 'https:' ? { ca: req.tls?.ca, cert: req.tls?.cert, key: req.tls?.key, pfx: req.tls?.pfx, passphrase: req.tls?.passphrase, ciphers: req.tls?.ciphers, maxVersion: req.tls?.maxVersion, servername: undefined } : {}),
      },
      (res) => {
        const body = new BodyProgress(res.headers, Date.now());
        progress = body;
        const chunks: Buffer[] = [];
        res.on('error', () => fail(`the answer from ${req.origin} broke off: ${body.closedMidBody()}`));
        res.on('aborted', () => fail(`the answer from ${req.origin} broke off: ${body.closedMidBody()}`));
        if (body.expected !== undefined && body.expected > limit) {
          return fail(`the answer from ${req.origin} announces ${body.expected} bytes (Content-Length), over the ${bytesInWords(limit)} limit (limits.responseBytes): not read`);
        }
        res.on('data', (c: Buffer) => {
          body.received += c.length;
          if (body.received > limit) return fail(`the answer from ${req.origin} is larger than the ${bytesInWords(limit)} limit (limits.responseBytes): stopped reading after ${body.received} bytes`);
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) return fail(`the answer from ${req.origin} broke off: ${body.closedMidBody()}`);
          settled = true;
          clearTimeout(deadline);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: out, ...decodedBody(Buffer.concat(chunks), out['content-encoding'], limit) });
        });
      },
    );
    const deadline = setTimeout(() => fail(progress ? `${req.origin} was ${progress.stillSending(timeoutMs)}` : `no answer from ${req.origin} within ${timeoutMs} ms`), timeoutMs);
    request.on('error', (e: NodeJS.ErrnoException) => fail(`cannot exchange with ${req.origin}: ${describeTransportError(e)}`));
    request.end(req.body);
  });
}

/**
 * A body in its content coding (RFC 9110 §8.4): gzip is decoded (development_general_api_guidance
 * "Content compression"), within the same size limit as the bytes read; any other coding, or none, is
 * read as UTF-8. A body that says gzip and is not is returned as received, with the reason.
 */
export function decodedBody(bytes: Buffer, contentEncoding: string | undefined, limit = DEFAULT_RESPONSE_BYTES): { body: string; decodingProblem?: string } {
  const codings = (contentEncoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length !== 1 || (codings[0] !== 'gzip' && codings[0] !== 'x-gzip') || bytes.length === 0) return { body: bytes.toString('utf8') };
  try {
    return { body: gunzipSync(bytes, { maxOutputLength: limit }).toString('utf8') };
  } catch (error) {
    return { body: bytes.toString('utf8'), decodingProblem: `the body says Content-Encoding: ${contentEncoding} but cannot be decoded as gzip (${(error as Error).message})` };
  }
}
