import { sendRaw, type RawResponse } from '../../http/raw-client';
import type { JournalEntry } from '../../gpconnect/exchange';
import type { SpineInABox } from '../../spine/spine';
import type { GpcOperation } from '../../gpconnect/operations';
import { lookUpProvider, type ProviderAddress } from './sds-client';
import { sspRequest } from './requests';

/** A request to the SSP as the harness (playing a consumer) is about to send it; steps may alter it first. */
export interface PreparedRequest {
  method: string;
  /** The provider service root written into the SSP URL (as SDS gave it, unless a step alters it). */
  serviceRoot: string;
  relativeTarget: string;
  headers: Array<[string, string]>;
  body?: string;
  /** The practice the request is meant for. */
  practice: string;
  /** Overrides the whole target after `{ssp}/` (for malformed-URL scenarios). */
  rawTarget?: string;
}

/**
 * Worked example 3a/4a/5a/6a: the request a conformant consumer at the sending system sends
 * through the SSP to the provider SDS gave.
 */
export function requestTo(spine: SpineInABox, provider: ProviderAddress, operation: GpcOperation, fromAsid: string): PreparedRequest {
  const sender = spine.directory.systemByAsid(fromAsid);
  const organisation = sender && spine.directory.organisation(sender.organisation);
  const built = sspRequest({
    fromAsid,
    toAsid: provider.asid,
    serviceRoot: provider.serviceRoot,
    operation,
    party: { ods: organisation?.ods ?? 'UNKNOWN', organisationName: organisation?.name ?? 'Unknown organisation', practitionerId: 'gpc-conform-user-1' },
  });
  return { method: built.method, serviceRoot: provider.serviceRoot, relativeTarget: built.relativeTarget, headers: Object.entries(built.headers), body: built.body, practice: provider.ods };
}

/**
 * Worked example 2a–2d, then the request (requestTo). SDS is asked for the practice's address by the
 * metadata interaction, so that a request the practice is not registered to receive still gets
 * addressed, and the SSP, not SDS, is the one to refuse it (the filtering features).
 */
export async function prepareRequest(spine: SpineInABox, operation: GpcOperation, fromAsid: string, practice: string): Promise<PreparedRequest> {
  const provider = await lookUpProvider(spine.urls.sds, practice, { ca: spine.tls?.ca.certPem });
  return requestTo(spine, provider, operation, fromAsid);
}

/** The consumer system an organisation uses to send the interaction (its own ASID, never a host's). */
export function senderAt(spine: SpineInABox, ods: string): string {
  const system = spine.directory.consumers().find((s) => s.organisation === ods);
  if (!system) throw new Error(`the topology has no consumer system at ${ods}`);
  return system.asid;
}

export function targetOf(prepared: PreparedRequest): string {
  return prepared.rawTarget ?? prepared.serviceRoot + prepared.relativeTarget;
}

/** How the harness, as a consumer, connects to the SSP: its client certificate, the cipher suites it offers, or no TLS at all. */
export interface SspConnection {
  cert?: string;
  key?: string;
  ca?: string;
  /** Offer only these suites (an OpenSSL list), over TLS 1.2. */
  ciphers?: string;
  /** Plain HTTP to the SSP's TLS port. */
  plain?: boolean;
}

export async function sendThroughSsp(spine: SpineInABox, prepared: PreparedRequest, clientTls?: SspConnection, timeoutMs = 15_000, maxBodyBytes?: number): Promise<RawResponse> {
  const origin = clientTls?.plain ? spine.urls.ssp.replace(/^https:/, 'http:') : spine.urls.ssp;
  return sendRaw({
    origin,
    target: '/' + targetOf(prepared),
    method: prepared.method,
    headers: prepared.headers,
    body: prepared.body,
    tls: spine.tls ? { ca: clientTls?.ca ?? spine.tls.ca.certPem, cert: clientTls?.cert, key: clientTls?.key, ...(clientTls?.ciphers ? { ciphers: clientTls.ciphers, maxVersion: 'TLSv1.2' as const } : {}) } : undefined,
    timeoutMs,
    maxBodyBytes,
  });
}

export function setHeader(prepared: PreparedRequest, name: string, value: string | undefined): void {
  prepared.headers = prepared.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  if (value !== undefined) prepared.headers.push([name, value]);
}

/** The provider-side exchanges of the scenario that is running, every one under way recorded. */
export async function providerExchanges(spine: SpineInABox, scenario: string): Promise<JournalEntry[]> {
  await spine.journal.settled();
  return spine.journal.entries({ service: 'provider', scenario });
}

/** The path of the practice's service root on the provider's host, where the SSP should deliver its requests. */
export function providerRootPath(spine: SpineInABox, practice: string, serviceRoot?: string): string {
  const root = spine.urls.providers[practice] ?? serviceRoot;
  if (!root) throw new Error(`Spine in a box has no provider address for practice ${practice}`);
  return new URL(root).pathname;
}
