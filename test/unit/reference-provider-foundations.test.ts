import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { GpcExtension, GpcProfile, MediaType, SpineError, System } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { loadPatients } from '../../src/spine/patients';
import { isValidNhsNumber } from '../../src/gpconnect/nhs-number';
import type { PracticePatient, ProviderContext, ProviderState } from '../../src/spine/provider/context';
import { findPatient, getCapabilityStatement, registerPatient, verifiedAgainstPds } from '../../src/spine/provider/foundations';

const NOW = new Date('2025-07-01T09:30:00Z'); // BST: +01:00
const ROOT = 'https://provider.gpc-conform.test/A20047/STU3/1/gpconnect';

const NORMAL = '9658218865'; // WRIGHT, active GMS
const SENSITIVE = '9658220142'; // CARTER: the practice holds her as sensitive
const INACTIVE = '9736363015'; // OKAFOR: inactive record
const DECEASED_AT_PRACTICE = '9658218873'; // MEAKIN: the practice records him as deceased
const ON_PDS_ONLY = '9651258500'; // REA: on PDS, unknown to the practice (eligible for registration)

/** A small in-memory ProviderState: only the patient methods are real. */
class FakeState implements ProviderState {
  readonly ods = 'A20047';
  readonly organisationName = "Dr Legg's Surgery";
  readonly organisationId = '7';
  private nextId = 100;
  readonly list: PracticePatient[] = [
    { id: '1', nhsNumber: NORMAL, family: 'WRIGHT', given: ['Garth'], prefix: 'MR', gender: 'male', birthDate: '1941-05-02', active: true, registrationType: 'R', versionId: '3', address: { line: ['22 WATERSIDE ROAD', 'BARTON-UPON-HUMBER'], city: 'S HUMBERSIDE', postalCode: 'DN18 5BA' }, phone: '01632960241' },
    { id: '2', nhsNumber: SENSITIVE, family: 'CARTER', given: ['Olivia'], gender: 'female', birthDate: '1979-01-01', sensitive: true, active: true, registrationType: 'R', versionId: '1' },
    { id: '3', nhsNumber: INACTIVE, family: 'OKAFOR', given: ['Daniel'], prefix: 'MR', gender: 'male', birthDate: '1989-07-30', active: false, registrationType: 'R', versionId: '6' },
    { id: '4', nhsNumber: DECEASED_AT_PRACTICE, family: 'MEAKIN', given: ['Mike'], gender: 'male', birthDate: '1956-09-27', deceased: true, active: true, registrationType: 'R', versionId: '4' },
  ];
  patients() {
    return this.list;
  }
  patientByNhsNumber(n: string) {
    return this.list.find((p) => p.nhsNumber === n);
  }
  patientById(id: string) {
    return this.list.find((p) => p.id === id);
  }
  registerPatient(p: Omit<PracticePatient, 'id' | 'versionId' | 'registrationType' | 'active'>): PracticePatient {
    const existing = this.patientByNhsNumber(p.nhsNumber);
    if (existing) {
      Object.assign(existing, p, { active: true, registrationType: 'T', versionId: String(Number(existing.versionId) + 1) });
      return existing;
    }
    const created: PracticePatient = { ...p, id: String(this.nextId++), versionId: '1', registrationType: 'T', active: true };
    this.list.push(created);
    return created;
  }
  practitioners() {
    return [];
  }
  locations() {
    return [];
  }
  schedules() {
    return [];
  }
  slots() {
    return [];
  }
  slotById() {
    return undefined;
  }
  book(): never {
    throw new Error('not in this test');
  }
  appointmentById() {
    return undefined;
  }
  appointmentsOf() {
    return [];
  }
}

let state: FakeState;
let ctx: ProviderContext;
const pds = loadPatients();
beforeEach(() => {
  state = new FakeState();
  ctx = { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state, pds, now: () => NOW };
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function expectError(res: Response | Promise<Response>, status: number, code: string): Promise<void> {
  const r = await res;
  const body = (await r.json()) as Json;
  assert.equal(r.status, status, `status (diagnostics: ${outcomeCode(body).diagnostics})`);
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.equal(outcomeCode(body).code, code, outcomeCode(body).diagnostics);
  assert.equal(outcomeCode(body).system, System.spineErrorCodeStu3);
}

describe('GET /metadata (§5.2)', () => {
  test('200 CapabilityStatement: version 1.2.9, STU3, JSON only, what we serve', async () => {
    const r = getCapabilityStatement(ctx);
    assert.equal(r.status, 200);
    const cs = (await r.json()) as Json;
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.version, '1.2.9');
    assert.equal(cs.fhirVersion, '3.0.1');
    assert.equal(cs.kind, 'capability');
    assert.deepEqual(cs.format, [MediaType.fhirJson]);
    const rest = cs.rest[0];
    assert.equal(rest.mode, 'server');
    const byType = Object.fromEntries(rest.resource.map((x: Json) => [x.type, x]));
    assert.deepEqual(Object.keys(byType).sort(), ['Appointment', 'Location', 'Organization', 'Patient', 'Practitioner', 'Slot']);
    assert.deepEqual(byType.Patient.interaction, [{ code: 'read' }, { code: 'search-type' }]);
    for (const type of ['Organization', 'Practitioner']) assert.deepEqual(byType[type].interaction, [{ code: 'read' }, { code: 'search-type' }]);
    assert.deepEqual(byType.Location.interaction, [{ code: 'read' }]);
    assert.deepEqual(byType.Patient.searchParam.map((p: Json) => p.name), ['identifier']);
    assert.deepEqual(byType.Appointment.interaction.map((i: Json) => i.code).sort(), ['create', 'read', 'update']);
    assert.deepEqual(byType.Slot.searchInclude.sort(), ['Location:managingOrganization', 'Schedule:actor:Location', 'Schedule:actor:Practitioner', 'Slot:schedule']);
    assert.deepEqual(byType.Slot.searchParam.map((p: Json) => p.name).sort(), ['end', 'searchFilter', 'start', 'status']);
    assert.deepEqual(rest.operation, [{ name: 'gpc.registerpatient', definition: { reference: GpcProfile.registerPatientOperation } }]);
  });
});

const find = (query: string) => findPatient(ctx, new URL(`${ROOT}/Patient?${query}`));
const idParam = (system: string, value: string) => `identifier=${encodeURIComponent(`${system}|${value}`)}`;

describe('GET /Patient?identifier= (§5.4)', () => {
  test('found → 200 searchset Bundle with the CareConnect-GPC-Patient-1 Patient', async () => {
    const r = find(idParam(System.nhsNumber, NORMAL));
    assert.equal(r.status, 200);
    const bundle = (await r.json()) as Json;
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.total, undefined, 'GPConnect-Searchset-Bundle-1: total 0..0');
    assert.equal(bundle.entry.length, 1);
    const p = bundle.entry[0].resource;
    assert.equal(p.resourceType, 'Patient');
    assert.equal(p.id, '1');
    assert.equal(p.meta.versionId, '3');
    assert.deepEqual(p.meta.profile, [GpcProfile.patient]);
    assert.equal(p.identifier[0].system, System.nhsNumber);
    assert.equal(p.identifier[0].value, NORMAL);
    assert.equal(p.identifier[0].extension[0].url, GpcExtension.nhsNumberVerificationStatus);
    assert.equal(p.name.length, 1);
    assert.equal(p.name[0].use, 'official');
    assert.equal(p.name[0].family, 'WRIGHT');
    assert.deepEqual(p.name[0].given, ['Garth']);
    assert.equal(p.birthDate, '1941-05-02');
    assert.equal(p.gender, 'male');
    assert.equal(p.active, true);
    assert.deepEqual(p.managingOrganization, { reference: 'Organization/7' });
    const reg = p.extension.find((e: Json) => e.url === GpcExtension.registrationDetails);
    assert.ok(reg, 'registrationDetails extension');
    const type = reg.extension.find((e: Json) => e.url === 'registrationType');
    assert.equal(type.valueCodeableConcept.coding[0].code, 'R');
    assert.equal(p.address[0].postalCode, 'DN18 5BA');
    assert.deepEqual(p.telecom, [{ system: 'phone', value: '01632960241', use: 'home' }]);
    for (const forbidden of ['maritalStatus', 'multipleBirthBoolean', 'birthPlace']) assert.equal(p[forbidden], undefined);
  });
  for (const [name, nhs] of [
    ['unknown (valid number, not held)', ON_PDS_ONLY],
    ['sensitive', SENSITIVE],
    ['inactive', INACTIVE],
    ['deceased at the practice (DEMO)', DECEASED_AT_PRACTICE],
  ]) {
    test(`${name} → 200 empty searchset Bundle`, async () => {
      const r = find(idParam(System.nhsNumber, nhs));
      assert.equal(r.status, 200);
      const bundle = (await r.json()) as Json;
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.entry, undefined);
    });
  }
  test('no identifier → 400 BAD_REQUEST', () => expectError(find(''), 400, SpineError.badRequest));
  test('identifier name in the wrong case → 400 BAD_REQUEST', () => expectError(find(idParam(System.nhsNumber, NORMAL).replace('identifier', 'Identifier')), 400, SpineError.badRequest));
  test('two identifier parameters → 400 BAD_REQUEST', () =>
    expectError(find(`${idParam(System.nhsNumber, NORMAL)}&${idParam(System.nhsNumber, NORMAL)}`), 400, SpineError.badRequest));
  test('two identifier parameters, read as FHIR\'s AND (variant repeated-identifier-as-and): the same number finds the patient, two numbers nobody', async () => {
    ctx.choices = { repeatedIdentifiersAsAnd: true };
    const same = (await find(`${idParam(System.nhsNumber, NORMAL)}&${idParam(System.nhsNumber, NORMAL)}`).json()) as Json;
    assert.equal(same.entry.length, 1);
    const two = find(`${idParam(System.nhsNumber, NORMAL)}&${idParam(System.nhsNumber, SENSITIVE)}`);
    assert.equal(two.status, 200);
    assert.equal(((await two.json()) as Json).entry, undefined);
    expectError(find(`${idParam(System.nhsNumber, NORMAL)}&${idParam(System.nhsNumber, '')}`), 422, SpineError.invalidParameter);
  });
  test('no system (value only) → 422 INVALID_PARAMETER', () => expectError(find(`identifier=${NORMAL}`), 422, SpineError.invalidParameter));
  test('blank system → 422 INVALID_PARAMETER', () => expectError(find(idParam('', NORMAL)), 422, SpineError.invalidParameter));
  test('blank value → 422 INVALID_PARAMETER', () => expectError(find(idParam(System.nhsNumber, '')), 422, SpineError.invalidParameter));
  test('other system → 400 INVALID_IDENTIFIER_SYSTEM', () => expectError(find(idParam('http://fhir.nhs.net/Id/nhs-number', NORMAL)), 400, SpineError.invalidIdentifierSystem));
  for (const bad of ['9000000008', '123', 'hello', '96582188650']) {
    test(`bad NHS number ${bad} → 400 INVALID_NHS_NUMBER`, () => {
      assert.equal(isValidNhsNumber(bad), false);
      return expectError(find(idParam(System.nhsNumber, bad)), 400, SpineError.invalidNhsNumber);
    });
  }
});

// ---------------------------------------------------------------------------------------------

function registerBody(nhs = ON_PDS_ONLY): Json {
  return {
    resourceType: 'Parameters',
    parameter: [
      {
        name: 'registerPatient',
        resource: {
          resourceType: 'Patient',
          meta: { profile: [GpcProfile.patient] },
          identifier: [{ system: System.nhsNumber, value: nhs }],
          name: [{ use: 'official', family: 'REA', given: ['Clive'], prefix: ['MR'] }],
          telecom: [
            { system: 'phone', value: '01632960318', use: 'home' },
            { system: 'phone', value: '07700900123', use: 'mobile' },
          ],
          gender: 'male',
          birthDate: '1951-03-10',
          address: [{ use: 'home', type: 'physical', line: ['9 CHAPEL LANE', 'BARROW UPON HUMBER'], city: 'S HUMBERSIDE', postalCode: 'DN19 7AT' }],
        },
      },
    ],
  };
}

function pdsBody(nhs: string): Json {
  const p = pds.find((x) => x.nhsNumber === nhs)!;
  assert.ok(p, `${nhs} is in data/patients.yaml`);
  const body = registerBody(nhs);
  const patient = body.parameter[0].resource;
  patient.name = [{ use: 'official', family: p.family, given: p.given }];
  patient.birthDate = p.birthDate;
  patient.gender = p.gender;
  return body;
}

const register = (body: unknown) =>
  registerPatient(ctx, new Request(`${ROOT}/Patient/$gpc.registerpatient`, { method: 'POST', headers: { 'Content-Type': MediaType.fhirJsonUtf8 }, body: typeof body === 'string' ? body : JSON.stringify(body) }));

function spoilPatient(fn: (p: Json) => void, nhs = ON_PDS_ONLY): Json {
  const body = registerBody(nhs);
  fn(body.parameter[0].resource);
  return body;
}

describe('POST /Patient/$gpc.registerpatient (§5.5)', () => {
  test('success → 200 GPConnect-Searchset-Bundle-1 with a temporary (T) Patient', async () => {
    const r = await register(registerBody());
    const bundle = (await r.json()) as Json;
    assert.equal(r.status, 200, JSON.stringify(bundle));
    assert.deepEqual(bundle.meta.profile, [GpcProfile.searchsetBundle]);
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.entry.length, 1);
    const p = bundle.entry[0].resource;
    assert.equal(p.resourceType, 'Patient');
    assert.equal(p.identifier[0].value, ON_PDS_ONLY);
    assert.equal(p.active, true);
    assert.ok(p.id);
    const reg = p.extension.find((e: Json) => e.url === GpcExtension.registrationDetails);
    const type = reg.extension.find((e: Json) => e.url === 'registrationType');
    assert.deepEqual(type.valueCodeableConcept.coding, [{ system: GpcExtension.registrationTypeSystem, code: 'T' }]);
    const period = reg.extension.find((e: Json) => e.url === 'registrationPeriod');
    assert.equal(period.valuePeriod.start, '2025-07-01T10:30:00+01:00');
    assert.equal(state.patientByNhsNumber(ON_PDS_ONLY)?.registrationType, 'T');
    // Registered patients are then found.
    const found = (await find(idParam(System.nhsNumber, ON_PDS_ONLY)).json()) as Json;
    assert.equal(found.entry[0].resource.id, p.id);
  });
  test('an inactive record is re-activated as temporary → 200', async () => {
    const r = await register(pdsBody(INACTIVE));
    assert.equal(r.status, 200);
    const p = state.patientByNhsNumber(INACTIVE)!;
    assert.equal(p.active, true);
    assert.equal(p.registrationType, 'T');
  });
  test('the same patient twice → 200 then 409 DUPLICATE_REJECTED', async () => {
    assert.equal((await register(registerBody())).status, 200);
    await expectError(register(registerBody()), 409, SpineError.duplicateRejected);
  });
  test('already registered and active → 409 DUPLICATE_REJECTED', () => expectError(register(pdsBody(NORMAL)), 409, SpineError.duplicateRejected));

  test('malformed JSON → 400 BAD_REQUEST', () => expectError(register('{"resourceType": "Parameters",'), 400, SpineError.badRequest));
  test('not a Parameters → 422 INVALID_RESOURCE', () => expectError(register(registerBody().parameter[0].resource), 422, SpineError.invalidResource));
  test('no registerPatient parameter → 422 INVALID_RESOURCE', () =>
    expectError(register({ resourceType: 'Parameters', parameter: [{ name: 'patient', resource: registerBody().parameter[0].resource }] }), 422, SpineError.invalidResource));
  test('duplicated registerPatient parameter → 400 BAD_REQUEST', () => {
    const body = registerBody();
    body.parameter.push(body.parameter[0]);
    return expectError(register(body), 400, SpineError.badRequest);
  });
  test('registerPatient holding another resource → 422 INVALID_RESOURCE', () =>
    expectError(register({ resourceType: 'Parameters', parameter: [{ name: 'registerPatient', resource: { resourceType: 'Organization' } }] }), 422, SpineError.invalidResource));

  const minimum: Array<[string, (p: Json) => void]> = [
    ['no birthDate', (p) => delete p.birthDate],
    ['no official name', (p) => (p.name[0].use = 'usual')],
    ['no name at all', (p) => delete p.name],
    ['no family name', (p) => delete p.name[0].family],
    ['no given name', (p) => delete p.name[0].given],
    ['identifier without system', (p) => delete p.identifier[0].system],
    ['two home phones', (p) => p.telecom.push({ system: 'phone', value: '01632960999', use: 'home' })],
    ['two temp phones', (p) => p.telecom.push({ system: 'phone', value: '01632960998', use: 'temp' }, { system: 'phone', value: '01632960997', use: 'temp' })],
    ['two emails of use temp', (p) => p.telecom.push({ system: 'email', value: 'a@x.test', use: 'temp' }, { system: 'email', value: 'b@x.test', use: 'temp' })],
  ];
  // PTEST "Register patient without sending identifier within patient": 400 INVALID_NHS_NUMBER.
  test('no NHS number identifier → 400 INVALID_NHS_NUMBER', () => expectError(register(spoilPatient((p) => delete p.identifier)), 400, SpineError.invalidNhsNumber));
  for (const [name, spoil] of minimum) {
    test(`${name} → 400 BAD_REQUEST`, () => expectError(register(spoilPatient(spoil)), 400, SpineError.badRequest));
  }

  const disallowed: Array<[string, (p: Json) => void]> = [
    ['Active', (p) => (p.active = true)],
    ['Births', (p) => (p.multipleBirthBoolean = false)],
    ['CareProvider', (p) => (p.generalPractitioner = [{ reference: 'Practitioner/1' }])],
    ['Contact', (p) => (p.contact = [{ name: { family: 'REA' } }])],
    ['ManagingOrg', (p) => (p.managingOrganization = { reference: 'Organization/7' })],
    ['Marital', (p) => (p.maritalStatus = { text: 'Married' })],
    ['Animal', (p) => (p.animal = { species: { text: 'Dog' } })],
    ['Communication', (p) => (p.communication = [{ language: { text: 'English' } }])],
    ['Photo', (p) => (p.photo = [{ url: 'https://example.com/p.png' }])],
    ['Deceased', (p) => (p.deceasedBoolean = false)],
    ['2 addresses', (p) => p.address.push({ ...p.address[0] })],
    [
      '2 nhsCommunication',
      (p) => {
        const ext = { url: GpcExtension.nhsCommunication, extension: [{ url: 'interpreterRequired', valueBoolean: false }] };
        p.extension = [ext, ext];
      },
    ],
    ['an unknown extension', (p) => (p.extension = [{ url: 'https://example.com/ext', valueString: 'x' }])],
    ['no meta.profile', (p) => delete p.meta],
  ];
  for (const [name, spoil] of disallowed) {
    test(`${name} → 422 INVALID_RESOURCE`, () => expectError(register(spoilPatient(spoil)), 422, SpineError.invalidResource));
  }
  test('one nhsCommunication and a temp address are allowed → 200', async () => {
    const body = spoilPatient((p) => {
      p.extension = [{ url: GpcExtension.nhsCommunication, extension: [{ url: 'interpreterRequired', valueBoolean: false }] }];
      p.address.push({ use: 'temp', line: ['1 Other Road'], postalCode: 'DN18 5AA' });
    });
    assert.equal((await register(body)).status, 200);
  });

  for (const bad of ['34555##4', 'hello', '999999999', '9000000008', '90000000090']) {
    test(`invalid NHS number ${bad} → 400 INVALID_NHS_NUMBER`, () => expectError(register(spoilPatient((p) => (p.identifier[0].value = bad))), 400, SpineError.invalidNhsNumber));
  }

  test('not on PDS (9476718943) → 400 INVALID_PATIENT_DEMOGRAPHICS', () => {
    assert.equal(pds.some((p) => p.nhsNumber === '9476718943'), false);
    return expectError(register(registerBody('9476718943')), 400, SpineError.invalidPatientDemographics);
  });
  test('deceased on PDS → 400 INVALID_PATIENT_DEMOGRAPHICS', () => expectError(register(pdsBody('9658220290')), 400, SpineError.invalidPatientDemographics));
  test('restricted (sensitive) on PDS → 400 INVALID_PATIENT_DEMOGRAPHICS', () => expectError(register(pdsBody('9000000025')), 400, SpineError.invalidPatientDemographics));
  test('superseded on PDS → 400 INVALID_NHS_NUMBER', () => expectError(register(pdsBody('9658220223')), 400, SpineError.invalidNhsNumber));
  test('invalidated on PDS → 400 INVALID_NHS_NUMBER', () => expectError(register(pdsBody('9990003343')), 400, SpineError.invalidNhsNumber));
  test('demographics that do not match PDS (only the day of the birth date) → 400 INVALID_PATIENT_DEMOGRAPHICS', () =>
    expectError(register(spoilPatient((p) => (p.birthDate = '1952-04-10'))), 400, SpineError.invalidPatientDemographics));
  test('a name besides the official one (a nickname) is accepted, as the official tests expect (review F24)', async () => {
    const body = spoilPatient((p) => p.name.push({ use: 'nickname', family: 'REA', given: ['Bee'] }));
    assert.equal((await register(body)).status, 200);
  });
  test('verification: the birth date exactly, or 2 of its 3 parts with the family name’s first 3 letters and the given initial (review F24)', () => {
    const pdsRecord = { birthDate: '1970-05-17', family: 'Rea', given: ['Beatrice'] };
    assert.equal(verifiedAgainstPds({ birthDate: '1970-05-17', family: 'Other', given: ['X'] }, pdsRecord), true, 'the birth date alone verifies');
    assert.equal(verifiedAgainstPds({ birthDate: '1970-05-18', family: 'REAY', given: ['bee'] }, pdsRecord), true, '2 of 3 parts, Rea…, B…');
    assert.equal(verifiedAgainstPds({ birthDate: '1970-06-18', family: 'Rea', given: ['Beatrice'] }, pdsRecord), false, 'only 1 part of 3');
    assert.equal(verifiedAgainstPds({ birthDate: '1970-05-18', family: 'Ray', given: ['Beatrice'] }, pdsRecord), false, 'the family name differs in its first 3 letters');
    assert.equal(verifiedAgainstPds({ birthDate: '1970-05-18', family: 'Rea', given: ['Anne'] }, pdsRecord), false, 'the given initial differs');
  });
  test('the PDS fixtures are the kinds the tests name (the fixture can fail)', () => {
    const kind = (n: string) => pds.find((p) => p.nhsNumber === n)?.kind;
    assert.equal(kind('9658220290'), 'deceased');
    assert.equal(kind('9000000025'), 'restricted');
    assert.equal(kind('9658220223'), 'superseded');
    assert.equal(kind('9990003343'), 'invalidated');
    assert.equal(kind(ON_PDS_ONLY), 'normal');
  });
});
