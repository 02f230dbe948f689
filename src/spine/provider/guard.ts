/**
 * The reference provider's provider-side checks, run before every route (gpconnect-spec.md §2.3
 * "Provider must still check", §5.1, §4, §2.7). Each refusal is a GP Connect OperationOutcome with
 * the code real providers give: where the spec is silent the de-facto code is the demonstrator's
 * (DEMO) or the one the official provider tests expect (PTEST), as the research notes record them.
 *
 * Order of checks: Ssp-* headers, Ssp-To, Ssp-InteractionID against method and path, the JWT,
 * then content negotiation. The spec gives no order; a request with one fault gets the same answer
 * whatever the order.
 */
import { FHIR_STU3_RESOURCE_TYPES, type FhirFormat, Header, INTERACTION_ROUTES, Jwt, MediaType, SCOPE_FOR_INTERACTION, SSP_HEADERS, Scope, SpineError, System, FORMAT_PARAMETER } from '../../gpconnect/constants';
import { decodeJwt } from '../../gpconnect/jwt';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import type { ProviderContext } from './context';
import { sameBody } from '../../gpconnect/whole-bodies';

export interface ProviderGuardOptions {
  /**
   * Compare `aud` with ctx.serviceRoot (namesServiceRoot). On by default: since 1.2.3 `aud` SHALL
   * be the provider's service root (§4), so a token made out to another audience is not meant for
   * this provider.
   * DEMO does not compare it and PTEST still sends the pre-1.2.3
   * `https://authorize.fhir.nhs.net/token` (§9 conflict 5): `false` behaves as DEMO does (a
   * supplier who does the same declares capabilities.checksAudience: false in its profile).
   */
  checkAudience?: boolean;
  /**
   * Refuse a GP Connect scope that is not the interaction's (on by default). A MAY:
   * development_api_security_guidance "Provider systems MAY choose to use the value of the
   * requested_scope claim to authorise access"; a value that is no GP Connect scope at all is
   * refused either way (PTEST JWT.feature "Requested Scope - Metadata - incorrect", `badScope`).
   */
  authoriseByScope?: boolean;
  /**
   * Refuse the DSTU2 `requested_record` claim, as DEMO does (on by default). RFC 7519 §4 lets a
   * provider ignore claims it does not understand, and no 1.2.x page asks for the refusal.
   */
  refuseRequestedRecord?: boolean;
  /**
   * Refuse claim values only DEMO checks (on by default): reason_for_request other than directcare,
   * sub other than requesting_practitioner.id, no sds-user-id, a device without model. These are
   * consumer SHALLs (audit page); the provider's duty is a token "present and correctly formed"
   * (security page), and PTEST #224 expects leniency.
   */
  validateClaimValues?: boolean;
  /**
   * Serve FHIR XML (application/fhir+xml) as well as JSON: answer in XML when `_format`, Accept or a
   * body's Content-Type asks for it, and read XML request bodies ("Servers SHOULD support XML",
   * development_general_api_guidance "Content types"). Off unless the provider is given an XML
   * codec (server.ts): then XML is a format it does not serve, 415.
   */
  servesXml?: boolean;
}

export interface GuardPassed {
  interaction: string;
  /** The format to answer in. */
  format: FhirFormat;
}

const BAD_REQUEST_DISPLAY = 'Bad request';

function badRequest(diagnostics: string): Response {
  return fhirJson(gpcOutcome('invalid', SpineError.badRequest, BAD_REQUEST_DISPLAY, diagnostics), 400);
}

/**
 * A JWT claim that cannot be read as an STU3 resource at all: 422 INVALID_RESOURCE, the error page's
 * code for a "Resource fails to validate against StructureDefinition (either in request body or in
 * JSON Web Tokens (JWT) claim)" (development_fhir_error_handling_guidance, §6). PTEST checks only
 * the 422 ("Requesting Device - invalid", "Resource Type - invalid"); DEMO answers 422 BAD_REQUEST,
 * which the variant jwt-claim-errors-as-bad-request reproduces (variants.ts).
 */
function unparseableClaim(diagnostics: string): Response {
  return fhirJson(gpcOutcome('invalid', SpineError.invalidResource, 'Submitted resource is not valid.', diagnostics), 422);
}

/**
 * 415 for a format we do not serve (§2.7 "unsupported format → 415"). The spec's error table has
 * no provider 415 row; DEMO answers 415 with the Spine code BAD_REQUEST (§6 DEMO specifics), so we
 * do too, with issue type `not-supported` as the SSP's own 415 uses (§2.4).
 */
function unsupportedMediaType(diagnostics: string): Response {
  return fhirJson(gpcOutcome('not-supported', SpineError.badRequest, BAD_REQUEST_DISPLAY, diagnostics), 415);
}

// ---------------------------------------------------------------------------------------------
// Interactions against method and path (§5.1)

/**
 * The reference provider serves six of the interactions of INTERACTION_ROUTES; a consistent request
 * for another passes the guard and the router answers 501 NOT_IMPLEMENTED (§6), which is the honest
 * answer for a known but unimplemented interaction.
 */
const ROUTES = INTERACTION_ROUTES;

const FIRST_RESOURCE_SEGMENT = /\/(metadata|Patient|Slot|Appointment|Practitioner|Organization|Location)(\/|$)/;

/**
 * The request path relative to the service root. The handlers may be served under the registered
 * service root or under a loopback base with another path; when the service root's path is not a
 * prefix, the relative path starts at the first FHIR resource segment.
 */
export function relativePath(ctx: ProviderContext, url: URL): string {
  const rootPath = new URL(ctx.serviceRoot).pathname.replace(/\/+$/, '');
  if (rootPath && (url.pathname === rootPath || url.pathname.startsWith(rootPath + '/'))) return url.pathname.slice(rootPath.length) || '/';
  const match = FIRST_RESOURCE_SEGMENT.exec(url.pathname);
  return match ? url.pathname.slice(match.index) : url.pathname;
}

// ---------------------------------------------------------------------------------------------
// Content negotiation (§2.7)

type Negotiated = { kind: 'json' } | { kind: 'xml' | 'other'; value: string };

/** `_format` short forms and MIME types (STU3 http.html, §2.7). */
function classifyMediaType(raw: string, shortForms = false): 'json' | 'xml' | 'other' {
  const [type, ...params] = raw.split(';').map((s) => s.trim().toLowerCase());
  // The charset, when given, must be UTF-8 (§2.7); any other parameter is not ours to refuse.
  for (const param of params) {
    const [name, value] = param.split('=').map((s) => s.trim());
    if (name === 'charset' && value !== 'utf-8') return 'other';
  }
  // JSON forms accepted: application/fhir+json (with or without charset=utf-8), and `json` in
  // `_format` only (the short forms are _format values, not MIME types). application/json is not
  // the FHIR 3.0 MIME type §2.7 names; we keep to the FHIR types and answer 415 for the rest.
  if (type === MediaType.fhirJson || (shortForms && type === 'json')) return 'json';
  if (type === MediaType.fhirXml || (shortForms && type === 'xml')) return 'xml';
  return 'other';
}

/** An Accept header may list several types: JSON is served if any listed type is a JSON form or a wildcard. */
function classifyAccept(raw: string): 'json' | 'xml' | 'other' {
  const kinds = raw.split(',').map((part) => {
    const type = part.split(';')[0].trim().toLowerCase();
    // RFC 9110 §12.5.1: */* and application/* accept anything, so JSON is acceptable.
    if (type === '*/*' || type === 'application/*') return 'json' as const;
    return classifyMediaType(part);
  });
  if (kinds.includes('json')) return 'json';
  if (kinds.includes('xml')) return 'xml';
  return 'other';
}

function negotiate(request: Request, url: URL): Negotiated {
  // `_format` overrides Accept; with neither, Content-Type decides; with none at all, JSON (§2.7).
  // (DEMO answers 415 for "none at all", §9 conflict 14: we follow the spec.)
  // An unencoded `+` in `application/fhir+json` arrives as a space (§9 item 17): read it back.
  const format = url.searchParams.get(FORMAT_PARAMETER)?.replace(/fhir (json|xml)/i, 'fhir+$1') ?? null;
  if (format !== null && format.trim() !== '') {
    const kind = classifyMediaType(format, true);
    return kind === 'json' ? { kind } : { kind, value: `_format=${format}` };
  }
  const accept = request.headers.get(Header.accept);
  if (accept !== null && accept.trim() !== '') {
    const kind = classifyAccept(accept);
    return kind === 'json' ? { kind } : { kind, value: `Accept: ${accept}` };
  }
  const contentType = request.headers.get(Header.contentType);
  if (contentType !== null && contentType.trim() !== '') {
    const kind = classifyMediaType(contentType);
    return kind === 'json' ? { kind } : { kind, value: `Content-Type: ${contentType}` };
  }
  return { kind: 'json' };
}

/**
 * The format an answer is given in: XML where the request asks for it (`_format` over Accept over
 * Content-Type, §2.7) and the provider serves XML; JSON otherwise (a request for a format not
 * served is refused with 415 in JSON).
 */
export function answerFormat(request: Request, url: URL, servesXml: boolean): FhirFormat {
  return servesXml && negotiate(request, url).kind === 'xml' ? 'xml' : 'json';
}

function checkContent(request: Request, url: URL, servesXml: boolean): Response | undefined {
  const negotiated = negotiate(request, url);
  if (negotiated.kind === 'xml' && !servesXml) {
    // The spec says servers SHOULD support application/fhir+xml (§2.7). Without it (a SHOULD, not a
    // SHALL), XML is an unsupported format: 415.
    return unsupportedMediaType(`${negotiated.value}: this provider serves application/fhir+json only`);
  }
  if (negotiated.kind === 'other') return unsupportedMediaType(`${negotiated.value} is not a FHIR format this provider serves`);
  if (request.method === 'POST' || request.method === 'PUT') {
    // A body must say what it is: POST/PUT without Content-Type, or with a Content-Type that is no
    // FHIR format this provider reads, is a 415 (DEMO, §6 DEMO specifics).
    const contentType = request.headers.get(Header.contentType);
    if (contentType === null || contentType.trim() === '') return unsupportedMediaType(`${request.method} without Content-Type`);
    const kind = classifyMediaType(contentType);
    if (kind === 'xml' && !servesXml) return unsupportedMediaType(`Content-Type: ${contentType}: this provider reads application/fhir+json only`);
    if (kind === 'other') return unsupportedMediaType(`Content-Type: ${contentType} is not ${servesXml ? 'application/fhir+json or application/fhir+xml' : 'application/fhir+json'}`);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The JWT (§4)

type Claims = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBlankString = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const missing = (v: unknown) => v === undefined || v === null;

/** Reads an STU3 Identifier[]: undefined when it cannot be an Identifier array (unparseable, 422). */
function identifiers(v: unknown): Array<Record<string, unknown>> | undefined {
  if (!Array.isArray(v) || !v.every(isObject)) return undefined;
  for (const id of v) {
    if ((!missing(id.system) && typeof id.system !== 'string') || (!missing(id.value) && typeof id.value !== 'string')) return undefined;
  }
  return v;
}

/**
 * One FHIR-resource claim. Null or absent → 400 "incomplete"; not an object, no/unknown
 * resourceType, or elements of the wrong JSON type (what a FHIR parser cannot read) → 422; a
 * valid resource of the wrong type (e.g. Patient in requesting_device) → 400 (§4 "What providers
 * actually do"). Unknown elements are not refused: the notes record no provider refusing them.
 */
function checkResourceClaim(claims: Claims, name: string, expected: string): Response | undefined {
  const value = claims[name];
  if (missing(value)) return badRequest(`JWT JSON entry incomplete: claim ${name} is null.`);
  if (!isObject(value)) return unparseableClaim(`JWT claim ${name} is not a FHIR resource (not a JSON object)`);
  const type = value.resourceType;
  if (typeof type !== 'string' || !FHIR_STU3_RESOURCE_TYPES.includes(type)) {
    return unparseableClaim(`JWT claim ${name} is not a FHIR resource: unknown resourceType ${JSON.stringify(type)}`);
  }
  if (type !== expected) return badRequest(`JWT claim ${name} must be a ${expected}, not a ${type}`);
  return undefined;
}

function checkDevice(device: Record<string, unknown>, validateValues: boolean): Response | undefined {
  const name = Jwt.claims.requestingDevice;
  if (!missing(device.identifier) && identifiers(device.identifier) === undefined) return unparseableClaim(`JWT claim ${name}.identifier is not an Identifier array`);
  for (const element of ['model', 'version'] as const) {
    if (!missing(device[element]) && typeof device[element] !== 'string') return unparseableClaim(`JWT claim ${name}.${element} is not a string`);
  }
  const ids = identifiers(device.identifier) ?? [];
  if (ids.length === 0) return badRequest(`JWT JSON entry incomplete: claim ${name}.identifier is null.`);
  for (const id of ids) {
    if (isBlankString(id.system)) return badRequest(`JWT JSON entry incomplete: claim ${name}.identifier.system is null.`);
    if (isBlankString(id.value)) return badRequest(`JWT JSON entry incomplete: claim ${name}.identifier.value is null.`);
  }
  if (validateValues && isBlankString(device.model)) return badRequest(`JWT JSON entry incomplete: claim ${name}.model is null.`);
  if (isBlankString(device.version)) return badRequest(`JWT JSON entry incomplete: claim ${name}.version is null.`);
  return undefined;
}

function checkOrganization(org: Record<string, unknown>): Response | undefined {
  const name = Jwt.claims.requestingOrganization;
  if (!missing(org.identifier) && identifiers(org.identifier) === undefined) return unparseableClaim(`JWT claim ${name}.identifier is not an Identifier array`);
  if (!missing(org.name) && typeof org.name !== 'string') return unparseableClaim(`JWT claim ${name}.name is not a string`);
  if (isBlankString(org.name)) return badRequest(`JWT JSON entry incomplete: claim ${name}.name is null.`);
  const ods = (identifiers(org.identifier) ?? []).find((id) => id.system === System.odsOrganizationCode);
  if (!ods || isBlankString(ods.value)) return badRequest(`JWT JSON entry incomplete: claim ${name}.identifier with system ${System.odsOrganizationCode} is null.`);
  return undefined;
}

function checkPractitioner(practitioner: Record<string, unknown>, validateValues: boolean): Response | undefined {
  const name = Jwt.claims.requestingPractitioner;
  if (!missing(practitioner.id) && typeof practitioner.id !== 'string') return unparseableClaim(`JWT claim ${name}.id is not a string`);
  if (!missing(practitioner.identifier) && identifiers(practitioner.identifier) === undefined) return unparseableClaim(`JWT claim ${name}.identifier is not an Identifier array`);
  const names = practitioner.name;
  if (!missing(names)) {
    const readable =
      Array.isArray(names) &&
      names.every((n) => isObject(n) && (missing(n.family) || typeof n.family === 'string') && (missing(n.given) || (Array.isArray(n.given) && n.given.every((g) => typeof g === 'string'))));
    if (!readable) return unparseableClaim(`JWT claim ${name}.name is not a HumanName array`);
  }
  if (isBlankString(practitioner.id)) return badRequest(`JWT JSON entry incomplete: claim ${name}.id is null.`);
  const humanNames = (Array.isArray(names) ? names : []) as Array<Record<string, unknown>>;
  if (humanNames.length === 0) return badRequest(`JWT JSON entry incomplete: claim ${name}.name is null.`);
  if (!humanNames.some((n) => !isBlankString(n.family))) return badRequest(`JWT JSON entry incomplete: claim ${name}.name.family is null.`);
  if (!humanNames.some((n) => Array.isArray(n.given) && n.given.some((g) => !isBlankString(g)))) {
    return badRequest(`JWT JSON entry incomplete: claim ${name}.name.given is null.`);
  }
  // sds-user-id is required by DEMO (its value may be UNK); role-profile and local ids may be absent (PTEST #224, §4).
  if (!validateValues) return undefined;
  const sdsUser = (identifiers(practitioner.identifier) ?? []).find((id) => id.system === System.sdsUserId);
  if (!sdsUser || isBlankString(sdsUser.value)) return badRequest(`JWT JSON entry incomplete: claim ${name}.identifier with system ${System.sdsUserId} is null.`);
  return undefined;
}

/**
 * Whether `aud` names this provider's service root (§4, since 1.2.3): the same absolute http(s)
 * URL, trailing slashes aside. The pre-1.2.3 fixed `https://authorize.fhir.nhs.net/token` is
 * refused. (The harness registers a supplier's provider in SDS at its real base URL, so the
 * consumer's `aud` is what the provider knows itself as.)
 */
export function namesServiceRoot(aud: string, serviceRoot: string): boolean {
  let url: URL;
  try {
    url = new URL(aud);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.search !== '' || url.hash !== '') return false;
  const root = (u: URL) => `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  return root(url) === root(new URL(serviceRoot));
}

function checkJwt(ctx: ProviderContext, request: Request, interaction: string, options: ProviderGuardOptions): Response | undefined {
  const authorization = request.headers.get(Header.authorization);
  if (authorization === null || authorization.trim() === '') return badRequest('Authorization header missing');
  // The auth-scheme is case-insensitive (RFC 7235 §2.1); the token follows one space.
  const match = /^(\S+) (.*)$/.exec(authorization.trim());
  if (!match || match[1].toLowerCase() !== Jwt.bearerScheme.toLowerCase()) return badRequest('Authorization header is not a Bearer token');
  const token = match[2].trim();
  // decodeJwt checks three parts and base64url without padding (`+`, `/`, `=` refused) (§4).
  const decoded = decodeJwt(token);
  if (decoded.problems.length > 0 || !decoded.header || !decoded.payload) return badRequest(`JWT is not well-formed: ${decoded.problems.join('; ')}`);
  const header = decoded.header;
  if (header.alg !== Jwt.header.alg) return badRequest(`JWT header alg must be "none", not ${JSON.stringify(header.alg)}`);
  if (header.typ !== Jwt.header.typ) return badRequest(`JWT header typ must be "JWT", not ${JSON.stringify(header.typ)}`);
  const extra = Object.keys(header).filter((k) => k !== 'alg' && k !== 'typ');
  if (extra.length > 0) return badRequest(`JWT header has keys other than alg and typ: ${extra.join(', ')}`);
  // Unsecured: the signature is empty, so the token ends in "." (§4).
  if (decoded.signature !== '') return badRequest('JWT signature must be empty (unsecured JWT)');

  const claims = decoded.payload;
  const c = Jwt.claims;
  // DSTU2 leftover (§4, §5.7): refused as DEMO does, unless this provider ignores unknown claims (RFC 7519 §4).
  if ((options.refuseRequestedRecord ?? true) && Jwt.requestedRecord in claims) return badRequest(`JWT claim ${Jwt.requestedRecord} is not allowed`);
  for (const name of [c.iss, c.sub, c.aud, c.exp, c.iat, c.reasonForRequest, c.requestedScope]) {
    if (missing(claims[name])) return badRequest(`JWT JSON entry incomplete: claim ${name} is null.`);
  }
  for (const name of [c.iss, c.sub, c.aud, c.reasonForRequest, c.requestedScope]) {
    if (typeof claims[name] !== 'string') return badRequest(`JWT claim ${name} is not a string`);
    if ((claims[name] as string).trim() === '') return badRequest(`JWT JSON entry incomplete: claim ${name} is empty.`);
  }
  for (const name of [c.exp, c.iat]) {
    if (typeof claims[name] !== 'number' || !Number.isInteger(claims[name])) return badRequest(`JWT claim ${name} is not an integer number of seconds`);
  }
  const validateValues = options.validateClaimValues ?? true;
  const resources: Array<[string, string, (r: Record<string, unknown>) => Response | undefined]> = [
    [c.requestingDevice, 'Device', (r) => checkDevice(r, validateValues)],
    [c.requestingOrganization, 'Organization', checkOrganization],
    [c.requestingPractitioner, 'Practitioner', (r) => checkPractitioner(r, validateValues)],
  ];
  for (const [name, type, check] of resources) {
    const refused = checkResourceClaim(claims, name, type) ?? check(claims[name] as Record<string, unknown>);
    if (refused) return refused;
  }

  const exp = claims[c.exp] as number;
  const iat = claims[c.iat] as number;
  const now = Math.floor(ctx.now().getTime() / 1000);
  if (exp - iat !== Jwt.lifetimeSeconds) return badRequest(`JWT exp - iat must be ${Jwt.lifetimeSeconds} seconds, not ${exp - iat}`);
  if (exp < now) return badRequest('JWT has expired');
  // No check of iat against the clock: "Providers shall not attempt to validate the iat claim"
  // (gpconnect#640; 1.2.3 release notes "iat should not be validated by providers"; PTEST JWT.feature
  // "Creation Time - in the future" expects 200, #188).
  if (validateValues) {
    if (claims[c.reasonForRequest] !== Jwt.reasonDirectCare) return badRequest(`JWT reason_for_request must be "${Jwt.reasonDirectCare}"`);
    const practitionerId = (claims[c.requestingPractitioner] as Record<string, unknown>).id;
    if (claims[c.sub] !== practitionerId) return badRequest('JWT sub must equal requesting_practitioner.id');
  }
  // A value that is no GP Connect scope is an invalid claim value: 400 BAD_REQUEST (error page; PTEST
  // `badScope`). Authorising by the scope, i.e. refusing a *.write scope for a read interaction, is
  // a MAY (security guidance), done unless this provider chooses not to.
  const scope = SCOPE_FOR_INTERACTION[interaction];
  const requested = claims[c.requestedScope] as string;
  if (!(Object.values(Scope) as string[]).includes(requested)) return badRequest(`JWT requested_scope ${JSON.stringify(requested)} is not a GP Connect scope`);
  if ((options.authoriseByScope ?? true) && requested !== scope) return badRequest(`JWT requested_scope must be "${scope}" for ${interaction}`);
  if ((options.checkAudience ?? true) && !namesServiceRoot(claims[c.aud] as string, ctx.serviceRoot)) {
    return badRequest(`JWT aud must be the service root ${ctx.serviceRoot}`);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * The provider-side checks. Returns the interaction (and the format to answer in) when the request
 * may go on to its route, or the error Response to send instead.
 */
export function guard(ctx: ProviderContext, request: Request, options: ProviderGuardOptions = {}): GuardPassed | Response {
  // The four Ssp-* headers present and non-blank (§2.3, §5.1 DEMO). Headers are case-insensitive.
  for (const name of SSP_HEADERS) {
    const value = request.headers.get(name);
    if (value === null || value.trim() === '') return badRequest(`${name} header missing or blank`);
  }
  // Only requests addressed to our own ASID (§2.3; §9 item 19: DEMO and PTEST 400 BAD_REQUEST).
  const to = request.headers.get(Header.sspTo)!.trim();
  if (to !== ctx.asid) return badRequest(`${Header.sspTo} ${to} is not this provider's ASID`);

  // Ssp-InteractionID known and consistent with verb and path (§2.3, §5.1): 400 BAD_REQUEST.
  const interaction = request.headers.get(Header.sspInteractionId)!.trim();
  const url = new URL(request.url);
  const path = relativePath(ctx, url);
  const known = ROUTES.filter((r) => r.interaction === interaction);
  if (known.length === 0) return badRequest(`${Header.sspInteractionId} ${interaction} is not a GP Connect interaction this provider knows`);
  if (!known.some((r) => r.method === request.method && r.path.test(path))) {
    return badRequest(`${Header.sspInteractionId} ${interaction} does not match ${request.method} ${path}`);
  }

  const jwtRefusal = checkJwt(ctx, request, interaction, options);
  if (jwtRefusal) return jwtRefusal;

  const servesXml = options.servesXml ?? false;
  const contentRefusal = checkContent(request, url, servesXml);
  if (contentRefusal) return contentRefusal;

  return { interaction, format: answerFormat(request, url, servesXml) };
}

/**
 * Every response: `Cache-Control: no-store` (§2.5), and on a body the one format we serve,
 * `application/fhir+json;charset=utf-8` (§2.7: charset parameter without a space).
 */
export function withStandardHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set(Header.cacheControl, 'no-store');
  if (response.body !== null) headers.set(Header.contentType, MediaType.fhirJsonUtf8);
  return sameBody(response, { status: response.status, statusText: response.statusText, headers });
}
