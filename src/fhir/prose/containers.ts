/**
 * Prose rules of the resources that hold others (GP Connect 1.2.9): the searchset Bundles of Find a patient,
 * Search for free slots and the Register a patient response, the Register a patient Parameters, and the
 * CapabilityStatement. Which profile each inner resource is judged against is prose too (the pages name it; no
 * StructureDefinition does): each is handed on with `ctx.nested(resource, path, profile)`.
 * GPConnect-Searchset-Bundle-1 and the base Bundle, Parameters and CapabilityStatement express the rest.
 */
import { FHIR_VERSION, GpcAppointmentExtension, GpcProfile, MediaType, REGISTER_PATIENT_PARAMETER, ValidationProfile } from '../../gpconnect/constants';
import type { Ctx, Json } from '../issues';
import { describe } from '../issues';
import { ProseRuleId, isJson, items, report, requireProfile, text } from './citations';

interface SearchsetRules {
  /** The rule that makes the Bundle a searchset (absent: the Bundle's profile fixes it). */
  searchset?: ProseRuleId;
  /** The resource types the entries may have, and the rule that says so. */
  entryTypes?: { types: readonly string[]; rule: ProseRuleId };
  /** The profile each entry type is judged against (else the entry's own meta.profile or resourceType). */
  entryProfile: Readonly<Record<string, string>>;
}

/** The entries' resources, each handed on for validation; `fullUrl` is a SHOULD NOT. */
function searchset(ctx: Ctx, r: Json, path: string, rules: SearchsetRules): Json[] {
  if (rules.searchset && r.type !== 'searchset') {
    report(ctx, rules.searchset, `${path}.type`, `${path}.type is ${describe(r.type)}; the response is a searchset Bundle`);
  }
  const resources: Json[] = [];
  items(r, 'entry').forEach((e, i) => {
    if (!isJson(e)) return;
    const p = `${path}.entry[${i}]`;
    if (e.fullUrl !== undefined) report(ctx, 'full-url', `${p}.fullUrl`, `${p}.fullUrl is populated; providers should not populate it`);
    const res = e.resource;
    if (!isJson(res)) return;
    const type = typeof res.resourceType === 'string' ? res.resourceType : undefined;
    if (rules.entryTypes && (type === undefined || !rules.entryTypes.types.includes(type))) {
      report(ctx, rules.entryTypes.rule, `${p}.resource`, `${p}.resource is a ${describe(res.resourceType)}; this Bundle holds ${rules.entryTypes.types.join(', ')} only`);
      return;
    }
    ctx.nested(res, `${p}.resource`, type === undefined ? undefined : rules.entryProfile[type]);
    resources.push(res);
  });
  return resources;
}

/** Any Bundle without a GP Connect interaction behind it: its entries are judged by their own profile. */
export function baseBundle(ctx: Ctx, r: Json, path: string): void {
  items(r, 'entry').forEach((e, i) => {
    if (isJson(e) && isJson(e.resource)) ctx.nested(e.resource, `${path}.entry[${i}].resource`);
  });
}

/** The Register a patient response: GPConnect-Searchset-Bundle-1 declared, the Patient as CareConnect-GPC-Patient-1. */
export function gpcSearchsetBundle(ctx: Ctx, r: Json, path: string): void {
  requireProfile(ctx, r, path, GpcProfile.searchsetBundle, 'register-response-profile');
  searchset(ctx, r, path, { entryProfile: { Patient: GpcProfile.patient } });
}

/** The Find a patient response: a searchset of CareConnect-GPC-Patient-1 only. */
export function findPatientBundle(ctx: Ctx, r: Json, path: string): void {
  searchset(ctx, r, path, {
    searchset: 'find-patient-searchset',
    entryTypes: { types: ['Patient'], rule: 'find-patient-searchset' },
    entryProfile: { Patient: GpcProfile.patient },
  });
}

const FREE_SLOTS_PROFILES: Readonly<Record<string, string>> = {
  Slot: GpcProfile.slot, Schedule: GpcProfile.schedule, Practitioner: GpcProfile.practitioner,
  Location: GpcProfile.location, Organization: GpcProfile.organization,
};

/** The Search for free slots response: Slot, Schedule, Practitioner, Location, Organization; each Slot's Schedule is in the Bundle. */
export function freeSlotsBundle(ctx: Ctx, r: Json, path: string): void {
  const resources = searchset(ctx, r, path, {
    searchset: 'free-slots-searchset',
    entryTypes: { types: Object.keys(FREE_SLOTS_PROFILES), rule: 'free-slots-entry-type' },
    entryProfile: FREE_SLOTS_PROFILES,
  });
  const schedules = new Set(resources.filter((x) => x.resourceType === 'Schedule').map((x) => String(x.id)));
  items(r, 'entry').forEach((e, i) => {
    if (!isJson(e) || !isJson(e.resource) || e.resource.resourceType !== 'Slot') return;
    items(e.resource, 'extension').forEach((x, j) => {
      if (isJson(x) && x.url === GpcAppointmentExtension.deliveryChannel && x.valueCode === 'Visit') {
        const p = `${path}.entry[${i}].resource(Slot).extension[${j}].valueCode`;
        report(ctx, 'free-slots-no-visit', p, `${p} is "Visit"; a free slot search returns no slot whose delivery channel is Visit`);
      }
    });
    const ref = isJson(e.resource.schedule) ? text(e.resource.schedule, 'reference') : undefined;
    const id = ref?.match(/^Schedule\/([A-Za-z0-9\-.]{1,64})$/)?.[1];
    if (id !== undefined && !schedules.has(id)) {
      const p = `${path}.entry[${i}].resource(Slot).schedule.reference`;
      report(ctx, 'free-slots-schedule', p, `${p} is "${ref}" but the Bundle has no Schedule with id "${id}"`);
    }
  });
}

/** The Register a patient request body: one `registerPatient` parameter holding a Patient, and nothing else. */
export function registerPatientParameters(ctx: Ctx, r: Json, path: string): void {
  let found = 0;
  items(r, 'parameter').forEach((prm, i) => {
    if (!isJson(prm)) return;
    const p = `${path}.parameter[${i}]`;
    if (prm.name !== REGISTER_PATIENT_PARAMETER) {
      report(ctx, 'register-parameters', `${p}.name`, `${p}.name is ${describe(prm.name)}; the operation takes only "${REGISTER_PATIENT_PARAMETER}"`);
      return;
    }
    if (++found > 1) {
      report(ctx, 'register-parameters', p, `${p} is a second "${REGISTER_PATIENT_PARAMETER}" parameter; a single one is sent`);
      return;
    }
    const res = prm.resource;
    if (!isJson(res) || res.resourceType !== 'Patient') {
      report(ctx, 'register-parameters', `${p}.resource`, `${p}.resource is ${isJson(res) ? `a ${describe(res.resourceType)}` : describe(res)}; "${REGISTER_PATIENT_PARAMETER}" holds a Patient`);
      return;
    }
    ctx.nested(res, `${p}.resource`, ValidationProfile.registerPatientResource);
  });
  if (found === 0) {
    report(ctx, 'register-parameters', `${path}.parameter`, `${path}.parameter has no "${REGISTER_PATIENT_PARAMETER}" parameter`);
  }
}

/** JSON as a CapabilityStatement may write it: the formal MIME type, plain JSON, or the short `json`. */
const JSON_FORMATS: readonly string[] = [MediaType.fhirJson, MediaType.json, 'json'];
/** An STU3 release: 3.0.0, 3.0.1 (the one GP Connect 1.2.x names) or 3.0.2. */
const STU3_VERSION = new RegExp(`^${FHIR_VERSION.split('.').slice(0, 2).join('\\.')}\\.\\d+$`);

/** The provider's CapabilityStatement: STU3, and JSON among its formats. */
export function capabilityStatement(ctx: Ctx, r: Json, path: string): void {
  const version = r.fhirVersion;
  if (typeof version === 'string' && !STU3_VERSION.test(version)) {
    report(ctx, 'capability-fhir-version', `${path}.fhirVersion`, `${path}.fhirVersion is "${version}"; GP Connect 1.x is FHIR STU3 (${FHIR_VERSION})`);
  }
  const formats = items(r, 'format');
  if (formats.length > 0 && !formats.some((f) => typeof f === 'string' && JSON_FORMATS.includes(f.split(';')[0].trim()))) {
    report(ctx, 'capability-json', `${path}.format`, `${path}.format is ${JSON.stringify(formats)}; a server supports JSON and declares ${MediaType.fhirJson}`);
  }
}
