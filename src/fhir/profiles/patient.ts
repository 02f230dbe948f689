import { isValidNhsNumber } from '../../gpconnect/nhs-number';
/** CareConnect-GPC-Patient-1 (Find/Read a patient, §5.4) and the Register a patient body rules (§5.5). */
import {
  FhirCode, ForbiddenPatientExtension, GpcExtension, GpcProfile, GpcSubExtension, System, ValidationSystem,
} from '../../gpconnect/constants';
import {
  Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, addressShape, array, code, codings, dateValue, declaresProfile, describe, extensionIndexes,
  extensions, isObject, knownElements, object, reference, referenceAt, string, telecoms,
} from './common';
import { IdentifierSlice, slicedIdentifiers } from './identifiers';

const PATIENT_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'identifier', 'active', 'name', 'telecom', 'gender', 'birthDate', 'deceasedBoolean', 'deceasedDateTime',
  'address', 'maritalStatus', 'multipleBirthBoolean', 'multipleBirthInteger', 'photo', 'contact', 'animal', 'communication',
  'generalPractitioner', 'managingOrganization', 'link',
];

/** §5.4: elements a provider MUST NOT populate. */
const FORBIDDEN_ELEMENTS = ['maritalStatus', 'multipleBirthBoolean'] as const;

/** Matches a forbidden extension by URL or by its last path segment (other hosts spell the same extension). */
function forbiddenExtension(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const tail = (u: string) => u.slice(u.lastIndexOf('/') + 1).toLowerCase();
  for (const [name, known] of Object.entries(ForbiddenPatientExtension)) {
    if (url === known || tail(url) === tail(known)) return name;
  }
  return undefined;
}

/**
 * Patient.identifier: CareConnect-GPC-Patient-1 slices it `openAtEnd` on system with a `nhsNumber` slice (0..1 in the
 * profile); the Find a patient page asks for "relevant business identifiers, including a minimum of the patient's
 * NHS number" and the Register a patient page requires it, so exactly 1 here. Other systems (local ids) are allowed.
 */
const NHS_NUMBER_SLICE: IdentifierSlice = {
  name: 'nhsNumber',
  system: System.nhsNumber,
  min: 1,
  max: 1,
  rule: 'nhs-number-identifier',
  source: 'foundations_use_case_find_a_patient.md: "including a minimum of the patient\'s NHS number"',
};

/** The NHS number identifier: exactly one, 10 digits with a valid mod-11 check digit; other identifiers pass. */
function nhsNumberIdentifier(ctx: Ctx, r: Json, path: string): void {
  const nhs = slicedIdentifiers(ctx, r, path, [NHS_NUMBER_SLICE], 1).get(NHS_NUMBER_SLICE.name) ?? [];
  for (const { id, path: p } of nhs) {
    const value = id.value;
    if (typeof value === 'string' && value.trim() !== '' && !isValidNhsNumber(value)) {
      ctx.add(`${p}.value`, 'nhs-number', `${p}.value "${value}" is not a valid NHS number (10 digits with a modulus 11 check digit)`);
    }
    extensions(ctx, id, p);
    for (const j of extensionIndexes(id, GpcExtension.nhsNumberVerificationStatus)) {
      const ext = (id.extension as Json[])[j];
      const ep = `${p}.extension[${j}]`;
      const cc = object(ctx, ext, 'valueCodeableConcept', ep, true);
      if (!cc) continue;
      codings(ctx, cc, `${ep}.valueCodeableConcept`).forEach((c, k) => {
        const cp = `${ep}.valueCodeableConcept.coding[${k}]`;
        const allowed: string[] = [GpcExtension.nhsNumberVerificationStatusSystem, ValidationSystem.nhsNumberVerificationStatusStu3];
        if (typeof c.system === 'string' && !allowed.includes(c.system)) {
          ctx.add(`${cp}.system`, 'code-system', `${cp}.system is "${c.system}"; expected ${allowed.join(' or ')}`);
        }
        if (typeof c.code === 'string' && !/^(0[1-8])$/.test(c.code)) {
          ctx.add(`${cp}.code`, 'code', `${cp}.code is "${c.code}"; NHS number verification status codes are 01 to 08`);
        }
      });
    }
  }
}

/** Exactly one official name with a family name (plus given names when `needGiven`). Other names are allowed unless `onlyOne`. */
function officialName(ctx: Ctx, r: Json, path: string, needGiven: boolean, onlyOne: boolean): void {
  const names = array(ctx, r, 'name', path, 1, onlyOne ? 1 : Infinity);
  let official = 0;
  names.forEach((n, i) => {
    const p = `${path}.name[${i}]`;
    if (!isObject(n)) return ctx.add(p, 'type', `${p} must be a HumanName object but is ${describe(n)}`);
    const use = code(ctx, n, 'use', p, FhirCode.nameUse);
    if (use !== 'official') return;
    official++;
    string(ctx, n, 'family', p, true);
    if (needGiven) array(ctx, n, 'given', p, 1);
    else array(ctx, n, 'given', p);
  });
  if (names.length > 0 && official !== 1) {
    ctx.add(`${path}.name`, 'official-name', `${path}.name has ${official} names with use "official"; exactly 1 is required`);
  }
}

function gpcExtensions(ctx: Ctx, r: Json, path: string): void {
  const list = extensions(ctx, r, path);
  list.forEach((e, i) => {
    const p = `${path}.extension[${i}]`;
    const bad = forbiddenExtension(e.url);
    if (bad) ctx.add(p, 'forbidden', `${p} is the ${bad} extension (${String(e.url)}); GP Connect providers must not populate it`);
  });
  for (const i of extensionIndexes(r, GpcExtension.registrationDetails)) {
    const p = `${path}.extension[${i}]`;
    const ext = (r.extension as Json[])[i];
    (Array.isArray(ext.extension) ? ext.extension : []).forEach((sub: unknown, j: number) => {
      const sp = `${p}.extension[${j}]`;
      if (!isObject(sub)) return;
      if (sub.url === GpcSubExtension.preferredBranchSurgery) reference(ctx, sub, 'valueReference', sp, ['Location'], { required: true });
      else if (sub.url === GpcSubExtension.registrationPeriod) {
        const period = object(ctx, sub, 'valuePeriod', sp, true);
        if (period) {
          dateValue(ctx, period, 'start', `${sp}.valuePeriod`, 'dateTime');
          dateValue(ctx, period, 'end', `${sp}.valuePeriod`, 'dateTime');
        }
      } else if (sub.url === GpcSubExtension.registrationType) object(ctx, sub, 'valueCodeableConcept', sp, true);
    });
  }
  const comms = extensionIndexes(r, GpcExtension.nhsCommunication);
  for (const i of comms) {
    const ext = (r.extension as Json[])[i];
    const p = `${path}.extension[${i}]`;
    const subs = Array.isArray(ext.extension) ? ext.extension : [];
    if (!subs.some((s: unknown) => isObject(s) && s.url === GpcSubExtension.language)) {
      ctx.add(`${p}.extension`, 'required', `${p} (NHSCommunication) has no "${GpcSubExtension.language}" sub-extension; it is required`);
    }
  }
}

/** CareConnect-GPC-Patient-1 as a provider returns it (Find / Read a patient, register response). */
export function patient(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, PATIENT_ELEMENTS);
  declaresProfile(ctx, r, path, GpcProfile.patient);
  nhsNumberIdentifier(ctx, r, path);
  officialName(ctx, r, path, false, false);
  dateValue(ctx, r, 'birthDate', path, 'date', true);
  code(ctx, r, 'gender', path, FhirCode.administrativeGender, true);
  for (const key of FORBIDDEN_ELEMENTS) {
    if (r[key] !== undefined) ctx.add(`${path}.${key}`, 'forbidden', `${path}.${key} is present; GP Connect providers must not populate it (§5.4)`);
  }
  gpcExtensions(ctx, r, path);
  telecoms(ctx, r, path);
  array(ctx, r, 'address', path).forEach((a, i) => addressShape(ctx, a, `${path}.address[${i}]`));
  reference(ctx, r, 'managingOrganization', path, ['Organization']);
  array(ctx, r, 'generalPractitioner', path).forEach((g, i) => {
    referenceAt(ctx, g, `${path}.generalPractitioner[${i}]`, ['Practitioner', 'Organization']);
  });
  if (r.deceasedDateTime !== undefined) dateValue(ctx, r, 'deceasedDateTime', path, 'dateTime');
}

/** §5.5: what a consumer may send in the `registerPatient` Patient; everything else MUST NOT be sent. */
const REGISTER_ALLOWED = ['resourceType', 'meta', 'identifier', 'name', 'gender', 'birthDate', 'telecom', 'address', 'extension'];

export function registerPatient(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, PATIENT_ELEMENTS);
  for (const key of Object.keys(r)) {
    const base = key.startsWith('_') ? key.slice(1) : key;
    if (PATIENT_ELEMENTS.includes(base) && !REGISTER_ALLOWED.includes(base)) {
      ctx.add(`${path}.${key}`, 'register-not-allowed', `${path}.${key} must not be sent in a Register a patient request (§5.5)`);
    }
  }
  declaresProfile(ctx, r, path, GpcProfile.patient);
  nhsNumberIdentifier(ctx, r, path);
  officialName(ctx, r, path, true, true);
  dateValue(ctx, r, 'birthDate', path, 'date', true);
  code(ctx, r, 'gender', path, FhirCode.administrativeGender);

  // Extensions: one NHSCommunication at most; nothing else.
  extensions(ctx, r, path).forEach((e, i) => {
    if (e.url !== GpcExtension.nhsCommunication) {
      ctx.add(`${path}.extension[${i}]`, 'register-not-allowed', `${path}.extension[${i}] (${String(e.url)}) must not be sent in a Register a patient request; only NHSCommunication is allowed (§5.5)`);
    }
  });
  const comms = extensionIndexes(r, GpcExtension.nhsCommunication);
  if (comms.length > 1) {
    ctx.add(`${path}.extension[${comms[1]}]`, 'cardinality', `${path}.extension has ${comms.length} NHSCommunication extensions; at most 1 is allowed`);
  }

  // Addresses: at most one home address, plus temp addresses.
  let home = 0;
  array(ctx, r, 'address', path).forEach((a, i) => {
    const p = `${path}.address[${i}]`;
    if (!addressShape(ctx, a, p)) return;
    if (a.use === 'home') {
      if (++home > 1) ctx.add(p, 'cardinality', `${p} is a second home address; at most 1 is allowed (§5.5)`);
    } else if (a.use !== 'temp') {
      ctx.add(`${p}.use`, 'register-not-allowed', `${p}.use is ${describe(a.use)}; a Register a patient request may send a home or temp address only (§5.5)`);
    }
  });

  // Telecom: one phone each of home/work/mobile, one email, plus temp.
  const seen = new Set<string>();
  telecoms(ctx, r, path).forEach((t, i) => {
    const p = `${path}.telecom[${i}]`;
    if (t.use === 'temp') return;
    let key: string;
    if (t.system === 'phone' && (t.use === 'home' || t.use === 'work' || t.use === 'mobile')) key = `phone/${t.use}`;
    else if (t.system === 'email') key = 'email';
    else {
      ctx.add(p, 'register-not-allowed', `${p} (${describe(t.system)}/${describe(t.use)}) is not a home/work/mobile phone, email or temp contact (§5.5)`);
      return;
    }
    if (seen.has(key)) ctx.add(p, 'cardinality', `${p} repeats a ${key} telecom; at most 1 is allowed (§5.5)`);
    seen.add(key);
  });
}
