import { type RequestHandler } from 'msw';
import type { Directory } from './directory/directory';
import { loadDirectory } from './directory/load';
import type { DirectoryData, PdsPatient } from './directory/model';
import { TrafficJournal, type JournalLimits } from './journal';
import type { JournalEntry, Service } from '../gpconnect/exchange';
import { loadPatients } from './patients';
import { pdsHandlers } from './pds';
import { sdsHandlers } from './sds';
import { serveHandlers, type Refused, type RunningServer } from './serve';
import { Header, MediaType, SSP_FQDN } from '../gpconnect/constants';
import { gpcTransportError } from '../gpconnect/outcomes';
import { pdsTransportError } from './pds';
import { sdsTransportError } from './sds';
import { sspTransportError } from './ssp';
import { DEFAULT_SSP_TIMEOUT_MS, sspHandlers, type SspSettings } from './ssp';
import type { ThrottleSettings } from './ssp-throttle';
import type { SdsFault } from './sds-faults';
import type { SspFault } from './ssp-faults';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { withStateFaults, type ProviderFault } from './provider/faults';
import { referenceProviderHandlers } from './provider/server';
import type { FhirXmlCodec } from './provider/xml';
import { variantChoices, type ProviderVariant } from './provider/variants';
import { loadPracticeState, PRACTICE_DATA_DIR, slotWindowDay } from './provider/state';
import type { ProviderContext, ProviderState } from './provider/context';
import { StandInProvider } from './stand-in-provider';
import type { UpstreamTls } from './ssp-forward';
import { freeLoopbackPort } from '../http/ports';
import { X509Certificate } from 'node:crypto';
import { certificateRevocationList, ensureTlsMaterial, issueCertificate, keyPairFor, SPEC_TLS_CIPHERS, type IssuedCertificate, type Revocation, type TlsMaterial } from './tls';
import type { TlsServerMaterial } from './serve';

export const PDS_PATH = '/personal-demographics/FHIR/R4';
export const SDS_PATH = '/spine-directory/FHIR/R4';

/** Origins used in-process: reserved .test names that never resolve, so nothing can leak out. */
const IN_PROCESS = { pds: 'https://pds.spine.test', sds: 'https://sds.spine.test', ssp: 'https://ssp.spine.test' };

export interface SpineOptions {
  /** A Directory, or the path of a topology YAML file; the default topology otherwise. */
  directory?: Directory | string;
  patients?: PdsPatient[] | string;
  /** `sockets` serves each service on its own loopback port; `in-process` intercepts fetch and http in this process. */
  mode?: 'sockets' | 'in-process';
  /** Serve over HTTPS with mutual TLS (sockets only), using certificates generated into `tlsDir`. */
  tls?: boolean;
  tlsDir?: string;
  /** Loopback by default. */
  host?: string;
  ports?: Partial<Record<'pds' | 'sds' | 'ssp' | 'provider', number>>;
  sspTimeoutMs?: number;
  /** SSP throttling (429 per sender, 503 per provider); off when undefined, the default (ssp-throttle.ts). */
  sspThrottle?: ThrottleSettings;
  /** Append every journal entry to this JSON-lines file as it happens. */
  journalFile?: string;
  /** How much of the journal is kept in memory (journal.ts DEFAULT_JOURNAL_LIMITS otherwise). */
  journalLimits?: JournalLimits;
  /** Deliberate SDS mistakes, for proving the features (sds-faults.ts). */
  sdsFaults?: ReadonlySet<SdsFault>;
  /** Deliberate SSP mistakes, for proving the features (ssp-faults.ts). */
  sspFaults?: ReadonlySet<SspFault>;
  /**
   * Serve the reference GP Connect provider for the practices it has data for (A20047, B82617,
   * B82618), with any deliberate faults or conformant variants; the stand-in answers for the others.
   * Given `xml` (src/fhir/xml.ts, which the rooms above hand in), it serves FHIR XML too.
   */
  referenceProvider?: { faults?: ReadonlySet<ProviderFault>; variants?: ReadonlySet<ProviderVariant>; xml?: FhirXmlCodec; probeLatitudes?: boolean };
  /** Serve the stand-in provider for the directory's providers (default true). */
  standInProvider?: boolean;
  /**
   * Providers Spine in a box does not serve: the SSP forwards requests for these practices (by ODS
   * code) to where they really answer, presenting the TLS material given (a supplier's provider
   * under test). Their registered service roots stay as the directory has them.
   */
  externalProviders?: Record<string, { liveRoot: string; tls?: UpstreamTls }>;
}

export interface SpineUrls {
  pds: string;
  sds: string;
  ssp: string;
  /** Where each practice's service root really answers, keyed by ODS code (the stand-in provider). */
  providers: Record<string, string>;
}

/**
 * Spine in a box: PDS, SDS, the SSP and a stand-in provider, all from one directory and one patient
 * list, served in-process or on loopback sockets, every exchange written to one journal.
 */
export class SpineInABox {
  readonly journal: TrafficJournal;
  readonly sspSettings: SspSettings;
  urls: SpineUrls = { pds: '', sds: '', ssp: '', providers: {} };
  standIn: StandInProvider | undefined;
  tls: TlsMaterial | undefined;
  /**
   * Since the last reset, the reference provider's answer-only variants that would have answered
   * otherwise (given `referenceProvider.probeLatitudes`: the variant proof's probe, variants.ts latitudesMet).
   */
  readonly latitudesMet = new Set<ProviderVariant>();
  private readonly unreachable = new Set<string>();
  private unreachableOrigin = 'http://127.0.0.1:9';
  private readonly stoppers: Array<() => Promise<void> | void> = [];
  private readonly servers: Partial<Record<Service, RunningServer>> = {};
  private readonly referenceContexts: ProviderContext[] = [];
  /** Each reference practice's reset: its state loaded again when the scenario before read it. */
  private readonly practiceResets: Array<() => void> = [];
  /** The client certificates Spine's CA has revoked, published to the SSP as its revocation list. */
  private readonly revocations: Revocation[] = [];
  /** The directory as configured, while a scenario has amended it (restored by reset). */
  private directoryAsConfigured: DirectoryData | undefined;

  private constructor(
    readonly directory: Directory,
    readonly patients: PdsPatient[],
    private readonly options: SpineOptions,
  ) {
    this.journal = new TrafficJournal(options.journalFile, options.journalLimits);
    this.sspSettings = { timeoutMs: options.sspTimeoutMs ?? DEFAULT_SSP_TIMEOUT_MS, throttle: this.configuredThrottle() };
  }

  static async start(options: SpineOptions = {}): Promise<SpineInABox> {
    const directory = typeof options.directory === 'object' ? options.directory : loadDirectory(options.directory);
    const patients = Array.isArray(options.patients) ? options.patients : loadPatients(options.patients);
    const spine = new SpineInABox(directory, patients, options);
    try {
      if (options.mode === 'in-process') spine.startInProcess();
      else await spine.startSockets();
    } catch (error) {
      await spine.stop();
      throw error;
    }
    return spine;
  }

  async stop(): Promise<void> {
    for (const stop of this.stoppers.splice(0).reverse()) await stop();
  }

  /**
   * Per service served on a socket: connections open now, and how many of them hold a request whose
   * headers have not all arrived (a client holding the connection open: slowloris).
   */
  async connections(): Promise<Partial<Record<Service, { open: number; incomplete: number }>>> {
    const out: Partial<Record<Service, { open: number; incomplete: number }>> = {};
    for (const [service, server] of Object.entries(this.servers) as Array<[Service, RunningServer]>) {
      out[service] = { open: await server.connections(), incomplete: server.incompleteRequests() };
    }
    return out;
  }

  /** Make the SSP unable to reach a practice's provider (a closed loopback port): it should answer 502. */
  makeUnreachable(ods: string): void {
    this.unreachable.add(ods);
  }

  /** The reference provider's practice (its state and the harness's interference), when Spine in a box serves it. */
  practice(ods: string): ProviderContext | undefined {
    return this.referenceContexts.find((c) => c.ods === ods);
  }

  /** Change the directory SDS and the SSP answer from, for this scenario only (reset restores it). */
  amendDirectory(edit: (data: DirectoryData) => void): void {
    this.directoryAsConfigured ??= structuredClone(this.directory.data);
    edit(this.directory.data);
    this.directory.changed();
  }

  /** Back to the configured state between scenarios: the reference provider's practices start again from their data files. */
  reset(): void {
    this.unreachable.clear();
    this.latitudesMet.clear();
    if (this.directoryAsConfigured) {
      Object.assign(this.directory.data, this.directoryAsConfigured);
      this.directory.changed();
    }
    this.directoryAsConfigured = undefined;
    this.standIn?.reset();
    for (const resetPractice of this.practiceResets) resetPractice();
    for (const context of this.referenceContexts) context.interference = undefined;
    this.sspSettings.timeoutMs = this.options.sspTimeoutMs ?? DEFAULT_SSP_TIMEOUT_MS;
    this.sspSettings.throttle = this.configuredThrottle();
  }

  /** A fresh copy of the configured throttle, so that each scenario's counts start from nothing. */
  private configuredThrottle(): ThrottleSettings | undefined {
    return this.options.sspThrottle ? { ...this.options.sspThrottle } : undefined;
  }

  private registeredRoots(): Record<string, string> {
    const roots: Record<string, string> = {};
    for (const provider of this.directory.providers()) {
      const root = this.directory.serviceRootOf(provider);
      if (root) roots[provider.organisation] = root;
    }
    return roots;
  }

  /** The SSP resolves registered (.test) provider hosts to where the stand-in really listens: a hosts file, in effect. */
  private resolver(roots: Record<string, string>, live: Record<string, string>) {
    return (target: URL): URL => {
      for (const [ods, root] of Object.entries(roots)) {
        if (!target.href.startsWith(root)) continue;
        const destination = this.unreachable.has(ods) ? this.unreachableOrigin + new URL(root).pathname : live[ods];
        return destination ? new URL(destination + target.href.slice(root.length)) : target;
      }
      return target;
    };
  }

  /** Practices the reference provider serves (those with a data file), the rest left to the stand-in; external ones to neither. */
  private splitRoots(roots: Record<string, string>): { reference: Record<string, string>; standIn: Record<string, string> } {
    const reference: Record<string, string> = {};
    const standIn: Record<string, string> = {};
    for (const [ods, root] of Object.entries(roots)) {
      if (this.options.externalProviders?.[ods]) continue;
      const served = this.options.referenceProvider && existsSync(path.join(PRACTICE_DATA_DIR, `${ods}.yaml`));
      (served ? reference : standIn)[ods] = root;
    }
    return { reference, standIn };
  }

  /**
   * A reference practice's context, whose state starts again at every reset (from its data file)
   * when anything has read it since it was loaded, or the day in London has changed (which moves
   * its slot window). A scenario talks to one practice or none, and loading one is a copy of its
   * data and a fortnight of slots (~3 % of a provider run's CPU for three practices, profiled): a
   * practice nothing read is as it was loaded, so it is not loaded again.
   */
  private referencePractice(context: Omit<ProviderContext, 'state'>): ProviderContext {
    const load = () => withStateFaults(loadPracticeState(context.ods), this.options.referenceProvider?.faults);
    const loaded = { state: load(), read: false, on: slotWindowDay(new Date()) };
    this.practiceResets.push(() => {
      if (!loaded.read && loaded.on === slotWindowDay(new Date())) return;
      loaded.state = load();
      loaded.read = false;
      loaded.on = slotWindowDay(new Date());
    });
    return Object.defineProperty(context, 'state', {
      enumerable: true,
      get: () => {
        loaded.read = true;
        return loaded.state;
      },
      set: (state: ProviderState) => {
        loaded.state = state;
        loaded.read = true;
      },
    }) as ProviderContext;
  }

  private providerHandlers(registered: Record<string, string>, live: Record<string, string>): RequestHandler[] {
    const { reference, standIn } = this.splitRoots(registered);
    const handlers: RequestHandler[] = [];
    for (const [ods, serviceRoot] of Object.entries(reference)) {
      const asid = this.directory.providerFor(ods)?.asid ?? '';
      const variants = this.options.referenceProvider?.variants;
      const context = this.referencePractice({ serviceRoot, ods, asid, pds: this.patients, now: () => new Date(), choices: variantChoices(variants) });
      this.referenceContexts.push(context);
      const onLatitudesMet = this.options.referenceProvider?.probeLatitudes ? (met: ProviderVariant[]) => met.forEach((v) => this.latitudesMet.add(v)) : undefined;
      handlers.push(...referenceProviderHandlers({ journal: this.journal, base: live[ods], context, faults: this.options.referenceProvider?.faults, variants, xml: this.options.referenceProvider?.xml, onLatitudesMet }));
    }
    if (this.options.standInProvider !== false) {
      this.standIn = new StandInProvider({ journal: this.journal, roots: Object.fromEntries(Object.keys(standIn).map((ods) => [ods, live[ods]])) });
      handlers.push(...this.standIn.handlers());
    }
    return handlers;
  }

  /** The TLS material for an external provider's live address, when the upstream is one. */
  private externalTls(upstream: URL): UpstreamTls | undefined {
    for (const external of Object.values(this.options.externalProviders ?? {})) if (upstream.href.startsWith(external.liveRoot)) return external.tls;
    return undefined;
  }

  private startInProcess(): void {
    if (this.options.externalProviders) throw new Error('external providers are reached over sockets: use mode "sockets"');
    const roots = this.registeredRoots();
    const handlers: RequestHandler[] = [
      ...pdsHandlers({ journal: this.journal, base: IN_PROCESS.pds + PDS_PATH, patients: this.patients }),
      ...sdsHandlers({ journal: this.journal, base: IN_PROCESS.sds + SDS_PATH, directory: this.directory, faults: this.options.sdsFaults }),
      ...sspHandlers({ journal: this.journal, base: IN_PROCESS.ssp, directory: this.directory, settings: this.sspSettings, resolveUpstream: this.resolver(roots, roots), faults: this.options.sspFaults }),
      ...this.providerHandlers(roots, roots),
    ];
    // Loaded only here: msw/node's interceptors cost every process that never runs in-process ~0.1 s.
    const { setupServer } = require('msw/node') as typeof import('msw/node');
    const server = setupServer(...handlers);
    server.listen({ onUnhandledRequest: 'bypass' });
    this.stoppers.push(() => server.close());
    this.urls = { pds: IN_PROCESS.pds + PDS_PATH, sds: IN_PROCESS.sds + SDS_PATH, ssp: IN_PROCESS.ssp, providers: roots };
  }

  /**
   * The SSP's own listener as a consumer meets it: TLS 1.2 with the spec's cipher suites only
   * (development_api_security_guidance "Supported ciphers"), client certificates checked against
   * Spine's revocation list. Its faults serve Node's default suites, ignore revocation, or serve
   * plain HTTP on the SSP's address (ssp-faults.ts).
   */
  private sspTls(base: TlsServerMaterial): TlsServerMaterial | undefined {
    const faults = this.options.sspFaults ?? new Set();
    if (faults.has('serve-plain-http')) return undefined;
    const suites = faults.has('accept-any-cipher') ? {} : { maxVersion: 'TLSv1.2' as const, ciphers: SPEC_TLS_CIPHERS };
    return { ...base, ...suites, crl: this.revocationList() };
  }

  private revocationList(): string | undefined {
    if (!this.tls || this.options.sspFaults?.has('ignore-revocation')) return undefined;
    return certificateRevocationList(this.tls.ca, this.revocations);
  }

  /**
   * A client certificate for `fqdn` from Spine's CA, as a scenario needs one: valid, expired (its
   * validity ended yesterday) or revoked (listed in the revocation list the SSP checks from now on).
   */
  issueClientCertificate(fqdn: string, state: 'valid' | 'expired' | 'revoked' = 'valid'): IssuedCertificate {
    if (!this.tls) throw new Error('Spine in a box is not serving over TLS: it has no CA to issue a client certificate from');
    const day = 24 * 60 * 60 * 1000;
    const validity = state === 'expired' ? { notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day) } : {};
    const issued = issueCertificate(this.tls.ca, { commonName: fqdn, dnsNames: [fqdn], usage: 'client', keyPair: keyPairFor(`client ${fqdn}`), ...validity });
    if (state === 'revoked') {
      this.revocations.push({ serialHex: new X509Certificate(issued.certPem).serialNumber, revokedAt: new Date() });
      const crl = this.revocationList();
      if (crl) this.servers.ssp?.setCrl(crl);
    }
    return issued;
  }

  private async startSockets(): Promise<void> {
    const { options, journal, directory } = this;
    const host = options.host ?? '127.0.0.1';
    this.unreachableOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${await freeLoopbackPort(host)}`;
    this.tls = options.tls ? ensureTlsMaterial(options.tlsDir ?? '.spine/tls', tlsNames(directory)) : undefined;
    const tls = this.tls;
    const serverTls = (requestCert: boolean) => tls && { cert: tls.server.certPem, key: tls.server.keyPem, ca: tls.ca.certPem, requestCert };
    const serve = async (service: Service, port: number | undefined, requestCert: boolean, handlers: (origin: string) => RequestHandler[], tlsSettings?: (base: TlsServerMaterial) => TlsServerMaterial | undefined) => {
      let origin = '';
      const base = serverTls(requestCert);
      const server: RunningServer = await serveHandlers({
        host,
        port,
        tls: base && tlsSettings ? tlsSettings(base) : base,
        handlers: (o) => handlers((origin = o)),
        errorBody: TRANSPORT_ERRORS[service],
        errorHeaders: TRANSPORT_ERROR_HEADERS[service],
        onRefused: (refused) => journal.record(refusedEntry(service, origin, refused)),
      });
      this.servers[service] = server;
      this.stoppers.push(() => server.close());
      return server;
    };
    const roots = this.registeredRoots();
    const live: Record<string, string> = {};
    for (const [ods, external] of Object.entries(options.externalProviders ?? {})) live[ods] = external.liveRoot.replace(/\/+$/, '');
    if (options.standInProvider !== false || options.referenceProvider) {
      await serve('provider', options.ports?.provider, true, (origin) => {
        for (const [ods, root] of Object.entries(roots)) if (!options.externalProviders?.[ods]) live[ods] = origin + new URL(root).pathname;
        return this.providerHandlers(roots, live);
      });
    }
    const pds = await serve('pds', options.ports?.pds, false, (o) => pdsHandlers({ journal, base: o + PDS_PATH, patients: this.patients }));
    const sds = await serve('sds', options.ports?.sds, false, (o) => sdsHandlers({ journal, base: o + SDS_PATH, directory, faults: options.sdsFaults }));
    const ssp = await serve('ssp', options.ports?.ssp, true, (o) =>
      sspHandlers({
        journal,
        base: o,
        directory,
        settings: this.sspSettings,
        resolveUpstream: this.resolver(roots, live),
        requireClientCertificate: Boolean(tls),
        faults: options.sspFaults,
        upstreamTls: (upstream) => this.externalTls(upstream) ?? (tls && { ca: tls.ca.certPem, cert: tls.clients[SSP_FQDN].certPem, key: tls.clients[SSP_FQDN].keyPem }),
      }),
      (base) => this.sspTls(base),
    );
    // The SSP's address is https whatever its listener: the serve-plain-http fault serves plain HTTP there.
    const sspOrigin = tls ? ssp.origin.replace(/^http:/, 'https:') : ssp.origin;
    this.urls = { pds: pds.origin + PDS_PATH, sds: sds.origin + SDS_PATH, ssp: sspOrigin, providers: live };
  }
}

/** Certificates Spine in a box needs: the SSP's own client certificate and one per consumer MHS FQDN. */
function tlsNames(directory: Directory) {
  const clients: Record<string, string> = { [SSP_FQDN]: SSP_FQDN };
  for (const consumer of directory.consumers()) {
    const fqdn = directory.mhsByPartyKey(consumer.partyKey)?.fqdn;
    if (fqdn) clients[fqdn] = fqdn;
  }
  return { server: ['localhost', '127.0.0.1', '::1'], clients };
}

/** Each service's own error shape, for requests its server refuses before any handler runs. */
const TRANSPORT_ERRORS: Record<Service, (status: number, message: string) => unknown> = {
  pds: pdsTransportError,
  sds: sdsTransportError,
  ssp: sspTransportError,
  provider: gpcTransportError,
};

/** SDS names its correlation id in a header; SSP and provider errors must not be cached (development_general_api_guidance). */
const TRANSPORT_ERROR_HEADERS: Record<Service, ((body: unknown) => Record<string, string>) | undefined> = {
  pds: undefined,
  sds: (body) => ({ [Header.sdsCorrelationId]: String((body as { id?: string }).id) }),
  ssp: () => ({ [Header.cacheControl]: 'no-store' }),
  provider: () => ({ [Header.cacheControl]: 'no-store' }),
};

/** A refusal by the server itself, journalled like any exchange: what of the request line arrived, and the answer. */
function refusedEntry(service: Service, origin: string, refused: Refused): Omit<JournalEntry, 'seq' | 'scenario' | 'jwt'> {
  const line = refused.head.split('\r\n')[0].match(/^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) (\S{1,8192})/);
  const target = line?.[2] ?? '';
  let url = origin + '/';
  try {
    if (target.startsWith('/')) url = new URL(origin + target).href;
  } catch {
    // not a URL: the origin stands for it
  }
  return {
    time: new Date().toISOString(),
    durationMs: 0,
    service,
    method: line?.[1] ?? '-',
    url,
    target,
    requestHeaders: {},
    requestBody: '',
    status: refused.status,
    responseHeaders: { 'content-type': MediaType.fhirJson },
    responseBody: refused.body,
    fault: refused.message,
    refusedByServer: true,
  };
}
