/**
 * Deliberate mistakes the SDS simulator can be told to make (GPC_SDS_FAULTS), each breaking the
 * requirement whose scenarios must then fail; test/fault-proof.test.ts proves it.
 */
import { System } from '../gpconnect/constants';
import type { Directory } from './directory/directory';
import { parseFaultList } from '../gpconnect/fault-list';

type Json = Record<string, any>;

export const SDS_FAULTS = {
  'endpoint-address-altered': { breaks: 'SDS-ENDPOINT-LOOKUP', what: 'adds a trailing slash to every endpoint address it returns' },
  'device-first-practice-asid': { breaks: 'SDS-DEVICE-LOOKUP', what: "answers every hosted practice's Device lookup with the first practice's ASID" },
  'consumer-mhs-as-endpoint': { breaks: 'SDS-2.2-CONSUMER-MHS-INTERACTIONS', what: "offers a consumer's MHS record as a GP Connect endpoint" },
} as const;

export type SdsFault = keyof typeof SDS_FAULTS;

export function parseSdsFaults(list: string | undefined): Set<SdsFault> {
  return parseFaultList(list, SDS_FAULTS, 'SDS');
}

/** Rewrite a successful SDS answer as the faults say. */
export async function applySdsFaults(faults: ReadonlySet<SdsFault>, request: Request, response: Response, directory: Directory): Promise<Response> {
  if (faults.size === 0 || response.status !== 200) return response;
  const bundle = (await response.clone().json()) as Json;
  const resources: Json[] = (bundle.entry ?? []).map((e: Json) => e.resource);
  for (const r of resources) {
    if (faults.has('endpoint-address-altered') && r.resourceType === 'Endpoint' && r.address) r.address += '/';
    if (faults.has('device-first-practice-asid') && r.resourceType === 'Device') {
      const own = directory.systemByAsid(r.identifier?.[0]?.value ?? '');
      const first = own && directory.providers().find((p) => p.manufacturer === own.manufacturer);
      if (first) r.identifier[0].value = first.asid;
    }
  }
  if (faults.has('consumer-mhs-as-endpoint') && resources.length === 0 && new URL(request.url).pathname.endsWith('/Endpoint')) {
    const ods = new URL(request.url).searchParams.get('organization')?.split('|')[1];
    const mhs = ods ? directory.findMhs({ organisation: ods })[0] : undefined;
    if (mhs) {
      bundle.total = 1;
      bundle.entry = [{ resource: { resourceType: 'Endpoint', address: `https://${mhs.fqdn}`, identifier: [{ system: System.partyKey, value: mhs.partyKey }] } }];
    }
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(bundle), { status: 200, headers });
}
