/**
 * Every GP Connect request the consumer makes goes through here: the SSP URL form
 * `{ssp}/{service root}/{relative}` (gpconnect-spec.md §2.1), the Ssp-* headers (§2.2), and a fresh
 * unsecured JWT per request (§4). A request is built as a draft, handed to `beforeSend` (the one
 * place a deliberate mistake can spoil it), and only then put on the wire.
 */
import { createHash } from 'node:crypto';
import { Header, Jwt, MediaType, SCOPE_FOR_INTERACTION, System } from '../../src/gpconnect/constants';
import { DEFAULT_ISS, DEFAULT_TIMEOUT_MS, type ConsumerConfig, type ConsumerOrganisation, type ConsumerPractitioner } from './config';
import { hasFault } from './faults';
import { hasVariant, newUuid } from './variants';
import { resourceFromXml, resourceToXml } from './xml';
import { send, TransportError, type WireResponse } from './http';
import { StepFailure, type StepId } from './outcome';
import type { ProviderEndpoint } from './spine';

type Json = Record<string, any>;

/** A request on its way out, before it is encoded: what `beforeSend` may change. */
export interface SspDraft {
  step: StepId;
  interaction: string;
  method: 'GET' | 'POST' | 'PUT';
  provider: ProviderEndpoint;
  /** The organisation the request comes from (Ssp-From, JWT requesting_organization). */
  from: ConsumerOrganisation;
  /** Path and query relative to the service root, starting with `/`, every query value percent-encoded. */
  relative: string;
  /** `{ssp}/{service root}{relative}`: what goes on the wire (a hook changing `relative` changes this too). */
  url: string;
  /** Every header but Authorization, which is made from `jwtHeader` and `claims` unless set here. */
  headers: Record<string, string>;
  jwtHeader: Json;
  claims: Json;
  /** The JSON body, for POST and PUT. */
  body?: unknown;
  /** How the token is written (default: unsecured, `encodeUnsecured`). */
  encodeJwt?: (header: Json, claims: Json) => string;
}

export type BeforeSend = (draft: SspDraft) => SspDraft | void;

export interface SspAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: Json;
  /** The Ssp-TraceID the request carried. */
  traceId: string;
}

/** The user-guid-as-id variant's GUID for a user id: the same GUID for the same user, always. */
function userGuid(userId: string): string {
  const h = createHash('sha256').update(`reference-consumer-user:${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** An unsecured JWT: header.payload. with an empty signature, so it ends in "." (§4). */
export function encodeUnsecured(header: Json, claims: Json): string {
  return `${base64url(header)}.${base64url(claims)}.`;
}

/** Percent-encode a query name or value (RFC 3986: `|` as %7C, `+` as %2B, `:` as %3A). */
export const encodeQuery = (pairs: Array<[string, string]>) => pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');

export class SspClient {
  constructor(
    private readonly config: ConsumerConfig,
    private readonly beforeSend?: BeforeSend,
    /** The user logged on for the request being made (the consumer's); the configured practitioner when none is. */
    private readonly loggedOn: () => ConsumerPractitioner | undefined = () => undefined,
  ) {}

  /** The JWT claims for one request (§4), made out to the provider's service root. */
  claims(interaction: string, audience: string, from: ConsumerOrganisation, now = new Date()): Json {
    const { config } = this;
    const p = this.loggedOn() ?? config.practitioner;
    const iat = Math.floor(now.getTime() / 1000);
    const iss = config.iss ?? DEFAULT_ISS;
    const local = `${iss.replace(/\/+$/, '')}/Id`;
    // The variant keys its users on a GUID of its own ("e.g. user ID or GUID"): id and sub are that, the local identifier the user id.
    const id = hasVariant(config, 'user-guid-as-id') ? userGuid(p.id) : p.id;
    return {
      iss,
      sub: id,
      aud: audience,
      exp: iat + Jwt.lifetimeSeconds,
      iat,
      reason_for_request: Jwt.reasonDirectCare,
      requested_scope: SCOPE_FOR_INTERACTION[interaction],
      requesting_device: {
        resourceType: 'Device',
        identifier: [{ system: `${local}/device-identifier`, value: `reference-consumer-${from.asid}` }],
        model: 'gpc-conform reference consumer',
        version: '0.1.0',
      },
      requesting_organization: {
        resourceType: 'Organization',
        identifier: [{ system: System.odsOrganizationCode, value: from.ods }],
        name: from.name,
      },
      requesting_practitioner: {
        resourceType: 'Practitioner',
        id,
        identifier: [
          { system: System.sdsUserId, value: p.sdsUserId },
          { system: System.sdsRoleProfileId, value: p.sdsRoleProfileId },
          { system: `${local}/user-id`, value: p.id },
        ],
        name: [{ family: p.family, given: [...p.given], ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
      },
    };
  }

  /** The target URL: the service root exactly as SDS gave it, then the relative part. */
  url(provider: ProviderEndpoint, relative: string): string {
    const root = provider.serviceRoot;
    const rel = root.endsWith('/') ? relative.replace(/^\//, '') : relative;
    return `${this.config.sspUrl.replace(/\/+$/, '')}/${root}${rel}`;
  }

  /** The Accept header: FHIR JSON, or one of the other forms the general API guidance allows (variants.ts). */
  private accept(): string | undefined {
    if (hasVariant(this.config, 'no-accept-header')) return undefined;
    if (hasVariant(this.config, 'speaks-xml')) return MediaType.fhirXml;
    if (hasVariant(this.config, 'accept-with-charset')) return `${MediaType.fhirJson};charset=utf-8`;
    if (hasVariant(this.config, 'extra-accept-xml-json')) return `${MediaType.fhirJson}, application/fhir+xml;q=0.9`;
    return MediaType.fhirJson;
  }

  /** A request to `provider` from the organisation `from`, with a fresh trace ID and token. */
  draft(step: StepId, provider: ProviderEndpoint, from: ConsumerOrganisation, interaction: string, method: SspDraft['method'], relative: string, body?: unknown): SspDraft {
    const headers: Record<string, string> = {
      [Header.sspTraceId]: newUuid(this.config),
      [Header.sspFrom]: from.asid,
      [Header.sspTo]: provider.asid,
      [Header.sspInteractionId]: interaction,
    };
    const accept = this.accept();
    if (accept !== undefined) headers[Header.accept] = accept;
    if (body !== undefined) {
      // The media type is the format the body is written in (speaks-xml); the space before charset is another choice (charset-with-space).
      const type = hasVariant(this.config, 'speaks-xml') ? MediaType.fhirXml : MediaType.fhirJson;
      headers[Header.contentType] = hasVariant(this.config, 'charset-with-space') ? `${type}; charset=utf-8` : `${type};charset=utf-8`;
    }
    return {
      step,
      interaction,
      method,
      provider,
      from,
      relative,
      url: this.url(provider, relative),
      headers,
      jwtHeader: { ...Jwt.header },
      claims: this.claims(interaction, provider.serviceRoot, from),
      ...(body !== undefined ? { body } : {}),
    };
  }

  /**
   * Sends one request; only a failure to get any answer throws (as a StepFailure of the draft's
   * step). A refusal or error answer is not sent again (§2.4, §2.7), unless a fault says so.
   */
  async send(draft: SspDraft): Promise<SspAnswer> {
    const { relative, url } = draft;
    const ready = this.beforeSend?.(draft) ?? draft;
    // A hook that changed only the relative part moves the URL with it.
    const target = ready.relative !== relative && ready.url === url ? this.url(ready.provider, ready.relative) : ready.url;
    const headers = { ...ready.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === Header.authorization.toLowerCase())) {
      const scheme = hasVariant(this.config, 'lowercase-bearer') ? Jwt.bearerScheme.toLowerCase() : Jwt.bearerScheme;
      headers[Header.authorization] = `${scheme} ${(ready.encodeJwt ?? encodeUnsecured)(ready.jwtHeader, ready.claims)}`;
    }
    const body = ready.body === undefined ? undefined : typeof ready.body === 'string' ? ready.body : hasVariant(this.config, 'speaks-xml') ? resourceToXml(ready.body) : JSON.stringify(ready.body);
    let answer = await this.once(ready, target, headers, body);
    for (let retry = 0; retry < this.faultyRetries(answer.status); retry++) answer = await this.once(ready, target, headers, body);
    if (answer.status === 504 && hasFault(this.config, 'retry-with-same-jwt')) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      answer = await this.once(ready, target, { ...headers, [Header.sspTraceId]: newUuid(this.config) }, body);
    }
    return answer;
  }

  /** How many times a faulty consumer sends a failed request again (none when conformant). */
  private faultyRetries(status: number): number {
    if (status === 403 && hasFault(this.config, 'retry-on-403')) return 10;
    if ([500, 502, 504].includes(status) && hasFault(this.config, 'retry-5xx-forever')) return 10;
    return 0;
  }

  private async once(ready: SspDraft, url: string, headers: Record<string, string>, body: string | undefined): Promise<SspAnswer> {
    let response: WireResponse;
    try {
      response = await send({ method: ready.method, url, headers, body }, { timeoutMs: this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS, tls: this.config.tls });
    } catch (error) {
      if (error instanceof TransportError) {
        throw new StepFailure(ready.step, `${ready.method} ${ready.relative} through the SSP: ${error.message}`, undefined, error.timedOut ? 'TIMEOUT' : 'UNREACHABLE');
      }
      throw error;
    }
    let json: Json | undefined;
    try {
      // An answer in XML (asked for by the speaks-xml variant) is read into the JSON form; the SSP's own errors stay JSON.
      const contentType = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
      json = (/xml/i.test(String(contentType)) ? resourceFromXml(response.body) : JSON.parse(response.body)) as Json;
    } catch {
      json = undefined;
    }
    return { ...response, json, traceId: headers[Header.sspTraceId] ?? '' };
  }
}
