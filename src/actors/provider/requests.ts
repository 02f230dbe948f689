import { randomUUID } from 'node:crypto';
import { Header, MediaType, OrganisationType, SCOPE_FOR_INTERACTION, System } from '../../gpconnect/constants';
import { encodeUnsecuredJwt } from '../../gpconnect/jwt';
import {
  bookAnAppointment,
  findAPatient,
  getCapabilityStatement,
  readAnAppointment,
  registerAPatient,
  relativeTarget,
  searchForFreeSlots,
  slotWindow,
  type GpcOperation,
} from '../../gpconnect/operations';
import { amendAnAppointment, cancelAnAppointment, cancelled } from '../../gpconnect/operations-amend-cancel';
import { appointmentRange, retrieveAPatientsAppointments } from '../../gpconnect/operations-retrieve';
import { searchForAnOrganisation, searchForAPractitioner } from '../../gpconnect/operations-searches';

/** The Appointment the example cancel and amend send back (the SSP does not read it; a provider would refuse it as not the one it holds). */
const STAND_IN_APPOINTMENT = { resourceType: 'Appointment', id: '1', status: 'booked', description: 'Stand-in booking', slot: [{ reference: 'Slot/1' }] };

/** The patient the example requests are about. */
const EXAMPLE_NHS_NUMBER = '9693632109';

/**
 * The request a conformant consumer sends when a scenario names only the use case ("a \"Search for
 * free slots\" request from …"): the typed operation with the harness's example parameters.
 */
const EXAMPLES: Record<string, (now: Date) => GpcOperation> = {
  'Get the capability statement': () => getCapabilityStatement(),
  'Search for free slots': (now) => searchForFreeSlots({ window: slotWindow(1, 14, now), recurse: [], bookingOrganisation: { type: OrganisationType.urgentCare } }),
  'Find a patient': () => findAPatient(EXAMPLE_NHS_NUMBER),
  'Register a patient': () => registerAPatient({ resourceType: 'Patient', identifier: [{ system: System.nhsNumber, value: EXAMPLE_NHS_NUMBER }] }),
  'Book an appointment': () => bookAnAppointment({ resourceType: 'Appointment', status: 'booked', description: 'Stand-in booking', slot: [{ reference: 'Slot/1' }] }),
  'Read an appointment': () => readAnAppointment('1'),
  // Beyond booking (issue 18): the SSP's and the directory's rules for the other Appointment Management interactions.
  'Cancel an appointment': () => cancelAnAppointment(cancelled(STAND_IN_APPOINTMENT, 'Stand-in cancellation')),
  'Amend an appointment': () => amendAnAppointment({ ...STAND_IN_APPOINTMENT, comment: 'Stand-in amendment' }),
  "Retrieve a patient's appointments": (now) => retrieveAPatientsAppointments('1', appointmentRange(0, 13, now)),
  'Search for an organisation': () => searchForAnOrganisation('A20047'),
  'Search for a practitioner': () => searchForAPractitioner('G13579135'),
};

export const EXAMPLE_OPERATION_NAMES = Object.keys(EXAMPLES);

export function exampleOperation(name: string, now = new Date()): GpcOperation {
  const example = EXAMPLES[name];
  if (!example) throw new Error(`no GP Connect operation called "${name}"; known: ${EXAMPLE_OPERATION_NAMES.join(', ')}`);
  return example(now);
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
  const body = parts.operation.body;
  if (body !== undefined) headers[Header.contentType] = MediaType.fhirJsonUtf8;
  return { method: parts.operation.method, relativeTarget: relativeTarget(parts.operation), headers, body: body === undefined ? undefined : JSON.stringify(body) };
}
