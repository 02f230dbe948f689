/**
 * The latitude the GP Connect STU3 profiles give providers (spec-fidelity review 2026-12-04, section C: F7, F8, F9,
 * F10, F14, C6, M7): the spec's own example plus one conformant addition gives no issue, and, beside each, a
 * mutation that breaks the rule the latitude sits in still gives an issue naming the path.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GpcAppointmentExtension, GpcProfile, System, ValidationProfile, ValidationSystem } from '../../src/gpconnect/constants';
import { ValidationIssue, validateResource } from '../../src/fhir/validate';
import { validResource } from '../../src/rules/provider';
import { PACKAGE_ROOT } from '../../src/package-root';

const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const load = (name: string): J => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
const pairs = (issues: ValidationIssue[]) => issues.map((i) => `${i.path} ${i.rule}`).sort();

function clean(issues: ValidationIssue[]): void {
  assert.deepEqual(issues, [], JSON.stringify(issues, null, 1));
}

/** Exactly the one issue at `path` with `rule`, and its message names the path. */
function bites(issues: ValidationIssue[], path: string, rule: string): void {
  assert.deepEqual(pairs(issues), [`${path} ${rule}`], JSON.stringify(issues, null, 1));
  assert.ok(issues[0].message.includes(path), `message "${issues[0].message}" should name ${path}`);
}

const GMP_NUMBER = 'https://fhir.hl7.org.uk/Id/gmp-number';
const LOCAL = 'https://fhir.example-gp-system.co.uk/Id/local-id';
const VALUESET_URL = 'https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1';
const CARECONNECT_JOB_ROLE = 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1';

describe('F7: OperationOutcome details.coding.system (CodeSystem or the 1.2.x examples\' ValueSet URL)', () => {
  const oo = () => load('oo_400_invalid_nhs_number.json');
  const system = (o: J) => o.issue[0].details.coding[0].system;
  const SYSTEM_PATH = 'OperationOutcome.issue[0].details.coding[0].system';

  test('the spec example, ValueSet URL as published, passes by default', () => {
    assert.equal(system(oo()), VALUESET_URL);
    clean(validateResource(oo(), GpcProfile.operationOutcome));
  });
  test('the profile\'s fixed CodeSystem URL passes', () => {
    const o = oo();
    o.issue[0].details.coding[0].system = System.spineErrorCodeStu3;
    clean(validateResource(o, GpcProfile.operationOutcome));
    clean(validateResource(o, GpcProfile.operationOutcome, { acceptValueSetErrorSystem: false }));
  });
  test('bites: the ValueSet URL when a caller holds providers to the profile', () => {
    bites(validateResource(oo(), GpcProfile.operationOutcome, { acceptValueSetErrorSystem: false }), SYSTEM_PATH, 'fixed-value');
  });
  test('bites: the R4 system, by default', () => {
    const o = oo();
    o.issue[0].details.coding[0].system = System.spineErrorCodeR4;
    bites(validateResource(o, GpcProfile.operationOutcome), SYSTEM_PATH, 'fixed-value');
  });
  test('bites: a code outside Spine-ErrorOrWarningCode-1 under the ValueSet URL', () => {
    const o = oo();
    o.issue[0].details.coding[0].code = 'NHS_NUMBER_INVALID';
    // Under the ValueSet URL the prose rule checks the code against the vendored CodeSystem.
    bites(validateResource(o, GpcProfile.operationOutcome), 'OperationOutcome.issue[0].details.coding[0].code', 'outcome-spine-code');
  });
});

describe('F8: Patient.identifier is sliced openAtEnd; exactly one NHS number', () => {
  const patient = () => load('foundations_read_patient_response.json');
  const local = { system: LOCAL, value: 'PAT-000123' };

  test('the read example plus a local identifier passes', () => {
    const p = patient();
    p.identifier.push(local);
    clean(validateResource(p));
  });
  test('the NHS number need not come first; an identifier without system is base STU3 (0..1)', () => {
    const p = patient();
    p.identifier.unshift(local, { value: 'card-778899' });
    clean(validateResource(p));
  });
  test('the find-patient and register examples plus a local identifier pass', () => {
    const find = load('foundations_find_patient_response.json');
    find.entry[0].resource.identifier.push(local);
    clean(validateResource(find, ValidationProfile.findPatientBundle));
    const registered = load('foundations_register_patient_response.json');
    registered.entry[0].resource.identifier.push(local);
    clean(validateResource(registered, GpcProfile.searchsetBundle));
  });
  test('bites: only a local identifier, no NHS number', () => {
    const p = patient();
    p.identifier = [local];
    bites(validateResource(p), 'Patient.identifier', 'patient-nhs-number');
  });
  test('bites: two NHS number identifiers (Patient.identifier:nhsNumber 0..1)', () => {
    const p = patient();
    p.identifier.push({ system: System.nhsNumber, value: '9476719931' }, local);
    bites(validateResource(p), 'Patient.identifier', 'cardinality');
  });
  test('bites: no identifier at all (the slice is 0..1; the pages ask for "a minimum of the patient\'s NHS number")', () => {
    const p = patient();
    delete p.identifier;
    bites(validateResource(p), 'Patient.identifier', 'patient-nhs-number');
  });
  test('bites: the NHS number without a value (nhsNumber.value 1..1), beside a local identifier', () => {
    const p = patient();
    p.identifier.unshift(local);
    delete p.identifier[1].value;
    bites(validateResource(p), 'Patient.identifier[1].value', 'required');
  });
  test('bites: inside a find-patient Bundle, the path names the entry', () => {
    const find = load('foundations_find_patient_response.json');
    find.entry[0].resource.identifier = [local];
    bites(validateResource(find, ValidationProfile.findPatientBundle), 'Bundle.entry[0].resource(Patient).identifier', 'patient-nhs-number');
  });
});

describe('F9: Practitioner, Location and Organization identifiers: known slices checked, other systems allowed', () => {
  const practitioner = () => load('foundations_read_practitioner_response.json');
  const organization = () => load('foundations_read_organization_response.json');
  const location = () => {
    const l = load('foundations_read_location_response.json');
    l.address = l.address[0]; // the example's only deviation: STU3 Location.address is 0..1
    return l;
  };

  test('Practitioner: SDS user id, two role profile ids, a GMP number and a local id pass', () => {
    const p = practitioner();
    p.identifier.push(
      { system: System.sdsRoleProfileId, value: '444555666777' },
      { system: System.sdsRoleProfileId, value: '444555666778' },
      { system: GMP_NUMBER, value: 'G1234567' },
      { system: LOCAL, value: 'DR-42' },
    );
    clean(validateResource(p));
  });
  test('Location: an ODS site code and a local id pass', () => {
    const l = location();
    l.identifier = [{ system: ValidationSystem.odsSiteCode, value: 'Z26556' }, { system: LOCAL, value: 'ROOM-7' }];
    clean(validateResource(l));
  });
  test('Organization: the ODS code, a site code and a local id pass', () => {
    const o = organization();
    o.identifier.push({ system: ValidationSystem.odsSiteCode, value: 'Z26556' }, { system: LOCAL, value: 'ORG-1' });
    clean(validateResource(o));
  });
  test('bites: two SDS user ids (sdsUserID 0..1)', () => {
    const p = practitioner();
    p.identifier.push({ system: GMP_NUMBER, value: 'G1234567' }, { system: System.sdsUserId, value: '999988887777' });
    bites(validateResource(p), 'Practitioner.identifier', 'cardinality');
  });
  test('bites: a role profile id without a value (sdsRoleProfileID.value 1..1)', () => {
    const p = practitioner();
    p.identifier.push({ system: System.sdsRoleProfileId });
    bites(validateResource(p), 'Practitioner.identifier[1].value', 'required');
  });
  test('bites: two ODS site codes on a Location (odsSiteCode 0..1)', () => {
    const l = location();
    l.identifier = [{ system: ValidationSystem.odsSiteCode, value: 'Z26556' }, { system: ValidationSystem.odsSiteCode, value: 'Z33432' }];
    bites(validateResource(l), 'Location.identifier', 'cardinality');
  });
  test('bites: two ODS organisation codes (odsOrganisationCode 0..1)', () => {
    const o = organization();
    o.identifier.push({ system: LOCAL, value: 'ORG-1' }, { system: System.odsOrganizationCode, value: 'B81016' });
    bites(validateResource(o), 'Organization.identifier', 'cardinality');
  });
  test('bites: an identifier that is not an object, or a local one with an empty value', () => {
    const o = organization();
    o.identifier.push('A00001');
    bites(validateResource(o), 'Organization.identifier[1]', 'type');
    const p = practitioner();
    p.identifier.push({ system: GMP_NUMBER, value: '' });
    bites(validateResource(p), 'Practitioner.identifier[1].value', 'empty');
  });
});

describe('F10: the practitioner role coding system (1.2.9: the CareConnect SDS job role name CodeSystem)', () => {
  // Extension-GPConnect-PractitionerRole-1 binds CareConnect-SDSJobRoleName-1 at extensible strength, and that value set
  // is not vendored: the coding system cannot be checked offline and no page makes it a SHALL (docs/fhir-validation.md row 50).
  const roleAt = (a: J) => a.extension.findIndex((e: J) => e.url === GpcAppointmentExtension.practitionerRole);
  const appointment = () => load('appointments_read_response.json');

  test('the read example as published (fhir.nhs.uk system) and with the CareConnect system pass', () => {
    clean(validateResource(appointment()));
    const a = appointment();
    a.extension[roleAt(a)].valueCodeableConcept.coding[0].system = CARECONNECT_JOB_ROLE;
    clean(validateResource(a));
  });
  test('latitude: another system passes too (the extensible binding\'s value set is not vendored; the check was dropped)', () => {
    const a = appointment();
    const i = roleAt(a);
    a.extension[i].valueCodeableConcept.coding[0].system = 'https://fhir.nhs.uk/STU3/ValueSet/CareConnect-SDSJobRoleName-1';
    clean(validateResource(a));
  });
  test('bites: a practitioner role extension without its valueCodeableConcept (ext-1: a value or extensions)', () => {
    const a = appointment();
    const i = roleAt(a);
    delete a.extension[i].valueCodeableConcept;
    bites(validateResource(a), `Appointment.extension[${i}]`, 'invariant');
  });
});

describe('F14: created is required on the consumer\'s book request only (GPConnect-Appointment-1: 0..1)', () => {
  test('book and read responses without created pass', () => {
    for (const f of ['appointments_book_response.json', 'appointments_read_response.json']) {
      const a = load(f);
      delete a.created;
      clean(validateResource(a, GpcProfile.appointment));
    }
  });
  test('bites: a book request without created', () => {
    const a = load('appointments_book_request.json');
    delete a.created;
    bites(validateResource(a, ValidationProfile.appointmentBookRequest), 'Appointment.created', 'book-created');
  });
  test('bites: a returned created that is not a dateTime', () => {
    const a = load('appointments_book_response.json');
    a.created = '25/05/2017';
    bites(validateResource(a, GpcProfile.appointment), 'Appointment.created', 'format');
  });
});

describe('C6: entry.fullUrl is not required by default (1.2.3: providers SHOULD NOT populate it)', () => {
  test('the find-patient example (no fullUrl) passes, its SHOULDs included', () => {
    // The option contradicted the 1.2.3 rule and was dropped (docs/fhir-validation.md row 15).
    const find = load('foundations_find_patient_response.json');
    clean(validateResource(find, ValidationProfile.findPatientBundle));
    clean(validateResource(find, ValidationProfile.findPatientBundle, { includeShould: true }));
  });
  test('a populated fullUrl is the SHOULD NOT: a `full-url` warning when SHOULDs are asked for, never a failure', () => {
    const find = load('foundations_find_patient_response.json');
    find.entry[0].fullUrl = 'https://provider.nhs.uk/A00001/STU3/1/gpconnect/Patient/2';
    clean(validateResource(find, ValidationProfile.findPatientBundle));
    bites(validateResource(find, ValidationProfile.findPatientBundle, { includeShould: true }), 'Bundle.entry[0].fullUrl', 'full-url');
  });
});

describe('M7: the Register a patient response is a GPConnect-Searchset-Bundle-1 of CareConnect-GPC-Patient-1', () => {
  const registered = () => load('foundations_register_patient_response.json');
  const answer = (body: J) => ({ response: { status: 200, headers: {}, body: JSON.stringify(body) }, body, asked: 'POST /Patient/$gpc.registerpatient' });
  /** validResource finds one sentence per issue, ending "<path>: <message>". */
  const failsAt = (findings: string[], path: string) => assert.ok(findings.some((f) => f.includes(`: ${path}: `)), findings.join('\n'));

  test('the spec example passes, as a resource and as PROV-REGISTER judges it', () => {
    clean(validateResource(registered(), GpcProfile.searchsetBundle));
    assert.deepEqual(validResource(answer(registered()), 'Register a patient response'), []);
  });
  test('bites: no meta.profile', () => {
    const b = registered();
    delete b.meta;
    bites(validateResource(b, GpcProfile.searchsetBundle), 'Bundle.meta.profile', 'register-response-profile');
    failsAt(validResource(answer(b), 'Register a patient response'), 'Bundle.meta.profile');
  });
  test('bites: a Patient entry that breaks CareConnect-GPC-Patient-1', () => {
    const b = registered();
    b.entry[0].resource.maritalStatus = { coding: [{ system: 'http://hl7.org/fhir/v3/MaritalStatus', code: 'M', display: 'Married' }] };
    bites(validateResource(b, GpcProfile.searchsetBundle), 'Bundle.entry[0].resource(Patient).maritalStatus', 'patient-not-populated');
    failsAt(validResource(answer(b), 'Register a patient response'), 'Bundle.entry[0].resource(Patient).maritalStatus');
  });
});
