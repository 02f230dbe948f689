/**
 * Prose rules of Find a patient, Read a patient and Register a patient (GP Connect 1.2.9) that
 * CareConnect-GPC-Patient-1 does not express. The profile's own rules (identifier and name slicing, the
 * official name 1..1 with its family, the NHS number verification status, bindings, the extensions' shapes)
 * are the StructureDefinitions' job: see docs/fhir-validation.md.
 */
import { ForbiddenPatientExtension, GpcExtension, GpcProfile, System } from '../../gpconnect/constants';
import { isValidNhsNumber } from '../../gpconnect/nhs-number';
import { definitions } from '../definitions';
import type { Ctx, Json } from '../issues';
import { describe } from '../issues';
import { ProseRuleId, extensionsWithUrl, isJson, items, populated, report, requireProfile } from './citations';

/** The NHS number identifiers: at least one (the profile's slice allows at most one), each with a valid check digit. */
function nhsNumber(ctx: Ctx, r: Json, path: string, id: ProseRuleId): void {
  const ids = items(r, 'identifier');
  const nhs = ids.flatMap((x, i) => (isJson(x) && x.system === System.nhsNumber ? [i] : []));
  if (nhs.length === 0) {
    report(ctx, id, `${path}.identifier`, `${path}.identifier has no NHS number (system ${System.nhsNumber})`);
  }
  for (const i of nhs) {
    const value = (ids[i] as Json).value;
    if (typeof value === 'string' && value.trim() !== '' && !isValidNhsNumber(value)) {
      report(ctx, 'nhs-number-check-digit', `${path}.identifier[${i}].value`, `${path}.identifier[${i}].value "${value}" is not a valid NHS number (10 digits, the last a modulus 11 check digit)`);
    }
  }
}

/**
 * The Patient extensions a provider must not populate, by slice name, with every URL they are known by: the one
 * CareConnect-GPC-Patient-1 slices them with (read from the vendored profile) and the CareConnect one.
 */
let forbiddenExtensionUrls: ReadonlyMap<string, string> | undefined;
const FORBIDDEN_SLICES: Record<string, keyof typeof ForbiddenPatientExtension> = {
  ethnicCategory: 'ethnicCategory',
  religiousAffiliation: 'religiousAffiliation',
  'patient-cadavericDonor': 'cadavericDonor',
  residentialStatus: 'residentialStatus',
  treatmentCategory: 'treatmentCategory',
  birthPlace: 'birthPlace',
};

function forbiddenExtensions(): ReadonlyMap<string, string> {
  if (forbiddenExtensionUrls) return forbiddenExtensionUrls;
  const byUrl = new Map<string, string>();
  for (const [slice, key] of Object.entries(FORBIDDEN_SLICES)) byUrl.set(ForbiddenPatientExtension[key], slice);
  const sd = definitions().byUrl.get(GpcProfile.patient);
  for (const e of (sd?.snapshot?.element ?? sd?.differential?.element ?? []) as Json[]) {
    const m = /^Patient\.extension:([^.]+)$/.exec(String(e.id));
    const types = Array.isArray(e.type) ? e.type : [];
    const profile = isJson(types[0]) ? types[0].profile : undefined;
    if (m && FORBIDDEN_SLICES[m[1]] && typeof profile === 'string') byUrl.set(profile, m[1]);
  }
  forbiddenExtensionUrls = byUrl;
  return byUrl;
}

/** The slice name of a forbidden extension, matched by URL or by its last segment (an `http:` or other-host spelling). */
function forbiddenExtension(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const known = forbiddenExtensions();
  if (known.has(url)) return known.get(url);
  const tail = (u: string) => u.slice(u.lastIndexOf('/') + 1).toLowerCase();
  for (const [u, slice] of known) if (tail(u) === tail(url)) return slice;
  return undefined;
}

/** CareConnect-GPC-Patient-1 as a provider returns it (Find a patient, Read a patient, the Register a patient response). */
export function patient(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.patient, 'patient-meta-profile');
  nhsNumber(ctx, r, path, 'patient-nhs-number');
  if (!populated(r.birthDate)) report(ctx, 'patient-birth-date', `${path}.birthDate`, `${path}.birthDate is absent`);
  if (!populated(r.gender)) report(ctx, 'patient-gender', `${path}.gender`, `${path}.gender is absent`);
  for (const key of ['maritalStatus', 'multipleBirthBoolean']) {
    if (r[key] !== undefined) report(ctx, 'patient-not-populated', `${path}.${key}`, `${path}.${key} is populated; a provider must not return it`);
  }
  items(r, 'extension').forEach((e, i) => {
    const slice = isJson(e) ? forbiddenExtension(e.url) : undefined;
    if (slice) report(ctx, 'patient-not-populated', `${path}.extension[${i}]`, `${path}.extension[${i}] is the ${slice} extension (${String((e as Json).url)}); a provider must not return it`);
  });
}

/** What a Register a patient request may send in its Patient; "All other fields MUST NOT be populated". */
const REGISTER_ALLOWED = ['resourceType', 'meta', 'identifier', 'name', 'gender', 'birthDate', 'telecom', 'address', 'extension'];

/** The Patient inside the `registerPatient` parameter of a Register a patient request. */
export function registerPatient(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.patient, 'register-meta-profile');
  for (const key of Object.keys(r)) {
    const base = key.startsWith('_') ? key.slice(1) : key;
    if (!REGISTER_ALLOWED.includes(base)) report(ctx, 'register-not-allowed', `${path}.${key}`, `${path}.${key} must not be sent in a Register a patient request`);
  }
  nhsNumber(ctx, r, path, 'register-minimum');
  if (!populated(r.birthDate)) report(ctx, 'register-minimum', `${path}.birthDate`, `${path}.birthDate is absent; the provider needs it for the PDS trace`);
  // The official name: 1..1 with its family in the profile; the page adds the given name.
  items(r, 'name').forEach((n, i) => {
    if (isJson(n) && n.use === 'official' && !populated(n.given)) {
      report(ctx, 'register-minimum', `${path}.name[${i}].given`, `${path}.name[${i}].given is absent; the official name carries family and given names`);
    }
  });

  const extensions = items(r, 'extension');
  extensions.forEach((e, i) => {
    if (isJson(e) && e.url !== GpcExtension.nhsCommunication) {
      report(ctx, 'register-not-allowed', `${path}.extension[${i}]`, `${path}.extension[${i}] (${describe(e.url)}) must not be sent; of the extensions only NHSCommunication may be`);
    }
  });
  const comms = extensionsWithUrl(r, GpcExtension.nhsCommunication);
  if (comms.length > 1) {
    report(ctx, 'register-nhs-communication', `${path}.extension[${comms[1]}]`, `${path}.extension has ${comms.length} NHSCommunication extensions; a single one may be sent`);
  }

  const seenAddress = new Set<string>();
  items(r, 'address').forEach((a, i) => {
    if (!isJson(a)) return;
    const p = `${path}.address[${i}]`;
    if (a.use !== 'home' && a.use !== 'temp') {
      report(ctx, 'register-address', `${p}.use`, `${p}.use is ${describe(a.use)}; a Register a patient request sends a home or a temp address only`);
      return;
    }
    if (seenAddress.has(a.use)) report(ctx, 'register-address', p, `${p} is a second ${a.use} address; at most one may be sent`);
    seenAddress.add(a.use);
  });

  const seenTelecom = new Set<string>();
  items(r, 'telecom').forEach((t, i) => {
    if (!isJson(t)) return;
    const p = `${path}.telecom[${i}]`;
    let kind: string | undefined;
    if (t.system === 'phone' && ['home', 'work', 'mobile', 'temp'].includes(String(t.use))) kind = `phone/${String(t.use)}`;
    else if (t.system === 'email') kind = 'email';
    if (kind === undefined) {
      report(ctx, 'register-telecom', p, `${p} (system ${describe(t.system)}, use ${describe(t.use)}) is not a home, work, mobile or temp phone, nor an email`);
      return;
    }
    if (seenTelecom.has(kind)) report(ctx, 'register-telecom', p, `${p} is a second ${kind} telecom; at most one may be sent`);
    seenTelecom.add(kind);
  });
}
