/**
 * The simulated PDS FHIR R4 API (pds-sds.md §1): read a patient by NHS number and a minimal
 * search, answering as the current (Karate) sandbox does wherever the sources disagree (§1.5).
 */
import { http } from 'msw/core/http';
import type { HttpResponseResolver, RequestHandler } from 'msw';
import { Header, PdsError, SpineError } from '../gpconnect/constants';
import type { PdsPatient } from './directory/model';
import { fhirJson, pdsOutcome, type OperationOutcome } from '../gpconnect/outcomes';
import { toPdsPatientResource } from './patients';
import { isValidNhsNumber } from '../gpconnect/nhs-number';
import { escapeRegExp, journaled, type ServiceOptions } from './service';

export interface PdsOptions extends ServiceOptions {
  patients: PdsPatient[];
}

/** Search bundles always name the production host, even from the sandbox (pds-sds.md §1.1). */
export const PDS_PRODUCTION_BASE = 'https://api.service.nhs.uk/personal-demographics/FHIR/R4';

const REQUEST_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The sandbox's access-token check (pds-sds.md §1.6). */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;

type Resolver = HttpResponseResolver<Record<string, string | readonly string[]>, never, Response>;

/** What to answer, before the echoed headers and content type are added. */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function pdsHandlers(options: PdsOptions): RequestHandler[] {
  const patients = new PatientIndex(options.patients);
  const wrap = (resolver: Resolver) => journaled('pds', options.journal, pdsFault, resolver);
  const route = routes(options.base);
  return [
    http.get(route.patient, wrap(({ request }) => send(request, readPatient(request, patientIdOf(request), patients)))),
    http.get(route.search, wrap(({ request }) => send(request, searchPatients(request, patients)))),
    http.all(route.patient, wrap(({ request }) => send(request, methodNotAllowed(request)))),
    http.all(route.search, wrap(({ request }) => send(request, methodNotAllowed(request)))),
    http.all(route.anything, wrap(({ request }) => send(request, unknownPath(request)))),
  ];
}

/**
 * Regular expressions without capture groups: MSW decodes named and wildcard path parameters
 * with decodeURIComponent and throws on a malformed escape such as `/Patient/%E0%A4%A`, before any
 * resolver runs. With nothing captured there is nothing to decode, and we read the id ourselves.
 */
function routes(base: string): { patient: RegExp; search: RegExp; anything: RegExp } {
  const root = escapeRegExp(base.replace(/\/+$/, ''));
  return {
    patient: new RegExp(`^${root}/Patient/[^/]+/?$`),
    search: new RegExp(`^${root}/Patient/?$`),
    anything: new RegExp(`^${root}(?:/.*)?$`),
  };
}

function patientIdOf(request: Request): string {
  const segment = new URL(request.url).pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------
// GET /Patient/{id}

function readPatient(request: Request, id: string, patients: PatientIndex): Answer {
  const refused = checkRequestHeaders(request);
  if (refused) return refused;
  if (!isValidNhsNumber(id)) return pdsError(400, PdsError.invalidResourceId);
  const record = patients.get(id);
  if (!record) return pdsError(404, PdsError.resourceNotFound);
  if (record.kind === 'invalidated') return pdsError(404, PdsError.invalidatedResource);
  // A superseded (merged) number answers with the record that replaced it: `id` differs (§1.3).
  const current = patients.current(record);
  if (!current) return pdsError(404, PdsError.resourceNotFound);
  return { status: 200, body: toPdsPatientResource(current), headers: { [Header.etag]: `W/"${current.versionId}"` } };
}

// ---------------------------------------------------------------------------------------------
// GET /Patient (pds-sds.md §1.4)

const SEARCH_PARAMETERS = new Set([
  '_fuzzy-match',
  '_exact-match',
  '_history',
  '_max-results',
  'family',
  'given',
  'gender',
  'birthdate',
  'death-date',
  'address-postalcode',
  'address-postcode',
  'general-practitioner',
  'email',
  'phone',
]);
const GENDERS = new Set(['male', 'female', 'other', 'unknown']);
/** Accepted and checked for true/false, but our search is always exact: they change nothing. */
const BOOLEAN_PARAMETERS = ['_fuzzy-match', '_exact-match', '_history'];

type DateComparator = 'eq' | 'ge' | 'le';
interface DateConstraint {
  comparator: DateComparator;
  date: string;
}

interface SearchCriteria {
  family: string;
  given: string[];
  gender?: string;
  birthdate: DateConstraint[];
  deathDate: DateConstraint[];
  postcode?: string;
  gp?: string;
  email?: string;
  phone?: string;
  maxResults?: number;
}

function searchPatients(request: Request, patients: PatientIndex): Answer {
  const refused = checkRequestHeaders(request);
  if (refused) return refused;
  const criteria = parseSearch(new URL(request.url).searchParams);
  if ('status' in criteria) return criteria;
  const found = patients.search(criteria);
  if (criteria.maxResults !== undefined && found.length > criteria.maxResults) {
    // Too many matches is not an HTTP error (§1.4).
    return { status: 200, body: outcomeFor(PdsError.tooManyMatches) };
  }
  return { status: 200, body: searchsetBundle(found) };
}

/**
 * No parameters, unknown ones, bad values, then the minimum (birthdate, then family): each step
 * worded as the sandbox-karate-shim captures are (pds-sds.md §1.5, §1.6).
 */
function parseSearch(query: URLSearchParams): SearchCriteria | Answer {
  const names = [...query.keys()];
  if (names.length === 0) return pdsError(400, PdsError.unsupportedService);
  const unexpected = names.find((name) => !SEARCH_PARAMETERS.has(name));
  if (unexpected !== undefined) {
    return pdsError(400, PdsError.additionalProperties, `Invalid request with error - Additional properties are not allowed ('${unexpected}' was unexpected)`);
  }
  const invalid = firstInvalidValue(query);
  if (invalid) return pdsError(400, PdsError.invalidValue, `Invalid value - '${invalid.value}' in field '${invalid.field}'`);
  const birthdate = dateConstraints(query, 'birthdate');
  if (birthdate.length === 0) return pdsError(400, PdsError.missingValue, "Missing value - 'birth_date/birth_date_range_start/birth_date_range_end'");
  const family = first(query, 'family');
  if (family === undefined) {
    return pdsError(
      400,
      PdsError.invalidSearchData,
      "Invalid search data provided - 'No searches were performed as the search criteria did not meet the minimum requirements'",
    );
  }
  return {
    family,
    given: values(query, 'given'),
    gender: first(query, 'gender'),
    birthdate,
    deathDate: dateConstraints(query, 'death-date'),
    postcode: first(query, 'address-postalcode') ?? first(query, 'address-postcode'),
    gp: first(query, 'general-practitioner'),
    email: first(query, 'email'),
    phone: first(query, 'phone'),
    maxResults: maxResultsOf(first(query, '_max-results')),
  };
}

function firstInvalidValue(query: URLSearchParams): { field: string; value: string } | undefined {
  for (const field of ['birthdate', 'death-date']) {
    const bad = values(query, field).find((v) => parseDateConstraint(v) === undefined);
    if (bad !== undefined) return { field, value: bad };
  }
  const gender = first(query, 'gender');
  if (gender !== undefined && !GENDERS.has(gender)) return { field: 'gender', value: gender };
  const max = first(query, '_max-results');
  if (max !== undefined && maxResultsOf(max) === undefined) return { field: '_max-results', value: max };
  for (const field of BOOLEAN_PARAMETERS) {
    const flag = first(query, field);
    if (flag !== undefined && flag !== 'true' && flag !== 'false') return { field, value: flag };
  }
  return undefined;
}

/** `[eq|ge|le]yyyy-mm-dd`, no prefix meaning eq; a date that does not exist is invalid. */
function parseDateConstraint(value: string): DateConstraint | undefined {
  const match = /^(eq|ge|le)?([0-9]{4}-[0-9]{2}-[0-9]{2})$/.exec(value);
  if (!match) return undefined;
  const date = match[2];
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return undefined;
  return { comparator: (match[1] ?? 'eq') as DateComparator, date };
}

function dateConstraints(query: URLSearchParams, name: string): DateConstraint[] {
  return values(query, name)
    .map((v) => parseDateConstraint(v))
    .filter((d): d is DateConstraint => d !== undefined);
}

/** `_max-results` is 1 to 50 (PDS `paths/patient-search.yaml`). */
function maxResultsOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 50 ? n : undefined;
}

/** Non-empty values of a parameter; an empty one counts as not given. */
function values(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function first(query: URLSearchParams, name: string): string | undefined {
  return values(query, name)[0];
}

function searchsetBundle(found: PdsPatient[]): unknown {
  const bundle = { resourceType: 'Bundle', type: 'searchset', timestamp: new Date().toISOString(), total: found.length };
  if (found.length === 0) return bundle;
  return {
    ...bundle,
    entry: found.map((p) => ({
      fullUrl: `${PDS_PRODUCTION_BASE}/Patient/${p.nhsNumber}`,
      // Our search is exact (no fuzzy scoring): every match scores 1, as the sandbox's exact matches do.
      search: { score: 1 },
      resource: toPdsPatientResource(p),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The patient list

class PatientIndex {
  private readonly byNumber = new Map<string, PdsPatient>();

  constructor(private readonly patients: PdsPatient[]) {
    for (const p of patients) if (!this.byNumber.has(p.nhsNumber)) this.byNumber.set(p.nhsNumber, p);
  }

  get(nhsNumber: string): PdsPatient | undefined {
    return this.byNumber.get(nhsNumber);
  }

  /** Follow `supersededBy` to the record in use; undefined if the chain is broken or loops. */
  current(record: PdsPatient): PdsPatient | undefined {
    let p: PdsPatient | undefined = record;
    for (let hops = 0; p && p.kind === 'superseded'; hops++) {
      if (hops > this.patients.length || p.supersededBy === undefined) return undefined;
      p = this.byNumber.get(p.supersededBy);
    }
    return p && p.kind !== 'invalidated' ? p : undefined;
  }

  /** Never invalidated records; a superseded match gives the superseding record, once (§1.3). */
  search(criteria: SearchCriteria): PdsPatient[] {
    const found = new Map<string, PdsPatient>();
    for (const p of this.patients) {
      if (p.kind === 'invalidated' || !matchesCriteria(searchableView(p), criteria)) continue;
      const current = this.current(p);
      if (current && !found.has(current.nhsNumber)) found.set(current.nhsNumber, current);
    }
    return [...found.values()];
  }
}

/** A restricted patient's hidden details never make it match: searching them would reveal them. */
function searchableView(p: PdsPatient): PdsPatient {
  if (p.kind !== 'restricted') return p;
  return { ...p, gp: undefined, address: undefined, phone: undefined, email: undefined };
}

function matchesCriteria(p: PdsPatient, c: SearchCriteria): boolean {
  return (
    wildcardMatch(c.family, p.family) &&
    c.given.every((wanted) => p.given.some((name) => wildcardMatch(wanted, name))) &&
    (c.gender === undefined || c.gender === p.gender) &&
    c.birthdate.every((d) => dateMatches(d, p.birthDate)) &&
    c.deathDate.every((d) => p.deceasedDateTime !== undefined && dateMatches(d, p.deceasedDateTime.slice(0, 10))) &&
    (c.postcode === undefined || (p.address !== undefined && wildcardMatch(postcodeKey(c.postcode), postcodeKey(p.address.postalCode)))) &&
    (c.gp === undefined || p.gp === c.gp.toUpperCase()) &&
    (c.email === undefined || p.email?.toLowerCase() === c.email.toLowerCase()) &&
    (c.phone === undefined || (p.phone !== undefined && digits(p.phone) === digits(c.phone)))
  );
}

/** Case-insensitive; `*` stands for any run of characters (e.g. `Sm*`). */
function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern.split('*').map(escapeRegExp).join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}


function dateMatches(constraint: DateConstraint, date: string): boolean {
  if (constraint.comparator === 'ge') return date >= constraint.date;
  if (constraint.comparator === 'le') return date <= constraint.date;
  return date === constraint.date;
}

function postcodeKey(postcode: string): string {
  return postcode.replace(/\s+/g, '').toUpperCase();
}

function digits(phone: string): string {
  return phone.replace(/[^0-9]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Headers, errors, answers

/**
 * Headers come before anything in the path or query (pds-sds.md §1.6). No source fixes the order of
 * the two header checks; X-Request-ID goes first, as the spec lists it.
 */
function checkRequestHeaders(request: Request): Answer | undefined {
  const requestId = request.headers.get(Header.xRequestId);
  if (!requestId) {
    return pdsError(400, PdsError.missingValue, 'Invalid request with error - X-Request-ID header must be supplied to access this resource');
  }
  if (!REQUEST_ID.test(requestId)) return pdsError(400, PdsError.invalidValue, `Invalid value - '${requestId}' in header 'X-Request-ID'`);
  const tokenProblem = authorizationProblem(request.headers.get(Header.authorization));
  if (tokenProblem) return pdsError(401, PdsError.accessDenied, tokenProblem);
  return undefined;
}

/**
 * The sandbox lets a request without Authorization through; a present one must be a bearer token of
 * printable ASCII, the PDS spec's `BearerAuthorization` format (`^Bearer\\ [[:ascii:]]+$`). The real
 * token is checked by the API platform, not by its shape, so any such token passes here (review F23:
 * the sandbox's own pattern refused JWT-shaped and hyphenated tokens real consumers send).
 */
function authorizationProblem(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;
  const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization.trim());
  const token = match?.[1]?.trim() ?? '';
  if (token === '') return 'Missing access token';
  return BEARER_TOKEN.test(token) ? undefined : 'Invalid Access Token';
}

function methodNotAllowed(request: Request): Answer {
  const answer = pdsError(405, PdsError.unsupportedService, `Method ${request.method} is not supported on ${new URL(request.url).pathname}; this mock serves GET only`);
  return { ...answer, headers: { [Header.allow]: 'GET' } };
}

function unknownPath(request: Request): Answer {
  return {
    status: 404,
    body: outcomeFor(PdsError.resourceNotFound, `Unknown path: ${request.method} ${new URL(request.url).pathname}`, 'error'),
  };
}

/** Issue code, display and severity of each PDS error (pds-sds.md §1.5, the Karate stubs). */
const ERROR_SHAPES: Record<string, { issue: string; display: string; severity?: string }> = {
  [PdsError.invalidResourceId]: { issue: 'value', display: 'Resource Id is invalid' },
  [PdsError.missingValue]: { issue: 'required', display: 'Required value is missing' },
  [PdsError.invalidValue]: { issue: 'value', display: 'Provided value is invalid' },
  [PdsError.invalidSearchData]: { issue: 'value', display: 'Search data is invalid' },
  [PdsError.additionalProperties]: { issue: 'invariant', display: 'Additional properties should not be included' },
  [PdsError.unsupportedService]: { issue: 'processing', display: 'Unsupported Service' },
  [PdsError.accessDenied]: { issue: 'forbidden', display: 'Access Denied - Unauthorised' },
  [PdsError.resourceNotFound]: { issue: 'not-found', display: 'Resource not found', severity: 'information' },
  [PdsError.invalidatedResource]: {
    issue: 'processing',
    display: 'Resource that has been marked as invalid was requested - invalid resources cannot be retrieved',
  },
  [PdsError.tooManyMatches]: { issue: 'multiple-matches', display: 'Too Many Matches', severity: 'information' },
  [SpineError.internalServerError]: { issue: 'exception', display: 'Unexpected internal server error' },
};

function outcomeFor(code: string, diagnostics?: string, severity?: string): OperationOutcome {
  const shape = ERROR_SHAPES[code];
  return pdsOutcome(code, shape.issue, shape.display, severity ?? shape.severity ?? 'error', diagnostics);
}

function pdsError(status: number, code: string, diagnostics?: string): Answer {
  return { status, body: outcomeFor(code, diagnostics) };
}

/** The body for a request the socket server refuses before any handler runs (serve.ts): malformed, too large, too slow. */
export function pdsTransportError(status: number, message: string): OperationOutcome {
  if (status === 404) return outcomeFor(PdsError.resourceNotFound, message);
  if (status === 405) return outcomeFor(PdsError.unsupportedService, message);
  return outcomeFor(status >= 500 ? SpineError.internalServerError : PdsError.invalidValue, message);
}

/** The 500 the journaled wrapper sends when a resolver throws. */
function pdsFault(message: string): Response {
  return fhirJson(outcomeFor(SpineError.internalServerError, message), 500);
}

/** Every answer mirrors X-Request-ID and X-Correlation-ID, errors included (pds-sds.md §1.2). */
function send(request: Request, answer: Answer): Response {
  return fhirJson(answer.body, answer.status, { ...echoedHeaders(request), ...answer.headers });
}

function echoedHeaders(request: Request): Record<string, string> {
  const echoed: Record<string, string> = {};
  for (const name of [Header.xRequestId, Header.xCorrelationId]) {
    const value = request.headers.get(name);
    if (value) echoed[name] = value;
  }
  return echoed;
}
