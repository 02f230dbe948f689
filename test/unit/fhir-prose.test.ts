/**
 * src/fhir/prose/: the GP Connect 1.2.9 prose rules that no StructureDefinition expresses. Every rule is shown
 * passing a spec example (../shared/spec/gpconnect-examples) and failing a realistic mutation of it, at the exact
 * path and with the rule's id; every finding cites its page and level.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GpcAppointmentExtension, GpcExtension, GpcProfile, System, ValidationProfile, ValidationSystem } from '../../src/gpconnect/constants';
import { KNOWN_PROFILES } from '../../src/fhir/validate';
import {
  PROSE_CATALOGUE, PROSE_RULES, ProseRuleId, excusedByProse, proseKeyFor, spineErrorCodes, validateProse,
} from '../../src/fhir/prose';
import type { ValidationIssue, ValidationOptions } from '../../src/fhir/issues';
import { PACKAGE_ROOT } from '../../src/package-root';

const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function load(name: string): J {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
}

/** Every rule id a test below has seen fire. */
const fired = new Set<string>();

const pairs = (issues: ValidationIssue[]) => issues.map((i) => [i.path, i.rule] as [string, string]).sort((a, b) => (a.join() < b.join() ? -1 : 1));

/** The findings are exactly these (path, rule) pairs; each message cites GP Connect 1.2.9 and its rule's level. */
function expectFindings(issues: ValidationIssue[], expected: [string, ProseRuleId][]): void {
  assert.deepEqual(pairs(issues), [...expected].sort((a, b) => (a.join() < b.join() ? -1 : 1)), JSON.stringify(issues, null, 1));
  for (const i of issues) {
    const rule = PROSE_CATALOGUE[i.rule as ProseRuleId];
    assert.ok(rule, `${i.rule} is a catalogued prose rule`);
    assert.match(i.message, new RegExp(`\\(GP Connect 1\\.2\\.9, .+, ${rule.level}\\)$`), i.message);
    fired.add(i.rule);
  }
}

const run = (resource: J, key?: string, options?: ValidationOptions) => validateProse(resource, key, options);

const EXAMPLE_KEYS: Record<string, string> = {
  'appointments_book_request.json': ValidationProfile.appointmentBookRequest,
  'appointments_book_response.json': GpcProfile.appointment,
  'appointments_read_response.json': GpcProfile.appointment,
  'appointments_search_free_slots_response.json': ValidationProfile.freeSlotsBundle,
  'foundations_find_patient_response.json': ValidationProfile.findPatientBundle,
  'foundations_get_capability_statement_response.json': ValidationProfile.capabilityStatement,
  'foundations_read_location_response.json': GpcProfile.location,
  'foundations_read_organization_response.json': GpcProfile.organization,
  'foundations_read_patient_response.json': GpcProfile.patient,
  'foundations_read_practitioner_response.json': GpcProfile.practitioner,
  'foundations_register_patient_request.json': ValidationProfile.registerPatientParameters,
  'foundations_register_patient_response.json': GpcProfile.searchsetBundle,
  'oo_400_invalid_nhs_number.json': GpcProfile.operationOutcome,
  'oo_403_access_denied.json': GpcProfile.operationOutcome,
  'oo_500_internal_server_error.json': GpcProfile.operationOutcome,
  'ssp_403_asid_check_failed_sender.json': ValidationProfile.baseOperationOutcome,
};

describe('the spec examples pass the prose rules', () => {
  for (const [file, key] of Object.entries(EXAMPLE_KEYS)) {
    test(`${file} as ${key}`, () => expectFindings(run(load(file), key), []));
  }
  test('the keys are the keys validate.ts knows, and a resource finds its own', () => {
    assert.deepEqual(Object.keys(PROSE_RULES).sort(), [...KNOWN_PROFILES].sort());
    assert.equal(proseKeyFor(load('appointments_book_request.json')), GpcProfile.appointment);
    assert.equal(proseKeyFor({ resourceType: 'Bundle' }), ValidationProfile.baseBundle);
    assert.equal(proseKeyFor({ resourceType: 'Observation' }), undefined);
  });
});

describe('Appointment', () => {
  const book = () => load('appointments_book_request.json');
  const BOOK = ValidationProfile.appointmentBookRequest;

  test('a returned Appointment declares its profile and populates neither reason nor specialty', () => {
    const a = load('appointments_read_response.json');
    a.meta.profile = ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-2'];
    a.reason = { text: 'chest pain' };
    a.specialty = { text: 'General practice' };
    expectFindings(run(a, GpcProfile.appointment), [
      ['Appointment.meta.profile', 'appointment-meta-profile'],
      ['Appointment.reason', 'appointment-not-populated'],
      ['Appointment.specialty', 'appointment-not-populated'],
    ]);
  });

  test('a returned Appointment may lack created, a booking organisation or a location participant (no page requires them of a response)', () => {
    const a = load('appointments_book_response.json');
    delete a.created;
    delete a.contained;
    delete a.extension;
    a.participant = a.participant.filter((p: J) => !String(p.actor.reference).startsWith('Location/'));
    a.description = 'x'.repeat(101);
    expectFindings(run(a, GpcProfile.appointment), []);
  });

  test('a booking without meta.profile, created, or with status proposed', () => {
    const a = book();
    delete a.meta;
    delete a.created;
    a.status = 'proposed';
    expectFindings(run(a, BOOK), [
      ['Appointment.created', 'book-created'],
      ['Appointment.meta.profile', 'book-meta-profile'],
      ['Appointment.status', 'book-status'],
    ]);
  });

  test('description of 100 characters and comment of 500 pass; one more each fails', () => {
    const a = book();
    a.description = 'd'.repeat(100);
    a.comment = 'c'.repeat(500);
    expectFindings(run(a, BOOK), []);
    a.description += 'd';
    a.comment += 'c';
    expectFindings(run(a, BOOK), [
      ['Appointment.comment', 'book-comment-length'],
      ['Appointment.description', 'book-description-length'],
    ]);
  });

  test('a booking names a patient and exactly one location participant (a practitioner instead, or a second location, fails)', () => {
    const a = book();
    a.participant[1].actor.reference = 'Practitioner/2';
    expectFindings(run(a, BOOK), [['Appointment.participant', 'book-participant-location']]);
    a.participant[1].actor.reference = 'Location/32';
    a.participant.push({ actor: { reference: 'Location/33' }, status: 'accepted' });
    expectFindings(run(a, BOOK), [['Appointment.participant', 'book-participant-location']]);
    a.participant = [{ actor: { reference: 'Practitioner/2' }, status: 'accepted' }];
    expectFindings(run(a, BOOK), [
      ['Appointment.participant', 'book-participant-location'],
      ['Appointment.participant', 'book-participant-patient'],
    ]);
  });

  test('a booking must not include reason, specialty or the cancellation reason extension', () => {
    const a = book();
    a.reason = { coding: [{ system: 'http://snomed.info/sct', code: '29857009', display: 'Chest pain' }] };
    a.specialty = { text: 'GP' };
    a.extension.push({ url: GpcAppointmentExtension.cancellationReason, valueString: 'changed my mind' });
    expectFindings(run(a, BOOK), [
      ['Appointment.extension[1]', 'book-not-included'],
      ['Appointment.reason', 'book-not-included'],
      ['Appointment.specialty', 'book-not-included'],
    ]);
  });

  test('the booking organisation: present, contained, with an ODS code, name and telecom', () => {
    const noExtension = book();
    noExtension.extension = [];
    expectFindings(run(noExtension, BOOK), [['Appointment.extension', 'book-booking-organisation']]);

    const external = book();
    external.extension[0].valueReference.reference = 'Organization/7';
    expectFindings(run(external, BOOK), [['Appointment.extension[0].valueReference.reference', 'book-booking-organisation']]);

    const thin = book();
    thin.contained[0].identifier = [{ system: ValidationSystem.odsSiteCode, value: 'Z26556' }];
    delete thin.contained[0].name;
    delete thin.contained[0].telecom;
    expectFindings(run(thin, BOOK), [
      ['Appointment.contained[0](Organization).identifier', 'book-organisation-ods'],
      ['Appointment.contained[0](Organization).name', 'book-organisation-details'],
      ['Appointment.contained[0](Organization).telecom', 'book-organisation-details'],
    ]);
  });

  test('the contained booking organisation is handed on as CareConnect-GPC-Organization-1, without the Read page\'s meta.profile', () => {
    const a = book();
    delete a.contained[0].meta;
    const nested: Array<[string, string | undefined]> = [];
    const issues = validateProse(a, BOOK, {}, (_r, path, key) => nested.push([path, key]));
    expectFindings(issues, []);
    assert.deepEqual(nested, [['Appointment.contained[0]', GpcProfile.organization]]);
  });
});

describe('Slot and Schedule (Search for free slots)', () => {
  const bundle = () => load('appointments_search_free_slots_response.json');
  const FREE = ValidationProfile.freeSlotsBundle;
  const at = (b: J, type: string) => b.entry.findIndex((e: J) => e.resource.resourceType === type);

  test('Slot times in UK local time with +00:00 or +01:00; Z or no offset fails', () => {
    const b = bundle();
    const s = at(b, 'Slot');
    b.entry[s].resource.start = '2016-08-15T09:00:00Z';
    b.entry[s].resource.end = '2016-08-15T09:15:00';
    const h = at(b, 'Schedule');
    b.entry[h].resource.planningHorizon.start = '2016-08-15T08:00:00+02:00';
    expectFindings(run(b, FREE), [
      [`Bundle.entry[${s}].resource(Slot).end`, 'slot-local-time'],
      [`Bundle.entry[${s}].resource(Slot).start`, 'slot-local-time'],
      [`Bundle.entry[${h}].resource(Schedule).planningHorizon.start`, 'slot-local-time'],
    ]);
  });

  test('Slot.serviceType.text is populated; no specialty on Slot or Schedule', () => {
    const b = bundle();
    const s = at(b, 'Slot');
    const h = at(b, 'Schedule');
    b.entry[s].resource.serviceType = [{ coding: [{ system: 'http://example.org/slot-type', code: 'GP' }] }];
    b.entry[s].resource.specialty = [{ text: 'General practice' }];
    b.entry[h].resource.specialty = [{ text: 'General practice' }];
    expectFindings(run(b, FREE), [
      [`Bundle.entry[${h}].resource(Schedule).specialty`, 'slot-no-specialty'],
      [`Bundle.entry[${s}].resource(Slot).serviceType[0].text`, 'slot-service-type-text'],
      [`Bundle.entry[${s}].resource(Slot).specialty`, 'slot-no-specialty'],
    ]);
    delete b.entry[s].resource.serviceType;
    delete b.entry[s].resource.specialty;
    delete b.entry[h].resource.specialty;
    expectFindings(run(b, FREE), [[`Bundle.entry[${s}].resource(Slot).serviceType`, 'slot-service-type-text']]);
  });

  test('the Bundle is a searchset of Slot, Schedule, Practitioner, Location and Organization, each handed on with its profile', () => {
    const b = bundle();
    const nested: Array<[string, string | undefined]> = [];
    expectFindings(validateProse(b, FREE, {}, (_r, path, key) => nested.push([path, key])), []);
    assert.deepEqual(nested.map(([, k]) => k), b.entry.map((e: J) => (GpcProfile as J)[e.resource.resourceType.toLowerCase()]));
    b.type = 'collection';
    b.entry.push({ resource: { resourceType: 'Appointment', id: '9' } });
    expectFindings(run(b, FREE), [
      ['Bundle.type', 'free-slots-searchset'],
      [`Bundle.entry[${b.entry.length - 1}].resource`, 'free-slots-entry-type'],
    ]);
  });

  test("each Slot's Schedule is in the Bundle (_include=Slot:schedule)", () => {
    const b = bundle();
    b.entry = b.entry.filter((e: J) => e.resource.resourceType !== 'Schedule');
    const slots = b.entry.flatMap((e: J, i: number) => (e.resource.resourceType === 'Slot' ? [i] : []));
    expectFindings(run(b, FREE), slots.map((i: number) => [`Bundle.entry[${i}].resource(Slot).schedule.reference`, 'free-slots-schedule'] as [string, ProseRuleId]));
  });

  test('no Slot with the delivery channel Visit', () => {
    const b = bundle();
    const i = b.entry.findIndex((e: J) => e.resource.resourceType === 'Slot');
    const j = b.entry[i].resource.extension.findIndex((x: J) => x.url === GpcAppointmentExtension.deliveryChannel);
    b.entry[i].resource.extension[j].valueCode = 'Visit';
    expectFindings(run(b, FREE), [[`Bundle.entry[${i}].resource(Slot).extension[${j}].valueCode`, 'free-slots-no-visit']]);
  });

  test('entry.fullUrl is a SHOULD NOT', () => {
    const b = bundle();
    b.entry[0].fullUrl = `https://provider.example/fhir/Slot/${b.entry[0].resource.id}`;
    const issues = run(b, FREE);
    expectFindings(issues, [['Bundle.entry[0].fullUrl', 'full-url']]);
    assert.equal(PROSE_CATALOGUE['full-url'].level, 'SHOULD');
  });
});

describe('Patient (Find / Read a patient)', () => {
  const read = () => load('foundations_read_patient_response.json');

  test('meta.profile, an NHS number, birthDate and gender', () => {
    const p = read();
    delete p.meta.profile;
    p.identifier = [{ system: 'https://fhir.nhs.uk/Id/local-patient-id', value: 'P1234' }];
    delete p.birthDate;
    delete p.gender;
    expectFindings(run(p, GpcProfile.patient), [
      ['Patient.birthDate', 'patient-birth-date'],
      ['Patient.gender', 'patient-gender'],
      ['Patient.identifier', 'patient-nhs-number'],
      ['Patient.meta.profile', 'patient-meta-profile'],
    ]);
  });

  test('other identifiers beside the NHS number pass (open slicing); an NHS number failing its check digit fails', () => {
    const p = read();
    p.identifier.push({ system: 'https://fhir.nhs.uk/Id/local-patient-id', value: 'P1234' });
    expectFindings(run(p, GpcProfile.patient), []);
    const nhs = p.identifier.findIndex((i: J) => i.system === System.nhsNumber);
    p.identifier[nhs].value = '9476719932';
    expectFindings(run(p, GpcProfile.patient), [[`Patient.identifier[${nhs}].value`, 'nhs-number-check-digit']]);
  });

  test('maritalStatus, multipleBirthBoolean and the six extensions are not populated (by the profile\'s URL or the CareConnect one)', () => {
    const p = read();
    p.maritalStatus = { coding: [{ system: 'http://hl7.org/fhir/v3/MaritalStatus', code: 'M', display: 'Married' }] };
    p.multipleBirthBoolean = false;
    const n = p.extension.length;
    p.extension.push(
      { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-EthnicCategory-1', valueCodeableConcept: { text: 'x' } },
      { url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ReligiousAffiliation-1', valueCodeableConcept: { text: 'x' } },
      { url: 'http://hl7.org/fhir/StructureDefinition/birthPlace', valueAddress: { city: 'Leeds' } },
    );
    expectFindings(run(p, GpcProfile.patient), [
      [`Patient.extension[${n}]`, 'patient-not-populated'],
      [`Patient.extension[${n + 1}]`, 'patient-not-populated'],
      [`Patient.extension[${n + 2}]`, 'patient-not-populated'],
      ['Patient.maritalStatus', 'patient-not-populated'],
      ['Patient.multipleBirthBoolean', 'patient-not-populated'],
    ]);
  });

  test('Find a patient: a searchset of Patients, each handed on as CareConnect-GPC-Patient-1', () => {
    const b = load('foundations_find_patient_response.json');
    const nested: Array<string | undefined> = [];
    expectFindings(validateProse(b, ValidationProfile.findPatientBundle, {}, (_r, _p, key) => nested.push(key)), []);
    assert.deepEqual(nested, b.entry.map(() => GpcProfile.patient));
    b.type = 'collection';
    b.entry.push({ resource: load('foundations_read_organization_response.json') });
    delete b.entry[0].resource.birthDate;
    expectFindings(run(b, ValidationProfile.findPatientBundle), [
      ['Bundle.entry[0].resource(Patient).birthDate', 'patient-birth-date'],
      [`Bundle.entry[${b.entry.length - 1}].resource`, 'find-patient-searchset'],
      ['Bundle.type', 'find-patient-searchset'],
    ]);
  });
});

describe('Register a patient', () => {
  const request = () => load('foundations_register_patient_request.json');
  const PARAMS = ValidationProfile.registerPatientParameters;
  const P = 'Parameters.parameter[0].resource(Patient)';

  test('one registerPatient parameter holding a Patient, and no other parameter', () => {
    const r = request();
    r.parameter.push({ name: 'registerPatient', resource: r.parameter[0].resource }, { name: 'registerGmsPatient', valueBoolean: true });
    expectFindings(run(r, PARAMS), [
      ['Parameters.parameter[1]', 'register-parameters'],
      ['Parameters.parameter[2].name', 'register-parameters'],
    ]);
    r.parameter = [{ name: 'registerPatient', resource: { resourceType: 'Person' } }];
    expectFindings(run(r, PARAMS), [['Parameters.parameter[0].resource', 'register-parameters']]);
    r.parameter = [{ name: 'registerGpPatient', resource: request().parameter[0].resource }];
    expectFindings(run(r, PARAMS), [
      ['Parameters.parameter', 'register-parameters'],
      ['Parameters.parameter[0].name', 'register-parameters'],
    ]);
  });

  test('the Patient is handed on as the register request Patient', () => {
    const nested: Array<string | undefined> = [];
    expectFindings(validateProse(request(), PARAMS, {}, (_r, _p, key) => nested.push(key)), []);
    assert.deepEqual(nested, [ValidationProfile.registerPatientResource]);
  });

  test('the minimum: meta.profile, the NHS number, the given name of the official name, birthDate', () => {
    const r = request();
    const p = r.parameter[0].resource;
    delete p.meta;
    p.identifier[0].value = '9000000008';
    const official = p.name.findIndex((n: J) => n.use === 'official');
    delete p.name[official].given;
    delete p.birthDate;
    expectFindings(run(r, PARAMS), [
      [`${P}.birthDate`, 'register-minimum'],
      [`${P}.identifier[0].value`, 'nhs-number-check-digit'],
      [`${P}.meta.profile`, 'register-meta-profile'],
      [`${P}.name[${official}].given`, 'register-minimum'],
    ]);
    p.identifier = [];
    expectFindings(run(r, PARAMS).filter((i) => i.path === `${P}.identifier`), [[`${P}.identifier`, 'register-minimum']]);
  });

  test('a second, non-official name passes (PTEST "additional valid elements: Name")', () => {
    const r = request();
    r.parameter[0].resource.name.push({ use: 'nickname', given: ['Janey'] });
    expectFindings(run(r, PARAMS), []);
  });

  test('all other fields MUST NOT be populated: active, maritalStatus, a religious affiliation extension', () => {
    const r = request();
    const p = r.parameter[0].resource;
    p.active = true;
    p.maritalStatus = { text: 'Married' };
    const n = (p.extension ??= []).length;
    p.extension.push({ url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ReligiousAffiliation-1', valueCodeableConcept: { text: 'x' } });
    expectFindings(run(r, PARAMS), [
      [`${P}.active`, 'register-not-allowed'],
      [`${P}.extension[${n}]`, 'register-not-allowed'],
      [`${P}.maritalStatus`, 'register-not-allowed'],
    ]);
  });

  test('a single NHSCommunication', () => {
    const r = request();
    const p = r.parameter[0].resource;
    const comm = { url: GpcExtension.nhsCommunication, extension: [{ url: 'language', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1', code: 'en', display: 'English' }] } }] };
    p.extension = [comm];
    expectFindings(run(r, PARAMS), []);
    p.extension.push(comm);
    expectFindings(run(r, PARAMS), [[`${P}.extension[1]`, 'register-nhs-communication']]);
  });

  test('addresses: one home and one temp at most, no other use', () => {
    const r = request();
    const p = r.parameter[0].resource;
    p.address = [{ use: 'home', line: ['1 High St'] }, { use: 'temp', line: ['2 Low St'] }];
    expectFindings(run(r, PARAMS), []);
    p.address.push({ use: 'home', line: ['3 Mid St'] }, { use: 'work', line: ['4 Office Rd'] });
    expectFindings(run(r, PARAMS), [
      [`${P}.address[2]`, 'register-address'],
      [`${P}.address[3].use`, 'register-address'],
    ]);
  });

  test('telecom: one phone each of home, work, mobile and temp, one email; nothing else', () => {
    const r = request();
    const p = r.parameter[0].resource;
    p.telecom = [
      { system: 'phone', value: '01632 960001', use: 'home' }, { system: 'phone', value: '01632 960002', use: 'work' },
      { system: 'phone', value: '07700 900001', use: 'mobile' }, { system: 'phone', value: '07700 900002', use: 'temp' },
      { system: 'email', value: 'jane@example.org' },
    ];
    expectFindings(run(r, PARAMS), []);
    p.telecom.push({ system: 'phone', value: '01632 960003', use: 'home' }, { system: 'fax', value: '01632 960004', use: 'work' });
    expectFindings(run(r, PARAMS), [
      [`${P}.telecom[5]`, 'register-telecom'],
      [`${P}.telecom[6]`, 'register-telecom'],
    ]);
  });

  test('the response: a Bundle declaring GPConnect-Searchset-Bundle-1, its Patient judged as a returned Patient', () => {
    const b = load('foundations_register_patient_response.json');
    delete b.meta;
    const pat = b.entry.findIndex((e: J) => e.resource.resourceType === 'Patient');
    b.entry[pat].resource.maritalStatus = { text: 'Married' };
    expectFindings(run(b, GpcProfile.searchsetBundle), [
      ['Bundle.meta.profile', 'register-response-profile'],
      [`Bundle.entry[${pat}].resource(Patient).maritalStatus`, 'patient-not-populated'],
    ]);
  });
});

describe('Organization, Location, Practitioner', () => {
  test('each declares its profile; Location has a name; every telecom has a system and a value', () => {
    const org = load('foundations_read_organization_response.json');
    delete org.meta.profile;
    org.telecom = [{ value: '0300 303 5678' }];
    expectFindings(run(org, GpcProfile.organization), [
      ['Organization.meta.profile', 'organization-meta-profile'],
      ['Organization.telecom[0].system', 'contact-point'],
    ]);
    const loc = load('foundations_read_location_response.json');
    delete loc.name;
    loc.telecom = [{ system: 'phone' }];
    loc.meta.profile = ['https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Location-1'];
    expectFindings(run(loc, GpcProfile.location), [
      ['Location.meta.profile', 'location-meta-profile'],
      ['Location.name', 'location-name'],
      ['Location.telecom[0].value', 'contact-point'],
    ]);
    const prac = load('foundations_read_practitioner_response.json');
    prac.meta.profile = [GpcProfile.practitionerRole];
    expectFindings(run(prac, GpcProfile.practitioner), [['Practitioner.meta.profile', 'practitioner-meta-profile']]);
  });
});

describe('OperationOutcome', () => {
  const oo = () => load('oo_400_invalid_nhs_number.json');

  test('a GP Connect error declares GPConnect-OperationOutcome-1', () => {
    const o = oo();
    delete o.meta;
    expectFindings(run(o, GpcProfile.operationOutcome), [['OperationOutcome.meta.profile', 'outcome-meta-profile']]);
  });

  test('with the ValueSet URL (the examples\' system), the code is still a Spine-ErrorOrWarningCode-1 code', () => {
    assert.ok(spineErrorCodes().has('INVALID_NHS_NUMBER') && spineErrorCodes().has('ACCESS DENIED'));
    const o = oo();
    o.issue[0].details.coding[0].code = 'NHS_NUMBER_INVALID';
    expectFindings(run(o, GpcProfile.operationOutcome), [['OperationOutcome.issue[0].details.coding[0].code', 'outcome-spine-code']]);
    // Without the latitude the StructureDefinition's fixed system judges it alone: no prose finding.
    expectFindings(run(o, GpcProfile.operationOutcome, { acceptValueSetErrorSystem: false }), []);
  });

  test('excusedByProse: the fixed system and the binding findings on a ValueSet-URL coding, nothing else', () => {
    const o = oo();
    const system = { path: 'OperationOutcome.issue[0].details.coding[0].system', rule: 'fixed-value', element: 'OperationOutcome.issue.details.coding.system', profile: GpcProfile.operationOutcome };
    const binding = { path: 'OperationOutcome.issue[0].details', rule: 'code', element: 'OperationOutcome.issue.details', profile: GpcProfile.operationOutcome };
    assert.equal(excusedByProse(system, o)?.rule, 'outcome-spine-code');
    assert.equal(excusedByProse(binding, o)?.rule, 'outcome-spine-code');
    assert.equal(excusedByProse({ ...binding, path: 'OperationOutcome.issue[0].details.coding[0]' }, o)?.rule, 'outcome-spine-code');
    assert.equal(excusedByProse({ ...system, rule: 'code' }, o), undefined, 'a binding finding is not about the system element');
    assert.equal(excusedByProse({ ...binding, rule: 'fixed-value' }, o), undefined);
    assert.equal(excusedByProse(system, o, { acceptValueSetErrorSystem: false }), undefined);
    assert.equal(excusedByProse({ ...system, profile: 'http://hl7.org/fhir/StructureDefinition/OperationOutcome' }, o), undefined);
    assert.equal(excusedByProse({ ...system, rule: 'required' }, o), undefined);
    assert.equal(excusedByProse({ path: 'OperationOutcome.issue[0].details.coding[0].display', rule: 'required' }, o), undefined);
    o.issue[0].details.coding[0].system = 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-2';
    assert.equal(excusedByProse(system, o), undefined, 'another wrong system is not excused');
  });
});

describe('CapabilityStatement', () => {
  test('an STU3 fhirVersion and JSON among the formats', () => {
    const c = load('foundations_get_capability_statement_response.json');
    c.fhirVersion = '3.0.2';
    expectFindings(run(c, ValidationProfile.capabilityStatement), []);
    c.fhirVersion = '4.0.1';
    c.format = ['application/fhir+xml'];
    expectFindings(run(c, ValidationProfile.capabilityStatement), [
      ['CapabilityStatement.fhirVersion', 'capability-fhir-version'],
      ['CapabilityStatement.format', 'capability-json'],
    ]);
  });
});

test('every prose rule of the catalogue was seen failing a mutation above', () => {
  const unseen = Object.keys(PROSE_CATALOGUE).filter((id) => !fired.has(id));
  assert.deepEqual(unseen, []);
});
