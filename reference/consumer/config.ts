/**
 * The reference consumer's configuration: everything it knows about Spine and about itself comes
 * from here, so that any harness (or a person) can point it at any Spine without code changes
 * (DESIGN.md "Driving a consumer under test").
 */
import { readFileSync } from 'node:fs';
import { CONSUMER_FAULTS, unknownFaults } from './faults';
import { CONSUMER_VARIANTS, unknownVariants } from './variants';

/**
 * A user the JWT names (gpconnect-spec.md §4 requesting_practitioner: never a fixed system user): the
 * configured one (GPC_CONSUMER_PRACTITIONER_*) when a request names no user, else the request's
 * (practitionerFor).
 */
export interface ConsumerPractitioner {
  /** The consumer's own id for the user: the JWT `sub` and `requesting_practitioner.id`. */
  id: string;
  /** SDS user id (`https://fhir.nhs.uk/Id/sds-user-id`), `UNK` when not known. */
  sdsUserId: string;
  /** SDS role profile id (`https://fhir.nhs.uk/Id/sds-role-profile-id`), `UNK` when not known. */
  sdsRoleProfileId: string;
  family: string;
  given: string[];
  prefix?: string;
  /** The user's SDS job role code (e.g. R0260): shown in the UI; no JWT claim carries it in 1.2.x. */
  roleCode: string;
}

/**
 * The user asking, as a request to the consumer names them (the harness's `user`, the HTTP hook's
 * `user` object, the UI's log-on): their id in this consumer, name, and the SDS ids from their
 * smartcard when they logged on with one.
 */
export interface LoggedOnUser {
  id: string;
  family?: string;
  given?: string;
  sdsUserId?: string;
  sdsRoleProfileId?: string;
}

/** The practitioner the JWT names for a logged-on user: their ids (UNK without a smartcard) and name; the configured role code for the UI. */
export function practitionerFor(user: LoggedOnUser, config: Pick<ConsumerConfig, 'practitioner'>): ConsumerPractitioner {
  const given = (user.given ?? '').split(/\s+/).filter(Boolean);
  return {
    id: user.id,
    sdsUserId: user.sdsUserId || 'UNK',
    sdsRoleProfileId: user.sdsRoleProfileId || 'UNK',
    family: user.family || user.id,
    given: given.length > 0 ? given : [user.id],
    roleCode: config.practitioner.roleCode,
  };
}

export interface ConsumerTls {
  /** PEM: the CA that Spine's server certificates chain to. */
  ca: string;
  /** PEM: the consumer's client certificate (issued for its registered MHS FQDN). */
  cert: string;
  /** PEM: its private key. */
  key: string;
}

/** An organisation the consumer books from: its own ASID (Ssp-From), ODS code, name and phone (§2.6 topologies). */
export interface ConsumerOrganisation {
  ods: string;
  asid: string;
  name: string;
  phone: string;
  /** GPConnect-OrganisationType-1 code (`gp-practice`, `urgent-care`). */
  type?: string;
}

export interface ConsumerConfig {
  /** PDS FHIR R4 base, e.g. https://…/personal-demographics/FHIR/R4 (no trailing slash needed). */
  pdsUrl: string;
  /** SDS FHIR R4 base, e.g. https://…/spine-directory/FHIR/R4. */
  sdsUrl: string;
  /** The SSP origin: requests go to `{sspUrl}/{provider service root}/{relative path}`. */
  sspUrl: string;
  /** The consumer system's own ASID at the organisation the request comes from (`Ssp-From`). */
  asid: string;
  /** ODS code of the organisation the request comes from (JWT requesting_organization, booking organisation, searchFilter). */
  ods: string;
  organisationName: string;
  /** GPConnect-OrganisationType-1 code of that organisation (`gp-practice`, `urgent-care`): sent as a searchFilter and as the booking organisation's type. */
  organisationType?: string;
  /** The booking organisation's telephone number (the contained Organization's telecom, §5.6 MUST). */
  organisationPhone: string;
  practitioner: ConsumerPractitioner;
  /** Presented when a Spine URL is https. */
  tls?: ConsumerTls;
  /** Per request; default 30000. */
  timeoutMs?: number;
  /** Reuse the PDS trace, SDS answers and CapabilityStatement within one ReferenceConsumer (default true). */
  cache?: boolean;
  /** The SDS `apikey` header (any value in the sandbox; default `reference-consumer`). */
  sdsApiKey?: string;
  /** A PDS access token, sent as `Authorization: Bearer` when given (not needed by the sandbox). */
  pdsAccessToken?: string;
  /** JWT `iss`: the consumer's Spine endpoint URL (default https://reference-consumer.gpc-conform.test/). */
  iss?: string;
  /**
   * The other organisations this consumer books from (a shared MHS, a supplier-hosted system or a
   * portal): each booking is made from one of them, or from the hosting organisation above.
   */
  organisations?: ConsumerOrganisation[];
  /** Used only by faults: the practice a faulty consumer assumes (default A20047). */
  defaultPracticeOds?: string;
  /** Used only by faults: provider ASIDs by ODS code, a faulty consumer's stand-in for the SDS Device lookup. */
  providerAsids?: Record<string, string>;
  /** Deliberate mistakes, by name (faults.ts: CONSUMER_FAULTS). */
  faults?: Set<string>;
  /** Conformant choices the standard leaves open, by name (variants.ts: CONSUMER_VARIANTS). */
  variants?: Set<string>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_ISS = 'https://reference-consumer.gpc-conform.test/';
export const DEFAULT_SDS_API_KEY = 'reference-consumer';
/** The PDS bearer token sent when none is configured: PDS requires one in every environment but the sandbox. */
export const DEFAULT_PDS_ACCESS_TOKEN = 'reference-consumer-pds-token';
export const DEFAULT_PRACTICE_ODS = 'A20047';
export const DEFAULT_PROVIDER_ASIDS: Readonly<Record<string, string>> = { A20047: '918999198993', B82617: '918999198738', B82618: '918999198739' };

/** The hosting (default) organisation: the top-level asid, ods, name, phone and type. */
export function hostingOrganisation(config: ConsumerConfig): ConsumerOrganisation {
  return {
    ods: config.ods,
    asid: config.asid,
    name: config.organisationName,
    phone: config.organisationPhone,
    ...(config.organisationType ? { type: config.organisationType } : {}),
  };
}

/** Every organisation the consumer books from: the hosting one first, then the others (each ODS code once). */
export function organisationsOf(config: ConsumerConfig): ConsumerOrganisation[] {
  const all = [hostingOrganisation(config)];
  for (const o of config.organisations ?? []) if (!all.some((a) => a.ods === o.ods)) all.push(o);
  return all;
}

/**
 * The environment variables `configFromEnv` reads, with what each is. `*_FILE` variants of the TLS
 * variables name a PEM file instead of holding the PEM text.
 */
export const CONSUMER_ENV: ReadonlyArray<{ name: string; required: boolean; description: string }> = [
  { name: 'GPC_CONSUMER_PDS_URL', required: true, description: 'PDS FHIR R4 base URL' },
  { name: 'GPC_CONSUMER_SDS_URL', required: true, description: 'SDS FHIR R4 base URL' },
  { name: 'GPC_CONSUMER_SSP_URL', required: true, description: 'SSP origin' },
  { name: 'GPC_CONSUMER_ASID', required: true, description: "the consumer system's ASID (Ssp-From)" },
  { name: 'GPC_CONSUMER_ODS', required: true, description: 'ODS code of the organisation the requests come from' },
  { name: 'GPC_CONSUMER_ORG_NAME', required: true, description: "that organisation's name" },
  { name: 'GPC_CONSUMER_ORG_PHONE', required: true, description: "that organisation's phone number (booking organisation telecom)" },
  { name: 'GPC_CONSUMER_ORG_TYPE', required: false, description: 'its GPConnect-OrganisationType-1 code (gp-practice, urgent-care)' },
  { name: 'GPC_CONSUMER_PRACTITIONER_ID', required: true, description: "the user's id in the consumer (JWT sub)" },
  { name: 'GPC_CONSUMER_SDS_USER_ID', required: true, description: "the user's SDS user id (or UNK)" },
  { name: 'GPC_CONSUMER_SDS_ROLE_PROFILE_ID', required: true, description: "the user's SDS role profile id (or UNK)" },
  { name: 'GPC_CONSUMER_PRACTITIONER_FAMILY', required: true, description: "the user's family name" },
  { name: 'GPC_CONSUMER_PRACTITIONER_GIVEN', required: true, description: "the user's given names, comma-separated" },
  { name: 'GPC_CONSUMER_PRACTITIONER_PREFIX', required: false, description: "the user's title (Dr, Mrs…)" },
  { name: 'GPC_CONSUMER_ROLE_CODE', required: true, description: "the user's SDS job role code (e.g. R0260)" },
  { name: 'GPC_CONSUMER_TLS_CA', required: false, description: 'PEM of the CA Spine certificates chain to (or GPC_CONSUMER_TLS_CA_FILE)' },
  { name: 'GPC_CONSUMER_TLS_CERT', required: false, description: 'PEM client certificate (or GPC_CONSUMER_TLS_CERT_FILE)' },
  { name: 'GPC_CONSUMER_TLS_KEY', required: false, description: 'PEM client key (or GPC_CONSUMER_TLS_KEY_FILE)' },
  { name: 'GPC_CONSUMER_TIMEOUT_MS', required: false, description: `per-request timeout in ms (default ${DEFAULT_TIMEOUT_MS})` },
  { name: 'GPC_CONSUMER_CACHE', required: false, description: 'true/false: reuse PDS, SDS and metadata answers within the session (default true)' },
  { name: 'GPC_CONSUMER_SDS_API_KEY', required: false, description: `SDS apikey (default ${DEFAULT_SDS_API_KEY})` },
  { name: 'GPC_CONSUMER_PDS_TOKEN', required: false, description: `PDS bearer token (default ${DEFAULT_PDS_ACCESS_TOKEN})` },
  { name: 'GPC_CONSUMER_ISS', required: false, description: `JWT iss (default ${DEFAULT_ISS})` },
  {
    name: 'GPC_CONSUMER_ORGANISATIONS',
    required: false,
    description: 'JSON array of the other organisations booked from, each {"ods","asid","name","phone","type"?} (a shared MHS or portal)',
  },
  { name: 'GPC_CONSUMER_DEFAULT_PRACTICE', required: false, description: `faults only: the practice a faulty consumer assumes (default ${DEFAULT_PRACTICE_ODS})` },
  {
    name: 'GPC_CONSUMER_PROVIDER_ASIDS',
    required: false,
    description: `faults only: JSON object ODS code → provider ASID used instead of SDS (default ${JSON.stringify(DEFAULT_PROVIDER_ASIDS)})`,
  },
  { name: 'GPC_CONSUMER_FAULTS', required: false, description: 'comma-separated deliberate mistakes (reference/consumer/faults.ts)' },
  { name: 'GPC_CONSUMER_VARIANTS', required: false, description: 'comma-separated conformant variants (reference/consumer/variants.ts)' },
];

export class ConsumerConfigError extends Error {
  constructor(readonly problems: string[]) {
    // One problem goes on the first line, which is all a broken scenario's reason shows.
    super(problems.length === 1 ? `reference consumer configuration: ${problems[0]}` : `reference consumer configuration: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsumerConfigError';
  }
}

type Env = Record<string, string | undefined>;

const ODS_CODE = /^[A-Za-z0-9]{3,10}$/;
const ASID = /^[0-9]{1,20}$/;

/** GPC_CONSUMER_ORGANISATIONS read, or what is wrong with it. */
export function parseOrganisations(text: string): ConsumerOrganisation[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!Array.isArray(parsed)) return 'must be a JSON array of {"ods","asid","name","phone","type"?}';
  const out: ConsumerOrganisation[] = [];
  for (const [i, o] of parsed.entries()) {
    if (!o || typeof o !== 'object') return `item ${i} is not an object`;
    const { ods, asid, name, phone, type } = o as Record<string, unknown>;
    if (typeof ods !== 'string' || !ODS_CODE.test(ods)) return `item ${i}: ods must be an ODS code`;
    if (typeof asid !== 'string' || !ASID.test(asid)) return `item ${i} (${ods}): asid must be a string of digits`;
    if (typeof name !== 'string' || name.trim() === '') return `item ${i} (${ods}): name is required`;
    if (typeof phone !== 'string' || phone.trim() === '') return `item ${i} (${ods}): phone is required`;
    if (type !== undefined && typeof type !== 'string') return `item ${i} (${ods}): type must be a string`;
    out.push({ ods, asid, name, phone, ...(typeof type === 'string' ? { type } : {}) });
  }
  return out;
}

/** A configuration from GPC_CONSUMER_* variables; every problem is named with its variable. */
export function configFromEnv(env: Env = process.env): ConsumerConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const required = (name: string): string => {
    const v = get(name);
    if (v === undefined) problems.push(`${name} is not set (${CONSUMER_ENV.find((e) => e.name === name)?.description ?? ''})`);
    return v ?? '';
  };
  const url = (name: string): string => {
    const v = required(name);
    if (v && !/^https?:\/\/[^/]/i.test(v)) problems.push(`${name} must be an http(s) URL, not "${v}"`);
    return v.replace(/\/+$/, '');
  };
  const pem = (name: string): string | undefined => {
    const file = get(`${name}_FILE`);
    if (file) {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        problems.push(`${name}_FILE: cannot read ${file}: ${(error as Error).message}`);
        return undefined;
      }
    }
    return get(name)?.replace(/\\n/g, '\n');
  };

  const config: ConsumerConfig = {
    pdsUrl: url('GPC_CONSUMER_PDS_URL'),
    sdsUrl: url('GPC_CONSUMER_SDS_URL'),
    sspUrl: url('GPC_CONSUMER_SSP_URL'),
    asid: required('GPC_CONSUMER_ASID'),
    ods: required('GPC_CONSUMER_ODS'),
    organisationName: required('GPC_CONSUMER_ORG_NAME'),
    organisationPhone: required('GPC_CONSUMER_ORG_PHONE'),
    practitioner: {
      id: required('GPC_CONSUMER_PRACTITIONER_ID'),
      sdsUserId: required('GPC_CONSUMER_SDS_USER_ID'),
      sdsRoleProfileId: required('GPC_CONSUMER_SDS_ROLE_PROFILE_ID'),
      family: required('GPC_CONSUMER_PRACTITIONER_FAMILY'),
      given: required('GPC_CONSUMER_PRACTITIONER_GIVEN')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
      roleCode: required('GPC_CONSUMER_ROLE_CODE'),
    },
  };
  if (config.asid && !ASID.test(config.asid)) problems.push(`GPC_CONSUMER_ASID must be digits, not "${config.asid}"`);
  const orgType = get('GPC_CONSUMER_ORG_TYPE');
  if (orgType) config.organisationType = orgType;
  const prefix = get('GPC_CONSUMER_PRACTITIONER_PREFIX');
  if (prefix) config.practitioner.prefix = prefix;

  const tls = { ca: pem('GPC_CONSUMER_TLS_CA'), cert: pem('GPC_CONSUMER_TLS_CERT'), key: pem('GPC_CONSUMER_TLS_KEY') };
  const given = Object.values(tls).filter(Boolean).length;
  if (given === 3) config.tls = { ca: tls.ca!, cert: tls.cert!, key: tls.key! };
  else if (given > 0) problems.push('GPC_CONSUMER_TLS_CA, GPC_CONSUMER_TLS_CERT and GPC_CONSUMER_TLS_KEY go together (or their _FILE forms)');

  const timeout = get('GPC_CONSUMER_TIMEOUT_MS');
  if (timeout !== undefined) {
    const n = Number(timeout);
    if (!Number.isInteger(n) || n <= 0) problems.push(`GPC_CONSUMER_TIMEOUT_MS must be a positive whole number of milliseconds, not "${timeout}"`);
    else config.timeoutMs = n;
  }
  const cache = get('GPC_CONSUMER_CACHE');
  if (cache !== undefined) {
    if (!['true', 'false'].includes(cache.toLowerCase())) problems.push(`GPC_CONSUMER_CACHE must be true or false, not "${cache}"`);
    else config.cache = cache.toLowerCase() === 'true';
  }
  const apiKey = get('GPC_CONSUMER_SDS_API_KEY');
  if (apiKey) config.sdsApiKey = apiKey;
  const pdsToken = get('GPC_CONSUMER_PDS_TOKEN');
  if (pdsToken) config.pdsAccessToken = pdsToken;
  const iss = get('GPC_CONSUMER_ISS');
  if (iss) config.iss = iss;
  const organisations = get('GPC_CONSUMER_ORGANISATIONS');
  if (organisations !== undefined) {
    const parsed = parseOrganisations(organisations);
    if (typeof parsed === 'string') problems.push(`GPC_CONSUMER_ORGANISATIONS: ${parsed}`);
    else config.organisations = parsed;
  }
  const defaultPractice = get('GPC_CONSUMER_DEFAULT_PRACTICE');
  if (defaultPractice !== undefined) {
    if (!ODS_CODE.test(defaultPractice)) problems.push(`GPC_CONSUMER_DEFAULT_PRACTICE must be an ODS code, not "${defaultPractice}"`);
    else config.defaultPracticeOds = defaultPractice;
  }
  const providerAsids = get('GPC_CONSUMER_PROVIDER_ASIDS');
  if (providerAsids !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(providerAsids);
    } catch {
      parsed = undefined;
    }
    const ok = parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.entries(parsed).every(([k, v]) => ODS_CODE.test(k) && typeof v === 'string' && ASID.test(v));
    if (!ok) problems.push('GPC_CONSUMER_PROVIDER_ASIDS must be a JSON object of ODS code → ASID (digits), e.g. {"A20047":"918999198993"}');
    else config.providerAsids = parsed as Record<string, string>;
  }
  const faults = get('GPC_CONSUMER_FAULTS');
  config.faults = new Set((faults ?? '').split(',').map((f) => f.trim()).filter(Boolean));
  const unknown = unknownFaults(config.faults);
  if (unknown.length > 0) problems.push(`GPC_CONSUMER_FAULTS: unknown fault(s) ${unknown.join(', ')} (known: ${CONSUMER_FAULTS.map((f) => f.name).join(', ')})`);
  config.variants = new Set((get('GPC_CONSUMER_VARIANTS') ?? '').split(',').map((v) => v.trim()).filter(Boolean));
  const unknownVariant = unknownVariants(config.variants);
  if (unknownVariant.length > 0) problems.push(`GPC_CONSUMER_VARIANTS: unknown reference consumer variant(s) ${unknownVariant.join(', ')} (known: ${CONSUMER_VARIANTS.map((v) => v.name).join(', ')})`);

  if (problems.length > 0) throw new ConsumerConfigError(problems);
  return config;
}
