/**
 * Certificates for Spine in a box's mutual TLS (GP Connect spec §2.5).
 *
 * Key pairs and signatures come from node:crypto (native, fast); node-forge is used only to build
 * the X.509 certificates and revocation lists. Everything here is a test PKI: the CA says so in its
 * name and must never be trusted outside the harness.
 */
import { X509Certificate, constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import type { PeerCertificate } from 'node:tls';
import type forgeTypes from 'node-forge';

type Forge = typeof forgeTypes;
let forgeModule: Forge | undefined;
/** node-forge (~65 ms to load), loaded when a certificate or revocation list is first made or read: a run over plain HTTP never does. */
function forge(): Forge {
  return (forgeModule ??= require('node-forge') as Forge);
}

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 fingerprint as node:crypto prints it (`AB:CD:…`). */
  fingerprint256: string;
}

export type CertificateUsage = 'server' | 'client' | 'both';

export interface IssueOptions {
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: CertificateUsage;
  /** Ignored when `notAfter` is given. Defaults to 397 days, never beyond the CA's own expiry. */
  validDays?: number;
  /** Defaults to five minutes ago (clock skew between harness and system under test). */
  notBefore?: Date;
  /** Set in the past to make an expired certificate for tests. */
  notAfter?: Date;
  /** The key pair to certify (keyPairFor): a new one when not given. */
  keyPair?: KeyPair;
}

export interface KeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface CertificateIdentity {
  cn?: string;
  dnsNames: string[];
  ipAddresses: string[];
  validFrom: Date;
  validTo: Date;
}

export interface PeerIdentity {
  cn?: string;
  dnsNames: string[];
}

/**
 * The spec's cipher suites (development_api_security_guidance "Supported ciphers": AESGCM+EECDH,
 * AESGCM+EDH, AES256+EECDH, AES256+EDH), as an OpenSSL list held to its order.
 */
export const SPEC_TLS_CIPHERS = 'AESGCM+EECDH:AESGCM+EDH:AES256+EECDH:AES256+EDH';

export const DEFAULT_CA_COMMON_NAME = 'GP Connect conformance harness test CA (not for production)';
const ORGANISATION = 'GP Connect conformance harness (test only)';
const DEFAULT_CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 397;
const DAY_MS = 24 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

// ---------------------------------------------------------------------------------------------
// Issuing
// ---------------------------------------------------------------------------------------------

function newKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

const keyPairs = new Map<string, KeyPair>();
/** Where key pairs are kept between processes (keepKeyPairsIn), if anywhere. */
let keyStore: string | undefined;

/**
 * Keep keyPairFor's key pairs in `dir`/keys (private keys 0600, as the TLS material beside them):
 * every process of a run (its parts, their parallel workers) and the runs after it that use the same
 * folder then generate each holder's key once, not once per process.
 */
export function keepKeyPairsIn(dir: string): void {
  keyStore = path.resolve(dir, 'keys');
}

/**
 * One RSA key pair per name: what a system keeps when its certificate is renewed. A 2048-bit key
 * costs 50-150 ms of CPU to generate; a scenario that needs a client certificate, an untrusted CA or
 * its client, gets a new certificate (its own serial and validity) for the key its holder already
 * has. Different names never share a key. Kept in this process, and in the key store when there is
 * one; a stored key that cannot be read as a private key is replaced.
 */
export function keyPairFor(name: string): KeyPair {
  let pair = keyPairs.get(name);
  if (!pair) keyPairs.set(name, (pair = (keyStore && storedKeyPair(keyStore, name)) || newKeyPair()));
  return pair;
}

function storedKeyPair(store: string, name: string): KeyPair {
  const file = path.join(store, `${name.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 60)}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}-key.pem`);
  const stored = readIfPresent(file);
  if (stored) {
    try {
      const publicKeyPem = createPublicKey(createPrivateKey(stored)).export({ type: 'spki', format: 'pem' }).toString();
      return { publicKeyPem, privateKeyPem: stored };
    } catch {
      // Not a key (a damaged file): a new one is made and written over it.
    }
  }
  const pair = newKeyPair();
  fs.mkdirSync(store, { recursive: true, mode: 0o700 });
  writeAtomically(file, pair.privateKeyPem, 0o600);
  return pair;
}

/** 16 random bytes, top bit clear (positive) and second-highest bit set (no DER padding byte needed). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

function daysAfter(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** The DER prefix of a PKCS#1 DigestInfo for SHA-256 (RFC 8017 §9.2 note 1): the digest follows. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * What forge's RSA key does for `cert.sign` and a revocation list, `sign(md)`: RSASSA-PKCS1-v1_5 over a
 * SHA-256 digest, done by OpenSSL. forge's own RSA in JavaScript takes ~110 ms a signature, and a
 * run signs one for every certificate it issues and every revocation list an SSP serves.
 */
function rsaSigner(privateKeyPem: string): { sign: (md: forgeTypes.md.MessageDigest) => string } {
  const key = privateKeyOf(privateKeyPem);
  return {
    sign: (md) => {
      if (md.algorithm !== 'sha256') throw new Error(`only SHA-256 signatures are made here, not ${md.algorithm}`);
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
}

/** Private keys read from PEM, by their PEM: a CA signs many times, and reading its key is ~1 ms. */
const privateKeys = new Map<string, KeyObject>();
function privateKeyOf(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) privateKeys.set(pem, (key = createPrivateKey(pem)));
  return key;
}

/** Certificates whose private key has been checked, with the key: a CA issues many times. */
const keysChecked = new Map<string, string>();

/** Whether the private key belongs to the certificate: the same public key. */
function keyBelongsTo(privateKeyPem: string, certPem: string): boolean {
  if (keysChecked.get(certPem) === privateKeyPem) return true;
  const spki = { type: 'spki', format: 'der' } as const;
  const belongs = createPublicKey(privateKeyOf(privateKeyPem)).export(spki).equals(new X509Certificate(certPem).publicKey.export(spki));
  if (belongs) keysChecked.set(certPem, privateKeyPem);
  return belongs;
}

function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A self-signed test CA (basicConstraints cA, keyUsage keyCertSign + cRLSign). */
export function createCertificateAuthority(options: { commonName?: string; validDays?: number; keyPair?: KeyPair } = {}): CertificateAuthority {
  const validDays = options.validDays ?? DEFAULT_CA_DAYS;
  if (!(validDays > 0)) throw new RangeError(`validDays must be positive, got ${validDays}`);
  const keys = options.keyPair ?? newKeyPair();
  const cert = forge().pki.createCertificate();
  cert.publicKey = forge().pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - CLOCK_SKEW_MS);
  cert.validity.notAfter = daysAfter(cert.validity.notBefore, validDays);
  const subject = [
    { shortName: 'CN', value: options.commonName ?? DEFAULT_CA_COMMON_NAME },
    { shortName: 'O', value: ORGANISATION },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(rsaSigner(keys.privateKeyPem) as unknown as forgeTypes.pki.rsa.PrivateKey, forge().md.sha256.create());
  return { certPem: forge().pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** An IP address in the compressed form used throughout this module (`::1`, `127.0.0.1`). */
function canonicalIp(ip: string): string {
  const bare = ip.trim().replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family === 4) return bare;
  if (family === 6) return new URL(`http://[${bare}]`).hostname.slice(1, -1);
  throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
}

/** The address as a binary string of 4 or 16 bytes, as a SAN iPAddress holds it. */
function ipBytes(ip: string): string {
  const canonical = canonicalIp(ip);
  let bytes: number[];
  if (isIP(canonical) === 4) {
    bytes = canonical.split('.').map(Number);
  } else {
    // canonicalIp has already turned any embedded IPv4 tail into hex groups
    const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
    if (groups.length !== 8) throw new Error(`cannot encode IP address ${ip}`);
    bytes = groups.flatMap((g) => {
      const n = parseInt(g, 16);
      return [n >> 8, n & 0xff];
    });
  }
  return String.fromCharCode(...bytes);
}

/** A leaf certificate signed (SHA-256) by `ca`, with subjectAltName and extKeyUsage as asked. */
export function issueCertificate(ca: CertificateAuthority, options: IssueOptions): IssuedCertificate {
  if (!options.commonName) throw new Error('issueCertificate needs a commonName');
  const caCert = forge().pki.certificateFromPem(ca.certPem);
  if (!keyBelongsTo(ca.keyPem, ca.certPem)) throw new Error('the CA private key does not belong to the CA certificate');

  const notBefore = options.notBefore ?? new Date(Date.now() - CLOCK_SKEW_MS);
  let notAfter = options.notAfter;
  if (!notAfter) {
    notAfter = daysAfter(notBefore, options.validDays ?? DEFAULT_LEAF_DAYS);
    if (notAfter > caCert.validity.notAfter) notAfter = caCert.validity.notAfter;
  }
  if (notAfter <= notBefore) throw new RangeError('notAfter must be later than notBefore');

  const altNames: Array<{ type: number; value: string }> = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, value: ipBytes(ip) })),
  ];

  const keys = options.keyPair ?? newKeyPair();
  const cert = forge().pki.createCertificate();
  cert.publicKey = forge().pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([
    { shortName: 'CN', value: options.commonName },
    { shortName: 'O', value: ORGANISATION },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const serverAuth = options.usage === 'server' || options.usage === 'both';
  const clientAuth = options.usage === 'client' || options.usage === 'both';
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth, clientAuth },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(rsaSigner(ca.keyPem) as unknown as forgeTypes.pki.rsa.PrivateKey, forge().md.sha256.create());

  const certPem = forge().pki.certificateToPem(cert);
  return { certPem, keyPem: keys.privateKeyPem, fingerprint256: fingerprintOf(certPem) };
}

// ---------------------------------------------------------------------------------------------
// Reading identities
// ---------------------------------------------------------------------------------------------

/**
 * Splits node's subjectAltName text (`DNS:a, IP Address:1.2.3.4, DNS:"quoted, value"`) into
 * DNS names and IP addresses. Other name types (URI, email, …) are ignored.
 */
function parseSubjectAltName(text: string | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  if (!text) return { dnsNames, ipAddresses };
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon);
    let value: string;
    i = colon + 1;
    if (text[i] === '"') {
      // node quotes values holding separators as JSON strings
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(i, end + 1)) as string;
      } catch {
        value = text.slice(i + 1, end);
      }
      i = end + 1;
    } else {
      const comma = text.indexOf(', ', i);
      const end = comma < 0 ? text.length : comma;
      value = text.slice(i, end);
      i = end;
    }
    if (type === 'DNS') dnsNames.push(value);
    else if (type === 'IP Address') {
      try {
        ipAddresses.push(canonicalIp(value));
      } catch {
        ipAddresses.push(value);
      }
    }
  }
  return { dnsNames, ipAddresses };
}

/** The last CN in node's multi-line subject text (`CN=x\nO=y`). */
function commonNameFromSubject(subject: string): string | undefined {
  let cn: string | undefined;
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) cn = line.slice(3);
  return cn;
}

/** Subject CN, SAN DNS names and IP addresses, and validity of a certificate. */
export function certificateIdentity(pemOrX509: string | X509Certificate): CertificateIdentity {
  const x509 = typeof pemOrX509 === 'string' ? new X509Certificate(pemOrX509) : pemOrX509;
  const { dnsNames, ipAddresses } = parseSubjectAltName(x509.subjectAltName);
  return {
    cn: commonNameFromSubject(x509.subject),
    dnsNames,
    ipAddresses,
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
  };
}

/**
 * The identity of the certificate the peer presented, from `tlsSocket.getPeerCertificate()`;
 * undefined when none was presented (node gives an empty object then).
 */
export function peerIdentity(peer: PeerCertificate | undefined): PeerIdentity | undefined {
  if (!peer || typeof peer !== 'object' || Object.keys(peer).length === 0) return undefined;
  const raw = (peer.subject as unknown as Record<string, string | string[] | undefined> | undefined)?.CN;
  const cn = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return { cn: cn || undefined, dnsNames: parseSubjectAltName(peer.subjectaltname).dnsNames };
}

function normaliseHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function nameMatches(pattern: string, host: string): boolean {
  const p = normaliseHost(pattern);
  if (!p) return false;
  if (!p.includes('*')) return p === host;
  // Only a whole leftmost label `*.`, covering exactly one label, over at least two more labels.
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(2);
  if (suffix.includes('*') || suffix.split('.').length < 2 || suffix.split('.').some((l) => l === '')) return false;
  const dot = host.indexOf('.');
  if (dot <= 0) return false;
  return host.slice(dot + 1) === suffix;
}

/**
 * Whether a certificate identity covers `fqdn`: case-insensitive, against the SAN DNS names, or
 * against the CN when the certificate has no SAN DNS names. A leading `*.` matches one label.
 */
export function certificateMatchesFqdn(identity: { cn?: string; dnsNames: string[] }, fqdn: string): boolean {
  const host = normaliseHost(fqdn);
  if (!host || host.includes('*') || host.split('.').some((l) => l === '')) return false;
  const names = identity.dnsNames.length > 0 ? identity.dnsNames : identity.cn ? [identity.cn] : [];
  return names.some((name) => nameMatches(name, host));
}

// ---------------------------------------------------------------------------------------------
// The on-disk store
// ---------------------------------------------------------------------------------------------

export interface StoredCertificate extends IssuedCertificate {
  certPath: string;
  keyPath: string;
}

export interface TlsMaterial {
  dir: string;
  /** `ca.pem` / `ca-key.pem`. The CA key is kept so one stale leaf can be reissued alone. */
  ca: CertificateAuthority & StoredCertificate;
  /** `server.pem` / `server-key.pem`: localhost, 127.0.0.1, ::1 and any names asked for. */
  server: StoredCertificate & { dnsNames: string[]; ipAddresses: string[] };
  /** Keyed as in `names.clients`; files `client-<fqdn>.pem` / `client-<fqdn>-key.pem`. */
  clients: Record<string, StoredCertificate & { fqdn: string }>;
  /** Certificate files this call (re)wrote; empty when everything on disk was reused. */
  written: string[];
}

export interface TlsNames {
  /** Extra server names: DNS names or IP addresses (localhost, 127.0.0.1 and ::1 are always there). */
  server: string[];
  /** name → FQDN; one client certificate per FQDN. */
  clients: Record<string, string>;
}

/** Leaves are renewed this long before they expire, so a run never starts on an about-to-expire cert. */
const RENEW_BEFORE_MS = DAY_MS;

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write through a temporary file and rename, so a reader never sees half a PEM. */
function writeAtomically(file: string, contents: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, contents, { mode });
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock directory beside the files, so parallel workers sharing one `dir` do not mint two CAs. */
function withLock<T>(dir: string, work: () => T): T {
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) {
          fs.rmSync(lock, { recursive: true, force: true }); // left behind by a killed process
          continue;
        }
      } catch {
        continue; // released between mkdir and stat
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the TLS material lock ${lock}`);
      sleepSync(20);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function currentlyValid(cert: X509Certificate, now: number): boolean {
  return new Date(cert.validFrom).getTime() <= now + CLOCK_SKEW_MS && new Date(cert.validTo).getTime() > now + RENEW_BEFORE_MS;
}

function usableCa(certPem: string | undefined, keyPem: string | undefined, now: number): boolean {
  if (!certPem || !keyPem) return false;
  try {
    const cert = new X509Certificate(certPem);
    return cert.ca && cert.checkIssued(cert) && cert.verify(cert.publicKey) && currentlyValid(cert, now) && keyMatches(cert, keyPem);
  } catch {
    return false;
  }
}

function usableLeaf(
  certPem: string | undefined,
  keyPem: string | undefined,
  ca: X509Certificate,
  want: { dnsNames: string[]; ipAddresses: string[]; usage: CertificateUsage },
  now: number,
): boolean {
  if (!certPem || !keyPem) return false;
  try {
    const cert = new X509Certificate(certPem);
    if (cert.ca || !cert.checkIssued(ca) || !cert.verify(ca.publicKey) || !currentlyValid(cert, now) || !keyMatches(cert, keyPem)) return false;
    const eku = cert.keyUsage ?? [];
    if ((want.usage !== 'client' && !eku.includes(OID_SERVER_AUTH)) || (want.usage !== 'server' && !eku.includes(OID_CLIENT_AUTH))) return false;
    const have = certificateIdentity(cert);
    const dns = new Set(have.dnsNames.map(normaliseHost));
    const ips = new Set(have.ipAddresses);
    return want.dnsNames.every((n) => dns.has(normaliseHost(n))) && want.ipAddresses.every((ip) => ips.has(canonicalIp(ip)));
  } catch {
    return false;
  }
}

/** `client-<fqdn>` with the FQDN lower-cased and a wildcard spelt out; refuses anything path-like. */
function clientFileStem(fqdn: string): string {
  const name = normaliseHost(fqdn);
  if (!/^[a-z0-9*_-][a-z0-9*._-]*$/.test(name) || name.includes('..')) throw new Error(`not a usable FQDN for a client certificate: ${JSON.stringify(fqdn)}`);
  return `client-${name.replace(/\*/g, 'wildcard')}`;
}

/**
 * Makes sure `dir` holds a CA, a server certificate and one client certificate per FQDN, all
 * currently valid and issued by that CA; reuses what is already there, regenerates what is
 * missing, expired (or within a day of expiry), mismatched or not covering the names asked for.
 * A new CA means every leaf is reissued. Keys are written with mode 0600.
 */
export function ensureTlsMaterial(dir: string, names: TlsNames): TlsMaterial {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  return withLock(root, () => {
    const now = Date.now();
    const written: string[] = [];
    const file = (name: string) => path.join(root, name);
    const store = (stem: string, certPem: string, keyPem: string) => {
      writeAtomically(file(`${stem}-key.pem`), keyPem, 0o600);
      writeAtomically(file(`${stem}.pem`), certPem, 0o644);
      written.push(file(`${stem}.pem`));
    };
    const load = (stem: string) => ({ certPem: readIfPresent(file(`${stem}.pem`)), keyPem: readIfPresent(file(`${stem}-key.pem`)) });
    const stored = (stem: string, certPem: string, keyPem: string): StoredCertificate => {
      fs.chmodSync(file(`${stem}-key.pem`), 0o600);
      return { certPem, keyPem, fingerprint256: fingerprintOf(certPem), certPath: file(`${stem}.pem`), keyPath: file(`${stem}-key.pem`) };
    };

    // CA: ca.pem + ca-key.pem
    let ca = load('ca');
    if (!usableCa(ca.certPem, ca.keyPem, now)) {
      const fresh = createCertificateAuthority();
      store('ca', fresh.certPem, fresh.keyPem);
      ca = fresh;
    }
    const caPems: CertificateAuthority = { certPem: ca.certPem!, keyPem: ca.keyPem! };
    const caX509 = new X509Certificate(caPems.certPem);

    const leaf = (stem: string, commonName: string, want: { dnsNames: string[]; ipAddresses: string[]; usage: CertificateUsage }) => {
      let pems = load(stem);
      if (!usableLeaf(pems.certPem, pems.keyPem, caX509, want, now)) {
        const fresh = issueCertificate(caPems, { commonName, ...want });
        store(stem, fresh.certPem, fresh.keyPem);
        pems = fresh;
      }
      return stored(stem, pems.certPem!, pems.keyPem!);
    };

    // Server: localhost, 127.0.0.1, ::1 and whatever else was asked for
    const dnsNames: string[] = [];
    const ipAddresses: string[] = [];
    for (const name of ['localhost', '127.0.0.1', '::1', ...names.server]) {
      if (isIP(name.replace(/^\[(.*)\]$/, '$1'))) {
        const ip = canonicalIp(name);
        if (!ipAddresses.includes(ip)) ipAddresses.push(ip);
      } else if (!dnsNames.some((d) => normaliseHost(d) === normaliseHost(name))) {
        dnsNames.push(name);
      }
    }
    const server = { ...leaf('server', dnsNames[0], { dnsNames, ipAddresses, usage: 'server' }), dnsNames, ipAddresses };

    // Clients: one per FQDN (names sharing an FQDN share the certificate)
    const clients: TlsMaterial['clients'] = {};
    const byFqdn = new Map<string, StoredCertificate>();
    for (const [key, fqdn] of Object.entries(names.clients)) {
      const stem = clientFileStem(fqdn);
      let issued = byFqdn.get(stem);
      if (!issued) {
        issued = leaf(stem, normaliseHost(fqdn), { dnsNames: [normaliseHost(fqdn)], ipAddresses: [], usage: 'client' });
        byFqdn.set(stem, issued);
      }
      clients[key] = { ...issued, fqdn };
    }

    fs.chmodSync(file('ca-key.pem'), 0o600);
    const caStored: TlsMaterial['ca'] = { ...caPems, fingerprint256: caX509.fingerprint256, certPath: file('ca.pem'), keyPath: file('ca-key.pem') };
    return { dir: root, ca: caStored, server, clients, written };
  });
}

// ---------------------------------------------------------------------------------------------
// Revocation
// ---------------------------------------------------------------------------------------------

/** A certificate `ca` has revoked: its serial number (hex, as X509Certificate gives it) and when. */
export interface Revocation {
  serialHex: string;
  revokedAt: Date;
}

/**
 * A certificate revocation list (RFC 5280 §5, v2) signed by `ca` (SHA-256 with RSA), valid from a few
 * minutes before `now` for a day, as PEM: what Spine's CA publishes and a TLS server checks client
 * certificates against (Node's `crl` option). node-forge builds certificates but not CRLs, so the
 * structure is written here with its ASN.1 helpers.
 */
export function certificateRevocationList(ca: CertificateAuthority, revoked: readonly Revocation[], now = new Date()): string {
  const { asn1 } = forge();
  const seq = (items: forgeTypes.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  const time = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
  const serial = (hex: string) => {
    const even = hex.length % 2 ? `0${hex}` : hex;
    // DER INTEGER is two's complement: a serial whose first bit is set gets a leading zero byte.
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge().util.hexToBytes(/^[89a-f]/i.test(even) ? `00${even}` : even));
  };
  const caCert = forge().pki.certificateFromPem(ca.certPem);
  const caKey = rsaSigner(ca.keyPem);
  const algorithm = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge().pki.oids.sha256WithRSAEncryption).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
  const thisUpdate = new Date(now.getTime() - CLOCK_SKEW_MS);
  const entries = revoked.map((r) => seq([serial(r.serialHex), time(r.revokedAt)]));
  const tbs = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()),
    algorithm,
    forge().pki.distinguishedNameToAsn1(caCert.subject),
    time(thisUpdate),
    time(daysAfter(thisUpdate, 1)),
    ...(entries.length > 0 ? [seq(entries)] : []),
  ]);
  const digest = forge().md.sha256.create();
  digest.update(asn1.toDer(tbs).getBytes());
  const signature = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + caKey.sign(digest));
  const der = asn1.toDer(seq([tbs, algorithm, signature])).getBytes();
  return forge().pem.encode({ type: 'X509 CRL', body: der });
}
