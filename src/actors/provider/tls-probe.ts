/**
 * The provider's TLS listener, probed as the SSP's client would meet it and as a stranger would:
 * one connection straight to the provider's service root (never through the harness's SSP: the
 * official Security.feature says "I am not using the SSP"), with the protocol versions, cipher
 * suites and client certificate a scenario chooses, carrying a conformant capability statement
 * request. What came back is a TlsOutcome for the judges in src/rules/provider/transport.ts.
 *
 * Only the provider the profile names (loopback unless allowed) is probed; the other client
 * certificate is issued on the spot by a throwaway test CA (src/spine/tls.ts).
 */
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { getCapabilityStatement } from '../../gpconnect/operations';
import type { TlsOutcome } from '../../rules/provider/transport';
import { createCertificateAuthority, issueCertificate } from '../../spine/tls';
import type { ProviderUnderTest } from './provider-under-test';

export interface TlsAttempt {
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** An OpenSSL cipher list for TLS 1.2 and below; the attempt is then made with TLS 1.2 at most. */
  ciphers?: string;
  /** The SSP's certificate from the profile (default), none, or one for the same name from a CA the provider does not know. */
  client?: 'ssp' | 'none' | 'other-ca';
}

/** Old protocol versions are only offered by OpenSSL 3 at security level 0. */
const LEGACY = new Set<tls.SecureVersion>(['TLSv1', 'TLSv1.1']);

export async function probeTls(underTest: ProviderUnderTest, attempt: TlsAttempt): Promise<TlsOutcome> {
  const root = new URL(underTest.connection.liveRoot);
  const material = underTest.connection.tls ?? {};
  const prepared = await underTest.conformantRequest(getCapabilityStatement());
  const target = root.pathname.replace(/\/$/, '') + prepared.relativeTarget;
  const headers = prepared.headers.filter(([name]) => !/^(host|connection)$/i.test(name));
  const request = [`${prepared.method} ${target} HTTP/1.1`, `Host: ${root.host}`, ...headers.map(([n, v]) => `${n}: ${v}`), 'Connection: close', '', ''].join('\r\n');

  const client = attempt.client ?? 'ssp';
  const identity = client === 'ssp' ? { cert: material.cert, key: material.key, pfx: material.pfx, passphrase: material.passphrase } : client === 'none' ? {} : strangerCertificate(material.cert);
  const legacy = (attempt.minVersion && LEGACY.has(attempt.minVersion)) || (attempt.maxVersion && LEGACY.has(attempt.maxVersion));
  const options: tls.ConnectionOptions = {
    host: root.hostname.replace(/^\[|\]$/g, ''),
    port: Number(root.port || 443),
    ca: material.ca,
    ...identity,
    minVersion: attempt.minVersion,
    maxVersion: attempt.ciphers ? 'TLSv1.2' : attempt.maxVersion,
    ciphers: attempt.ciphers ? `${attempt.ciphers}${legacy ? ':@SECLEVEL=0' : ''}` : legacy ? 'DEFAULT:@SECLEVEL=0' : undefined,
  };
  return exchange(options, request, underTest.connection.timeoutMs);
}

function exchange(options: tls.ConnectionOptions, request: string, timeoutMs: number): Promise<TlsOutcome> {
  return new Promise((resolve) => {
    let answer = '';
    let settled = false;
    const socket = tls.connect(options, () => socket.write(request));
    const finish = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      const cipher = socket.getCipher();
      const protocol = socket.getProtocol();
      socket.destroy();
      resolve(status ? { kind: 'answered', protocol: protocol ?? 'unknown', cipher: cipher?.standardName ?? cipher?.name ?? 'unknown', status: Number(status) } : { kind: 'closed', reason });
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) finish('answered');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('end', () => finish('the provider ended the connection'));
    socket.on('close', () => finish('the provider closed the connection'));
  });
}

/** A client certificate with the SSP's name from a CA nobody trusts: only its issuer differs from the SSP's. */
function strangerCertificate(sspCert: string | undefined): { cert: string; key: string } {
  const cn = sspCert ? /CN=([^\n,]+)/.exec(new X509Certificate(sspCert).subject)?.[1] : undefined;
  const ca = createCertificateAuthority({ commonName: 'A CA the provider does not trust (harness test only)' });
  const issued = issueCertificate(ca, { commonName: cn ?? 'ssp.spine.test', dnsNames: [cn ?? 'ssp.spine.test'], usage: 'client' });
  return { cert: issued.certPem, key: issued.keyPem };
}
