import assert from 'node:assert/strict';
import { Header } from '../../gpconnect/constants';
import { sendRaw, type RawResponse } from '../../http/raw-client';
import { headerValue, type JournalEntry } from '../../gpconnect/exchange';
import { outcomeCode } from '../../gpconnect/outcomes';
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

export async function sendThroughSsp(spine: SpineInABox, prepared: PreparedRequest, clientTls?: { cert: string; key: string; ca?: string }, timeoutMs = 15_000, maxBodyBytes?: number): Promise<RawResponse> {
  return sendRaw({
    origin: spine.urls.ssp,
    target: '/' + targetOf(prepared),
    method: prepared.method,
    headers: prepared.headers,
    body: prepared.body,
    tls: spine.tls ? { ca: clientTls?.ca ?? spine.tls.ca.certPem, cert: clientTls?.cert, key: clientTls?.key } : undefined,
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

const NOT_FORWARDED = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

/** SSP-FORWARD: the provider received the method, path, query, headers and body the consumer sent. */
export function assertForwardedUnmodified(spine: SpineInABox, received: JournalEntry[], prepared: PreparedRequest, response: RawResponse): JournalEntry {
  assert.equal(received.length, 1, `SSP-FORWARD: expected the request to reach the provider once, it reached it ${received.length} times (SSP answered ${response.status}: ${response.body.slice(0, 300)})`);
  const got = received[0];
  const rootPath = new URL(spine.urls.providers[prepared.practice] ?? prepared.serviceRoot).pathname;
  assert.equal(got.method, prepared.method, 'SSP-FORWARD: the method changed on the way through the SSP');
  assert.equal(got.target, rootPath + prepared.relativeTarget, 'SSP-FORWARD: the path or query changed on the way through the SSP');
  for (const [name, value] of prepared.headers) {
    if (NOT_FORWARDED.has(name.toLowerCase())) continue;
    assert.equal(headerValue(got.requestHeaders, name), value, `SSP-FORWARD: header ${name} changed on the way through the SSP`);
  }
  assert.equal(got.requestBody, prepared.body ?? '', 'SSP-FORWARD: the body changed on the way through the SSP');
  return got;
}

export function assertAnswerPassedBack(received: JournalEntry[], response: RawResponse): void {
  const [got] = received;
  assert.ok(got, 'SSP-FORWARD: nothing reached the provider, so there is no answer to pass back');
  assert.equal(response.status, got.status, 'SSP-FORWARD: the SSP changed the provider status');
  assert.equal(response.body, got.responseBody, 'SSP-FORWARD: the SSP changed the provider body');
  assert.equal(response.headers['content-type'], headerValue(got.responseHeaders, Header.contentType), 'SSP-FORWARD: the SSP changed the Content-Type');
}

/** The SSP's own refusal: status, OperationOutcome with the status as code and the message, never cached. */
export function assertRefused(response: RawResponse, status: number, message: string): void {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    assert.fail(`expected an OperationOutcome from the SSP with status ${status}, got ${response.status} and a body that is not JSON: ${response.body.slice(0, 200)}`);
  }
  const outcome = outcomeCode(body);
  assert.equal(response.status, status, `expected the SSP to refuse with ${status} "${message}", it answered ${response.status} ${outcome.display ?? response.body.slice(0, 300)}`);
  assert.equal((body as { resourceType?: string }).resourceType, 'OperationOutcome', 'the SSP error body is not an OperationOutcome');
  assert.equal(outcome.display, message, 'the SSP error names another reason');
  assert.equal(outcome.code, String(status), 'SSP-ERROR-NO-STORE: the SSP error does not carry the HTTP status as its code');
  assert.equal(response.headers['cache-control'], 'no-store', 'SSP-ERROR-NO-STORE: the SSP error may be cached (Cache-Control is not no-store)');
}
