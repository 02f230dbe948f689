import { createHash, randomUUID } from 'node:crypto';
import { http, type RequestHandler } from 'msw';
import { Header, MediaType, SpineError, System } from '../constants';
import type { Directory } from './directory/directory';
import { interactionsOf } from './directory/directory';
import type { AccreditedSystem, MhsRecord } from './directory/model';
import { fhirJson, sdsOutcome } from './outcomes';
import { escapeRegExp, journaled, type ServiceOptions } from './service';

export interface SdsOptions extends ServiceOptions {
  directory: Directory;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A 400 with the SDS sandbox's wording (pds-sds.md §2.4, request/error_handler.py). */
class BadRequest {
  constructor(readonly message: string) {}
}

/**
 * The SDS FHIR R4 API (pds-sds.md §2): `GET /Endpoint` (MHS records) and `GET /Device` (AS records),
 * answered from the directory, with the sandbox's errors and headers.
 */
export function sdsHandlers(options: SdsOptions): RequestHandler[] {
  const base = options.base.replace(/\/+$/, '');
  const route = (path: string) => new RegExp(`^${escapeRegExp(base + path)}(?:\\?.*)?$`);
  const wrap = (resolver: (request: Request, correlationId: string) => Response) =>
    journaled('sds', options.journal, (fault) => errorResponse(randomUUID().toUpperCase(), 500, 'exception', SpineError.internalServerError, 'Unexpected internal server error', fault), ({ request }) =>
      respond(request, resolver),
    );
  return [
    http.get(route('/Endpoint'), wrap((request, id) => search(request, id, base, 'Endpoint', (q) => endpoints(options.directory, q)))),
    http.get(route('/Device'), wrap((request, id) => search(request, id, base, 'Device', (q) => devices(options.directory, q)))),
    http.all(route('/Endpoint'), wrap((_r, id) => notImplemented(id))),
    http.all(route('/Device'), wrap((_r, id) => notImplemented(id))),
    http.all(new RegExp(`^${escapeRegExp(base)}(?:[/?].*)?$`), wrap((request, id) => (request.method === 'GET' ? notFound(id) : notImplemented(id)))),
  ];
}

/** Headers first: correlation id, API key, Accept (pds-sds.md §2.1). */
function respond(request: Request, resolver: (request: Request, correlationId: string) => Response): Response {
  const given = request.headers.get(Header.sdsCorrelationId);
  if (given !== null && !UUID.test(given)) {
    return errorResponse(
      randomUUID().toUpperCase(),
      400,
      'required',
      SpineError.badRequest,
      'Bad request',
      "HTTP 400: Bad Request (Invalid X-Correlation-ID header. Should be an UUIDv4 matching regex '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')",
    );
  }
  const correlationId = given ?? randomUUID().toUpperCase();
  // The live proxy verifies the API key and answers 401 without one (pds-sds.md §2.1; the sandbox
  // proxy does not check it). The body's code is our choice: the live Apigee body is not captured.
  if (!request.headers.get(Header.apiKey)) {
    return errorResponse(correlationId, 401, 'forbidden', 'ACCESS_DENIED', 'Access Denied - Unauthorised', 'Invalid ApiKey: the apikey header is required');
  }
  if (!acceptable(request.headers.get(Header.accept))) {
    return errorResponse(correlationId, 406, 'not-supported', SpineError.missingOrInvalidHeader, 'There is a required header missing or invalid', 'Accept type not supported');
  }
  const response = resolver(request, correlationId);
  response.headers.set(Header.sdsCorrelationId, correlationId);
  if (request.headers.get(Header.accept)?.trim() === MediaType.json) response.headers.set(Header.contentType, MediaType.json);
  return response;
}

function acceptable(accept: string | null): boolean {
  if (accept === null || accept.trim() === '') return true;
  return [MediaType.fhirJson, MediaType.json, '*/*'].includes(accept.split(';')[0].trim());
}

interface Query {
  organisation?: string;
  interaction?: string;
  partyKey?: string;
  manufacturer?: string;
}

function search(request: Request, correlationId: string, base: string, type: 'Endpoint' | 'Device', find: (q: Query) => unknown[] | BadRequest): Response {
  const parsed = type === 'Endpoint' ? endpointQuery(request.url) : deviceQuery(request.url);
  if (parsed instanceof BadRequest) return badRequest(correlationId, parsed);
  const resources = find(parsed);
  if (resources instanceof BadRequest) return badRequest(correlationId, resources);
  return fhirJson({
    resourceType: 'Bundle',
    id: randomUUID().toUpperCase(),
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: safeDecode(request.url) }],
    entry: resources.map((resource) => ({ fullUrl: `${base}/${type}/${(resource as { id: string }).id}`, resource, search: { mode: 'match' } })),
  });
}

/** Query parameters as the SDS server reads them: the system|value pairs, the last value of a system winning. */
function parseParams(url: string, allowed: string[]): { org?: string | null; identifiers: Map<string, string>; manufacturer?: string | null } | BadRequest {
  const params = new URL(url).searchParams;
  for (const key of params.keys()) if (!allowed.includes(key)) return new BadRequest(`Illegal query parameter '${key}'`);
  const identifiers = new Map<string, string>();
  for (const value of params.getAll('identifier')) {
    const [system, code] = splitToken(value);
    if (system && code) identifiers.set(system, code);
    else identifiers.set('', value);
  }
  const org = params.has('organization') ? valueOf(params.get('organization')!, System.odsOrganizationCode) : undefined;
  const manufacturer = params.has('manufacturing-organization') ? valueOf(params.get('manufacturing-organization')!, System.odsOrganizationCode) : undefined;
  return { org, identifiers, manufacturer };
}

function splitToken(value: string): [string, string] {
  const at = value.lastIndexOf('|');
  return at < 0 ? ['', value] : [value.slice(0, at), value.slice(at + 1)];
}

/** `system|value` with the expected system, else null (invalid). */
function valueOf(token: string, system: string): string | null {
  const [s, v] = splitToken(token);
  return s === system && v ? v : null;
}

const ORG_MESSAGE = `Missing or invalid 'organization' query parameter. Should be 'organization=${System.odsOrganizationCode}|value'`;

function endpointQuery(url: string): Query | BadRequest {
  const p = parseParams(url, ['organization', 'identifier']);
  if (p instanceof BadRequest) return p;
  if (p.org === null) return new BadRequest(ORG_MESSAGE);
  const unknownSystem = [...p.identifiers.keys()].some((s) => s !== System.interactionId && s !== System.partyKey);
  if (unknownSystem) {
    return new BadRequest(
      `Missing or invalid 'identifier' query parameter. Should be one or both of: ['identifier=${System.interactionId}|value', 'identifier=${System.partyKey}|value'`,
    );
  }
  const q: Query = { organisation: p.org, interaction: p.identifiers.get(System.interactionId), partyKey: p.identifiers.get(System.partyKey) };
  // Valid combinations: org+service(+party key), org+party key, service+party key (pds-sds.md §2.2).
  const valid = (q.organisation && (q.interaction || q.partyKey)) || (q.interaction && q.partyKey);
  if (!valid) {
    const combos = [
      `organization=${System.odsOrganizationCode}|value&identifier=${System.interactionId}|value&identifier=${System.partyKey}|value`,
      `organization=${System.odsOrganizationCode}|value&identifier=${System.interactionId}|value`,
      `organization=${System.odsOrganizationCode}|value&identifier=${System.partyKey}|value`,
      `identifier=${System.interactionId}|value&identifier=${System.partyKey}|value`,
    ];
    return new BadRequest(`Missing or invalid query parameters. Should one of following combinations: [${combos.map((c) => `'${c}'`).join('')}]`);
  }
  return q;
}

function deviceQuery(url: string): Query | BadRequest {
  const p = parseParams(url, ['organization', 'identifier', 'manufacturing-organization']);
  if (p instanceof BadRequest) return p;
  if (!p.org) return new BadRequest(ORG_MESSAGE);
  const interaction = p.identifiers.get(System.interactionId);
  if (!interaction) return new BadRequest(`Missing or invalid 'identifier' query parameter. Should be 'identifier=${System.interactionId}|value'`);
  if (p.manufacturer === null) {
    return new BadRequest(`Missing or invalid 'manufacturing-organization' query parameter. Should be 'manufacturing-organization=${System.odsOrganizationCode}|value'`);
  }
  return { organisation: p.org, interaction, partyKey: p.identifiers.get(System.partyKey), manufacturer: p.manufacturer };
}

/** One Endpoint per MHS record and interaction, as SDS holds one nhsMhs entry per interaction. */
function endpoints(directory: Directory, q: Query): unknown[] {
  return directory
    .findMhs({ organisation: q.organisation, partyKey: q.partyKey })
    .flatMap((mhs) => mhs.interactions.filter((i) => q.interaction === undefined || i === q.interaction).map((i) => endpointResource(mhs, i)));
}

function devices(directory: Directory, q: Query): unknown[] {
  return directory.findSystems(q).map(deviceResource);
}

function stableId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function interactionExtension(interaction: string) {
  return { url: System.sdsInteractionIdExt, valueReference: { identifier: { system: System.interactionId, value: interaction } } };
}

function endpointResource(mhs: MhsRecord, interaction: string) {
  return {
    resourceType: 'Endpoint',
    id: stableId('Endpoint', mhs.partyKey, interaction),
    status: 'active',
    connectionType: { system: System.endpointConnectionType, code: 'hl7-fhir-msg', display: 'HL7 FHIR Messaging' },
    payloadType: [{ coding: [{ system: System.endpointPayloadType, code: 'any', display: 'Any' }] }],
    address: mhs.address ?? '',
    managingOrganization: { identifier: { system: System.odsOrganizationCode, value: mhs.organisation } },
    identifier: [
      { system: System.mhsFqdn, value: mhs.fqdn },
      { system: System.partyKey, value: mhs.partyKey },
      { system: System.mhsCpaId, value: mhs.cpaId },
      { system: System.mhsId, value: mhs.cpaId },
    ],
    extension: [
      // GP Connect is synchronous FHIR over the SSP: no ebXML reliability settings, so only the actor.
      { url: System.sdsReliabilityExt, extension: [{ url: 'nhsMHSActor', valueString: 'urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH' }] },
      interactionExtension(interaction),
    ],
  };
}

function deviceResource(system: AccreditedSystem) {
  return {
    resourceType: 'Device',
    id: stableId('Device', system.asid),
    identifier: [
      { system: System.asid, value: system.asid },
      { system: System.partyKey, value: system.partyKey },
    ],
    extension: [
      { url: System.sdsManufacturingOrgExt, valueReference: { identifier: { system: System.odsOrganizationCode, value: system.manufacturer ?? system.organisation } } },
      ...interactionsOf(system).map(interactionExtension),
    ],
    owner: { identifier: { system: System.odsOrganizationCode, value: system.organisation } },
  };
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function errorResponse(correlationId: string, status: number, issueCode: string, code: string, display: string, diagnostics: string, headers: Record<string, string> = {}): Response {
  return fhirJson(sdsOutcome(correlationId, issueCode, code, display, diagnostics), status, { [Header.sdsCorrelationId]: correlationId, ...headers });
}

function badRequest(correlationId: string, bad: BadRequest): Response {
  return errorResponse(correlationId, 400, 'required', SpineError.badRequest, 'Bad request', `HTTP 400: Bad Request (${bad.message})`);
}

function notFound(correlationId: string): Response {
  return errorResponse(correlationId, 404, 'not-found', SpineError.noRecordFound, 'No record found', 'HTTP endpoint not found');
}

function notImplemented(correlationId: string): Response {
  return errorResponse(correlationId, 405, 'not-supported', SpineError.notImplemented, 'Not implemented', 'HTTP operation not supported', { [Header.allow]: 'GET' });
}
