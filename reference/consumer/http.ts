/**
 * The reference consumer's one way onto the network: node:http/https with the request target sent
 * exactly as built (no URL normalisation between the consumer and the wire, so the SSP sees the
 * provider's service root character for character, gpconnect-spec.md §2.1), client certificates
 * over https, and a timeout.
 */
import http from 'node:http';
import https from 'node:https';
import type { ConsumerTls } from './config';

export interface WireRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Absolute URL; its path and query go on the request line as they are written here. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** No answer at all: refused, reset, or timed out. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Origin and request target of an absolute URL, without normalising the target. */
export function splitUrl(url: string): { origin: URL; target: string } {
  const match = /^(https?:\/\/[^/?#]+)(.*)$/i.exec(url);
  if (!match) throw new TransportError(`not an absolute http(s) URL: ${url}`, false);
  const target = match[2] === '' ? '/' : match[2].startsWith('/') ? match[2] : `/${match[2]}`;
  return { origin: new URL(match[1]), target };
}

export function send(request: WireRequest, options: { timeoutMs: number; tls?: ConsumerTls }): Promise<WireResponse> {
  const { origin, target } = splitUrl(request.url);
  const secure = origin.protocol === 'https:';
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));
  const base: http.RequestOptions = {
    method: request.method,
    host: origin.hostname.replace(/^\[|\]$/g, ''),
    port: origin.port || (secure ? 443 : 80),
    path: target,
    headers,
    agent: false,
  };
  return new Promise<WireResponse>((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => fail(new TransportError(`the answer from ${origin.origin} broke off: ${e.message}`, false)));
    };
    const req = secure
      ? https.request({ ...base, ...(options.tls ? { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key } : {}) }, onResponse)
      : http.request(base, onResponse);
    let settled = false;
    const fail = (error: TransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TransportError(`no answer from ${origin.origin} within ${options.timeoutMs} ms`, true)), options.timeoutMs);
    req.on('error', (e) => fail(new TransportError(`${request.method} ${origin.origin} failed: ${e.message}`, false)));
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
