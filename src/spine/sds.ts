/**
 * The simulated SDS FHIR R4 API (pds-sds.md §2): `GET /Endpoint` answers from the directory's MHS
 * records, `GET /Device` from its AS records, with the headers, checks, their order and the error
 * wording of the SDS sandbox (pds-sds-examples/sds/sandbox/*).
 */
import { createHash, randomUUID } from 'node:crypto';
import { http } from 'msw/core/http';
import type { RequestHandler } from 'msw';
import { Header, MediaType, SdsParam, SpineError, System } from '../gpconnect/constants';
import { interactionsOf, type Directory } from './directory/directory';
import type { AccreditedSystem, MhsRecord } from './directory/model';
import { fhirJson, fhirJsonAnswer, fhirJsonText, sdsOutcome, type OperationOutcome } from '../gpconnect/outcomes';
import { applySdsFaults, type SdsFault } from './sds-faults';
import { journaled, urlsUnder, type ServiceOptions } from './service';

export interface SdsOptions extends ServiceOptions {
  directory: Directory;
  /** Deliberate mistakes, to prove the features catch an SDS that makes them (sds-faults.ts). */
  faults?: ReadonlySet<SdsFault>;
}

type Search = 'Endpoint' | 'Device';

/** What a search asks for, in the directory's terms. */
interface Criteria {
  organisation?: string;
  interaction?: string;
  partyKey?: string;
  manufacturer?: string;
}

/** Query parameters in order of first appearance, each with its values in order, decoded. */
type Params = Map<string, string[]>;

/** An SDS error: the HTTP status and what goes in the OperationOutcome (pds-sds.md §2.4). */
class Refusal {
  constructor(
    readonly status: number,
    readonly issueCode: string,
    readonly code: string,
    readonly diagnostics: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Coding displays of the SDS code list (the sandbox's error bodies). */
const DISPLAY: Record<string, string> = {
  [SpineError.badRequest]: 'Bad request',
  [SpineError.noRecordFound]: 'No record found',
  [SpineError.notImplemented]: 'Not implemented',
  [SpineError.missingOrInvalidHeader]: 'There is a required header missing or invalid',
  [SpineError.internalServerError]: 'Unexpected internal server error',
  [SpineError.sdsAccessDenied]: 'Access has been denied to process this request',
};

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);
const ANY_MEDIA_TYPE = '*/*';
const SEARCHES: readonly Search[] = ['Endpoint', 'Device'];

const badRequest = (message: string) => new Refusal(400, 'required', SpineError.badRequest, `HTTP 400: Bad Request (${message})`);
const notFound = () => new Refusal(404, 'not-found', SpineError.noRecordFound, 'HTTP endpoint not found');
const notImplemented = () => new Refusal(405, 'not-supported', SpineError.notImplemented, 'HTTP operation not supported', { [Header.allow]: 'GET' });
const notAcceptable = () => new Refusal(406, 'not-supported', SpineError.missingOrInvalidHeader, 'Accept type not supported');
// pds-sds.md §2.1: the live proxy's EnhancedVerifyApiKey answers 401 with an OperationOutcome when
// there is no key; its body is not captured. We say ACCESS_DENIED/forbidden from the SDS code list,
// with Apigee's fault string for a missing key.
const unauthorised = () =>
  new Refusal(401, 'forbidden', SpineError.sdsAccessDenied, 'Failed to resolve API Key variable request.header.apikey');

/** The MSW handlers, on every URL under `options.base`: SDS answers unknown paths and methods itself. */
export function sdsHandlers(options: SdsOptions): RequestHandler[] {
  const base = options.base.replace(/\/+$/, '');
  const answers = new Answers();
  const onFault = (fault: string) => refusalResponse(new Refusal(500, 'exception', SpineError.internalServerError, fault), newCorrelationId());
  const faults = options.faults ?? new Set<SdsFault>();
  return [
    http.all(
      urlsUnder(base),
      journaled('sds', options.journal, onFault, ({ request }) => applySdsFaults(faults, request, answer(request, base, options.directory, answers), options.directory)),
    ),
  ];
}

/**
 * Checks in the order the live service meets them: the proxy's API key, then the route and the
 * method (Tornado's `prepare`), then the correlation id, the query, and Accept last
 * (request/routing_reliability_handler.py, accredited_system_handler.py).
 */
function answer(request: Request, base: string, directory: Directory, answers: Answers): Response {
  const correlationId = acceptedCorrelationId(request) ?? newCorrelationId();
  const outcome = search(request, base, directory, answers);
  return outcome instanceof Refusal ? refusalResponse(outcome, correlationId) : withCorrelationId(outcome, correlationId);
}

function search(request: Request, base: string, directory: Directory, answers: Answers): Response | Refusal {
  if (!request.headers.get(Header.apiKey)?.trim()) return unauthorised();
  const target = searchOf(request.url, base);
  if (!target) return notFound();
  if (request.method !== 'GET') return notImplemented();
  const badCorrelationId = correlationIdRefusal(request);
  if (badCorrelationId) return badCorrelationId;
  const params = parseQuery(new URL(request.url).search);
  if (params instanceof Refusal) return params;
  const criteria = target === 'Endpoint' ? endpointCriteria(params) : deviceCriteria(params);
  if (criteria instanceof Refusal) return criteria;
  const mediaType = negotiate(request.headers.get(Header.accept));
  if (!mediaType) return notAcceptable();
  const body = answers.textOf(directory, request.url, mediaType, () => {
    const resources = target === 'Endpoint' ? endpointsFor(directory, criteria) : devicesFor(directory, criteria);
    return fhirJsonText(searchset(resources, `${base}/${target}/`, unquote(request.url), answers));
  });
  return fhirJsonAnswer(body, 200, {}, mediaType);
}

// --- Headers (pds-sds.md §2.1) ---

function newCorrelationId(): string {
  return randomUUID().toUpperCase();
}

/** The caller's X-Correlation-Id when it is a UUID; an absent or empty one is not an error. */
function acceptedCorrelationId(request: Request): string | undefined {
  const given = request.headers.get(Header.sdsCorrelationId);
  return given && UUID.test(given) ? given : undefined;
}

function correlationIdRefusal(request: Request): Refusal | undefined {
  const given = request.headers.get(Header.sdsCorrelationId);
  if (!given || UUID.test(given)) return undefined;
  return badRequest(`Invalid ${Header.xCorrelationId} header. Should be an UUIDv4 matching regex '${UUID_PATTERN}'`);
}

/**
 * The real SDS reads Accept as a comma-separated list (NHSDigital/spine-directory-service-api
 * dc9c89d7, docker/sds-api/spine-directory-service/sds/request/content_type_validator.py
 * get_valid_accept_type): it lower-cases the value, splits it on commas and strips each item; `*\/*`
 * or `application/fhir+json` anywhere in the list gives FHIR JSON, else `application/json` gives
 * JSON, else 406. Items are compared whole, as there: a parameter (`;q=0.9`) is not stripped. So
 * axios's default `application/json, text/plain, *\/*` is answered in FHIR JSON (review F19).
 */
function negotiate(accept: string | null): string | undefined {
  if (accept === null) return MediaType.fhirJson;
  const wanted = accept.toLowerCase().split(',').map((item) => item.trim());
  if (wanted.includes(ANY_MEDIA_TYPE) || wanted.includes(MediaType.fhirJson)) return MediaType.fhirJson;
  return wanted.includes(MediaType.json) ? MediaType.json : undefined;
}

function withCorrelationId(response: Response, correlationId: string): Response {
  response.headers.set(Header.sdsCorrelationId, correlationId);
  return response;
}

/** The body for a request the socket server refuses before any handler runs (serve.ts): malformed, too large, too slow. */
export function sdsTransportError(status: number, message: string): OperationOutcome {
  const refusal =
    status === 404 ? notFound() : status === 405 ? notImplemented() : status >= 500 ? new Refusal(status, 'exception', SpineError.internalServerError, message) : new Refusal(status, 'required', SpineError.badRequest, `HTTP ${status}: ${message}`);
  return sdsOutcome(newCorrelationId(), refusal.issueCode, refusal.code, DISPLAY[refusal.code], refusal.diagnostics);
}

function refusalResponse(refusal: Refusal, correlationId: string): Response {
  const body = sdsOutcome(correlationId, refusal.issueCode, refusal.code, DISPLAY[refusal.code], refusal.diagnostics);
  return fhirJson(body, refusal.status, { [Header.sdsCorrelationId]: correlationId, ...refusal.headers });
}

// --- Route and query (pds-sds.md §2.2) ---

/** `/Endpoint` or `/Device` directly under the base, matched as the server does: exactly, undecoded. */
function searchOf(url: string, base: string): Search | undefined {
  const path = new URL(url).pathname;
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  return SEARCHES.find((name) => path === `${basePath}/${name}`);
}

/**
 * The query string read as the server's form decoding does (`&`-separated, `+` is a space, a name
 * without `=` has an empty value). A malformed escape is a 400 here, where the sandbox keeps it
 * literally or fails with a 500.
 */
function parseQuery(search: string): Params | Refusal {
  const params: Params = new Map();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const rawName = at < 0 ? part : part.slice(0, at);
    const name = formDecode(rawName);
    const value = formDecode(at < 0 ? '' : part.slice(at + 1));
    if (name === undefined || value === undefined) return badRequest(`Invalid percent-encoding in query parameter '${rawName}'`);
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return params;
}

function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The self link carries the request URL unquoted (the sandbox's `unquote(full_url)`). */
function unquote(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

const token = (system: string) => `${system}|`;
const shouldBe = (name: string, system: string) => `'${name}=${system}|value'`;

function invalidParam(name: string, system: string): Refusal {
  return badRequest(`Missing or invalid '${name}' query parameter. Should be ${shouldBe(name, system)}`);
}

function invalidIdentifier(): Refusal {
  const either = [shouldBe(SdsParam.identifier, System.interactionId), shouldBe(SdsParam.identifier, System.partyKey)].join(', ');
  // The sandbox's message lacks the closing `]`; kept as it is.
  return badRequest(`Missing or invalid '${SdsParam.identifier}' query parameter. Should be one or both of: [${either}`);
}

/** The system each parameter's values must start with; `identifier` takes either of two. */
const PREFIXES: Record<string, string[]> = {
  [SdsParam.organization]: [System.odsOrganizationCode],
  [SdsParam.identifier]: [System.interactionId, System.partyKey],
  [SdsParam.manufacturingOrganization]: [System.odsOrganizationCode],
};

/** Every parameter allowed, and every value with an allowed system, in the order they came. */
function validateParams(params: Params, allowed: readonly string[]): Refusal | undefined {
  for (const [name, values] of params) {
    if (!allowed.includes(name)) return badRequest(`Illegal query parameter '${name}'`);
    const systems = PREFIXES[name];
    const bad = values.some((value) => !systems.some((system) => value.startsWith(token(system))));
    if (!bad) continue;
    return name === SdsParam.identifier ? invalidIdentifier() : invalidParam(name, systems[0]);
  }
  return undefined;
}

/** The last non-blank value given for a system, without the `system|` prefix (base_handler.py). */
function lastValue(params: Params, name: string, system: string): string | undefined {
  const values = (params.get(name) ?? []).filter((v) => v.startsWith(token(system)) && v.slice(token(system).length).trim() !== '');
  return values.at(-1)?.slice(token(system).length);
}

function endpointCriteria(params: Params): Criteria | Refusal {
  const invalid = validateParams(params, [SdsParam.organization, SdsParam.identifier]);
  if (invalid) return invalid;
  const criteria = {
    organisation: lastValue(params, SdsParam.organization, System.odsOrganizationCode),
    interaction: lastValue(params, SdsParam.identifier, System.interactionId),
    partyKey: lastValue(params, SdsParam.identifier, System.partyKey),
  };
  const valid = criteria.organisation ? criteria.interaction || criteria.partyKey : criteria.interaction && criteria.partyKey;
  return valid ? criteria : invalidCombination();
}

function invalidCombination(): Refusal {
  const org = `${SdsParam.organization}=${token(System.odsOrganizationCode)}value`;
  const service = `${SdsParam.identifier}=${token(System.interactionId)}value`;
  const partyKey = `${SdsParam.identifier}=${token(System.partyKey)}value`;
  const combinations = [[org, service, partyKey], [org, service], [org, partyKey], [service, partyKey]];
  // The sandbox writes the list with no separator between items; kept as it is.
  const listed = combinations.map((c) => `'${c.join('&')}'`).join('');
  return badRequest(`Missing or invalid query parameters. Should one of following combinations: [${listed}]`);
}

function deviceCriteria(params: Params): Criteria | Refusal {
  const invalid = validateParams(params, [SdsParam.organization, SdsParam.identifier, SdsParam.manufacturingOrganization]);
  if (invalid) return invalid;
  const organisation = lastValue(params, SdsParam.organization, System.odsOrganizationCode);
  if (!organisation) return invalidParam(SdsParam.organization, System.odsOrganizationCode);
  const interaction = lastValue(params, SdsParam.identifier, System.interactionId);
  if (!interaction) return invalidParam(SdsParam.identifier, System.interactionId);
  return {
    organisation,
    interaction,
    partyKey: lastValue(params, SdsParam.identifier, System.partyKey),
    manufacturer: lastValue(params, SdsParam.manufacturingOrganization, System.odsOrganizationCode),
  };
}

// --- Answers (pds-sds.md §2.3) ---

function searchset(resources: ReadonlyArray<{ id: string }>, entryBase: string, selfUrl: string, answers: Answers) {
  const entry = resources.map((resource) => ({ fullUrl: entryBase + resource.id, resource, search: { mode: 'match' } }));
  return { resourceType: 'Bundle', id: answers.idOf(selfUrl, entry), type: 'searchset', total: resources.length, link: [{ relation: 'self', url: selfUrl }], entry };
}

/**
 * A Spine's SDS answers: their ids, and their texts while the directory is unchanged.
 *
 * The searchset Bundle's id: an upper-case UUID, as the live service gives (pds-sds.md §2.3), that
 * names the answer. The same search answered with the same records, in one Spine's life, gets the
 * same id (as a caching front would serve it); another search, another answer (the directory
 * edited) or another Spine, another id. Nothing in SDS or GP Connect gives the Bundle id a meaning
 * a consumer could rely on, and a run's evidence then holds each distinct answer once: a main job
 * asks SDS the same few questions over a thousand times.
 */
class Answers {
  private readonly seed = randomUUID();
  /**
   * Each answer's text, by the request's URL and the media type answered in, while the directory is
   * unchanged (a scenario that amends it, and the reset after it, make it another revision): the same
   * search then gets the same text, id included, as above. Every scenario asks the same two or three
   * searches (~4 % of a provider run's CPU went on making their answers again, profiled).
   */
  private readonly texts = new Map<string, string>();
  private revision = 0;

  idOf(selfUrl: string, entry: unknown): string {
    return stableId(this.seed, selfUrl, JSON.stringify(entry));
  }

  textOf(directory: Directory, url: string, mediaType: string, make: () => string): string {
    if (directory.revision !== this.revision) {
      this.texts.clear();
      this.revision = directory.revision;
    }
    const key = `${mediaType} ${url}`;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = make();
      if (this.texts.size < MAX_KEPT_ANSWERS) this.texts.set(key, text);
    }
    return text;
  }
}

/** Enough for every search a run makes; a fuzz of random URLs is not kept beyond it. */
const MAX_KEPT_ANSWERS = 200;

/** A UUID (version 5 layout, upper case) from a name: the same record always gets the same id. */
function stableId(...name: string[]): string {
  const hex = createHash('sha1').update(name.join('\n')).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function odsIdentifier(ods: string) {
  return { system: System.odsOrganizationCode, value: ods };
}

function interactionExtension(interaction: string) {
  return { url: System.sdsInteractionIdExt, valueReference: { identifier: { system: System.interactionId, value: interaction } } };
}

/**
 * SDS holds one nhsMhs entry per interaction, and gives one Endpoint per nhsMhsEndPoint address;
 * the model keeps a record's interactions in a list, so each (record, interaction) pair is one
 * Endpoint. A record with no address (a consumer's) has no Endpoint: `address` is 1..1 in FHIR.
 */
function endpointsFor(directory: Directory, criteria: Criteria) {
  return directory.findMhs(criteria).flatMap((mhs) => {
    const address = mhs.address;
    if (!address) return [];
    const interactions: Array<string | undefined> = criteria.interaction ? [criteria.interaction] : mhs.interactions;
    return (interactions.length > 0 ? interactions : [undefined]).map((interaction) => endpointResource(mhs, address, interaction));
  });
}

function endpointResource(mhs: MhsRecord, address: string, interaction: string | undefined) {
  const identifiers = [
    [System.mhsFqdn, mhs.fqdn],
    [System.partyKey, mhs.partyKey],
    [System.mhsCpaId, mhs.cpaId],
    // The model has no separate MHS id (uniqueIdentifier); SDS gives the CPA id there for most records.
    [System.mhsId, mhs.cpaId],
  ];
  return {
    resourceType: 'Endpoint',
    id: stableId('Endpoint', mhs.partyKey, interaction ?? ''),
    status: 'active',
    connectionType: { system: System.endpointConnectionType, code: 'hl7-fhir-msg', display: 'HL7 FHIR Messaging' },
    payloadType: [{ coding: [{ system: System.endpointPayloadType, code: 'any', display: 'Any' }] }],
    address,
    managingOrganization: { identifier: odsIdentifier(mhs.organisation) },
    identifier: identifiers.filter(([, value]) => value).map(([system, value]) => ({ system, value })),
    extension: [reliabilityExtension(GPCONNECT_RELIABILITY), ...(interaction ? [interactionExtension(interaction)] : [])],
  };
}

/** The nhsMHS* reliability attributes, in the order SDS lists them (pds-sds.md §2.3). */
interface Reliability {
  nhsMHSSyncReplyMode?: string;
  nhsMHSRetryInterval?: string;
  nhsMHSRetries?: number;
  nhsMHSPersistDuration?: string;
  nhsMHSDuplicateElimination?: string;
  nhsMHSAckRequested?: string;
  nhsMHSActor?: string;
}

/**
 * GP Connect is synchronous FHIR over the SSP: no ebXML retries, persistence, acknowledgements or
 * actor, as the sandbox's synchronous records (pdsquery sync-service, tms) show them.
 */
const GPCONNECT_RELIABILITY: Reliability = {
  nhsMHSSyncReplyMode: 'None',
  nhsMHSDuplicateElimination: 'never',
  nhsMHSAckRequested: 'never',
};

const RELIABILITY_ORDER: Array<keyof Reliability> = [
  'nhsMHSSyncReplyMode',
  'nhsMHSRetryInterval',
  'nhsMHSRetries',
  'nhsMHSPersistDuration',
  'nhsMHSDuplicateElimination',
  'nhsMHSAckRequested',
  'nhsMHSActor',
];

/** Empty attributes are left out, as SDS leaves them out. */
function reliabilityExtension(reliability: Reliability) {
  const present = RELIABILITY_ORDER.filter((key) => reliability[key] !== undefined && reliability[key] !== '');
  return {
    url: System.sdsReliabilityExt,
    extension: present.map((key) =>
      typeof reliability[key] === 'number' ? { url: key, valueInteger: reliability[key] } : { url: key, valueString: reliability[key] },
    ),
  };
}

function devicesFor(directory: Directory, criteria: Criteria) {
  return directory.findSystems(criteria).map(deviceResource);
}

/** A Device per AS record, listing every interaction it is accredited for (nhsAsSvcIA). */
function deviceResource(system: AccreditedSystem) {
  const manufacturer = system.manufacturer
    ? [{ url: System.sdsManufacturingOrgExt, valueReference: { identifier: odsIdentifier(system.manufacturer) } }]
    : [];
  return {
    resourceType: 'Device',
    id: stableId('Device', system.asid),
    identifier: [
      { system: System.asid, value: system.asid },
      { system: System.partyKey, value: system.partyKey },
    ],
    extension: [...manufacturer, ...interactionsOf(system).map(interactionExtension)],
    owner: { identifier: odsIdentifier(system.organisation) },
  };
}
