import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemaValidator } from '../../schema-validator';
import { parseDocument } from 'yaml';
import { isValidNhsNumber } from '../../gpconnect/nhs-number';
import providerSchema from './provider.schema.json';

export interface ProviderProfile {
  role: 'provider';
  name: string;
  version?: string;
  /** Warnings fail, as `--strict` (src/rules/rule.ts). */
  strict?: boolean;
  baseUrl: string;
  asid: string;
  ods: string;
  via?: 'direct' | 'ssp';
  builtIn?: boolean;
  start?: { command: string; cwd?: string; env?: Record<string, string>; ready?: { url?: string; logLine?: string; timeoutSeconds?: number } };
  testData: {
    registeredPatient: string;
    registrablePatient: string;
    sensitivePatient?: string;
    deceasedPatient?: string;
    notOnPdsPatient?: string;
    registeredSensitivePatient?: string;
    registeredDeceasedPatient?: string;
    inactivePatient?: string;
    /** A logical id, not an NHS number. */
    sensitivePatientId?: string;
    supersededPatient?: string;
    /** More patients the practice holds, with other demographics: each is found and validated. */
    otherPatients?: string[];
    slots?: { organisationType?: string; consumerOds?: string; daysAhead?: number };
  };
  capabilities?: ProviderCapabilities;
  tls?: { ca?: string; cert?: string; key?: string; pfx?: string; passphraseEnv?: string; refusedClients?: Partial<Record<RefusedClient, { cert: string; key: string }>> };
  timeouts?: { requestSeconds?: number; startSeconds?: number };
  limits?: { responseBytes?: number };
}

/** The client certificates from its own CA a provider must refuse (tls.refusedClients). */
export type RefusedClient = 'expired' | 'revoked' | 'otherFqdn';

/**
 * What a provider declares it does (`@capability:<name>` scenarios). The first six are tested unless
 * declared false; the MAY_CAPABILITIES are behaviours the standard allows but does not require, so
 * their scenarios run only where the profile declares them true (DESIGN.md "Outcomes and evidence":
 * a MAY is tested only where the supplier declares it).
 */
export interface ProviderCapabilities {
  /**
   * Serves FHIR XML (application/fhir+xml), a SHOULD (development_general_api_guidance "Content
   * types"): the XML scenarios (features/provider/xml.feature) run only where it is declared true;
   * elsewhere one scenario asks for XML once and warns when it is not served.
   */
  xml?: boolean;
  registerPatient?: boolean;
  readAppointment?: boolean;
  /** Serves Amend an appointment (features/provider/amend-an-appointment.feature); tested unless declared false. */
  amendAppointment?: boolean;
  /** Serves Cancel an appointment (features/provider/cancel-an-appointment.feature); tested unless declared false. */
  cancelAppointment?: boolean;
  /** Answers Retrieve a patient's appointments (GET [base]/Patient/[id]/Appointment). */
  retrieveAppointments?: boolean;
  /** Search for an organisation (GET [base]/Organization?identifier=…); tested unless declared false. */
  searchOrganisation?: boolean;
  /** Search for a practitioner (GET [base]/Practitioner?identifier=…); tested unless declared false. */
  searchPractitioner?: boolean;
  checksAudience?: boolean;
  /** Refuses a GP Connect scope that is not the interaction's (security guidance: providers MAY authorise by requested_scope). */
  authorisesByScope?: boolean;
  /** Refuses claim values only the demonstrator checks: reason_for_request, sub vs requesting_practitioner.id, sds-user-id, device model. */
  validatesClaimValues?: boolean;
  /** Refuses a slot search whose start or end has Z or the wrong UK offset (a consumer SHALL, not a provider one). */
  refusesWrongOffsets?: boolean;
  /** Refuses a slot search whose start or end has no ge/le prefix (a consumer SHALL, not a provider one). */
  refusesMissingPrefix?: boolean;
}

/** Capabilities tested only where the profile declares them true: lawful choices, never failed by default. */
export const MAY_CAPABILITIES: ReadonlySet<string> = new Set(['authorisesByScope', 'validatesClaimValues', 'refusesWrongOffsets', 'refusesMissingPrefix']);

/**
 * Capabilities whose scenarios run only where the profile declares them true: the MAYs, and XML, a
 * SHOULD a supplier may lawfully leave out (its absence is warned about by one scenario that always runs).
 */
export const DECLARED_ONLY_CAPABILITIES: ReadonlySet<string> = new Set([...MAY_CAPABILITIES, 'xml']);

/** A profile that cannot be used; every problem names the field. The run stops with exit code 2. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: the profile cannot be used\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

const validateProvider = schemaValidator('src/actors/profiles/provider.schema.json', providerSchema);

export function loadProviderProfile(file: string): ProviderProfile {
  return withPathsFrom(parseProviderProfile(readProfileFile(file), file), path.dirname(path.resolve(file)));
}

export function readProfileFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
}

/**
 * Profiles this process has parsed and found valid, by schema and text: a process that runs the
 * features many times (the proofs: hundreds of runs, each loading both profiles) parses each once.
 */
const parsedProfiles = new Map<ValidateFunction, Map<string, unknown>>();
const PARSED_PROFILES_KEPT = 32;

/** YAML (duplicate keys refused) checked against a JSON Schema; every problem names its line or field. */
export function parseAgainstSchema(text: string, file: string, validate: ValidateFunction): unknown {
  const parsed = parsedProfiles.get(validate) ?? parsedProfiles.set(validate, new Map()).get(validate)!;
  const kept = parsed.get(text);
  // A copy each time: the caller may change what it is given.
  if (kept !== undefined) return structuredClone(kept);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ProfileError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`));
  const raw: unknown = doc.toJS();
  if (!validate(raw)) throw new ProfileError(file, (validate.errors ?? []).map(describe));
  if (parsed.size >= PARSED_PROFILES_KEPT) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, structuredClone(raw));
  return raw;
}

/** File paths in a profile are relative to the profile file; the harness runs from elsewhere. */
function withPathsFrom(profile: ProviderProfile, dir: string): ProviderProfile {
  const at = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const refused = profile.tls?.refusedClients && Object.fromEntries(Object.entries(profile.tls.refusedClients).map(([kind, pair]) => [kind, { cert: at(pair.cert), key: at(pair.key) }]));
  const tls = profile.tls && { ...profile.tls, ca: at(profile.tls.ca), cert: at(profile.tls.cert), key: at(profile.tls.key), pfx: at(profile.tls.pfx), refusedClients: refused };
  const start = profile.start && { ...profile.start, cwd: at(profile.start.cwd ?? '.') };
  return JSON.parse(JSON.stringify({ ...profile, tls, start })) as ProviderProfile;
}

export function parseProviderProfile(text: string, file = '<profile>'): ProviderProfile {
  const profile = parseAgainstSchema(text, file, validateProvider) as ProviderProfile;
  const problems: string[] = [];
  for (const [field, value] of Object.entries(profile.testData)) {
    if (typeof value === 'string' && !field.endsWith('Id') && !isValidNhsNumber(value)) problems.push(`testData.${field}: ${value} is not a valid NHS number (modulus 11)`);
  }
  if (profile.tls?.pfx && (profile.tls.cert || profile.tls.key)) problems.push('tls: give either pfx or cert and key, not both');
  if (Boolean(profile.tls?.cert) !== Boolean(profile.tls?.key)) problems.push('tls: cert and key go together');
  if (profile.builtIn && (profile.start || profile.tls)) problems.push('builtIn: the harness serves a built-in provider itself: no start or tls');
  if (profile.baseUrl.includes('{port}') && !profile.start) problems.push('baseUrl: {port} is only for a provider the harness starts (start.command)');
  const host = safeHost(profile.baseUrl.replace('{port}', '1'));
  if (host === undefined) problems.push(`baseUrl: ${profile.baseUrl} is not a URL`);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return profile;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function describe(error: ErrorObject): string {
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
  switch (error.keyword) {
    case 'required':
      return `${field === '(top level)' ? '' : field + '.'}${(error.params as { missingProperty: string }).missingProperty}: required, missing`;
    case 'additionalProperties':
      return `${field}: unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${field}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${field}: must be a ${(error.params as { type: string }).type}${(error.params as { type: string }).type === 'string' ? ' (quote numbers such as ASIDs and NHS numbers in YAML)' : ''}`;
    case 'const':
      return `${field}: must be "${(error.params as { allowedValue: unknown }).allowedValue}"`;
    default:
      return `${field}: ${error.message}`;
  }
}
