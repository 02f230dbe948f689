import { Header, Interaction, MediaType, System } from '../../gpconnect/constants';
import { sendRaw } from '../../http/raw-client';

export interface ProviderAddress {
  ods: string;
  /** Endpoint.address: the FHIR service root, to be used exactly as given. */
  serviceRoot: string;
  partyKey: string;
  asid: string;
}

interface Bundle<T> {
  entry?: Array<{ resource: T }>;
}
interface Identified {
  identifier?: Array<{ system?: string; value?: string }>;
}
interface Endpoint extends Identified {
  address?: string;
}

export interface SdsClientOptions {
  apiKey?: string;
  interaction?: string;
  /** CA certificate to trust when SDS is served over TLS. */
  ca?: string;
}

/**
 * Worked example steps 2a–2d with the SDS FHIR API (gpconnect-spec.md §3; pds-sds.md §2.2): the
 * MHS lookup by ODS code and interaction gives the service root and party key, then the AS lookup
 * by ODS code, interaction and party key gives the ASID. Without an interaction, the metadata one:
 * Foundations and Appointment Management share one service root, so it finds a practice's address.
 */
export async function lookUpProvider(sdsBase: string, ods: string, options: SdsClientOptions = {}): Promise<ProviderAddress> {
  const { apiKey = 'gpc-conform', interaction = Interaction.readMetadata, ca } = options;
  const org = `${System.odsOrganizationCode}|${ods}`;
  const svc = `${System.interactionId}|${interaction}`;
  const endpoints = await sdsGet<Endpoint>(`${sdsBase}/Endpoint?organization=${encodeURIComponent(org)}&identifier=${encodeURIComponent(svc)}`, apiKey, ca);
  const endpoint = endpoints[0];
  if (!endpoint?.address) throw new Error(`SDS has no GP Connect endpoint for ${ods} (${interaction})`);
  const partyKey = identifier(endpoint, System.partyKey);
  if (!partyKey) throw new Error(`SDS endpoint for ${ods} has no party key`);
  const devices = await sdsGet<Identified>(
    `${sdsBase}/Device?organization=${encodeURIComponent(org)}&identifier=${encodeURIComponent(svc)}&identifier=${encodeURIComponent(`${System.partyKey}|${partyKey}`)}`,
    apiKey,
    ca,
  );
  const asid = devices.map((d) => identifier(d, System.asid)).find(Boolean);
  if (!asid) throw new Error(`SDS has no accredited system for ${ods} with party key ${partyKey}`);
  return { ods, serviceRoot: endpoint.address, partyKey, asid };
}

async function sdsGet<T>(url: string, apiKey: string, ca?: string): Promise<T[]> {
  const parsed = new URL(url);
  const response = await sendRaw({
    origin: parsed.origin,
    target: parsed.pathname + parsed.search,
    method: 'GET',
    headers: [
      [Header.apiKey, apiKey],
      [Header.accept, MediaType.fhirJson],
    ],
    tls: ca ? { ca } : undefined,
    timeoutMs: 15_000,
    // The worked example's SDS lookups, before each scenario's first request: the harness's, not the system under test's.
    keepAlive: true,
  });
  if (response.status !== 200) throw new Error(`SDS answered ${response.status} to ${url}: ${response.body.slice(0, 500)}`);
  const bundle = JSON.parse(response.body) as Bundle<T>;
  return (bundle.entry ?? []).map((e) => e.resource);
}

function identifier(resource: Identified, system: string): string | undefined {
  return resource.identifier?.find((i) => i.system === system)?.value;
}

/**
 * SDS answers kept for one user session, as a consumer SHOULD keep them and MUST NOT reuse them in
 * another session (gpconnect-spec.md §2.7), keyed as SDS keys them: ODS code and interaction.
 */
export class SdsSession {
  private readonly answers = new Map<string, Promise<ProviderAddress>>();

  constructor(
    private readonly sdsBase: string,
    private readonly options: Omit<SdsClientOptions, 'interaction'> = {},
  ) {}

  /** The practice's address for the interaction: asked of SDS the first time in the session only (a failed lookup is not kept). */
  lookUp(ods: string, interaction: string): Promise<ProviderAddress> {
    const key = `${ods} ${interaction}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = lookUpProvider(this.sdsBase, ods, { ...this.options, interaction });
      this.answers.set(key, answer);
      answer.catch(() => this.answers.delete(key));
    }
    return answer;
  }
}
