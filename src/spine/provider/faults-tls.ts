/**
 * Mistakes in the reference provider's TLS listener (development_api_security_guidance): they act
 * where `gpc-conform serve-provider --tls-cert …` creates its HTTPS server, not on the answers, so
 * they are their own list (`--tls-faults`). Proven over mutual TLS by test/system/provider-tls.test.ts;
 * the fault proof's built-in profile is plain HTTP, where the transport scenarios do not apply.
 */
import { parseFaultList, type FaultEntry } from '../../gpconnect/fault-list';
import { SPEC_TLS_CIPHERS } from '../tls';

/** What a TLS fault changes in the server's options. */
export interface TlsServerSettings {
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
  /** Ask for a client certificate but take the connection whatever comes (or nothing). */
  acceptAnyClient?: boolean;
  /** Take a certificate whose validity has ended (from a CA it trusts). */
  acceptExpired?: boolean;
  /** Check no revocation list. */
  ignoreCrl?: boolean;
  /** Take any FQDN from a CA it trusts, not only the SSP's. */
  acceptAnyFqdn?: boolean;
  /** Serve plain HTTP where TLS is expected. */
  plainHttp?: boolean;
}

/** The spec's cipher list ("Supported ciphers"; its Tomcat SSLCipherSuite), in its order of preference. */
export const SPEC_CIPHERS = SPEC_TLS_CIPHERS;

export const PROVIDER_TLS_FAULTS: Record<string, FaultEntry & { settings: TlsServerSettings }> = {
  'accepts-tls-1.0': {
    breaks: 'PROV-TLS-VERSION',
    what: 'accepts TLS 1.0 and 1.1 connections as well as TLS 1.2',
    settings: { minVersion: 'TLSv1', ciphers: `${SPEC_CIPHERS}:DEFAULT:@SECLEVEL=0` },
  },
  'accepts-any-cipher': {
    breaks: 'PROV-TLS-CIPHERS',
    what: "keeps Node's default cipher list, which takes AES128-SHA256 (no forward secrecy) and offers no DHE suite",
    settings: { ciphers: 'DEFAULT' },
  },
  'accepts-any-client-certificate': {
    breaks: 'PROV-TLS-CLIENT-CERT',
    what: 'asks for a client certificate but serves a client without one, or with one from any CA',
    settings: { acceptAnyClient: true },
  },
  'serves-plain-http': {
    breaks: 'PROV-TLS-ONLY',
    what: 'serves plain HTTP on the port its profile gives as https',
    settings: { plainHttp: true },
  },
  'accepts-expired-certificate': {
    breaks: 'PROV-TLS-CLIENT-VALID',
    what: 'takes a client certificate from its CA whose validity has ended',
    settings: { acceptExpired: true },
  },
  'ignores-revocation': {
    breaks: 'PROV-TLS-CLIENT-VALID',
    what: 'takes a client certificate its CA has revoked: it checks no revocation list',
    settings: { ignoreCrl: true },
  },
  'accepts-any-ssp-fqdn': {
    breaks: 'PROV-TLS-SSP-FQDN',
    what: "takes a client certificate from its CA for any FQDN, not only the SSP's",
    settings: { acceptAnyFqdn: true },
  },
};

export type ProviderTlsFault = keyof typeof PROVIDER_TLS_FAULTS;

export function parseProviderTlsFaults(list: string | undefined): Set<ProviderTlsFault> {
  return parseFaultList(list, PROVIDER_TLS_FAULTS, 'provider TLS');
}

/** The server's settings under these faults: the spec's by default. */
export function tlsServerSettings(faults: ReadonlySet<ProviderTlsFault>): Required<TlsServerSettings> {
  const settings = { minVersion: 'TLSv1.2' as TlsServerSettings['minVersion'] & string, ciphers: SPEC_CIPHERS, acceptAnyClient: false, acceptExpired: false, ignoreCrl: false, acceptAnyFqdn: false, plainHttp: false };
  for (const fault of faults) Object.assign(settings, PROVIDER_TLS_FAULTS[fault]!.settings);
  return settings as ReturnType<typeof tlsServerSettings>;
}
