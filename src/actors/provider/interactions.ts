/**
 * Every interaction the provider features send, by the name they use ("read an appointment"), as a
 * conformant consumer sends it: what it needs first (a patient's logical id, a booking) is asked
 * for here, through the profile's route, and the operation is returned unsent. The HTTP-level
 * features (caching, content negotiation, compression, HTTP errors) run one check over all of them.
 */
import {
  bookAnAppointment,
  findAPatient,
  getCapabilityStatement,
  readAnAppointment,
  readAPatient,
  registerAPatient,
  searchForFreeSlots,
  slotWindow,
  withRequestLine,
  type GpcOperation,
  type HttpMethod,
} from '../../gpconnect/operations';
import { MediaType, FORMAT_PARAMETER } from '../../gpconnect/constants';
import { amendAnAppointment, cancelAnAppointment, cancelled } from '../../gpconnect/operations-amend-cancel';
import { amended } from './amend-cancel';
import { appointmentRange, retrieveAPatientsAppointments } from '../../gpconnect/operations-retrieve';
import { searchByIdentifier } from '../../gpconnect/operations-searches';
import { knownIdentifierOf } from './searches';
import { patientsIn } from '../../rules/provider';
import { changedBooking, firstFreeSlotBooking } from './booking';
import { profilePatient, registrationPatient } from './registration';
import { foundIdOf, readOperation } from './reads';
import type { ProviderUnderTest } from './provider-under-test';

type Build = (provider: ProviderUnderTest) => Promise<GpcOperation>;

/** The logical id of the registered patient, as Find a patient gives it. */
async function registeredPatientId(provider: ProviderUnderTest): Promise<string> {
  const found = patientsIn(await provider.ask(findAPatient(provider.profile.testData.registeredPatient)))[0];
  if (typeof found?.id !== 'string') throw new Error(`Find a patient gave no Patient with a logical id for ${provider.profile.testData.registeredPatient}, so it cannot be read`);
  return found.id;
}

/** The patient the practice does not yet hold, with the demographics of their PDS record. */
function registrablePatient(provider: ProviderUnderTest) {
  const nhsNumber = profilePatient(provider.profile, 'registrablePatient');
  if (!nhsNumber) throw new Error('the profile gives no testData.registrablePatient, which the "register a patient" request needs');
  return registrationPatient(nhsNumber, provider.spine.patients.find((p) => p.nhsNumber === nhsNumber));
}

/** A booking of the first free slot, sent through the profile's route; the Appointment it answered. */
async function bookedAppointment(provider: ProviderUnderTest, forWhat = 'read'): Promise<Record<string, any>> {
  const { booking } = await firstFreeSlotBooking(provider);
  const answer = await provider.ask(bookAnAppointment(booking));
  if (answer.response.status !== 201 || typeof answer.body?.id !== 'string') throw new Error(`the booking to ${forWhat} could not be made: ${answer.asked} answered ${answer.response.status}`);
  return answer.body;
}

async function bookedAppointmentId(provider: ProviderUnderTest): Promise<string> {
  return (await bookedAppointment(provider)).id;
}

const INTERACTIONS: Record<string, Build> = {
  'get the capability statement': async () => getCapabilityStatement(),
  'find a patient': async (p) => findAPatient(p.profile.testData.registeredPatient),
  // PTEST PatientSearch.feature "... format parameter before the identifier parameter": the query's order is the point.
  'find a patient with _format before the identifier': async (p) => {
    const search = findAPatient(p.profile.testData.registeredPatient);
    return { ...search, query: [[FORMAT_PARAMETER, MediaType.fhirJson], ...search.query] };
  },
  'read a patient': async (p) => readAPatient(await registeredPatientId(p)),
  'register a patient': async (p) => registerAPatient(registrablePatient(p)),
  'search for free slots': async () => searchForFreeSlots({ window: slotWindow(1, 8) }),
  'book an appointment': async (p) => bookAnAppointment((await firstFreeSlotBooking(p)).booking),
  'read an appointment': async (p) => readAnAppointment(await bookedAppointmentId(p)),
  // The Appointment as booked, changed as the amend and cancel pages recommend (sent without If-Match, which a consumer may leave out).
  'amend an appointment': async (p) => amendAnAppointment(amended(await bookedAppointment(p, 'amend'), 'Amended by gpc-conform')),
  'cancel an appointment': async (p) => cancelAnAppointment(cancelled(await bookedAppointment(p, 'cancel'), 'Cancelled by gpc-conform')),
  // The patient's appointments over the next fortnight, and the searches by what a consumer knows (src/actors/provider/searches.ts).
  "retrieve the registered patient's appointments": async (p) => retrieveAPatientsAppointments(await registeredPatientId(p), appointmentRange(0, 14)),
  'search for an organisation': async (p) => searchByIdentifier('Organization', await knownIdentifierOf(p, 'Organization')),
  'search for a practitioner': async (p) => searchByIdentifier('Practitioner', await knownIdentifierOf(p, 'Practitioner')),
  // The Foundations reads, of the ids a slot search includes (src/actors/provider/reads.ts).
  'read an organisation': async (p) => readOperation('Organization', await foundIdOf(p, 'Organization')),
  'read a practitioner': async (p) => readOperation('Practitioner', await foundIdOf(p, 'Practitioner')),
  'read a location': async (p) => readOperation('Location', await foundIdOf(p, 'Location')),
  // Answers that are errors, whatever the interaction (the caching header is on every answer).
  'find a patient by a nine-digit NHS number': async () => findAPatient('969363210'),
  'book a slot the practice does not have': async (p) => bookAnAppointment(changedBooking((await firstFreeSlotBooking(p)).booking, 'naming a slot the practice does not have')),
  'get the capability statement at /Metadata': async () => withRequestLine(getCapabilityStatement(), 'GET', '/Metadata'),
  'read an organisation the practice does not hold': async () => readOperation('Organization', 'ddBm'),
  'read a practitioner the practice does not hold': async () => readOperation('Practitioner', '1ZEc2'),
  'read a location the practice does not hold': async () => readOperation('Location', 'th.as.e'),
};

/** The names the features may use. */
export const INTERACTION_NAMES = Object.keys(INTERACTIONS);

/** The operation for the interaction named, with what it needs asked for first. */
export function interactionOperation(provider: ProviderUnderTest, name: string): Promise<GpcOperation> {
  const build = INTERACTIONS[name];
  if (!build) throw new Error(`no interaction "${name}" (known: ${INTERACTION_NAMES.join('; ')})`);
  return build(provider);
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** "GET /metadatas": the capability statement request with that verb and path (Http.feature). */
export function capabilityStatementAs(requestLine: string): GpcOperation {
  return operationAs(getCapabilityStatement(), requestLine);
}

/** "POST /appointmentqq/!": the operation, with its headers and body, sent with that verb and path instead. */
export function operationAs(operation: GpcOperation, requestLine: string): GpcOperation {
  const [method, path] = requestLine.trim().split(/\s+/);
  if (!METHODS.includes(method as HttpMethod) || !path?.startsWith('/')) throw new Error(`"${requestLine}" is not "<${METHODS.join('|')}> /<path>"`);
  return withRequestLine(operation, method as HttpMethod, path);
}
