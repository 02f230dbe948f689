/**
 * Seeded fuzzing of Spine in a box (test/spine-fuzz.test.ts): valid requests to each service,
 * mutated by operators that each say whether the mutation makes the request certainly invalid
 * (the answer must be an error) or possibly harmless (a valid FHIR answer is allowed too).
 */
import { GPCONNECT_INTERACTION_PREFIX, Interaction, Jwt } from '../../src/gpconnect/constants';

export type Service = 'pds' | 'sds' | 'ssp' | 'provider';

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  text(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%/?&=+:;,'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** A valid request to one service, the starting point of every mutation. */
export interface BaseRequest {
  service: Service;
  name: string;
  origin: string;
  method: string;
  /** Path and query, beginning with `/`. */
  target: string;
  headers: Array<[string, string]>;
  body?: string;
  /** Headers without which the request is invalid. */
  required: string[];
  /** Headers whose form the service checks, when they are there (the required ones and any optional ones it validates). */
  validated?: string[];
  /** What a 2xx answer's resourceType may be. */
  answers: string[];
}

export interface FuzzCase {
  index: number;
  service: Service;
  base: string;
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
  /** Bytes to write as they are (malformed HTTP); otherwise the case is sent with node:http. */
  raw?: Buffer;
  mutations: string[];
  /** Certainly invalid: the answer must be an error. */
  mustFail: boolean;
  /** The request never completes (its body is cut short): the server may close without answering. */
  mayCloseUnanswered?: boolean;
  answers: string[];
}

interface Draft {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
  raw?: Buffer;
  mayCloseUnanswered?: boolean;
}

/**
 * A mutation: changes the draft and says whether the result is certainly invalid. One that changes
 * the method or a header names it as its `slot`: a later mutation of the same slot decides instead
 * (a bad header set again to a good value is good); mutations of the path and body add up.
 */
type Verdict = { name: string; invalid: boolean; slot?: string };
type Mutation = (rng: Rng, d: Draft, base: BaseRequest) => Verdict | undefined;

const setHeader = (d: Draft, name: string, value: string | undefined) => {
  d.headers = d.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  if (value !== undefined) d.headers.push([name, value]);
};
const headerOf = (d: Draft, name: string) => d.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const pathEnd = (target: string) => (target.includes('?') ? target.indexOf('?') : target.length);
const isGpc = (base: BaseRequest) => base.service === 'ssp' || base.service === 'provider';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD', 'CONNECT', 'FUZZ', 'get', 'M-SEARCH', 'PROPFIND'];
const PERCENT_JUNK = ['%ZZ', '%', '%0', '%00', '%E0%A4%A', '%FF%FE', ';x=1', '%0d%0a', '%25', '\u00e9', ' ', '\t', '<script>', '"', '{}', '|'];
const DOT_JUNK = ['/../', '/..', '/./', '%2e%2e/', '/%2E%2E%2F', '..\\', '//'];
const BAD_VALUES = ['', 'x', '0', '-1', 'null', '999999999999', 'a'.repeat(300), '12345678-1234-1234-1234-12345678901', '{"a":1}', '\u00e9\u00e9', `${GPCONNECT_INTERACTION_PREFIX}fhir:rest:read:nothing-1`];
const INTERACTIONS = [Interaction.readMetadata, Interaction.searchSlot, Interaction.searchPatient, Interaction.createAppointment, Interaction.readAppointment, Interaction.cancelAppointment];
const ACCEPTS = ['text/html', 'application/xml', 'application/fhir+xml', '*/*', 'application/json', '', 'application/fhir+json;q=0', 'application/fhir+json, text/plain', '\u00e9/\u00e9', 'a'.repeat(2000)];
const CONTENT_TYPES = ['text/plain', 'application/json', 'application/fhir+xml', '', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/fhir+jsonx'];
/** The PDS spec's BearerAuthorization format (printable ASCII, review F23): a token matching it is valid. */
const PDS_TOKEN = /^[\x21-\x7e]+$/;
const CLAIMS_ANY_CHANGE_INVALIDATES = [Jwt.claims.aud, Jwt.claims.exp, Jwt.claims.iat, Jwt.claims.reasonForRequest, Jwt.claims.requestedScope, Jwt.claims.requestingDevice, Jwt.claims.requestingOrganization, Jwt.claims.requestingPractitioner];
const REQUIRED_CLAIMS = Object.values(Jwt.claims);

function deepNesting(rng: Rng): string {
  const depth = rng.pick([100, 5_000, 50_000, 200_000]);
  return rng.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function junkJson(rng: Rng, depth = 0): unknown {
  const kind = rng.int(depth > 3 ? 5 : 8);
  if (kind === 0) return null;
  if (kind === 1) return rng.int(1e9) - 5e8;
  if (kind === 2) return rng.text(rng.int(20));
  if (kind === 3) return rng.chance(0.5);
  if (kind === 4) return 1e308 * 10; // Infinity: JSON.stringify writes null
  if (kind === 5) return Array.from({ length: rng.int(4) }, () => junkJson(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.int(4); i > 0; i--) o[rng.pick(['resourceType', 'id', 'identifier', 'name', 'x', '__proto__', 'constructor'])] = junkJson(rng, depth + 1);
  return o;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function bearerOf(d: Draft): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  const token = headerOf(d, 'Authorization')?.replace(/^Bearer /, '');
  const [h, p] = token?.split('.') ?? [];
  const object = (part: string) => {
    try {
      const value = JSON.parse(Buffer.from(part, 'base64url').toString());
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const [header, payload] = [object(h ?? ''), object(p ?? '')];
  return header && payload ? { header, payload } : undefined;
}

/** JWT mutations (GP Connect services): every one leaves a token the spec refuses. */
const jwtMutation: Mutation = (rng, d, base) => {
  if (base.service === 'sds') return undefined;
  if (!isGpc(base)) {
    const token = rng.pick([rng.text(rng.int(40)), 'abc123', 'a'.repeat(5000), 'x.y.z', '', 'abc_123_def']);
    const bare = rng.chance(0.2);
    setHeader(d, 'Authorization', bare ? token : `Bearer ${token}`);
    return { name: `pds-token(${bare ? '' : 'Bearer '}${token.slice(0, 20)})`, invalid: bare || !PDS_TOKEN.test(token.trim()), slot: 'header:authorization' };
  }
  const jwt = bearerOf(d);
  if (!jwt) return undefined;
  const kind = rng.int(10);
  const set = (token: string, name: string) => (setHeader(d, 'Authorization', `Bearer ${token}`), { name: `jwt-${name}`, invalid: true, slot: 'header:authorization' });
  if (kind === 0) return set(rng.text(rng.int(200)), 'garbage');
  if (kind === 1) return set(`${b64(jwt.header)}=.${b64(jwt.payload)}==.`, 'base64-padding');
  if (kind === 2) return set(`${b64(jwt.header).replace(/-/g, '+')}+/.${b64(jwt.payload)}.`, 'base64-alphabet');
  if (kind === 3) return set(rng.pick([`${b64(jwt.header)}.${b64(jwt.payload)}`, `${b64(jwt.header)}.${b64(jwt.payload)}..`, `.${b64(jwt.payload)}.`]), 'parts');
  if (kind === 4) return set(`${b64(jwt.header)}.${b64('{"iss": ' + rng.text(10))}.`, 'payload-not-json');
  if (kind === 5) return set(`${b64(rng.pick([{ alg: 'HS256', typ: 'JWT' }, { typ: 'JWT' }, { alg: 'none' }, { alg: 'none', typ: 'JWT', kid: 'x' }, { alg: 'NONE', typ: 'jwt' }]))}.${b64(jwt.payload)}.${rng.chance(0.5) ? '' : rng.text(20)}`, 'header');
  if (kind === 6) return set(`${b64(jwt.header)}.${b64(jwt.payload)}.${rng.text(1 + rng.int(40))}`, 'signed');
  if (kind === 7) {
    const claim = rng.pick(REQUIRED_CLAIMS);
    delete jwt.payload[claim];
    return set(`${b64(jwt.header)}.${b64(jwt.payload)}.`, `missing-${claim}`);
  }
  if (kind === 8) {
    const claim = rng.pick(CLAIMS_ANY_CHANGE_INVALIDATES);
    const junk = junkJson(rng);
    if (JSON.stringify(junk) === JSON.stringify(jwt.payload[claim])) return undefined;
    jwt.payload[claim] = junk;
    return set(`${b64(jwt.header)}.${b64(jwt.payload)}.`, `claim-${claim}`);
  }
  return set(`${b64(jwt.header)}.${b64(rng.pick([null, [], 'x', 1, deepNesting(rng).slice(0, 2000)]))}.`, 'payload-not-object');
};

const MUTATIONS: Array<[number, Mutation]> = [
  [
    2,
    (rng, d, base) => {
      const method = rng.pick(METHODS);
      if (method === d.method || method === base.method) return undefined;
      d.method = method;
      return { name: `method(${method})`, invalid: true, slot: 'method' };
    },
  ],
  [
    3,
    (rng, d) => {
      const junk = rng.pick(PERCENT_JUNK);
      const at = 1 + rng.int(pathEnd(d.target) - 1);
      d.target = d.target.slice(0, at) + junk + d.target.slice(at);
      return { name: `path-junk(${JSON.stringify(junk)}@${at})`, invalid: true, slot: `path@${at}:junk` };
    },
  ],
  [
    1,
    (rng, d) => {
      const junk = rng.pick(DOT_JUNK);
      const at = 1 + rng.int(pathEnd(d.target) - 1);
      d.target = d.target.slice(0, at) + junk + d.target.slice(at);
      // A dot segment may resolve back to the same path: the URL parser normalises it.
      return { name: `path-dots(${JSON.stringify(junk)}@${at})`, invalid: false, slot: `path@${at}:dots` };
    },
  ],
  [
    1,
    (rng, d) => {
      const n = rng.pick([1000, 8000, 20000, 70000]);
      const end = pathEnd(d.target);
      d.target = d.target.slice(0, end) + 'A'.repeat(n) + d.target.slice(end);
      return { name: `path-huge(${n})`, invalid: true };
    },
  ],
  [
    2,
    (rng, d) => {
      const pair = rng.pick([`${rng.text(8)}=${rng.text(rng.int(30))}`, 'x=%ZZ', '=', '&&&', `_format=${rng.pick(['xml', 'json', 'junk'])}`, `q=${'a'.repeat(5000)}`, 'identifier=%00']);
      d.target += (d.target.includes('?') ? '&' : '?') + pair;
      return { name: `query(${pair.slice(0, 30)})`, invalid: false };
    },
  ],
  [
    2,
    (rng, d, base) => {
      const name = rng.pick(base.required);
      setHeader(d, name, undefined);
      return { name: `drop-header(${name})`, invalid: true, slot: `header:${name.toLowerCase()}` };
    },
  ],
  [
    3,
    (rng, d, base) => {
      const name = rng.pick(base.validated ?? base.required);
      const isInteraction = name.toLowerCase() === 'ssp-interactionid';
      const value = isInteraction && rng.chance(0.6) ? rng.pick(INTERACTIONS) : rng.pick(BAD_VALUES);
      const original = base.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
      if (value === headerOf(d, name) || value === original) return undefined;
      // SDS takes any non-blank API key.
      if (base.service === 'sds' && name === 'apikey' && value.trim() !== '') return undefined;
      setHeader(d, name, value);
      // A provider checks Ssp-TraceID and Ssp-From are there, not their form: that is the SSP's job (gpconnect-spec.md §2.3).
      const formUnchecked = base.service === 'provider' && ['ssp-traceid', 'ssp-from'].includes(name.toLowerCase()) && value.trim() !== '';
      // An optional header sent blank is taken as absent.
      const blankOptional = !base.required.includes(name) && value.trim() === '';
      return { name: `bad-header(${name}=${value.slice(0, 30)})`, invalid: !formUnchecked && !blankOptional, slot: `header:${name.toLowerCase()}` };
    },
  ],
  [
    1,
    (rng, d) => {
      const name = rng.pick(['X-Fuzz', 'Cookie', 'X-Forwarded-For', 'Via', 'X-Request-ID-2', 'Ssp-Extra', 'Forwarded', 'Range', 'If-None-Match', 'Upgrade-Insecure-Requests']);
      const value = rng.text(rng.int(200));
      setHeader(d, name, value);
      return { name: `extra-header(${name})`, invalid: false, slot: `header:${name.toLowerCase()}` };
    },
  ],
  [
    1,
    (rng, d) => {
      const value = rng.pick(ACCEPTS);
      setHeader(d, 'Accept', value);
      return { name: `accept(${value.slice(0, 30)})`, invalid: false, slot: 'header:accept' };
    },
  ],
  [
    1,
    (rng, d, base) => {
      const value = rng.pick(CONTENT_TYPES);
      setHeader(d, 'Content-Type', value);
      // A POST with a type that is not FHIR is refused (415); on a GET the header means nothing.
      return { name: `content-type(${value})`, invalid: base.method === 'POST', slot: 'header:content-type' };
    },
  ],
  [
    2,
    (rng, d, base) => {
      const kind = rng.int(7);
      const original = d.body?.toString() ?? '';
      const bodies: Array<[string, () => Buffer]> = [
        ['random-bytes', () => rng.bytes(1 + rng.int(5000))],
        ['truncated-json', () => Buffer.from(original.slice(0, rng.int(Math.max(1, original.length))))],
        ['deep-nesting', () => Buffer.from(deepNesting(rng))],
        ['wrong-json', () => Buffer.from(JSON.stringify(rng.pick([null, [], 'x', 0, { resourceType: 'Patient' }, { resourceType: 'Appointment' }, junkJson(rng)])))],
        ['huge', () => Buffer.alloc(rng.pick([11, 12]) * 1024 * 1024, 0x7b)],
        ['big-json', () => Buffer.from(JSON.stringify({ ...JSON.parse(base.body ?? '{}'), fuzzPadding: 'x'.repeat(rng.pick([100_000, 2_000_000, 5_000_000])) }))],
        ['empty', () => Buffer.alloc(0)],
      ];
      const [name, make] = bodies[kind];
      if (kind === 4 && !rng.chance(0.1)) return undefined; // huge bodies are costly: rarely
      d.body = make();
      if (base.method !== 'POST') return { name: `body-on-${base.method}(${name})`, invalid: false, slot: 'body' };
      // An Appointment padded with an unknown element is not valid FHIR, but a provider may ignore it.
      return { name: `body(${name})`, invalid: name !== 'big-json', slot: 'body' };
    },
  ],
  [2, jwtMutation],
];

/** Malformed HTTP: written to a socket as is. */
const RAW_MUTATIONS: Array<[number, (rng: Rng, d: Draft, base: BaseRequest) => Verdict]> = [
  [
    1,
    (rng, d) => {
      d.raw = Buffer.concat([rng.bytes(1 + rng.int(2000)), Buffer.from('\r\n\r\n')]);
      // Garbage of nothing but CR and LF is no request at all: a server ignores empty lines before a
      // request line (RFC 9112 §2.2), so it owes no answer (seed 3748686335, case 3267: "\r\r\n\r\n").
      if (d.raw.every((b) => b === 0x0d || b === 0x0a)) d.mayCloseUnanswered = true;
      return { name: 'raw-garbage', invalid: true };
    },
  ],
  [
    2,
    (rng, d) => {
      const line = rng.pick([
        'GET',
        `GET ${d.target} HTTP/9.9`,
        `GET ${d.target} HTTP/1.1 extra`,
        `${d.target} GET HTTP/1.1`,
        `GET  ${d.target}  HTTP/1.1`,
        `GET ${d.target}\u0000 HTTP/1.1`,
        `GET ${d.target} http/1.1`,
        `GET ${d.target} HTTP/1`,
        `\u00e9 ${d.target} HTTP/1.1`,
        `GET ${d.target.replace('/', '\u00e9')} HTTP/1.1`,
      ]);
      d.raw = Buffer.from(`${line}\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1');
      return { name: `request-line(${JSON.stringify(line.slice(0, 40))})`, invalid: true };
    },
  ],
  [
    3,
    (rng, d) => {
      const line = rng.pick([
        'Bad Header: x',
        ': novalue',
        'X-\u0001: y',
        'X-A: va\u0000lue',
        'X-A: v\rx',
        'Content-Length: abc',
        'Content-Length: 5\r\nContent-Length: 6',
        'Transfer-Encoding: chunked\r\nContent-Length: 3',
        'Transfer-Encoding: chunked',
        ' folded: continuation',
        'NoColonHere',
        `X-Long: ${'v'.repeat(70_000)}`,
      ]);
      d.raw = serialise(d, [line]);
      return { name: `header-line(${JSON.stringify(line.slice(0, 40))})`, invalid: true };
    },
  ],
  [
    3,
    (rng, d) => {
      const bytes = serialise(d);
      const head = bytes.indexOf('\r\n\r\n');
      // At most four flips, each before the head's end: only the head and a few bytes after it are
      // spread into an array to flip (a body can be megabytes), and the rest follows them unchanged.
      const reach = Math.min(bytes.length, head + 8);
      const out = [...bytes.subarray(0, reach)];
      for (let n = 1 + rng.int(4); n > 0; n--) {
        const at = rng.int(head);
        const op = rng.int(3);
        if (op === 0) out[at] = rng.int(256);
        else if (op === 1) out.splice(at, 0, rng.pick([0x0d, 0x0a, 0x00, 0x20, 0x3a, 0x25, 0xff]));
        else out.splice(at, 1);
      }
      d.raw = Buffer.concat([Buffer.from(out), bytes.subarray(reach)]);
      // A flipped byte may change nothing that matters, or undo an earlier mutation (a bad header's name flipped): nothing is certain after it.
      return { name: 'byte-flips', invalid: false, slot: '*' };
    },
  ],
  [
    1,
    (rng, d) => {
      const body = d.body ?? Buffer.from('{"resourceType":"Appointment"}');
      const full = serialise({ ...d, body });
      d.raw = full.subarray(0, full.length - 1 - rng.int(body.length));
      d.mayCloseUnanswered = true;
      return { name: 'body-cut-short', invalid: true };
    },
  ],
];

/** A request as bytes on the wire, with extra header lines if given. */
export function serialise(d: Pick<Draft, 'method' | 'target' | 'headers' | 'body'>, extraLines: string[] = []): Buffer {
  const lines = [`${d.method} ${d.target} HTTP/1.1`, 'Host: 127.0.0.1', ...d.headers.map(([n, v]) => `${n}: ${v}`), ...extraLines];
  if (d.body && !extraLines.some((l) => /content-length|transfer-encoding/i.test(l))) lines.push(`Content-Length: ${d.body.length}`);
  lines.push('Connection: close');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), d.body ?? Buffer.alloc(0)]);
}

function weighted<T>(rng: Rng, items: Array<[number, T]>): T {
  const total = items.reduce((s, [w]) => s + w, 0);
  let at = rng.next() * total;
  for (const [w, item] of items) if ((at -= w) < 0) return item;
  return items[items.length - 1][1];
}

function normalisedPath(target: string): string | undefined {
  try {
    return new URL(target, 'http://127.0.0.1').pathname;
  } catch {
    return undefined;
  }
}

/** The index-th case: a base request, one to three mutations (a fifth of them malformed on the wire). */
export function makeCase(rng: Rng, index: number, bases: BaseRequest[]): FuzzCase {
  const base = rng.pick(bases);
  const d: Draft = { method: base.method, target: base.target, headers: base.headers.map(([n, v]) => [n, v]), body: base.body === undefined ? undefined : Buffer.from(base.body) };
  const mutations: string[] = [];
  const verdicts = new Map<string, boolean>();
  const take = (done: Verdict) => {
    mutations.push(done.name);
    verdicts.set(done.slot ?? `#${mutations.length}`, done.invalid);
  };
  for (let n = 1 + rng.int(3), tries = 0; mutations.length < n && tries < 10; tries++) {
    const done = weighted(rng, MUTATIONS)(rng, d, base);
    if (done) take(done);
  }
  if (rng.chance(0.2)) take(weighted(rng, RAW_MUTATIONS)(rng, d, base));
  // Junk in a segment that a later dot segment removes is gone once the URL parser normalises the
  // path ("/1/%FF%FE/../gpconnect" is "/1/gpconnect"): the path is the base's, and valid.
  if (normalisedPath(d.target) === normalisedPath(base.target)) for (const slot of [...verdicts.keys()]) if (slot.startsWith('path@')) verdicts.delete(slot);
  const mustFail = !verdicts.has('*') && [...verdicts.values()].some(Boolean);
  return { index, service: base.service, base: base.name, method: d.method, target: d.target, headers: d.headers, body: d.body, raw: d.raw, mutations, mustFail, mayCloseUnanswered: d.mayCloseUnanswered, answers: base.answers };
}
