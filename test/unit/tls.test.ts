import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import forge from 'node-forge';
import {
  DEFAULT_CA_COMMON_NAME,
  certificateIdentity,
  certificateMatchesFqdn,
  createCertificateAuthority,
  ensureTlsMaterial,
  issueCertificate,
  keyPairFor,
  peerIdentity,
} from '../../src/spine/tls';

const CONSUMER = 'booking.ucc01.consumer.test';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY = 24 * 60 * 60 * 1000;

const ca = createCertificateAuthority();
const caX509 = new X509Certificate(ca.certPem);
const serverCert = issueCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'], usage: 'server' });
const consumerCert = issueCertificate(ca, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client' });

describe('issuing certificates', () => {
  test('a key pair kept by name: each certificate for it is new (serial, validity), the key the same; other names, other keys', () => {
    const keep = keyPairFor(`client ${CONSUMER}`);
    assert.equal(keyPairFor(`client ${CONSUMER}`), keep);
    assert.notEqual(keyPairFor('untrusted client').privateKeyPem, keep.privateKeyPem);
    const [first, second] = [0, 1].map(() => issueCertificate(ca, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client', keyPair: keep }));
    const [a, b] = [first, second].map((c) => new X509Certificate(c.certPem));
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.equal(first.keyPem, keep.privateKeyPem);
    assert.ok(a.checkPrivateKey(createPrivateKey(keep.privateKeyPem)) && b.checkPrivateKey(createPrivateKey(keep.privateKeyPem)));
    assert.ok(a.verify(caX509.publicKey) && b.verify(caX509.publicKey));
    // Without a kept pair, every certificate has a key of its own.
    assert.notEqual(issueCertificate(ca, { commonName: CONSUMER, usage: 'client' }).keyPem, consumerCert.keyPem);
    // A CA on a kept pair signs with it: an untrusted CA stays untrusted, whatever its key.
    const stranger = createCertificateAuthority({ commonName: 'A CA nobody trusts', keyPair: keyPairFor('a CA nobody trusts') });
    assert.equal(stranger.keyPem, keyPairFor('a CA nobody trusts').privateKeyPem);
    assert.ok(!new X509Certificate(issueCertificate(stranger, { commonName: CONSUMER, usage: 'client' }).certPem).verify(caX509.publicKey));
  });

  test('with a key store, the processes of a run share each holder\'s key: stored 0600, other names other keys, a damaged one replaced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpc-keys-'));
    try {
      // Another process of the same run (a part, a parallel worker): it has none of this process's keys in memory.
      const otherProcess = (name: string) =>
        execFileSync(process.execPath, ['-e', `const t = require(${JSON.stringify(require.resolve('../../src/spine/tls'))}); t.keepKeyPairsIn(${JSON.stringify(dir)}); process.stdout.write(t.keyPairFor(${JSON.stringify(name)}).privateKeyPem)`], { encoding: 'utf8' });
      const first = otherProcess(`client ${CONSUMER}`);
      assert.equal(otherProcess(`client ${CONSUMER}`), first, 'the second process reads the key the first generated');
      assert.notEqual(otherProcess('a CA nobody trusts'), first);
      const files = fs.readdirSync(path.join(dir, 'keys'));
      assert.equal(files.length, 2, files.join(', '));
      for (const file of files) assert.equal(fs.statSync(path.join(dir, 'keys', file)).mode & 0o777, 0o600, file);
      const stored = files.find((f) => fs.readFileSync(path.join(dir, 'keys', f), 'utf8') === first)!;
      // A stored file that is not a key is replaced by a new key, written over it.
      fs.writeFileSync(path.join(dir, 'keys', stored), 'not a key');
      const replaced = otherProcess(`client ${CONSUMER}`);
      assert.notEqual(replaced, first);
      assert.ok(createPublicKey(createPrivateKey(replaced)));
      assert.equal(fs.readFileSync(path.join(dir, 'keys', stored), 'utf8'), replaced);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the CA is a self-signed CA that may sign certificates and CRLs', () => {
    assert.equal(caX509.ca, true);
    assert.ok(caX509.checkIssued(caX509) && caX509.verify(caX509.publicKey));
    assert.equal(certificateIdentity(caX509).cn, DEFAULT_CA_COMMON_NAME);
    const keyUsage = forge.pki.certificateFromPem(ca.certPem).getExtension('keyUsage') as { keyCertSign?: boolean; cRLSign?: boolean; critical?: boolean };
    assert.equal(keyUsage.keyCertSign, true);
    assert.equal(keyUsage.cRLSign, true);
    assert.equal(certificateIdentity(createCertificateAuthority({ commonName: 'Another test CA', validDays: 2 }).certPem).cn, 'Another test CA');
  });

  test('a leaf carries its names, usage and a positive serial, and is signed by the CA with SHA-256', () => {
    const x = new X509Certificate(serverCert.certPem);
    assert.equal(x.ca, false);
    assert.ok(x.checkIssued(caX509), 'issuer is the CA');
    assert.ok(x.verify(caX509.publicKey), 'signature verifies with the CA key');
    assert.equal(forge.pki.certificateFromPem(serverCert.certPem).siginfo.algorithmOid, forge.pki.oids.sha256WithRSAEncryption);
    assert.equal(x.checkHost('localhost'), 'localhost');
    assert.equal(x.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x.checkIP('::1'), '::1');
    assert.deepEqual(x.keyUsage, [SERVER_AUTH]);
    assert.match(x.serialNumber, /^[0-7][0-9A-F]{31}$/i, 'a 16-byte positive serial');
    assert.equal(serverCert.fingerprint256, x.fingerprint256);
    const identity = certificateIdentity(serverCert.certPem);
    assert.deepEqual(identity, { cn: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'], validFrom: identity.validFrom, validTo: identity.validTo });
    assert.ok(identity.validFrom.getTime() <= Date.now() && identity.validTo.getTime() > Date.now() + 300 * DAY);

    assert.deepEqual(new X509Certificate(consumerCert.certPem).keyUsage, [CLIENT_AUTH]);
    const both = issueCertificate(ca, { commonName: 'both.test', usage: 'both', validDays: 3 });
    assert.deepEqual([...(new X509Certificate(both.certPem).keyUsage ?? [])].sort(), [SERVER_AUTH, CLIENT_AUTH]);
    assert.deepEqual(certificateIdentity(both.certPem).dnsNames, [], 'no SAN asked for, none given');
    assert.notEqual(new X509Certificate(both.certPem).serialNumber, x.serialNumber);
  });

  test('explicit validity makes expired certificates; a CA key that is not the CA\'s is refused', () => {
    const notBefore = new Date(Date.now() - 10 * DAY);
    const notAfter = new Date(Date.now() - DAY);
    const expired = certificateIdentity(issueCertificate(ca, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client', notBefore, notAfter }).certPem);
    assert.equal(expired.validTo.getTime(), Math.floor(notAfter.getTime() / 1000) * 1000);
    assert.equal(expired.validFrom.getTime(), Math.floor(notBefore.getTime() / 1000) * 1000);
    assert.throws(() => issueCertificate(ca, { commonName: 'x', usage: 'client', notBefore: notAfter, notAfter: notBefore }), /notAfter/);
    assert.throws(() => issueCertificate({ certPem: ca.certPem, keyPem: serverCert.keyPem }, { commonName: 'x', usage: 'client' }), /does not belong/);
  });
});

describe('matching a certificate to an FQDN', () => {
  test('exact names, case-insensitively, against SAN DNS names', () => {
    const id = { cn: 'ignored.example', dnsNames: [CONSUMER, 'other.consumer.test'] };
    assert.equal(certificateMatchesFqdn(id, CONSUMER), true);
    assert.equal(certificateMatchesFqdn(id, 'Booking.UCC01.Consumer.TEST'), true);
    assert.equal(certificateMatchesFqdn({ cn: undefined, dnsNames: ['BOOKING.ucc01.consumer.test'] }, CONSUMER), true);
    assert.equal(certificateMatchesFqdn(id, `${CONSUMER}.`), true, 'a trailing root dot is the same name');
    assert.equal(certificateMatchesFqdn(id, 'other.consumer.test'), true);
    assert.equal(certificateMatchesFqdn(id, 'booking.ucc02.consumer.test'), false);
    assert.equal(certificateMatchesFqdn(id, 'ucc01.consumer.test'), false);
    assert.equal(certificateMatchesFqdn(id, `x.${CONSUMER}`), false);
    assert.equal(certificateMatchesFqdn(id, 'ignored.example'), false, 'the CN does not count when there are SAN DNS names');
    assert.equal(certificateMatchesFqdn(id, ''), false);
  });

  test('the CN only when there are no SAN DNS names', () => {
    assert.equal(certificateMatchesFqdn({ cn: CONSUMER, dnsNames: [] }, CONSUMER.toUpperCase()), true);
    assert.equal(certificateMatchesFqdn({ cn: CONSUMER, dnsNames: [] }, 'other.consumer.test'), false);
    assert.equal(certificateMatchesFqdn({ cn: undefined, dnsNames: [] }, CONSUMER), false);
  });

  test('a leading *. covers exactly one label', () => {
    const id = { dnsNames: ['*.UCC01.consumer.test'] };
    assert.equal(certificateMatchesFqdn(id, CONSUMER), true);
    assert.equal(certificateMatchesFqdn(id, 'other.ucc01.consumer.test'), true);
    assert.equal(certificateMatchesFqdn(id, 'ucc01.consumer.test'), false, 'the wildcard needs a label');
    assert.equal(certificateMatchesFqdn(id, 'a.booking.ucc01.consumer.test'), false, 'one label only');
    assert.equal(certificateMatchesFqdn(id, 'booking.ucc02.consumer.test'), false);
    assert.equal(certificateMatchesFqdn({ dnsNames: ['book*.ucc01.consumer.test'] }, CONSUMER), false, 'no partial-label wildcards');
    assert.equal(certificateMatchesFqdn({ dnsNames: ['booking.*.consumer.test'] }, CONSUMER), false, 'no wildcard past the first label');
    assert.equal(certificateMatchesFqdn({ dnsNames: ['*.test'] }, 'consumer.test'), false, 'no wildcard straight over a top-level name');
    assert.equal(certificateMatchesFqdn({ cn: '*.ucc01.consumer.test', dnsNames: [] }, CONSUMER), true, 'the CN may be a wildcard too');
    assert.equal(certificateMatchesFqdn(id, '*.ucc01.consumer.test'), false, 'the FQDN itself is never a pattern');
  });
});

describe('reading identities', () => {
  test('peerIdentity: an empty peer certificate means none was presented', () => {
    assert.equal(peerIdentity(undefined), undefined);
    assert.equal(peerIdentity({} as PeerCertificate), undefined);
    const legacy = new X509Certificate(consumerCert.certPem).toLegacyObject();
    assert.deepEqual(peerIdentity(legacy), { cn: CONSUMER, dnsNames: [CONSUMER] });
    const withQuotes = { subject: { CN: ['first', 'last.test'] }, subjectaltname: 'DNS:a.test, URI:http://x, DNS:"b.test, quoted", IP Address:10.0.0.1' };
    assert.deepEqual(peerIdentity(withQuotes as unknown as PeerCertificate), { cn: 'last.test', dnsNames: ['a.test', 'b.test, quoted'] });
  });
});

// ---------------------------------------------------------------------------------------------
// A real mutual-TLS round trip on 127.0.0.1
// ---------------------------------------------------------------------------------------------

interface Seen {
  authorized: boolean;
  authorizationError?: string;
  identity?: { cn?: string; dnsNames: string[] };
}

const servers: https.Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startServer(): Promise<number> {
  const server = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const seen: Seen = {
      authorized: socket.authorized,
      authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
      identity: peerIdentity(socket.getPeerCertificate()),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function call(port: number, client: { ca?: string; cert?: string; key?: string }): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', agent: false, ca: client.ca ?? ca.certPem, cert: client.cert, key: client.key }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen);
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('mutual TLS round trip over node:https', () => {
  let port = 0;
  const ready = startServer().then((p) => (port = p));

  test('a client certificate from our CA is authorized and identifies its FQDN', async () => {
    await ready;
    const seen = await call(port, { cert: consumerCert.certPem, key: consumerCert.keyPem });
    assert.equal(seen.authorized, true, `not authorized: ${seen.authorizationError}`);
    assert.equal(seen.authorizationError, undefined);
    assert.deepEqual(seen.identity, { cn: CONSUMER, dnsNames: [CONSUMER] });
    assert.equal(certificateMatchesFqdn(seen.identity!, CONSUMER), true);
    assert.equal(certificateMatchesFqdn(seen.identity!, 'other.consumer.test'), false);
  });

  test('a client with no certificate is not authorized and has no identity', async () => {
    await ready;
    const seen = await call(port, {});
    assert.equal(seen.authorized, false);
    assert.equal(seen.identity, undefined);
  });

  test('a client certificate from another CA is not authorized', async () => {
    await ready;
    const stranger = createCertificateAuthority({ commonName: 'A CA nobody trusts' });
    const issued = issueCertificate(stranger, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client' });
    const seen = await call(port, { cert: issued.certPem, key: issued.keyPem });
    assert.equal(seen.authorized, false);
    assert.ok(seen.authorizationError, 'an authorization error is given');
    assert.notEqual(seen.authorizationError, 'CERT_HAS_EXPIRED');
    assert.deepEqual(seen.identity, { cn: CONSUMER, dnsNames: [CONSUMER] }, 'the identity is still readable, just not trusted');
  });

  test('an expired client certificate from our CA is not authorized', async () => {
    await ready;
    const expired = issueCertificate(ca, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client', notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
    const seen = await call(port, { cert: expired.certPem, key: expired.keyPem });
    assert.equal(seen.authorized, false);
    assert.equal(seen.authorizationError, 'CERT_HAS_EXPIRED');
  });

  test('the client refuses the server when it trusts a different CA', async () => {
    await ready;
    const other = createCertificateAuthority({ commonName: 'Some other CA' });
    await assert.rejects(call(port, { ca: other.certPem, cert: consumerCert.certPem, key: consumerCert.keyPem }), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
      return true;
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The on-disk store
// ---------------------------------------------------------------------------------------------

describe('ensureTlsMaterial', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpc-tls-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = { server: ['spine.example.test'], clients: { [CONSUMER]: CONSUMER, 'ssp.spine.test': 'ssp.spine.test' } };
  const mode = (file: string) => fs.statSync(path.join(dir, file)).mode & 0o777;
  const contents = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

  test('writes the CA, the server and the client certificates as PEM files, keys 0600', () => {
    const first = ensureTlsMaterial(dir, names);
    const files = ['ca.pem', 'server.pem', 'server-key.pem', `client-${CONSUMER}.pem`, `client-${CONSUMER}-key.pem`, 'client-ssp.spine.test.pem', 'client-ssp.spine.test-key.pem'];
    for (const file of files) assert.ok(fs.existsSync(path.join(dir, file)), `${file} written`);
    for (const key of ['server-key.pem', `client-${CONSUMER}-key.pem`, 'client-ssp.spine.test-key.pem', 'ca-key.pem']) assert.equal(mode(key), 0o600, `${key} is 0600`);
    assert.equal(first.written.length, 4, 'CA, server and two clients');
    assert.equal(first.ca.certPem, contents('ca.pem'));
    assert.equal(first.server.certPath, path.join(dir, 'server.pem'));
    assert.equal(first.clients[CONSUMER].keyPem, contents(`client-${CONSUMER}-key.pem`));
    assert.equal(first.clients[CONSUMER].fqdn, CONSUMER);

    const caCert = new X509Certificate(first.ca.certPem);
    const server = new X509Certificate(first.server.certPem);
    assert.ok(server.verify(caCert.publicKey));
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkHost('spine.example.test'), 'spine.example.test');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    const client = new X509Certificate(first.clients[CONSUMER].certPem);
    assert.ok(client.verify(caCert.publicKey));
    assert.ok(certificateMatchesFqdn(certificateIdentity(client), CONSUMER));
    assert.deepEqual(client.keyUsage, [CLIENT_AUTH]);
  });

  test('a second call reuses every file', () => {
    const before = fs.readdirSync(dir).filter((f) => f.endsWith('.pem')).map((f) => [f, contents(f)]);
    const again = ensureTlsMaterial(dir, names);
    assert.deepEqual(again.written, []);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.pem')).map((f) => [f, contents(f)]), before);
  });

  test('a reused key left readable by others is put back to 0600', () => {
    fs.chmodSync(path.join(dir, 'server-key.pem'), 0o644);
    assert.deepEqual(ensureTlsMaterial(dir, names).written, []);
    assert.equal(mode('server-key.pem'), 0o600);
  });

  test('an expired client certificate is regenerated, and only that one', () => {
    const before = ensureTlsMaterial(dir, names);
    const expired = issueCertificate(before.ca, { commonName: CONSUMER, dnsNames: [CONSUMER], usage: 'client', notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
    fs.writeFileSync(path.join(dir, `client-${CONSUMER}.pem`), expired.certPem);
    fs.writeFileSync(path.join(dir, `client-${CONSUMER}-key.pem`), expired.keyPem);

    const later = ensureTlsMaterial(dir, names);
    assert.deepEqual(later.written, [path.join(dir, `client-${CONSUMER}.pem`)]);
    assert.notEqual(later.clients[CONSUMER].fingerprint256, expired.fingerprint256);
    assert.ok(certificateIdentity(later.clients[CONSUMER].certPem).validTo.getTime() > Date.now() + DAY);
    assert.equal(later.ca.fingerprint256, before.ca.fingerprint256);
    assert.equal(later.server.fingerprint256, before.server.fingerprint256);
    assert.equal(later.clients['ssp.spine.test'].fingerprint256, before.clients['ssp.spine.test'].fingerprint256);
  });

  test('a key that does not match its certificate, or a new server name, means a new leaf', () => {
    const before = ensureTlsMaterial(dir, names);
    fs.writeFileSync(path.join(dir, 'client-ssp.spine.test-key.pem'), before.clients[CONSUMER].keyPem);
    const later = ensureTlsMaterial(dir, { ...names, server: ['spine.example.test', 'another.example.test'] });
    assert.deepEqual(later.written.sort(), [path.join(dir, 'client-ssp.spine.test.pem'), path.join(dir, 'server.pem')]);
    assert.equal(new X509Certificate(later.server.certPem).checkHost('another.example.test'), 'another.example.test');
    assert.ok(new X509Certificate(later.clients['ssp.spine.test'].certPem).checkPrivateKey(createPrivateKey(later.clients['ssp.spine.test'].keyPem)));
  });

  test('an expired CA means a new CA and every leaf reissued under it', () => {
    const before = ensureTlsMaterial(dir, names);
    // a CA that expired yesterday, written over the current one
    const oldCa = forge.pki.certificateFromPem(before.ca.certPem);
    oldCa.validity.notBefore = new Date(Date.now() - 30 * DAY);
    oldCa.validity.notAfter = new Date(Date.now() - DAY);
    oldCa.sign(forge.pki.privateKeyFromPem(before.ca.keyPem), forge.md.sha256.create());
    fs.writeFileSync(path.join(dir, 'ca.pem'), forge.pki.certificateToPem(oldCa));

    const later = ensureTlsMaterial(dir, names);
    assert.equal(later.written.length, 4);
    assert.notEqual(later.ca.fingerprint256, before.ca.fingerprint256);
    const caCert = new X509Certificate(later.ca.certPem);
    for (const leaf of [later.server, ...Object.values(later.clients)]) assert.ok(new X509Certificate(leaf.certPem).verify(caCert.publicKey));
  });

  test('a CA key that does not match ca.pem means a new CA', () => {
    const before = ensureTlsMaterial(dir, names);
    fs.writeFileSync(path.join(dir, 'ca-key.pem'), before.server.keyPem);
    const later = ensureTlsMaterial(dir, names);
    assert.equal(later.written.length, 4);
    assert.notEqual(later.ca.fingerprint256, before.ca.fingerprint256);
    assert.ok(new X509Certificate(later.ca.certPem).checkPrivateKey(createPrivateKey(later.ca.keyPem)));
  });

  test('refuses a client name that would escape the directory', () => {
    assert.throws(() => ensureTlsMaterial(dir, { server: [], clients: { bad: '../evil' } }), /not a usable FQDN/);
    assert.throws(() => ensureTlsMaterial(dir, { server: [], clients: { bad: 'a/b' } }), /not a usable FQDN/);
    assert.ok(!fs.existsSync(path.join(dir, '.lock')), 'the lock is released after a failure');
  });
});
