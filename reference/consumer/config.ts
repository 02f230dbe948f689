/**
 * The reference consumer's configuration: everything it knows about Spine and about itself comes
 * from here, so that any harness (or a person) can point it at any Spine without code changes
 * (DESIGN.md "Driving a consumer under test").
 */
import { readFileSync } from 'node:fs';

/** The logged-on user the JWT names (gpconnect-spec.md §4 requesting_practitioner: never a fixed system user). */
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

export interface ConsumerTls {
  /** PEM: the CA that Spine's server certificates chain to. */
  ca: string;
  /** PEM: the consumer's client certificate (issued for its registered MHS FQDN). */
  cert: string;
  /** PEM: its private key. */
  key: string;
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
  /** Deliberate mistakes (none defined yet: the fault catalogue comes later). */
  faults?: Set<string>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_ISS = 'https://reference-consumer.gpc-conform.test/';
export const DEFAULT_SDS_API_KEY = 'reference-consumer';

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
  { name: 'GPC_CONSUMER_PDS_TOKEN', required: false, description: 'PDS bearer token (optional)' },
  { name: 'GPC_CONSUMER_ISS', required: false, description: `JWT iss (default ${DEFAULT_ISS})` },
  { name: 'GPC_CONSUMER_FAULTS', required: false, description: 'comma-separated deliberate mistakes (none defined yet)' },
];

export class ConsumerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`reference consumer configuration: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsumerConfigError';
  }
}

type Env = Record<string, string | undefined>;

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
  if (config.asid && !/^[0-9]{1,20}$/.test(config.asid)) problems.push(`GPC_CONSUMER_ASID must be digits, not "${config.asid}"`);
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
  const faults = get('GPC_CONSUMER_FAULTS');
  config.faults = new Set((faults ?? '').split(',').map((f) => f.trim()).filter(Boolean));

  if (problems.length > 0) throw new ConsumerConfigError(problems);
  return config;
}
