import http from 'node:http';
import https from 'node:https';

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
  /** Give up after this long: the harness never waits without bound. */
  timeoutMs?: number;
}

/** TLS material a client presents: PEM strings, or a PKCS#12 bundle (bytes) with its passphrase. */
export interface ClientTls {
  ca?: string | string[];
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Why an exchange did not complete: the harness reports it as broken, not as a non-conformance. */
export class ExchangeFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExchangeFailed';
  }
}

/**
 * Send one HTTP request exactly as described: raw target, header case and duplicates kept. Used
 * where the harness plays a consumer and the point of the test is what is on the wire.
 */
export function sendRaw(req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.origin);
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = req.timeoutMs ?? 30_000;
  const headers: string[] = req.headers.flat();
  // With headers given as raw pairs Node adds no Host of its own.
  if (!req.headers.some(([n]) => n.toLowerCase() === 'host')) headers.unshift('Host', url.host);
  if (req.body !== undefined) headers.push('Content-Length', String(Buffer.byteLength(req.body)));
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method: req.method,
        path: req.target,
        headers,
        agent: false,
        ...(url.protocol === 'https:' ? { ca: req.tls?.ca, cert: req.tls?.cert, key: req.tls?.key, pfx: req.tls?.pfx, passphrase: req.tls?.passphrase, servername: undefined } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => reject(new ExchangeFailed(`the answer from ${req.origin} broke off: ${e.message}`)));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new ExchangeFailed(`no answer from ${req.origin} within ${timeoutMs} ms`)));
    request.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof ExchangeFailed ? e : new ExchangeFailed(`cannot exchange with ${req.origin}: ${e.code ?? e.message}`)));
    request.end(req.body);
  });
}
