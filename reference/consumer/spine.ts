/**
 * The consumer's PDS and SDS clients: worked example steps 1a/1b (the PDS trace) and 2a–2d (the
 * provider's service root, party key and ASID from the SDS FHIR API), gpconnect-spec.md §1, §3 and
 * pds-sds.md §1, §2.
 */
import { Header, Interaction, MediaType, SdsParam, System } from '../../src/gpconnect/constants';
import { DEFAULT_PDS_ACCESS_TOKEN, DEFAULT_PRACTICE_ODS, DEFAULT_PROVIDER_ASIDS, DEFAULT_SDS_API_KEY, DEFAULT_TIMEOUT_MS, type ConsumerConfig } from './config';
import { hasFault } from './faults';
import { hasVariant, newUuid } from './variants';
import { send, TransportError, type WireResponse } from './http';
import { readOutcome, StepFailure, type StepId } from './outcome';

type Json = Record<string, any>;

/** What the consumer keeps from a PDS trace. */
export interface TracedPatient {
  nhsNumber: string;
  /** The registered practice's ODS code (generalPractitioner). */
  practiceOds: string;
  family: string;
  given: string[];
  prefix?: string;
  gender?: string;
  birthDate: string;
  address?: { line: string[]; city?: string; postalCode?: string };
  telecom: Array<{ system: string; value: string; use?: string }>;
}

/** The provider as SDS registers it. */
export interface ProviderEndpoint {
  ods: string;
  /** Endpoint.address: used exactly as given, in the SSP URL and as the JWT `aud`. */
  serviceRoot: string;
  partyKey: string;
  asid: string;
}

const NHS_NUMBER = /^[0-9]{10}$/;

/** The NHS number check digit (modulus 11). */
export function isValidNhsNumber(value: string): boolean {
  if (!NHS_NUMBER.test(value)) return false;
  const digits = value.split('').map(Number);
  const sum = digits.slice(0, 9).reduce((acc, d, i) => acc + d * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits[9];
}

async function get(step: StepId, what: string, url: string, headers: Record<string, string>, config: ConsumerConfig): Promise<WireResponse> {
  try {
    return await send({ method: 'GET', url, headers }, { timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, tls: config.tls });
  } catch (error) {
    if (error instanceof TransportError) throw new StepFailure(step, `${what}: ${error.message}`, undefined, error.timedOut ? 'TIMEOUT' : 'UNREACHABLE');
    throw error;
  }
}

function parseJson(step: StepId, what: string, response: WireResponse): Json {
  try {
    return JSON.parse(response.body) as Json;
  } catch {
    throw new StepFailure(step, `${what}: the answer is not JSON`, response.status);
  }
}

function refused(step: StepId, what: string, response: WireResponse): StepFailure {
  const { code, text } = readOutcome(response.body);
  return new StepFailure(step, `${what} answered ${response.status}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`, response.status, code);
}

// --------------------------------------------------------------------------------------- PDS

/**
 * 1a/1b: GET {pds}/Patient/{nhsNumber}. Stops the booking for a patient PDS does not know
 * (404 RESOURCE_NOT_FOUND), an invalidated record (404 INVALIDATED_RESOURCE), a superseded number
 * (PDS answers the record that replaced it, pds-sds.md §1.3), a deceased patient, and a restricted
 * one or any without a registered practice (no generalPractitioner).
 */
export async function tracePatient(config: ConsumerConfig, nhsNumber: string): Promise<TracedPatient> {
  const what = `PDS trace of ${nhsNumber}`;
  if (!isValidNhsNumber(nhsNumber)) throw new StepFailure('1a', `${JSON.stringify(nhsNumber)} is not a valid NHS number (10 digits with a modulus 11 check digit)`, undefined, 'INVALID_NHS_NUMBER');
  const headers: Record<string, string> = { [Header.xRequestId]: newUuid(config), [Header.accept]: MediaType.fhirJson };
  if (hasFault(config, 'pds-without-request-id')) delete headers[Header.xRequestId];
  if (!hasFault(config, 'pds-without-authorization')) headers[Header.authorization] = `Bearer ${config.pdsAccessToken ?? DEFAULT_PDS_ACCESS_TOKEN}`;
  const response = await get('1a', what, `${config.pdsUrl.replace(/\/+$/, '')}/Patient/${nhsNumber}`, headers, config);
  if (response.status === 404 && hasFault(config, 'ignore-pds-not-found')) return untracedPatient(config, nhsNumber);
  if (response.status !== 200) throw refused('1a', what, response);
  const patient = parseJson('1a', what, response);
  if (patient.resourceType !== 'Patient') throw new StepFailure('1a', `${what}: the answer is a ${patient.resourceType}, not a Patient`, 200);
  const numbers: unknown[] = (patient.identifier ?? []).filter((i: Json) => i?.system === System.nhsNumber).map((i: Json) => i.value);
  // A superseded number: PDS answers the record that replaced it, with another id, and the consumer
  // goes on with the new number (PDS patient-get.yaml "Superseded patients", CONS-PDS-SUPERSEDED).
  const current = typeof numbers[0] === 'string' ? numbers[0] : typeof patient.id === 'string' ? patient.id : nhsNumber;
  if (!isValidNhsNumber(current)) throw new StepFailure('1a', `${what}: PDS answered a record with the NHS number ${JSON.stringify(current)}, which is not valid`, 200, 'INVALID_NHS_NUMBER');
  const traced = hasFault(config, 'keeps-superseded-number') ? nhsNumber : current;
  // Stopping here is the consumer's choice: the practice refuses a deceased patient anyway (proceeds-for-deceased-patient).
  if ((patient.deceasedDateTime || patient.deceasedBoolean === true) && !hasVariant(config, 'proceeds-for-deceased-patient')) {
    throw new StepFailure('1a', `${what}: PDS records the patient as deceased${patient.deceasedDateTime ? ` (${patient.deceasedDateTime})` : ''}`, 200, 'DECEASED');
  }
  const security = (patient.meta?.security ?? []).map((s: Json) => s?.code);
  const restricted = security.includes('R') || security.includes('V');
  if (restricted) {
    throw new StepFailure('1a', `${what}: the record is restricted; its registered practice cannot be known`, 200, 'RESTRICTED');
  }
  const gp = (patient.generalPractitioner ?? []).map((g: Json) => g?.identifier).find((i: Json) => i?.system === System.odsOrganizationCode && typeof i.value === 'string');
  if (!gp) throw new StepFailure('1a', `${what}: PDS has no registered GP practice for the patient`, 200, 'NO_REGISTERED_PRACTICE');
  return { ...demographics(traced, patient), practiceOds: gp.value };
}

/** What a faulty consumer goes on with when it has no practice from PDS: the configured default practice. */
export function untracedPatient(config: ConsumerConfig, nhsNumber: string): TracedPatient {
  return { nhsNumber, practiceOds: config.defaultPracticeOds ?? DEFAULT_PRACTICE_ODS, family: '', given: [], birthDate: '', telecom: [] };
}

function demographics(nhsNumber: string, patient: Json): Omit<TracedPatient, 'practiceOds'> {
  const name = (patient.name ?? []).find((n: Json) => n?.use === 'usual') ?? patient.name?.[0] ?? {};
  const home = (patient.address ?? []).find((a: Json) => a?.use === 'home') ?? patient.address?.[0];
  return {
    nhsNumber,
    family: String(name.family ?? ''),
    given: Array.isArray(name.given) ? name.given.map(String) : [],
    ...(Array.isArray(name.prefix) && name.prefix[0] ? { prefix: String(name.prefix[0]) } : {}),
    ...(typeof patient.gender === 'string' ? { gender: patient.gender } : {}),
    birthDate: String(patient.birthDate ?? ''),
    ...(home && Array.isArray(home.line)
      ? { address: { line: home.line.map(String), ...(home.city ? { city: String(home.city) } : {}), ...(home.postalCode ? { postalCode: String(home.postalCode) } : {}) } }
      : {}),
    telecom: (patient.telecom ?? [])
      .filter((t: Json) => typeof t?.system === 'string' && typeof t?.value === 'string')
      .map((t: Json) => ({ system: t.system, value: t.value, ...(t.use ? { use: t.use } : {}) })),
  };
}

// --------------------------------------------------------------------------------------- SDS

/** An HTTP library's default Accept (axios): what `sds-accept-list` sends, and SDS takes (content_type_validator.py splits on commas). */
export const LIBRARY_DEFAULT_ACCEPT = 'application/json, text/plain, */*';

function sdsHeaders(config: ConsumerConfig): Record<string, string> {
  const headers: Record<string, string> = hasFault(config, 'sds-without-apikey') ? {} : { [Header.apiKey]: config.sdsApiKey ?? DEFAULT_SDS_API_KEY };
  if (!hasVariant(config, 'no-sds-correlation-id')) headers[Header.sdsCorrelationId] = newUuid(config);
  headers[Header.accept] = hasVariant(config, 'sds-accept-list') ? LIBRARY_DEFAULT_ACCEPT : MediaType.fhirJson;
  return headers;
}

function identifierOf(resource: Json, system: string): string | undefined {
  const found = (resource?.identifier ?? []).find((i: Json) => i?.system === system && typeof i.value === 'string');
  return found?.value;
}

/**
 * 2a–2d: the MHS lookup (Endpoint by ODS code and interaction: service root and party key), then
 * the AS lookup (Device by ODS code, interaction and party key: the ASID). Foundations and
 * Appointment Management share one service root, so the metadata interaction is looked up
 * (gpconnect-spec.md §3).
 */
export async function lookUpProvider(config: ConsumerConfig, ods: string): Promise<ProviderEndpoint> {
  const base = config.sdsUrl.replace(/\/+$/, '');
  const e = encodeURIComponent;
  const askFor = hasFault(config, 'sds-by-own-ods') ? config.ods : ods;
  const interaction = hasFault(config, 'sds-structured-interaction') ? Interaction.getStructuredRecord : Interaction.readMetadata;
  const org = `${SdsParam.organization}=${e(`${System.odsOrganizationCode}|${askFor}`)}`;
  const service = `${SdsParam.identifier}=${e(`${System.interactionId}|${interaction}`)}`;

  const endpointWhat = `SDS endpoint lookup for ${ods}`;
  const endpointAnswer = await get('2a', endpointWhat, `${base}/Endpoint?${org}&${service}`, sdsHeaders(config), config);
  if (endpointAnswer.status !== 200) throw refused('2a', endpointWhat, endpointAnswer);
  const endpoints = entries(parseJson('2a', endpointWhat, endpointAnswer), 'Endpoint');
  const endpoint = endpoints.find((r) => typeof r.address === 'string' && r.address !== '');
  if (!endpoint && hasFault(config, 'default-endpoint-when-none')) return { ods, serviceRoot: FALLBACK_ROOT, partyKey: FALLBACK_PARTY_KEY, asid: providerAsid(config, DEFAULT_PRACTICE_ODS) };
  if (!endpoint) throw new StepFailure('2a', `${endpointWhat}: SDS has no GP Connect endpoint for ${ods}`, 200, 'NO_ENDPOINT');
  const partyKey = identifierOf(endpoint, System.partyKey);
  if (!partyKey) throw new StepFailure('2a', `${endpointWhat}: the endpoint has no party key`, 200, 'NO_PARTY_KEY');

  if (hasFault(config, 'skip-device-lookup')) return { ods, serviceRoot: endpoint.address as string, partyKey, asid: providerAsid(config, ods) };

  const deviceWhat = `SDS ASID lookup for ${ods} (party key ${partyKey})`;
  const party = `${SdsParam.identifier}=${e(`${System.partyKey}|${partyKey}`)}`;
  const deviceAnswer = await get('2c', deviceWhat, `${base}/Device?${org}&${service}&${party}`, sdsHeaders(config), config);
  if (deviceAnswer.status !== 200) throw refused('2c', deviceWhat, deviceAnswer);
  const asid = entries(parseJson('2c', deviceWhat, deviceAnswer), 'Device')
    .map((d) => identifierOf(d, System.asid))
    .find((a): a is string => Boolean(a));
  if (!asid) throw new StepFailure('2c', `${deviceWhat}: SDS has no accredited system for the practice`, 200, 'NO_ASID');
  return { ods, serviceRoot: endpoint.address as string, partyKey, asid };
}

/** What `default-endpoint-when-none` falls back to: A20047's registration. */
const FALLBACK_ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const FALLBACK_PARTY_KEY = 'A20047-821870';

/** A faulty consumer's ASID for a practice from configuration instead of SDS. */
function providerAsid(config: ConsumerConfig, ods: string): string {
  return (config.providerAsids ?? DEFAULT_PROVIDER_ASIDS)[ods] ?? '';
}

function entries(bundle: Json, type: string): Json[] {
  if (bundle?.resourceType !== 'Bundle') return [];
  return (bundle.entry ?? []).map((e: Json) => e?.resource).filter((r: Json) => r?.resourceType === type);
}
