import { AssertionError } from 'node:assert';
import { ExchangeFailed, sendRaw, type ClientTls, type RawResponse } from '../../http/raw-client';
import { Header, MediaType } from '../../gpconnect/constants';
import { fromXml, isFhirXml, toXml } from '../../fhir/xml';
import { decodeJwt, encodeUnsecuredJwt } from '../../gpconnect/jwt';
import { truncateBody } from '../../gpconnect/exchange';
import type { GpcOperation } from '../../gpconnect/operations';
import { outcomeCode } from '../../gpconnect/outcomes';
import type { SpineInABox } from '../../spine/spine';
import type { EvidenceSink } from '../../evidence/sink';
import type { BookingLane } from './booking';
import type { ProviderProfile } from '../profiles/load';
import type { ProviderAnswer } from '../../rules/provider';
import { SdsSession } from './sds-client';
import { requestTo, sendThroughSsp, setHeader, type PreparedRequest } from './ssp-exchange';

/** The consumer the harness plays when it tests a provider: the urgent care centre, which shares with every practice. */
export const HARNESS_CONSUMER_ASID = '200000000359';

/**
 * The provider under test could not be talked to at all (refused, reset, silent, broke off): the
 * scenario is broken, not failed, and the message says what happened (issue 3 "broken providers").
 */
export class ProviderUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnreachable';
  }
}

/** How the harness reaches the provider under test. */
export interface ProviderConnection {
  /** Through the harness's own SSP (as in live), or straight to the service root as the SSP forwards. */
  via: 'ssp' | 'direct';
  /** Where the service root really answers (for an external provider, its profile's baseUrl). */
  liveRoot: string;
  /** What the harness presents when it calls the provider directly over HTTPS. */
  tls?: ClientTls;
  /** How long one request may take, first byte to last, before the provider is reported as not answering. */
  timeoutMs: number;
  /** The largest answer the harness reads (profile limits.responseBytes); larger is broken. */
  maxResponseBytes?: number;
  /**
   * Record direct exchanges as evidence: true for an outside provider. The built-in reference
   * provider is served by Spine in a box, which records what reaches it.
   */
  recordsDirect?: boolean;
  /** Which share of the free slots this process books, when several book on one provider at once (src/actors/provider/booking.ts). */
  lane?: BookingLane;
}

/** How a step spoils a request sent straight to the provider (as if the SSP had forwarded it). */
export interface DirectSpoil {
  removeHeader?: string;
  setHeader?: [string, string];
  /** Claims to set in the JWT; a claim set to undefined is removed. */
  claims?: Record<string, unknown>;
  /** Replace the whole Authorization header value. */
  authorization?: string;
  /** Send the body in FHIR XML (Content-Type application/fhir+xml;charset=utf-8), the same resource. */
  xmlBody?: boolean;
}

/** SSP diagnostics that mean "I could not reach the provider" rather than a refusal (SspError). */
const SSP_COULD_NOT_REACH = /^(ERROR|TIMEOUT)_COMMUNICATING_TO_ENDPOINT_URL_/;

/**
 * The provider system under test, as the provider features talk to it: a conformant consumer's
 * requests (UCC01's booking system) sent through Spine in a box's SSP, or directly.
 */
export class ProviderUnderTest {
  private sds: SdsSession;

  constructor(
    readonly spine: SpineInABox,
    readonly profile: ProviderProfile,
    readonly connection: ProviderConnection,
    /** Where its own exchanges go, and where it reads what the SSP recorded of its requests. */
    private readonly evidence: EvidenceSink,
  ) {
    this.sds = this.newSdsSession();
  }

  get ods(): string {
    return this.profile.ods;
  }

  /**
   * A new user session: SDS answers are asked afresh, since a consumer MUST NOT reuse them across
   * sessions (gpconnect-spec.md §2.7). Each scenario is one session.
   */
  startSession(): void {
    this.sds = this.newSdsSession();
  }

  /** One interaction as a conformant consumer sends it, by the profile's route (`via`). */
  async ask(operation: GpcOperation): Promise<ProviderAnswer> {
    const prepared = await this.conformantRequest(operation);
    return this.connection.via === 'direct' ? this.sendDirect(prepared, '') : this.sendViaSsp(prepared);
  }

  /**
   * One interaction sent straight to the service root, as the SSP forwards it, so the provider's
   * own checks of the Ssp-* headers and the JWT can be judged: the SSP would refuse most of these
   * itself (gpconnect-spec.md §2.3 "Provider must still check").
   */
  async askDirectly(operation: GpcOperation, spoil: DirectSpoil): Promise<ProviderAnswer> {
    const prepared = await this.conformantRequest(operation);
    if (spoil.removeHeader) setHeader(prepared, spoil.removeHeader, undefined);
    if (spoil.setHeader) setHeader(prepared, spoil.setHeader[0], spoil.setHeader[1]);
    if (spoil.claims) {
      const auth = headerOf(prepared, Header.authorization)!;
      const payload: Record<string, unknown> = { ...(decodeJwt(auth.replace(/^Bearer /, '')).payload ?? {}), ...spoil.claims };
      for (const [claim, value] of Object.entries(spoil.claims)) if (value === undefined) delete payload[claim];
      setHeader(prepared, 'Authorization', `Bearer ${encodeUnsecuredJwt(payload)}`);
    }
    if (spoil.authorization !== undefined) setHeader(prepared, 'Authorization', spoil.authorization);
    if (spoil.xmlBody && prepared.body) {
      prepared.body = toXml(JSON.parse(prepared.body));
      setHeader(prepared, Header.contentType, MediaType.fhirXmlUtf8);
    }
    return this.sendDirect(prepared, spoil.xmlBody ? ' sent directly in XML' : ' sent directly');
  }

  /** Worked example 2a–2d (SDS, by the operation's interaction, once a session) then the request a conformant consumer sends. */
  async conformantRequest(operation: GpcOperation): Promise<PreparedRequest> {
    const provider = await this.sds.lookUp(this.ods, operation.interaction);
    return requestTo(this.spine, provider, operation, HARNESS_CONSUMER_ASID);
  }

  private newSdsSession(): SdsSession {
    return new SdsSession(this.spine.urls.sds, { ca: this.spine.tls?.ca.certPem });
  }

  private async sendViaSsp(prepared: PreparedRequest): Promise<ProviderAnswer> {
    const asked = `${prepared.method} ${prepared.relativeTarget}`;
    let response: RawResponse;
    try {
      response = await sendThroughSsp(this.spine, prepared, undefined, this.connection.timeoutMs + 5_000, this.connection.maxResponseBytes);
    } catch (error) {
      if (!(error instanceof ExchangeFailed)) throw error;
      // The SSP streams the provider's answer back; when the provider's body goes wrong the SSP can only cut it off.
      const cut = await this.sspFault(prepared);
      if (cut) throw new ProviderUnreachable(`${asked}: the SSP cut off the answer of the provider under test at ${this.connection.liveRoot}: ${cut}`);
      throw new ProviderUnreachable(`${asked}: the answer of the provider under test at ${this.connection.liveRoot}, through the SSP: ${error.message}`);
    }
    const answer = answerOf(response, asked);
    const diagnostics = answer.body?.resourceType === 'OperationOutcome' ? (outcomeCode(answer.body).diagnostics ?? '') : '';
    if ((response.status === 502 || response.status === 504) && SSP_COULD_NOT_REACH.test(diagnostics)) {
      const failure = await this.sspFault(prepared);
      throw new ProviderUnreachable(`${asked}: the SSP could not reach the provider under test at ${this.connection.liveRoot} and answered ${response.status}: ${failure ?? diagnostics}`);
    }
    return answer;
  }

  /** Why the SSP could not get, or pass back, the provider's answer to this request, as its journal entry says (the 502/504 names only the URL). */
  private async sspFault(prepared: PreparedRequest): Promise<string | undefined> {
    const traceId = headerOf(prepared, Header.sspTraceId);
    return traceId === undefined ? undefined : (await this.evidence.recordedBy('ssp', traceId))?.fault;
  }

  private async sendDirect(prepared: PreparedRequest, how: string): Promise<ProviderAnswer> {
    const live = new URL(this.connection.liveRoot);
    const target = live.pathname.replace(/\/$/, '') + prepared.relativeTarget;
    const started = Date.now();
    const asked = `${prepared.method} ${prepared.relativeTarget}${how}`;
    const response = await this.exchange(
      () => sendRaw({ origin: live.origin, target, method: prepared.method, headers: prepared.headers, body: prepared.body, tls: this.connection.tls, timeoutMs: this.connection.timeoutMs, maxBodyBytes: this.connection.maxResponseBytes }),
      asked,
    );
    if (this.connection.recordsDirect) {
      this.evidence.record({
        time: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        service: 'provider',
        method: prepared.method,
        url: live.origin + target,
        target,
        requestHeaders: Object.fromEntries(prepared.headers),
        requestBody: truncateBody(prepared.body ?? ''),
        status: response.status,
        responseHeaders: response.headers,
        responseBody: truncateBody(response.body),
      });
    }
    return answerOf(response, asked);
  }

  /** A direct exchange that did not complete: broken, saying what was asked and what happened (the message names the provider's address). */
  private async exchange(send: () => Promise<RawResponse>, asked: string): Promise<RawResponse> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ExchangeFailed) throw new ProviderUnreachable(`${asked}: ${error.message}`);
      throw error;
    }
  }
}

/**
 * What the provider answered, as the steps judge it. Two answers end the scenario here, whatever
 * it was checking, because no step could judge them: a redirect, and a body labelled JSON that is
 * not JSON. Both are the provider's answer, so they fail (AssertionError) rather than break.
 */
export function answerOf(response: RawResponse, asked: string): ProviderAnswer {
  if (response.status >= 300 && response.status < 400) {
    // A GP Connect provider answers at the service root SDS holds; it has nowhere to send a
    // consumer, and the SSP passes a 3xx back rather than follow it. So the harness never follows
    // a redirect (a loop cannot hold it) and names where the provider pointed.
    const location = response.headers.location;
    throw new AssertionError({ message: `${asked} was redirected (${response.status}) to ${location ? location : 'nowhere (no Location header)'}: a GP Connect provider answers, it does not redirect, and the harness does not follow` });
  }
  const contentType = response.headers['content-type'] ?? '';
  // An answer in XML (asked for, or given unasked) is read into the same resource in JSON, so every judge reads it.
  if (/xml/i.test(contentType) || response.body.trimStart().startsWith('<')) {
    try {
      return { response, body: fromXml(response.body), asked, format: 'xml' };
    } catch (error) {
      if (isFhirXml(contentType) && response.body.trim() !== '') {
        throw new AssertionError({ message: `the answer to ${asked} says Content-Type "${contentType}" but its body is not FHIR XML (${(error as Error).message}): ${snippet(response.body)}` });
      }
      return { response, body: undefined, asked };
    }
  }
  let body: Record<string, any> | undefined;
  try {
    const parsed: unknown = JSON.parse(response.body);
    body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, any>) : undefined;
  } catch (error) {
    if (/json/i.test(contentType) && response.body.trim() !== '') {
      throw new AssertionError({ message: `the answer to ${asked} says Content-Type "${contentType}" but its body is not JSON (${(error as Error).message}): ${snippet(response.body)}` });
    }
    body = undefined;
  }
  return { response, body, asked, format: body ? 'json' : undefined };
}

const headerOf = (prepared: PreparedRequest, name: string) => prepared.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** The start of a body for a message: one line, at most 120 characters. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}… (${Buffer.byteLength(text)} bytes)` : flat;
}
