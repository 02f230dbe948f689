import { randomUUID } from 'node:crypto';
import { Header, Interaction, MediaType, SCOPE_FOR_INTERACTION, System } from '../../gpconnect/constants';
import { encodeUnsecuredJwt } from '../../gpconnect/jwt';

/** A GP Connect request as the spec's use-case pages name it, and what goes on the wire for it. */
export interface GpcOperation {
  name: string;
  interaction: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Path and query relative to the service root, percent-encoded (RFC 3986, CORE ssp_implementation_guide). */
  path: (today: Date) => string;
  body?: () => unknown;
}

const enc = encodeURIComponent;
const day = (d: Date, plus: number) => new Date(d.getTime() + plus * 86_400_000).toISOString().slice(0, 10);

/** The worked example's operations (gpconnect-spec.md §5), by the names the features use. */
export const OPERATIONS: Record<string, GpcOperation> = {
  'Get the capability statement': { name: 'Get the capability statement', interaction: Interaction.readMetadata, method: 'GET', path: () => '/metadata' },
  'Search for free slots': {
    name: 'Search for free slots',
    interaction: Interaction.searchSlot,
    method: 'GET',
    path: (today) =>
      `/Slot?status=free&start=${enc('ge' + day(today, 1))}&end=${enc('le' + day(today, 14))}&_include=${enc('Slot:schedule')}` +
      `&searchFilter=${enc(`${System.organisationType}|urgent-care`)}`,
  },
  'Find a patient': {
    name: 'Find a patient',
    interaction: Interaction.searchPatient,
    method: 'GET',
    path: () => `/Patient?identifier=${enc(`${System.nhsNumber}|9693632109`)}`,
  },
  'Register a patient': {
    name: 'Register a patient',
    interaction: Interaction.registerPatient,
    method: 'POST',
    path: () => '/Patient/$gpc.registerpatient',
    body: () => ({ resourceType: 'Parameters', parameter: [{ name: 'registerPatient', resource: { resourceType: 'Patient', identifier: [{ system: System.nhsNumber, value: '9693632109' }] } }] }),
  },
  'Book an appointment': {
    name: 'Book an appointment',
    interaction: Interaction.createAppointment,
    method: 'POST',
    path: () => '/Appointment',
    body: () => ({ resourceType: 'Appointment', status: 'booked', description: 'Stand-in booking', slot: [{ reference: 'Slot/1' }] }),
  },
  'Read an appointment': { name: 'Read an appointment', interaction: Interaction.readAppointment, method: 'GET', path: () => '/Appointment/1' },
};

export function operationNamed(name: string): GpcOperation {
  const op = OPERATIONS[name];
  if (!op) throw new Error(`no GP Connect operation called "${name}"; known: ${Object.keys(OPERATIONS).join(', ')}`);
  return op;
}

export interface RequestingParty {
  ods: string;
  organisationName: string;
  practitionerId: string;
}

/** The JWT claims a conformant consumer sends (gpconnect-spec.md §4), for one interaction. */
export function jwtClaims(party: RequestingParty, audience: string, interaction: string, now = new Date()): Record<string, unknown> {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: 'https://consumer.gpc-conform.test/',
    sub: party.practitionerId,
    aud: audience,
    exp: iat + 300,
    iat,
    reason_for_request: 'directcare',
    requested_scope: SCOPE_FOR_INTERACTION[interaction],
    requesting_device: { resourceType: 'Device', identifier: [{ system: 'https://consumer.gpc-conform.test/Id/device', value: 'gpc-conform' }], model: 'gpc-conform', version: '0.1.0' },
    requesting_organization: { resourceType: 'Organization', identifier: [{ system: System.odsOrganizationCode, value: party.ods }], name: party.organisationName },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: party.practitionerId,
      identifier: [
        { system: System.sdsUserId, value: '111222333444' },
        { system: System.sdsRoleProfileId, value: '444555666777' },
      ],
      name: [{ family: 'Jones', given: ['Claire'], prefix: ['Dr'] }],
    },
  };
}

export interface SspRequestParts {
  fromAsid: string;
  toAsid: string;
  serviceRoot: string;
  operation: GpcOperation;
  party: RequestingParty;
}

/** Headers and body of a request to the SSP, as a conformant consumer sends it (§2.2). */
export function sspRequest(parts: SspRequestParts, now = new Date()): { method: string; relativeTarget: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {
    [Header.sspTraceId]: randomUUID(),
    [Header.sspFrom]: parts.fromAsid,
    [Header.sspTo]: parts.toAsid,
    [Header.sspInteractionId]: parts.operation.interaction,
    [Header.authorization]: `Bearer ${encodeUnsecuredJwt(jwtClaims(parts.party, parts.serviceRoot, parts.operation.interaction, now))}`,
    [Header.accept]: MediaType.fhirJson,
  };
  const body = parts.operation.body?.();
  if (body !== undefined) headers[Header.contentType] = MediaType.fhirJsonUtf8;
  return { method: parts.operation.method, relativeTarget: parts.operation.path(now), headers, body: body === undefined ? undefined : JSON.stringify(body) };
}
