import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ClientTls } from '../http/raw-client';

/** Hop-by-hop headers (RFC 7230 §6.1) are the connection's, not the message's: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

/** What the SSP presents to a provider over TLS. */
export type UpstreamTls = ClientTls;

export type ForwardResult =
  | { kind: 'response'; response: Response }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'timeout'; afterMs: number };

/**
 * Forward a request unmodified (CORE ssp_implementation_guide "Proxy responsibilities": headers,
 * query and payload as received) and stream the answer back. node:http rather than fetch, because
 * fetch adds headers of its own and decompresses bodies, and the SSP must do neither.
 */
export function forward(request: Request, body: Uint8Array | undefined, upstream: URL, timeoutMs: number, tls?: UpstreamTls): Promise<ForwardResult> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) headers[key] = value;
  });
  if (body) headers['content-length'] = String(body.byteLength);
  const client = upstream.protocol === 'https:' ? https : http;
  return new Promise<ForwardResult>((resolve) => {
    let settled = false;
    const settle = (r: ForwardResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(r);
      }
    };
    const req = client.request(
      upstream,
      { method: request.method, headers, ...(upstream.protocol === 'https:' ? { ca: tls?.ca, cert: tls?.cert, key: tls?.key, pfx: tls?.pfx, passphrase: tls?.passphrase } : {}) },
      (res) => {
        const status = res.statusCode ?? 502;
        const out = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i];
          if (!HOP_BY_HOP.has(name.toLowerCase())) out.append(name, res.rawHeaders[i + 1]);
        }
        const noBody = request.method === 'HEAD' || status === 204 || status === 304;
        if (noBody) res.resume();
        const stream = noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        settle({ kind: 'response', response: new Response(stream, { status, headers: out }) });
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', afterMs: timeoutMs });
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'unreachable', reason: error.code ?? error.message }));
    request.signal?.addEventListener('abort', () => req.destroy(new Error('client went away')));
    req.end(body ? Buffer.from(body) : undefined);
  });
}
