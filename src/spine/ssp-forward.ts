import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ClientTls } from '../http/raw-client';
import { BodyProgress, describeTransportError } from '../http/transport-faults';

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
 * query and payload as received), with only the proxying headers of `added` (RFC 7239 `Forwarded`) and stream the answer back. node:http rather than fetch, because
 * fetch adds headers of its own, decompresses bodies and follows redirects, and the SSP must do
 * none of these: a provider's 3xx goes back to the consumer as any other status does.
 *
 * `timeoutMs` bounds the whole exchange. Before the provider's status line the SSP can still answer
 * for itself (504, or 502 when it could not get an answer); once it has passed a status on, all a
 * streaming proxy can do with a provider that trickles, stops mid-body or sends something that is
 * not HTTP is cut the answer off. `onBrokenBody` hears why, so the harness can name the behaviour.
 */
export function forward(request: Request, body: Uint8Array | undefined, upstream: URL, timeoutMs: number, tls?: UpstreamTls, onBrokenBody?: (reason: string) => void, added: Record<string, string> = {}): Promise<ForwardResult> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) headers[key] = value;
  });
  // The proxying headers the SSP adds (development_general_api_guidance "Proxying headers"), and nothing else.
  for (const [key, value] of Object.entries(added)) headers[key.toLowerCase()] = value;
  if (body) headers['content-length'] = String(body.byteLength);
  const client = upstream.protocol === 'https:' ? https : http;
  return new Promise<ForwardResult>((resolve) => {
    let settled = false;
    let progress: BodyProgress | undefined;
    let bodyBroken = false;
    const settle = (r: ForwardResult) => {
      if (!settled) {
        settled = true;
        if (r.kind !== 'response') clearTimeout(timer);
        resolve(r);
      }
    };
    /** After the status was passed on: cut the streamed answer and say why (once). */
    const breakBody = (reason: string) => {
      if (bodyBroken) return;
      bodyBroken = true;
      clearTimeout(timer);
      onBrokenBody?.(reason);
      req.destroy(new Error(reason));
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
        progress = new BodyProgress(res.headers, Date.now());
        const seen = progress;
        res.on('data', (c: Buffer) => (seen.received += c.length));
        res.on('aborted', () => breakBody(seen.closedMidBody()));
        res.on('error', () => breakBody(seen.closedMidBody()));
        res.on('end', () => (res.complete ? clearTimeout(timer) : breakBody(seen.closedMidBody())));
        const noBody = request.method === 'HEAD' || status === 204 || status === 304;
        if (noBody) res.resume();
        const stream = noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        settle({ kind: 'response', response: new Response(stream, { status, headers: out }) });
      },
    );
    const timer = setTimeout(() => {
      if (!settled) {
        settle({ kind: 'timeout', afterMs: timeoutMs });
        req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      } else if (progress) {
        breakBody(`the provider was ${progress.stillSending(timeoutMs)}`);
      }
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!settled) settle({ kind: 'unreachable', reason: describeTransportError(error) });
      else breakBody(error.code?.startsWith('HPE_') ? describeTransportError(error) : progress?.closedMidBody() ?? error.message);
    });
    request.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      // The consumer stopped reading: whatever the provider does next is no longer the provider's fault.
      bodyBroken = true;
      req.destroy(new Error('client went away'));
    });
    req.end(body ? Buffer.from(body) : undefined);
  });
}
