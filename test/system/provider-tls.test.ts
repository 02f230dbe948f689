import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { root, runProvider } from '../support/gpc-conform';
import { findLeaks } from '../support/leaks';
import forge from 'node-forge';
import { X509Certificate } from 'node:crypto';
import { certificateRevocationList, createCertificateAuthority, ensureTlsMaterial, issueCertificate } from '../../src/spine/tls';
import { PROVIDER_TLS_FAULTS } from '../../src/spine/provider/faults-tls';

/**
 * A supplier's provider over mutual TLS, tested from nothing but its profile: the reference
 * provider started as its own process on HTTPS, demanding a client certificate; the profile gives
 * the CA to trust and the certificate to present, as PEM files or as a PKCS#12 bundle.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-provider-tls-'));
after(() => rmSync(work, { recursive: true, force: true }));

const tls = ensureTlsMaterial(path.join(work, 'tls'), { server: [], clients: { ssp: 'ssp.spine.test' } });
const client = tls.clients.ssp;
const pfxFile = path.join(work, 'client.p12');
{
  const bundle = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(client.keyPem), [forge.pki.certificateFromPem(client.certPem)], 'correct horse', { algorithm: '3des' });
  writeFileSync(pfxFile, Buffer.from(forge.asn1.toDer(bundle).getBytes(), 'binary'));
}
/**
 * The client certificates a provider must refuse from its own CA (tls.refusedClients): only the CA's
 * holder can issue them, here the test itself; the revoked one is on the revocation list the
 * provider is given (--tls-crl).
 */
const DAY = 24 * 60 * 60 * 1000;
const refused = {
  expired: issueCertificate(tls.ca, { commonName: 'ssp.spine.test', dnsNames: ['ssp.spine.test'], usage: 'client', notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) }),
  revoked: issueCertificate(tls.ca, { commonName: 'ssp.spine.test', dnsNames: ['ssp.spine.test'], usage: 'client' }),
  otherFqdn: issueCertificate(tls.ca, { commonName: 'not-the-ssp.spine.test', dnsNames: ['not-the-ssp.spine.test'], usage: 'client' }),
};
const refusedBlock = Object.entries(refused)
  .map(([kind, issued]) => {
    writeFileSync(path.join(work, `${kind}.pem`), issued.certPem);
    writeFileSync(path.join(work, `${kind}-key.pem`), issued.keyPem);
    return `    ${kind}:\n      cert: ${path.join(work, `${kind}.pem`)}\n      key: ${path.join(work, `${kind}-key.pem`)}\n`;
  })
  .join('');
const crlFile = path.join(work, 'crl.pem');
writeFileSync(crlFile, certificateRevocationList(tls.ca, [{ serialHex: new X509Certificate(refused.revoked.certPem).serialNumber, revokedAt: new Date() }]));

const otherCa = path.join(work, 'other-ca.pem');
writeFileSync(otherCa, createCertificateAuthority({ commonName: 'Some other CA' }).certPem);

function profile(name: string, via: 'ssp' | 'direct', tlsBlock: string, tlsFaults?: string): string {
  const file = path.join(work, `${name}.yaml`);
  writeFileSync(
    file,
    `role: provider
name: ${name}
baseUrl: https://127.0.0.1:{port}/A20047/STU3/1/gpconnect
asid: "918999198993"
ods: A20047
via: ${via}
start:
  command: node ${path.join(root, 'bin/gpc-conform')} serve-provider --ods A20047 --port {port} --tls-cert ${tls.server.certPath} --tls-key ${tls.server.keyPath} --tls-ca ${tls.ca.certPath} --tls-crl ${crlFile}${tlsFaults ? ` --tls-faults ${tlsFaults}` : ''}
  ready:
    logLine: listening at
testData:
  registeredPatient: "9693632109"
  registrablePatient: "9651258500"
timeouts:
  requestSeconds: 5
${tlsBlock}`,
  );
  return file;
}

const runHarness = (profileFile: string, env: Record<string, string> = {}) =>
  runProvider(profileFile, path.join(work, path.basename(profileFile, '.yaml')), ['--tags', '@req:PROV-METADATA or @req:PROV-FIND-PATIENT', '--report', 'results'], env);

test('PEM certificate and key, through the SSP: the SSP presents them to the provider', async () => {
  const { code, output } = await runHarness(profile('pem-ssp', 'ssp', `tls:\n  ca: ${tls.ca.certPath}\n  cert: ${client.certPath}\n  key: ${client.keyPath}\n`));
  assert.equal(code, 0, output);
  assert.match(output, /Verdict: conformant/);
});

test('a PKCS#12 bundle with its passphrase from the environment, directly', async () => {
  const { code, output } = await runHarness(profile('pfx-direct', 'direct', `tls:\n  ca: ${tls.ca.certPath}\n  pfx: ${pfxFile}\n  passphraseEnv: GPC_TEST_P12_PASSPHRASE\n`), { GPC_TEST_P12_PASSPHRASE: 'correct horse' });
  assert.equal(code, 0, output);
  // Neither the passphrase nor the client's private key reaches the output, the reports, the evidence pack or the provider's log.
  const keyLine = client.keyPem.split('\n')[3];
  assert.deepEqual(findLeaks([path.join(work, 'pfx-direct')], { passphrase: 'correct horse', 'client private key': keyLine }, output), []);
});

test('a passphrase variable that is not set is a configuration error naming it', async () => {
  const { code, output } = await runHarness(profile('pfx-no-pass', 'direct', `tls:\n  ca: ${tls.ca.certPath}\n  pfx: ${pfxFile}\n  passphraseEnv: GPC_TEST_UNSET_PASSPHRASE\n`));
  assert.equal(code, 2, output);
  assert.match(output, /tls.passphraseEnv: the environment variable GPC_TEST_UNSET_PASSPHRASE is not set/);
});

test('without a client certificate the provider refuses the handshake: broken, with the reason', async () => {
  const { code, output } = await runHarness(profile('no-client-cert', 'ssp', `tls:\n  ca: ${tls.ca.certPath}\n`));
  assert.equal(code, 1, output);
  assert.match(output, /BROKEN /);
  assert.match(output, /ProviderUnreachable: .*the SSP could not reach the provider under test .*CERTIFICATE_REQUIRED/);
});

test('a provider certificate the profile does not trust breaks the scenarios, saying so', async () => {
  const { code, output } = await runHarness(profile('wrong-ca', 'direct', `tls:\n  ca: ${otherCa}\n  cert: ${client.certPath}\n  key: ${client.keyPath}\n`));
  assert.equal(code, 1, output);
  assert.match(output, /ProviderUnreachable: .*(UNABLE_TO_VERIFY|unable to verify|self.signed)/i);
});

/**
 * The provider's own TLS listener (features/provider/transport-security.feature): the reference
 * provider over mutual TLS passes it, and each TLS fault fails it naming the rule it breaks. The
 * fault proof (test/system/fault-proof.test.ts) runs the built-in profile over plain HTTP, where
 * these scenarios are not applicable, so the TLS faults are proven here.
 */
const sspPem = `tls:\n  ca: ${tls.ca.certPath}\n  cert: ${client.certPath}\n  key: ${client.keyPath}\n  refusedClients:\n${refusedBlock}`;
const runTransport = (name: string, tlsFaults?: string) => {
  const file = profile(name, 'direct', sspPem, tlsFaults);
  return runProvider(file, path.join(work, name), ['--tags', '@capability:servesTls', '--report', 'results']);
};

test('the reference provider over mutual TLS passes the transport scenarios', async () => {
  const { code, output } = await runTransport('transport-conformant');
  assert.equal(code, 0, output);
  assert.match(output, /Verdict: conformant/);
  assert.match(output, /Provider conformance: \d+ passed, 0 failed, 0 broken, 0 skipped/, output);
});

for (const [fault, { breaks }] of Object.entries(PROVIDER_TLS_FAULTS)) {
  test(`TLS fault ${fault} fails the transport scenarios, naming ${breaks}`, async () => {
    const { code, output } = await runTransport(`transport-${fault}`, fault);
    assert.equal(code, 1, output);
    assert.match(output, new RegExp(`FAILED .*\\n\\s+${breaks} \\(SHALL\\)`), output);
  });
}
