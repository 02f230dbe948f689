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
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { getCapabilityStatement } from '../../gpconnect/operations';
import type { PlainOutcome, TlsOutcome } from '../../rules/provider/transport';
import type { RefusedClient } from '../profiles/load';
import { createCertificateAuthority, issueCertificate, keyPairFor } from '../../spine/tls';
import type { ProviderUnderTest } from './provider-under-test';
import { SSP_FQDN } from '../../gpconnect/constants';

export interface TlsAttempt {
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** An OpenSSL cipher list for TLS 1.2 and below; the attempt is then made with TLS 1.2 at most. */
  ciphers?: string;
  /** The SSP's certificate from the profile (default), none, one for the same name from a CA the provider does not know, or the one given. */
  client?: 'ssp' | 'none' | 'other-ca' | { cert: string; key: string };
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
  const identity =
    typeof client === 'object' ? client : client === 'ssp' ? { cert: material.cert, key: material.key, pfx: material.pfx, passphrase: material.passphrase } : client === 'none' ? {} : strangerCertificate(material.cert);
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
  const ca = createCertificateAuthority({ commonName: 'A CA the provider does not trust (harness test only)', keyPair: keyPairFor('a CA the provider does not trust') });
  const issued = issueCertificate(ca, { commonName: cn ?? SSP_FQDN, dnsNames: [cn ?? SSP_FQDN], usage: 'client', keyPair: keyPairFor(`untrusted client ${cn ?? SSP_FQDN}`) });
  return { cert: issued.certPem, key: issued.keyPem };
}

/**
 * The certificate the profile gives for a client the provider must refuse (tls.refusedClients), read
 * now; undefined where the profile gives none (only the holder of the provider's CA can issue them).
 */
export function refusedClientCertificate(underTest: ProviderUnderTest, kind: RefusedClient): { cert: string; key: string } | undefined {
  const pair = underTest.profile.tls?.refusedClients?.[kind];
  if (!pair) return undefined;
  const read = (field: 'cert' | 'key') => {
    try {
      return readFileSync(pair[field], 'utf8');
    } catch (error) {
      throw new Error(`tls.refusedClients.${kind}.${field}: cannot read ${pair[field]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  return { cert: read('cert'), key: read('key') };
}

/**
 * The capability statement request in plain HTTP to the provider's TLS port (PTEST Security.feature
 * "Security - Non-SSL to SSL"): what came back, or that the provider dropped the connection.
 */
export async function probePlainHttp(underTest: ProviderUnderTest): Promise<PlainOutcome> {
  const root = new URL(underTest.connection.liveRoot);
  const prepared = await underTest.conformantRequest(getCapabilityStatement());
  const target = root.pathname.replace(/\/$/, '') + prepared.relativeTarget;
  const headers = prepared.headers.filter(([name]) => !/^(host|connection)$/i.test(name));
  const request = [`${prepared.method} ${target} HTTP/1.1`, `Host: ${root.host}`, ...headers.map(([n, v]) => `${n}: ${v}`), 'Connection: close', '', ''].join('\r\n');
  return new Promise((resolve) => {
    let answer = '';
    let settled = false;
    const socket = net.connect({ host: root.hostname.replace(/^\[|\]$/g, ''), port: Number(root.port || 443) }, () => socket.write(request));
    const finish = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const head = answer.split('\r\n\r\n')[0] ?? '';
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve(status ? { kind: 'answered', status: Number(status), headers } : { kind: 'closed', reason });
    };
    const timer = setTimeout(() => finish(`no answer within ${underTest.connection.timeoutMs} ms`), underTest.connection.timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish('answered');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('end', () => finish('the provider ended the connection'));
    socket.on('close', () => finish('the provider closed the connection'));
  });
}
