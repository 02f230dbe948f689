import { Header, interactionsFor, System, SSP_FQDN } from '../../gpconnect/constants';
import { headerValue, type JournalEntry } from '../../gpconnect/exchange';

/** One request the consumer sent through the SSP, taken apart as the SSP sees it. */
export interface SspRequest {
  entry: JournalEntry;
  /** The request target after `{ssp}/` exactly as sent (no decoding). */
  target: string;
  /** The SDS address the target begins with, character for character, if any. */
  serviceRoot?: string;
  /** Path relative to that service root, without the query. */
  relativePath?: string;
  /** The raw query, after `?`. */
  rawQuery: string;
  interactionHeader?: string;
  /** The interactions the verb and path can be (gpconnect-spec.md §5.1). */
  interactionsForPath: string[];
}

function byArrival(a: JournalEntry, b: JournalEntry): number {
  return a.time.localeCompare(b.time) || a.seq - b.seq;
}

/**
 * What a consumer did in one scenario, read from the traffic journal: its PDS traces, SDS
 * lookups and the requests it sent through the SSP, in the order they arrived.
 */
export class ConsumerTraffic {
  readonly all: JournalEntry[];
  /** Every entry of the scenario, the provider's own included, in arrival order. */
  readonly journalled: JournalEntry[];

  constructor(entries: JournalEntry[]) {
    // What the consumer sent: the provider-side copies of SSP-forwarded requests are the SSP's doing.
    this.all = entries.filter((e) => e.service !== 'provider').sort(byArrival);
    this.journalled = [...entries].sort(byArrival);
  }

  of(service: JournalEntry['service']): JournalEntry[] {
    return this.all.filter((e) => e.service === service);
  }

  /** PDS reads of a patient by NHS number (GET {pds}/Patient/{nhsNumber}). */
  pdsTraces(): Array<{ entry: JournalEntry; nhsNumber: string }> {
    return this.of('pds').flatMap((entry) => {
      const match = new URL(entry.url).pathname.match(/\/Patient\/([^/?]+)$/);
      return match && entry.method === 'GET' ? [{ entry, nhsNumber: decodeURIComponent(match[1]) }] : [];
    });
  }

  /** SDS lookups, with the organisation and interactions they asked about. */
  sdsLookups(): Array<{ entry: JournalEntry; kind: 'Endpoint' | 'Device' | 'other'; ods?: string; interactions: string[] }> {
    return this.of('sds').map((entry) => {
      const url = new URL(entry.url);
      const kind = url.pathname.endsWith('/Endpoint') ? 'Endpoint' : url.pathname.endsWith('/Device') ? 'Device' : 'other';
      const ods = url.searchParams.getAll('organization').map((v) => v.split('|')).find(([system]) => system === System.odsOrganizationCode)?.[1];
      const interactions = url.searchParams.getAll('identifier').flatMap((v) => (v.startsWith(`${System.interactionId}|`) ? [v.slice(System.interactionId.length + 1)] : []));
      return { entry, kind, ods, interactions };
    });
  }

  /** The service roots SDS gave in its Endpoint answers. */
  endpointAddresses(): string[] {
    return this.sdsLookups()
      .filter((l) => l.kind === 'Endpoint' && l.entry.status === 200)
      .flatMap((l) => resourcesIn(l.entry.responseBody).map((r) => r.address).filter((a): a is string => typeof a === 'string'));
  }

  /** The ASIDs SDS gave in its Device answers. */
  asidsGiven(): string[] {
    return this.sdsLookups()
      .filter((l) => l.kind === 'Device' && l.entry.status === 200)
      .flatMap((l) => resourcesIn(l.entry.responseBody).flatMap((r) => (Array.isArray(r.identifier) ? r.identifier : []).filter((i: any) => i.system === System.asid).map((i: any) => String(i.value))));
  }

  sspRequests(): SspRequest[] {
    const roots = this.endpointAddresses();
    return this.of('ssp').map((entry) => {
      const target = entry.target.replace(/^\//, '');
      const serviceRoot = roots.filter((root) => target.startsWith(root) && /^($|[/?])/.test(target.slice(root.length))).sort((a, b) => b.length - a.length)[0];
      const rest = serviceRoot ? target.slice(serviceRoot.length) : '';
      const [relativePath, rawQuery = ''] = [rest.split('?')[0], rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : ''];
      return {
        entry,
        target,
        serviceRoot,
        relativePath: serviceRoot ? relativePath || '/' : undefined,
        rawQuery: serviceRoot ? rawQuery : target.includes('?') ? target.slice(target.indexOf('?') + 1) : '',
        interactionHeader: headerValue(entry.requestHeaders, Header.sspInteractionId),
        interactionsForPath: serviceRoot ? interactionsFor(entry.method, relativePath || '/') : [],
      };
    });
  }

  /**
   * Requests the provider received that the SSP did not forward (the consumer called it directly):
   * a forwarded one came with the SSP's TLS client certificate, or carries an Ssp-TraceID the SSP
   * saw (the SSP forwards headers unmodified, so nothing else marks it).
   */
  directToProvider(): JournalEntry[] {
    const sspTraceIds = new Set(this.of('ssp').map((e) => headerValue(e.requestHeaders, Header.sspTraceId)).filter((t): t is string => Boolean(t)));
    return this.journalled.filter((e) => {
      if (e.service !== 'provider' || e.clientCertificateCn === SSP_FQDN) return false;
      const trace = headerValue(e.requestHeaders, Header.sspTraceId);
      return !(trace && sspTraceIds.has(trace));
    });
  }
}

function resourcesIn(body: string): Array<Record<string, any>> {
  try {
    const bundle = JSON.parse(body) as { entry?: Array<{ resource?: Record<string, any> }> };
    return (bundle.entry ?? []).map((e) => e.resource ?? {});
  } catch {
    return [];
  }
}
