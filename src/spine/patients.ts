/**
 * The synthetic patient list the simulated PDS serves (data/patients.yaml), and the FHIR R4 Patient
 * shape PDS returns for one of them (pds-sds.md §1.3).
 */
import { isValidNhsNumber } from '../gpconnect/nhs-number';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../schema-validator';
import { yamlDocumentOnce } from '../yaml-cache';
import { System } from '../gpconnect/constants';
import type { PdsPatient } from './directory/model';
import schema from './patients.schema.json';
import { packagePath } from '../package-root';

export const DEFAULT_PATIENTS = packagePath('data', 'patients.yaml');


export interface PatientProblem {
  /** Which entry: `entry [3] (NHS number 9000000050)`, a YAML line, or `(top level)`. */
  entry: string;
  message: string;
}

/** A patient file that cannot be used: every problem names the entry and what is wrong with it. */
export class PatientsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: PatientProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the patient list\n` + problems.map((p) => `  - ${p.entry}: ${p.message}`).join('\n'));
    this.name = 'PatientsError';
  }
}

const validate = schemaValidator('src/spine/patients.schema.json', schema);

export function loadPatients(file: string = DEFAULT_PATIENTS): PdsPatient[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PatientsError(file, [{ entry: file, message: `cannot read the file: ${(error as Error).message}` }]);
  }
  return parsePatients(text, file);
}

export function parsePatients(text: string, file = '<patients>'): PdsPatient[] {
  const doc = yamlDocumentOnce(text);
  if (doc.errors.length > 0) {
    throw new PatientsError(file, doc.errors.map((e) => ({ entry: `line ${e.linePos?.[0]?.line ?? '?'}`, message: e.message.split('\n')[0] })));
  }
  const raw: unknown = doc.value;
  if (!validate(raw)) throw new PatientsError(file, (validate.errors ?? []).map((e) => schemaProblem(e, raw)));
  const patients = raw as PdsPatient[];
  const problems = checkPatientRules(patients);
  if (problems.length > 0) throw new PatientsError(file, problems);
  return patients;
}

/** The rules a schema cannot say: check digits, duplicates, and what each kind of record may carry. */
export function checkPatientRules(patients: PdsPatient[]): PatientProblem[] {
  const byNumber = new Map<string, number>();
  const problems: PatientProblem[] = [];
  patients.forEach((p, index) => {
    const entry = entryLabel(index, p.nhsNumber);
    const add = (message: string) => problems.push({ entry, message });
    if (!isValidNhsNumber(p.nhsNumber)) add('NHS number fails the modulus-11 check (leave not-found numbers out of the list instead)');
    const first = byNumber.get(p.nhsNumber);
    if (first !== undefined) add(`duplicate NHS number: also entry [${first}]`);
    else byNumber.set(p.nhsNumber, index);
    for (const field of ['birthDate', 'registeredSince'] as const) {
      const value = p[field];
      if (value !== undefined && !isCalendarDate(value)) add(`${field} "${value}" is not a real date`);
    }
    for (const message of kindProblems(p)) add(message);
  });
  patients.forEach((p, index) => {
    const message = supersessionProblem(p, patients);
    if (message) problems.push({ entry: entryLabel(index, p.nhsNumber), message });
  });
  return problems;
}

function kindProblems(p: PdsPatient): string[] {
  const problems: string[] = [];
  // PDS never shows a restricted patient's GP (pds-sds.md §1.3); the model leaves it out altogether.
  if (p.kind === 'restricted' && p.gp !== undefined) problems.push('a restricted patient must have no gp');
  if (p.registeredSince !== undefined && p.gp === undefined) problems.push('registeredSince needs a gp');
  if ((p.kind === 'deceased') !== (p.deceasedDateTime !== undefined)) problems.push('deceasedDateTime is required for kind deceased, and only for it');
  if ((p.kind === 'superseded') !== (p.supersededBy !== undefined)) problems.push('supersededBy is required for kind superseded, and only for it');
  return problems;
}

function supersessionProblem(p: PdsPatient, patients: PdsPatient[]): string | undefined {
  if (p.supersededBy === undefined) return undefined;
  if (p.supersededBy === p.nhsNumber) return 'supersededBy names the record itself';
  const target = patients.find((other) => other.nhsNumber === p.supersededBy);
  if (!target) return `supersededBy ${p.supersededBy} is not in the list`;
  if (target.kind === 'superseded' || target.kind === 'invalidated') return `supersededBy ${p.supersededBy} is itself ${target.kind}`;
  return undefined;
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function entryLabel(index: number, nhsNumber: unknown): string {
  return typeof nhsNumber === 'string' || typeof nhsNumber === 'number' ? `entry [${index}] (NHS number ${nhsNumber})` : `entry [${index}]`;
}

function schemaProblem(error: ErrorObject, raw: unknown): PatientProblem {
  const [indexPart, ...fieldParts] = error.instancePath.split('/').slice(1);
  if (indexPart === undefined) return { entry: '(top level)', message: `the file must be a YAML list of patients (${error.message})` };
  const index = Number(indexPart);
  const item = Array.isArray(raw) ? (raw[index] as Record<string, unknown> | undefined) : undefined;
  const field = fieldParts.join('.');
  return { entry: entryLabel(index, item?.nhsNumber), message: (field ? `${field}: ` : '') + describeSchemaError(error) };
}

function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'required':
      return `missing field "${String(params.missingProperty)}"`;
    case 'enum':
      return `${error.message}: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return params.type === 'string' ? `${error.message} (quote numbers and dates in the YAML)` : (error.message ?? error.keyword);
    default:
      return error.message ?? error.keyword;
  }
}

// ---------------------------------------------------------------------------------------------
// The FHIR R4 Patient resource (pds-sds.md §1.3)

type Period = { start: string; end?: string };

export interface PdsPatientResource {
  resourceType: 'Patient';
  id: string;
  identifier: Array<{ system: string; value: string; extension: unknown[] }>;
  meta: { versionId: string; security: Array<{ system: string; code: 'U' | 'R'; display: string }> };
  name?: Array<{ id: string; use: 'usual'; given: string[]; family: string; prefix?: string[] }>;
  gender?: PdsPatient['gender'];
  birthDate?: string;
  deceasedDateTime?: string;
  address?: Array<{ id: string; use: 'home'; line: string[]; postalCode: string }>;
  telecom?: Array<{ id: string; system: 'phone' | 'email'; value: string; use: 'home' }>;
  generalPractitioner?: Array<{
    id: string;
    type: 'Organization';
    identifier: { system: string; value: string; period?: Period };
  }>;
  extension?: unknown[];
}

export function toPdsPatientResource(p: PdsPatient): PdsPatientResource {
  const restricted = p.kind === 'restricted';
  const resource: PdsPatientResource = {
    resourceType: 'Patient',
    id: p.nhsNumber,
    identifier: [{ system: System.nhsNumber, value: p.nhsNumber, extension: [verifiedNumberExtension()] }],
    meta: { versionId: p.versionId, security: [securityLabel(restricted)] },
    name: [{ id: elementId(p, 'name'), use: 'usual', given: [...p.given], family: p.family, ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
    gender: p.gender,
    birthDate: p.birthDate,
  };
  if (p.deceasedDateTime) resource.deceasedDateTime = p.deceasedDateTime;
  // Restricted (R): address, telecom, contact and generalPractitioner are removed (pds-sds.md §1.3).
  if (!restricted) Object.assign(resource, contactDetails(p));
  if (p.deceasedDateTime) resource.extension = [deathNotificationExtension(p.deceasedDateTime)];
  return resource;
}

function contactDetails(p: PdsPatient): Pick<PdsPatientResource, 'address' | 'telecom' | 'generalPractitioner'> {
  const out: Pick<PdsPatientResource, 'address' | 'telecom' | 'generalPractitioner'> = {};
  if (p.address) {
    // PDS addresses carry no city: the town is one of the lines (see the examples).
    const line = p.address.city ? [...p.address.line, p.address.city] : p.address.line;
    out.address = [{ id: elementId(p, 'address'), use: 'home', line, postalCode: p.address.postalCode }];
  }
  const telecom: NonNullable<PdsPatientResource['telecom']> = [];
  if (p.phone) telecom.push({ id: elementId(p, 'phone'), system: 'phone', value: p.phone, use: 'home' });
  if (p.email) telecom.push({ id: elementId(p, 'email'), system: 'email', value: p.email, use: 'home' });
  if (telecom.length > 0) out.telecom = telecom;
  if (p.gp) out.generalPractitioner = [generalPractitioner(p, p.gp)];
  return out;
}

function generalPractitioner(p: PdsPatient, ods: string): NonNullable<PdsPatientResource['generalPractitioner']>[number] {
  return {
    id: elementId(p, 'gp'),
    type: 'Organization',
    identifier: { system: System.odsOrganizationCode, value: ods, ...(p.registeredSince ? { period: { start: p.registeredSince } } : {}) },
  };
}

function securityLabel(restricted: boolean): PdsPatientResource['meta']['security'][number] {
  return restricted
    ? { system: System.confidentiality, code: 'R', display: 'restricted' }
    : { system: System.confidentiality, code: 'U', display: 'unrestricted' };
}

/** Every sandbox patient has verification status 01 (pds-sds.md §1.3). */
function verifiedNumberExtension(): unknown {
  return {
    url: System.nhsNumberVerificationStatusExt,
    valueCodeableConcept: {
      coding: [{ system: System.nhsNumberVerificationStatus, version: '1.0.0', code: '01', display: 'Number present and verified' }],
    },
  };
}

/** As on sandbox patient 9000000009: a formal death notice (code 2) effective at the time of death. */
function deathNotificationExtension(deceasedDateTime: string): unknown {
  return {
    url: System.deathNotificationStatusExt,
    extension: [
      {
        url: 'deathNotificationStatus',
        valueCodeableConcept: {
          coding: [
            { system: System.deathNotificationStatus, version: '1.0.0', code: '2', display: 'Formal - death notice received from Registrar of Deaths' },
          ],
        },
      },
      { url: 'systemEffectiveDate', valueDateTime: deceasedDateTime },
    ],
  };
}

/** PDS gives each name, address, telecom and GP entry a short opaque id; ours is stable per patient. */
function elementId(p: PdsPatient, element: string): string {
  return createHash('sha256').update(`${p.nhsNumber}:${element}`).digest('base64').replace(/[^A-Za-z]/g, '').slice(0, 5);
}
