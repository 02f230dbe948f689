import { Interaction, System } from '../gpconnect/constants';
import type { SpineInABox } from './spine';

/** What a supplier needs to point their system at Spine in a box, as text for the console. */
export function describeSpine(box: SpineInABox, options: { tlsDir?: string; host: string }): string {
  const { directory, urls } = box;
  const lines: string[] = [];
  lines.push(`Spine in a box is listening on ${options.host} (loopback${['127.0.0.1', '::1', 'localhost'].includes(options.host) ? '' : ' NOT — bound as asked with --allow-non-loopback'})`);
  lines.push('');
  lines.push(`  PDS FHIR R4   ${urls.pds}          GET /Patient/{nhsNumber}  (header X-Request-ID required)`);
  lines.push(`  SDS FHIR R4   ${urls.sds}          GET /Endpoint, GET /Device  (header apikey required)`);
  lines.push(`  SSP           ${urls.ssp}/{provider service root}/{path}`);
  if (options.tlsDir) {
    lines.push('');
    lines.push(`  Mutual TLS: CA certificate ${options.tlsDir}/ca.pem; client certificates ${options.tlsDir}/client-<fqdn>.pem and -key.pem`);
  }
  lines.push('');
  lines.push('Providers (SDS endpoint address → stand-in provider socket):');
  for (const p of directory.providers()) {
    const root = directory.serviceRootOf(p);
    lines.push(`  ${p.organisation.padEnd(7)} ASID ${p.asid}  party key ${p.partyKey.padEnd(15)} ${root}  →  ${urls.providers[p.organisation] ?? '(not served)'}`);
  }
  lines.push('');
  lines.push('Consumers (use your organisation\'s own ASID in Ssp-From):');
  for (const c of directory.consumers()) {
    const mhs = directory.mhsByPartyKey(c.partyKey);
    lines.push(`  ${c.organisation.padEnd(7)} ASID ${c.asid}  party key ${c.partyKey.padEnd(15)} FQDN ${mhs?.fqdn ?? '-'}  ${c.name}`);
  }
  const example = directory.providers()[0];
  const consumer = directory.consumers()[0];
  if (example && consumer) {
    lines.push('');
    lines.push('Try it:');
    lines.push(`  curl -s -H 'X-Request-ID: 60E0B220-8136-4CA5-AE46-1D97EF59D068' ${urls.pds}/Patient/9693632109`);
    lines.push(`  curl -s -H 'apikey: any' '${urls.sds}/Endpoint?organization=${System.odsOrganizationCode}%7C${example.organisation}&identifier=${System.interactionId}%7C${Interaction.readMetadata}'`);
    lines.push(`  (the SSP needs Ssp-TraceID, Ssp-From, Ssp-To, Ssp-InteractionID and a bearer JWT: see docs/spine-in-a-box.md "The worked example with curl")`);
  }
  lines.push('');
  lines.push('Press Ctrl-C to stop.');
  return lines.join('\n');
}
