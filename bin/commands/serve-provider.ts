import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { parseProviderFaults } from '../../src/spine/provider/faults';
import { referenceProviderHandlers } from '../../src/spine/provider/server';
import { FHIR_XML_CODEC } from '../../src/fhir/xml';
import { loadPracticeState } from '../../src/spine/provider/state';
import { withStateFaults } from '../../src/spine/provider/faults';
import { parseProviderTlsFaults, tlsServerSettings } from '../../src/spine/provider/faults-tls';
import { loadDirectory } from '../../src/spine/directory/load';
import { TrafficJournal } from '../../src/spine/journal';
import { loadPatients } from '../../src/spine/patients';
import { serveHandlers } from '../../src/spine/serve';
import { certificateIdentity, certificateMatchesFqdn } from '../../src/spine/tls';
import { checkedHost, portOption, UsageError, waitForStop, exitOnceClosed } from './common';
import { SSP_FQDN } from '../../src/gpconnect/constants';

export const SERVE_PROVIDER_USAGE = `  gpc-conform serve-provider [options]   serve the reference provider on its own, as a supplier's provider would run
      --ods CODE                         the practice (A20047, B82617 or B82618; default A20047)
      --asid ASID                        the ASID it answers to (default: the practice's in the default topology)
      --host HOST --port N               where to listen (default 127.0.0.1, an ephemeral port)
      --allow-non-loopback               needed to bind anything but loopback
      --tls-cert FILE --tls-key FILE     serve HTTPS with this certificate (PEM)
      --tls-ca FILE                      and require client certificates signed by this CA (mutual TLS)
      --tls-crl FILE                     and not revoked in this certificate revocation list (PEM)
      --ssp-fqdn NAME                    the SSP's FQDN, the only one its client certificate may carry (default ssp.spine.test)
      --faults LIST                      make deliberate supplier mistakes (comma-separated; docs/proving-the-harness.md lists them)
      --tls-faults LIST                  and mistakes in its TLS listener (accepts-tls-1.0, accepts-any-cipher, accepts-any-client-certificate,
                                         serves-plain-http, accepts-expired-certificate, ignores-revocation, accepts-any-ssp-fqdn)`;

/**
 * The reference provider as a process of its own: what a supplier's provider looks like to the
 * harness when a profile starts it with a command (profiles/reference-provider-process.yaml).
 */
export async function serveProvider(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ods: { type: 'string', default: 'A20047' },
      asid: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'allow-non-loopback': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'tls-crl': { type: 'string' },
      'ssp-fqdn': { type: 'string', default: SSP_FQDN },
      faults: { type: 'string' },
      'tls-faults': { type: 'string' },
    },
    strict: true,
  });
  let host: string;
  let port: number;
  try {
    host = checkedHost(values.host!, values['allow-non-loopback']);
    port = portOption('port', String(values.port));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`gpc-conform: ${error.message}`);
    return 2;
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    console.error('gpc-conform: --tls-cert and --tls-key go together');
    return 2;
  }
  const ods = values.ods!;
  const faults = parseProviderFaults(values.faults);
  const tlsFaults = parseProviderTlsFaults(values['tls-faults']);
  // The spec's protocol and cipher list ("Supported ciphers"), unless a TLS fault says otherwise.
  const settings = tlsServerSettings(tlsFaults);
  const asid = values.asid ?? loadDirectory().providerFor(ods)?.asid;
  if (!asid) {
    console.error(`gpc-conform: no provider at ${ods} in the default topology: give --asid`);
    return 2;
  }
  const state = withStateFaults(loadPracticeState(ods), faults);
  const journal = new TrafficJournal();
  const path = `/${ods}/STU3/1/gpconnect`;
  const mutual = Boolean(values['tls-ca']);
  // The SSP authenticated by its certificate ("Client certificates"): from the CA given, in date, not revoked, and
  // for the SSP's FQDN. Node refuses the first three in the handshake; the FQDN is checked just after it.
  const sspFqdn = values['ssp-fqdn']!;
  const acceptPeer = (socket: TLSSocket): boolean => {
    if (settings.acceptAnyClient) return true;
    if (!socket.authorized && !(settings.acceptExpired && String(socket.authorizationError) === 'CERT_HAS_EXPIRED')) return false;
    return settings.acceptAnyFqdn || certificateMatchesFqdn(certificateIdentity(new X509Certificate(socket.getPeerCertificate().raw)), sspFqdn);
  };
  const tls =
    values['tls-cert'] && !settings.plainHttp
      ? {
          cert: readFileSync(values['tls-cert'], 'utf8'),
          key: readFileSync(values['tls-key']!, 'utf8'),
          ca: mutual ? readFileSync(values['tls-ca']!, 'utf8') : '',
          crl: values['tls-crl'] && !settings.ignoreCrl ? readFileSync(values['tls-crl'], 'utf8') : undefined,
          requestCert: mutual,
          // Refused in the handshake, as most providers do, unless a fault lets one kind through to acceptPeer.
          rejectUnauthorized: mutual && !settings.acceptAnyClient && !settings.acceptExpired,
          acceptPeer: mutual ? acceptPeer : undefined,
          minVersion: settings.minVersion,
          ciphers: settings.ciphers,
        }
      : undefined;
  const server = await serveHandlers({
    host,
    port,
    tls,
    handlers: (origin) => referenceProviderHandlers({ journal, base: origin + path, faults, xml: FHIR_XML_CODEC, context: { serviceRoot: origin + path, ods, asid, state, pds: loadPatients(), now: () => new Date() } }),
  });
  journal.on('entry', (e) => {
    console.log(`${e.time} ${e.method} ${e.target} -> ${e.status}`);
    if (journal.size > 1000) journal.clear();
  });
  console.log(`reference provider for ${ods} (ASID ${asid}) listening at ${server.origin}${path}${faults.size + tlsFaults.size ? ` with faults: ${[...faults, ...tlsFaults].join(', ')}` : ''}`);
  await waitForStop();
  await server.close();
  return exitOnceClosed(0);
}
