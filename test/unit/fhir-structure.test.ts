/**
 * src/fhir/structure against the official StructureDefinitions (data/fhir): every spec example validates, or
 * fails with the example's own documented mistake; realistic mutations fail with the element path, the
 * profile and the element id that says so; the profiles' latitude (open slicing, 0..1 elements) is latitude.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FHIR_BASE_DEFINITION, GpcProfile } from '../../src/gpconnect/constants';
import { definitions } from '../../src/fhir/definitions';
import { excusedByProse } from '../../src/fhir/prose';
import { normaliseSpecConflicts } from '../../src/fhir/spec-conflicts';
import { StructureIssue, validateAgainst } from '../../src/fhir/structure/validator';
import { expand } from '../../src/fhir/structure/terminology';
import { PACKAGE_ROOT } from '../../src/package-root';

const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (name: string): J => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
const BASE = FHIR_BASE_DEFINITION;

/** Structure issues of a resource and everything inside it (entries, contained, parameters) by their own profile. */
function check(resource: J, profile?: string): StructureIssue[] {
  const all: StructureIssue[] = [];
  const run = (r: J, path: string, p?: string) => {
    const chosen = p ?? (r.meta?.profile ?? []).find((u: string) => definitions().byUrl.has(u)) ?? `${BASE}${r.resourceType}`;
    const found = validateAgainst(normaliseSpecConflicts(r, {}), chosen, path, (inner, at, innerProfile) => run(inner, `${at}(${inner.resourceType})`, innerProfile));
    // The spec's latitude where its examples and the artefacts disagree (src/fhir/spec-conflicts.ts, prose/outcome.ts).
    all.push(...found.filter((i) => !excusedByProse(i, r)));
  };
  run(resource, resource.resourceType, profile);
  return all.filter((i) => i.severity === 'error');
}

const pairs = (issues: StructureIssue[]) => issues.map((i) => `${i.path} ${i.rule}`).sort();

function only(issues: StructureIssue[], path: string, rule: string, profile?: string): StructureIssue {
  assert.deepEqual(pairs(issues), [`${path} ${rule}`], JSON.stringify(issues, null, 1));
  assert.ok(issues[0].message.includes(path), `message "${issues[0].message}" names ${path}`);
  if (profile) assert.equal(issues[0].profile, profile);
  assert.ok(issues[0].element, 'the issue names the element id');
  return issues[0];
}

/** The examples' own mistakes against the artefacts (gpconnect-examples/README.md and the STU3 definitions). */
const DOCUMENTED: Record<string, string[]> = {
  // STU3 Location.telecom and Organization.telecom/address repeat: the example writes single objects.
  'appointments_search_free_slots_response.json': [
    'Bundle.entry[4].resource(Location).telecom type', 'Bundle.entry[5].resource(Organization).address type', 'Bundle.entry[5].resource(Organization).telecom type',
  ],
  // STU3 Location.address is 0..1; the example sends an array.
  'foundations_read_location_response.json': ['Location.address type'],
  // The CapabilityStatement is a template: "[Provider Software Release Date]" is a placeholder, not a dateTime.
  'foundations_get_capability_statement_response.json': ['CapabilityStatement.software.releaseDate format'],
};

describe('the spec examples against the official artefacts', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && !f.startsWith('jwt'));
  for (const f of files) {
    test(f, () => {
      assert.deepEqual(pairs(check(load(f))), (DOCUMENTED[f] ?? []).sort());
    });
  }
});

describe('realistic mistakes fail with the path, the profile and the element', () => {
  const booking = () => load('appointments_book_request.json');
  const APPT = GpcProfile.appointment;

  test('a required element left out (Appointment.description, 1..1 in GPConnect-Appointment-1)', () => {
    const a = booking();
    delete a.description;
    assert.equal(only(check(a), 'Appointment.description', 'required', APPT).element, 'Appointment.description');
  });
  test('a required element whose absence also breaks an invariant (start: 1..1, and app-3)', () => {
    const a = booking();
    delete a.start;
    const issues = check(a);
    assert.ok(issues.some((i) => i.path === 'Appointment.start' && i.rule === 'required'), JSON.stringify(issues, null, 1));
    assert.ok(issues.some((i) => i.rule === 'invariant' && i.message.includes('app-3')), JSON.stringify(issues, null, 1));
  });
  test('an element the profile forbids (appointmentType 0..0)', () => {
    const a = booking();
    a.appointmentType = { text: 'Routine' };
    only(check(a), 'Appointment.appointmentType', 'forbidden', APPT);
  });
  test('an element STU3 does not have (R4 Appointment.cancelationReason)', () => {
    const a = booking();
    a.cancelationReason = { text: 'x' };
    only(check(a), 'Appointment.cancelationReason', 'unknown-element');
  });
  test('a dateTime that is not one (month 13) and one without its offset', () => {
    const a = booking();
    a.start = '2017-13-30T10:00:00+01:00';
    only(check(a), 'Appointment.start', 'format');
    const b = booking();
    b.end = '2017-05-30T10:25:00';
    only(check(b), 'Appointment.end', 'format');
  });
  test('a code outside a required binding (Appointment.status)', () => {
    const a = booking();
    a.status = 'confirmed';
    only(check(a), 'Appointment.status', 'code');
  });
  test('a repeating element as a single object, a single one as an array', () => {
    const a = booking();
    a.participant = a.participant[0];
    only(check(a), 'Appointment.participant', 'type');
    const b = booking();
    b.description = [b.description];
    only(check(b), 'Appointment.description', 'type');
  });
  test('a fixed value broken (Appointment.reason.coding.system is fixed to SNOMED CT)', () => {
    const a = booking();
    a.reason = [{ coding: [{ system: 'http://read.info/ctv3', code: 'X', display: 'x' }] }];
    only(check(a), 'Appointment.reason[0].coding[0].system', 'fixed-value', APPT);
  });
  test('a reference to the wrong type (Appointment.slot → GPConnect-Slot-1)', () => {
    const a = booking();
    a.slot = [{ reference: 'Location/1' }];
    only(check(a), 'Appointment.slot[0].reference', 'reference-type', APPT);
  });
  test('an extension with the wrong value type, validated by its own URL (Extension-GPConnect-BookingOrganisation-1)', () => {
    const a = booking();
    a.extension[0] = { url: a.extension[0].url, valueString: '#1' };
    const issues = check(a);
    assert.ok(issues.some((i) => i.path === 'Appointment.extension[0].valueString' && i.rule === 'type'), JSON.stringify(issues, null, 1));
    // …and the contained booking organisation, referred to by nothing now, breaks dom-3.
    assert.deepEqual(issues.filter((i) => !i.path.startsWith('Appointment.extension[0]')).map((i) => i.message.slice(0, 17)), ['Appointment breaks dom-3'.slice(0, 17)]);
  });
  test('an extension with a value and extensions (ext-1)', () => {
    const a = booking();
    a.extension[0].extension = [{ url: 'https://example.org/x', valueString: 'y' }];
    only(check(a), 'Appointment.extension[0]', 'invariant');
  });
  test('an invariant of the base definitions, on fhirpath.js: a contained resource nothing refers to (dom-3)', () => {
    const a = booking();
    a.extension = [];
    delete a.extension;
    const issues = check(a);
    assert.ok(issues.some((i) => i.path === 'Appointment' && i.rule === 'invariant' && i.message.includes('dom-3')), JSON.stringify(issues, null, 1));
  });
  test('a data type\'s own invariant where the profile\'s snapshot does not copy it: a #id that no contained resource has (ref-1)', () => {
    // GPConnect-Appointment-1 is differential only, and neither the base Appointment's `participant.actor` nor the
    // booking organisation extension's `valueReference` carries Reference's ref-1: it is read from the type.
    const a = booking();
    a.participant[0].actor.reference = '#9';
    only(check(a), 'Appointment.participant[0].actor', 'invariant');
    assert.match(check(a)[0].message, /ref-1/);
    const b = booking();
    b.extension[0].valueReference.reference = '#2';
    const issues = check(b);
    assert.ok(issues.some((i) => i.path === 'Appointment.extension[0].valueReference' && i.rule === 'invariant' && i.message.includes('ref-1')), JSON.stringify(issues, null, 1));
  });
  test('a Period that ends before it starts (per-1)', () => {
    const p = load('foundations_read_patient_response.json');
    p.name[0].period = { start: '2020-01-01', end: '2019-01-01' };
    only(check(p), 'Patient.name[0].period', 'invariant', GpcProfile.patient);
  });
  test('a slice over its cardinality (CareConnect-GPC-Patient-1 nhsNumber 0..1, official name 1..1)', () => {
    const p = load('foundations_read_patient_response.json');
    p.identifier.push({ ...p.identifier[0] });
    only(check(p), 'Patient.identifier', 'cardinality', GpcProfile.patient);
    const q = load('foundations_read_patient_response.json');
    q.name = q.name.map((n: J) => ({ ...n, use: 'usual' }));
    only(check(q), 'Patient.name', 'required', GpcProfile.patient);
  });
  test('a slice\'s own rule: the NHS number verification status code outside its value set', () => {
    const p = load('foundations_read_patient_response.json');
    p.identifier[0].extension[0].valueCodeableConcept.coding[0].code = '99';
    only(check(p), 'Patient.identifier[0].extension[0].valueCodeableConcept.coding[0].code', 'code');
  });
});

describe('the latitude the profiles give (review F8, F9, F14)', () => {
  test('F8: a Patient with a local identifier beside the NHS number (identifier slicing openAtEnd)', () => {
    const p = load('foundations_read_patient_response.json');
    p.identifier.push({ system: 'https://fhir.example-gp-system.co.uk/Id/local-id', value: 'PAT-000123' });
    assert.deepEqual(check(p), []);
  });
  test('F9: Practitioner, Location and Organization with identifiers of other systems', () => {
    const pr = load('foundations_read_practitioner_response.json');
    pr.identifier.push({ system: 'https://fhir.hl7.org.uk/Id/gmp-number', value: 'G1234567' });
    const lo = load('foundations_read_location_response.json');
    lo.address = lo.address[0];
    lo.identifier = [...(lo.identifier ?? []), { system: 'https://fhir.example-gp-system.co.uk/Id/location', value: 'L1' }];
    const or = load('foundations_read_organization_response.json');
    or.identifier.push({ system: 'https://fhir.example-gp-system.co.uk/Id/org', value: 'O1' });
    assert.deepEqual([...check(pr), ...check(lo), ...check(or)], []);
  });
  test('F14: a returned Appointment without created (0..1 in GPConnect-Appointment-1)', () => {
    const a = load('appointments_book_response.json');
    delete a.created;
    assert.deepEqual(check(a), []);
  });
  test('F10: the practitioner role coded with the CareConnect SDS job role name system 1.2.9 moved to', () => {
    const a = load('appointments_book_response.json');
    a.extension = [...a.extension, {
      url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1',
      valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1', code: 'R0260', display: 'General Medical Practitioner' }] },
    }];
    assert.deepEqual(check(a), []);
  });
});

describe('the vendored artefacts', () => {
  test('every root profile is there, with the version 1.2.9 names', () => {
    const byUrl = definitions().byUrl;
    for (const url of Object.values(GpcProfile)) {
      if (url.includes('OperationDefinition') || url.includes('RegisterPatient')) continue;
      assert.ok(byUrl.has(url), `${url} is vendored`);
    }
    assert.equal(byUrl.get(GpcProfile.appointment)?.version, '1.7.0');
  });
  test('a value set is expanded from its vendored code system; SNOMED CT and unvendored ones are not checkable', () => {
    assert.ok(expand('http://hl7.org/fhir/ValueSet/appointmentstatus')?.bareCodes.has('booked'));
    assert.equal(expand('https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-SDSJobRoleName-1'), undefined);
  });
});
