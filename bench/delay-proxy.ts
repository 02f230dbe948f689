/**
 * A provider that takes its time: a loopback HTTP proxy that holds each answer of the server behind
 * it for a fixed delay before passing it on. Put in front of `gpc-conform serve-provider`, it makes
 * the reference provider answer like a real one across a network, so that `--parallel` has waiting
 * to overlap. Loopback only, both sides.
 *
 * The reference provider knows its service root by its own address (the JWT's `aud` must name it;
 * its Bundles' fullUrls and Location headers start with it), and the harness knows it by the
 * proxy's. So the proxy translates one address into the other both ways, as a reverse proxy
 * rewrites its backend's address: inside the request's JWT and body on the way in, inside the
 * answer's body and Location headers on the way out. Nothing else is touched.
 */
import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Answers passed on so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

/** Every occurrence of one address replaced by the other. */
export const translate = (text: string, from: string, to: string): string => text.split(from).join(to);

const fromBase64Url = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
const toBase64Url = (s: string) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** `Bearer <header>.<claims>.<signature>` with the address translated inside the claims; anything else unchanged. */
export function translateBearer(authorization: string, from: string, to: string): string {
  const match = /^Bearer ([^.\s]+)\.([^.\s]+)\.([^.\s]*)$/.exec(authorization);
  if (!match) return authorization;
  const claims = fromBase64Url(match[2]);
  return claims.includes(from) ? `Bearer ${match[1]}.${toBase64Url(translate(claims, from, to))}.${match[3]}` : authorization;
}

const LOCATION_HEADERS = ['location', 'content-location'];

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * An answer's body with the address translated: a gzip-encoded one (the client asked for it) is
 * unpacked to find the address and packed again; one in another encoding, or gzip that does not unpack,
 * goes back as it came, for the harness to judge.
 */
export function translatedBody(raw: Buffer, encoding: string, from: string, to: string): Buffer | string {
  if (!encoding) return translate(raw.toString('utf8'), from, to);
  if (!/^gzip$/i.test(encoding.trim())) return raw;
  try {
    return gzipSync(translate(gunzipSync(raw).toString('utf8'), from, to));
  } catch {
    return raw;
  }
}

export async function startDelayProxy(target: { port: number }, delayMs: number): Promise<DelayProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const inside = `http://127.0.0.1:${target.port}`;
  let outside = '';
  let forwarded = 0;
  const server = http.createServer(async (req, res) => {
    const body = translate((await readAll(req)).toString('utf8'), outside, inside);
    const headers = { ...req.headers, host: `127.0.0.1:${target.port}`, 'content-length': String(Buffer.byteLength(body)) };
    delete headers['transfer-encoding'];
    if (headers.authorization) headers.authorization = translateBearer(headers.authorization, outside, inside);
    const upstream = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers, agent }, async (answer) => {
      const raw = await readAll(answer);
      const text = translatedBody(raw, String(answer.headers['content-encoding'] ?? ''), inside, outside);
      const back: http.OutgoingHttpHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) };
      delete back['transfer-encoding'];
      for (const name of LOCATION_HEADERS) if (typeof back[name] === 'string') back[name] = translate(back[name] as string, inside, outside);
      forwarded++;
      setTimeout(() => res.writeHead(answer.statusCode ?? 502, back).end(text), delayMs);
    });
    upstream.on('error', (error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`delay proxy: ${error.message}`));
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  outside = `http://127.0.0.1:${port}`;
  return {
    origin: outside,
    port,
    get forwarded() {
      return forwarded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
