/**
 * The typed GP Connect operations (src/gpconnect/operations.ts) against the spec's own words: the
 * method, path and interaction ID of gpconnect-spec.md §5.1 written out here (not read from
 * constants.ts, so a slip there fails too), the query of §5.3's "on the wire" example, and the
 * example payloads in ../shared/spec/gpconnect-examples.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { interactionsFor, SCOPE_FOR_INTERACTION } from '../../src/gpconnect/constants';
import {
  bookAnAppointment,
  findAPatient,
  getCapabilityStatement,
  readALocation,
  readAnAppointment,
  readAnOrganization,
  readAPatient,
  readAPractitioner,
  registerAPatient,
  relativeTarget,
  searchForFreeSlots,
  slotWindow,
  withAddedQueryParameter,
  withFormat,
  withoutQueryParameter,
  withQueryParameter,
  withRawQuery,
  type GpcOperation,
} from '../../src/gpconnect/operations';
import { EXAMPLE_OPERATION_NAMES, exampleOperation } from '../../src/actors/provider/requests';
import { PACKAGE_ROOT } from '../../src/package-root';

const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
const idOf = (name: string): string => example(name).id;
const URN = 'urn:nhs:names:services:gpconnect:';

/** §5.1's table, row by row: the operation, its method and path as the spec writes them (unencoded), its Ssp-InteractionID. */
const SPEC_TABLE: Array<[string, GpcOperation, string, string]> = [
  ['Read metadata', getCapabilityStatement(), 'GET /metadata', `${URN}fhir:rest:read:metadata-1`],
  ['Find a patient', findAPatient('9476719931'), 'GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9476719931', `${URN}fhir:rest:search:patient-1`],
  ['Read patient', readAPatient(idOf('foundations_read_patient_response.json')), 'GET /Patient/2', `${URN}fhir:rest:read:patient-1`],
  ['Register patient', registerAPatient({ resourceType: 'Patient' }), 'POST /Patient/$gpc.registerpatient', `${URN}fhir:operation:gpc.registerpatient-1`],
  ['Book appointment', bookAnAppointment({ resourceType: 'Appointment' }), 'POST /Appointment', `${URN}fhir:rest:create:appointment-1`],
  ['Read appointment', readAnAppointment(idOf('appointments_book_response.json')), 'GET /Appointment/9', `${URN}fhir:rest:read:appointment-1`],
  ['Read organisation', readAnOrganization(idOf('foundations_read_organization_response.json')), 'GET /Organization/23', `${URN}fhir:rest:read:organization-1`],
  ['Read practitioner', readAPractitioner(idOf('foundations_read_practitioner_response.json')), 'GET /Practitioner/15', `${URN}fhir:rest:read:practitioner-1`],
  ['Read location', readALocation(idOf('foundations_read_location_response.json')), 'GET /Location/17', `${URN}fhir:rest:read:location-1`],
];

/** The request line as the spec writes it: percent-encoding undone. */
const unencoded = (operation: GpcOperation) => `${operation.method} ${decodeURIComponent(relativeTarget(operation))}`;

describe('each interaction has the method, path and interaction ID of §5.1', () => {
  for (const [row, operation, line, interaction] of SPEC_TABLE) {
    test(row, () => {
      assert.equal(unencoded(operation), line);
      assert.equal(operation.interaction, interaction);
      assert.ok(interactionsFor(operation.method, operation.path).includes(operation.interaction), `${operation.method} ${operation.path} is not a route of ${operation.interaction}`);
      assert.ok(SCOPE_FOR_INTERACTION[operation.interaction], `no JWT scope for ${operation.interaction}`);
    });
  }
});

test('Search for free slots is the query of §5.3, on the wire example, to the character once decoded', () => {
  const search = searchForFreeSlots({ window: { start: '2017-10-20', end: '2017-10-31' }, bookingOrganisation: { ods: 'A1001', type: 'gp-practice' } });
  assert.equal(search.interaction, `${URN}fhir:rest:search:slot-1`);
  assert.equal(
    unencoded(search),
    'GET /Slot?status=free&start=ge2017-10-20&end=le2017-10-31&_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner' +
      '&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization' +
      '&searchFilter=https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|gp-practice&searchFilter=https://fhir.nhs.uk/Id/ods-organization-code|A1001',
  );
});

test('on the wire every value is percent-encoded: | as %7C, + as %2B (§5.3, §5.4; CORE RFC 3986)', () => {
  assert.equal(relativeTarget(findAPatient('9476719931')), '/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9476719931');
  const withOffset = withQueryParameter(searchForFreeSlots({ window: slotWindow(1, 2), recurse: [] }), 'start', 'ge2026-07-01T09:00:00+01:00');
  assert.match(relativeTarget(withOffset), /[?&]start=ge2026-07-01T09%3A00%3A00%2B01%3A00&/);
  assert.equal(relativeTarget(readAnAppointment('a b/c')), '/Appointment/a%20b%2Fc');
});

test('the slot window is UK dates on one clock: just after midnight in BST it is already the next UK day', () => {
  // 2026-07-01T23:30Z is 00:30 on 2 July in London (BST).
  assert.deepEqual(slotWindow(1, 14, new Date('2026-07-01T23:30:00Z')), { start: '2026-07-03', end: '2026-07-16' });
  // 2026-10-25 is the last Sunday of October: 24 hours after 00:30 BST on the 25th is still the 25th in GMT, a day is not 24 hours.
  assert.deepEqual(slotWindow(1, 1, new Date('2026-10-24T23:30:00Z')), { start: '2026-10-26', end: '2026-10-26' });
});

test('a search asks for the three _include:recurse unless told otherwise, and none when given none', () => {
  const recurse = (operation: GpcOperation) => operation.query.filter(([n]) => n === '_include:recurse').map(([, v]) => v);
  const window = slotWindow(1, 8);
  assert.deepEqual(recurse(searchForFreeSlots({ window })), ['Schedule:actor:Practitioner', 'Schedule:actor:Location', 'Location:managingOrganization']);
  assert.deepEqual(recurse(searchForFreeSlots({ window, recurse: [] })), []);
  assert.ok(searchForFreeSlots({ window, recurse: [] }).query.some(([n, v]) => n === '_include' && v === 'Slot:schedule'), '_include=Slot:schedule is mandatory');
});

test('Register a patient sends the Patient in the Parameters of the spec example', () => {
  const request = example('foundations_register_patient_request.json');
  const operation = registerAPatient(request.parameter[0].resource);
  assert.deepEqual(operation.body, request);
  assert.equal(operation.method, 'POST');
});

test('Book an appointment sends the Appointment as given (the spec example)', () => {
  const appointment = example('appointments_book_request.json');
  assert.deepEqual(bookAnAppointment(appointment).body, appointment);
});

test('Find a patient asks for the NHS number the spec example finds, by the NHS number system', () => {
  const patient = example('foundations_find_patient_response.json').entry[0].resource;
  const nhs = patient.identifier.find((i: { system: string }) => i.system === 'https://fhir.nhs.uk/Id/nhs-number');
  assert.deepEqual(findAPatient(nhs.value).query, [['identifier', `${nhs.system}|${nhs.value}`]]);
});

describe('negative tests change a conformant operation by name', () => {
  const search = searchForFreeSlots({ window: { start: '2026-01-05', end: '2026-01-12' }, recurse: [] });
  const names = (operation: GpcOperation) => operation.query.map(([n]) => n);

  test('without a parameter: every one of that exact name goes, and _include leaves _include:recurse', () => {
    const full = searchForFreeSlots({ window: { start: '2026-01-05', end: '2026-01-12' } });
    assert.deepEqual(names(withoutQueryParameter(full, '_include')), ['status', 'start', 'end', '_include:recurse', '_include:recurse', '_include:recurse']);
  });

  test('with a parameter: replaced where it stood, or added at the end', () => {
    assert.deepEqual(withQueryParameter(search, 'status', 'busy').query[0], ['status', 'busy']);
    assert.deepEqual(names(withQueryParameter(search, 'searchFilter', 'x')), ['status', 'start', 'end', '_include', 'searchFilter']);
  });

  test('an added parameter keeps those of the same name', () => {
    const twice = withAddedQueryParameter(withAddedQueryParameter(search, 'searchFilter', 'a'), 'searchFilter', 'b');
    assert.deepEqual(twice.query.slice(-2), [['searchFilter', 'a'], ['searchFilter', 'b']]);
  });

  test('a raw query is sent exactly as written, the path and interaction unchanged', () => {
    const raw = withRawQuery(findAPatient('9476719931'), 'family=GARTON&identifier=%ZZ');
    assert.equal(relativeTarget(raw), '/Patient?family=GARTON&identifier=%ZZ');
    assert.equal(raw.interaction, findAPatient('1').interaction);
  });

  test('_format is added when given and left out when empty', () => {
    assert.equal(relativeTarget(withFormat(getCapabilityStatement(), 'json')), '/metadata?_format=json');
    assert.equal(relativeTarget(withFormat(getCapabilityStatement(), '')), '/metadata');
  });

  test('a change leaves the operation it was made from as it was', () => {
    const before = relativeTarget(search);
    withoutQueryParameter(search, 'status');
    withQueryParameter(search, 'status', 'busy');
    assert.equal(relativeTarget(search), before);
  });
});

test('the example operations the features name by use case are the builders of that use case', () => {
  for (const name of EXAMPLE_OPERATION_NAMES) assert.equal(exampleOperation(name).name, name);
  assert.throws(() => exampleOperation('Cancel an appoinment'), /no GP Connect operation called "Cancel an appoinment"/);
});
