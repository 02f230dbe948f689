/** Searchset Bundles (§5.3, §5.4, §5.5), the Register a patient Parameters body (§5.5) and CapabilityStatement (§5.2). */
import {
  FHIR_STU3_RESOURCE_TYPES, FHIR_VERSION, FhirCode, GpcProfile, MediaType, REGISTER_PATIENT_PARAMETER, ValidationProfile,
} from '../../gpconnect/constants';
import {
  Ctx, DOMAIN_RESOURCE_ELEMENTS, Json, RESOURCE_ELEMENTS, array, code, dateValue, declaresProfile, describe, fixed, forbidden, isObject,
  knownElements, object, parseReference, string,
} from './common';

const BUNDLE_ELEMENTS = [...RESOURCE_ELEMENTS, 'identifier', 'type', 'total', 'link', 'entry', 'signature'];
const ENTRY_ELEMENTS = ['id', 'extension', 'modifierExtension', 'link', 'fullUrl', 'resource', 'search', 'request', 'response'];

interface SearchsetRules {
  /** GPConnect-Searchset-Bundle-1: total, link and entry.search are max 0. */
  gpcProfile: boolean;
  requireFullUrl: boolean;
  /** Resource types the entries may have. */
  entryTypes?: readonly string[];
  /** Profile each entry type is validated against (else the entry's own meta.profile / resourceType). */
  entryProfile?: Readonly<Record<string, string>>;
}

function searchset(ctx: Ctx, r: Json, path: string, rules: SearchsetRules): Json[] {
  knownElements(ctx, r, path, BUNDLE_ELEMENTS);
  if (rules.gpcProfile) declaresProfile(ctx, r, path, GpcProfile.searchsetBundle);
  fixed(ctx, r, 'type', path, 'searchset');
  if (rules.gpcProfile) {
    forbidden(ctx, r, 'total', path, 'max 0 in GPConnect-Searchset-Bundle-1');
    forbidden(ctx, r, 'link', path, 'max 0 in GPConnect-Searchset-Bundle-1');
  }
  const resources: Json[] = [];
  array(ctx, r, 'entry', path).forEach((e, i) => {
    const p = `${path}.entry[${i}]`;
    if (!isObject(e)) return ctx.add(p, 'type', `${p} must be an object but is ${describe(e)}`);
    knownElements(ctx, e, p, ENTRY_ELEMENTS);
    if (rules.requireFullUrl) string(ctx, e, 'fullUrl', p, true);
    else string(ctx, e, 'fullUrl', p);
    if (rules.gpcProfile) forbidden(ctx, e, 'search', p, 'max 0 in GPConnect-Searchset-Bundle-1');
    else {
      const search = object(ctx, e, 'search', p);
      if (search) code(ctx, search, 'mode', `${p}.search`, FhirCode.searchEntryMode);
    }
    const res = object(ctx, e, 'resource', p, true);
    if (!res) return;
    const type = res.resourceType;
    if (rules.entryTypes && (typeof type !== 'string' || !rules.entryTypes.includes(type))) {
      ctx.add(`${p}.resource`, 'entry-type', `${p}.resource is a ${describe(type)}; this Bundle may contain ${rules.entryTypes.join(', ')} only`);
      return;
    }
    ctx.nested(res, `${p}.resource`, typeof type === 'string' ? rules.entryProfile?.[type] : undefined);
    resources.push(res);
  });
  return resources;
}

export function baseBundle(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, BUNDLE_ELEMENTS);
  code(ctx, r, 'type', path, FhirCode.bundleType, true);
  array(ctx, r, 'entry', path).forEach((e, i) => {
    const p = `${path}.entry[${i}]`;
    if (!isObject(e)) return ctx.add(p, 'type', `${p} must be an object but is ${describe(e)}`);
    knownElements(ctx, e, p, ENTRY_ELEMENTS);
    const res = object(ctx, e, 'resource', p);
    if (res) ctx.nested(res, `${p}.resource`);
  });
}

/**
 * GPConnect-Searchset-Bundle-1 (the Register a patient response, §5.5: "a searchset Bundle profiled to
 * GPConnect-Searchset-Bundle-1" holding the Patient): meta.profile declared, Patient entries as CareConnect-GPC-Patient-1.
 */
export function gpcSearchsetBundle(ctx: Ctx, r: Json, path: string): void {
  searchset(ctx, r, path, {
    gpcProfile: true,
    requireFullUrl: ctx.options.requireFullUrl ?? false,
    entryProfile: { Patient: GpcProfile.patient },
  });
}

/**
 * Find a patient response (§5.4): 0..n CareConnect-GPC-Patient-1. entry.fullUrl is not required unless the caller asks:
 * "Providers SHOULD NOT populate Bundle.entry.fullUrl" (development_fhir_resource_guidance.md, 1.2.3 release notes).
 */
export function findPatientBundle(ctx: Ctx, r: Json, path: string): void {
  searchset(ctx, r, path, {
    gpcProfile: false,
    requireFullUrl: ctx.options.requireFullUrl ?? false,
    entryTypes: ['Patient'],
    entryProfile: { Patient: GpcProfile.patient },
  });
}

/** Search for free slots response (§5.3): Slot, Schedule, Practitioner, Location, Organization; Slot.schedule resolves in the Bundle. */
export function freeSlotsBundle(ctx: Ctx, r: Json, path: string): void {
  const resources = searchset(ctx, r, path, {
    gpcProfile: false,
    requireFullUrl: ctx.options.requireFullUrl ?? false,
    entryTypes: ['Slot', 'Schedule', 'Practitioner', 'Location', 'Organization'],
    entryProfile: {
      Slot: GpcProfile.slot, Schedule: GpcProfile.schedule, Practitioner: GpcProfile.practitioner,
      Location: GpcProfile.location, Organization: GpcProfile.organization,
    },
  });
  const present = new Set(resources.map((res) => `${String(res.resourceType)}/${String(res.id)}`));
  (Array.isArray(r.entry) ? r.entry : []).forEach((e: unknown, i: number) => {
    if (!isObject(e) || !isObject(e.resource) || e.resource.resourceType !== 'Slot') return;
    const schedule = e.resource.schedule;
    const ref = isObject(schedule) && typeof schedule.reference === 'string' ? schedule.reference : undefined;
    const parsed = ref === undefined ? undefined : parseReference(ref);
    if (ref !== undefined && parsed?.type === 'Schedule' && !present.has(`Schedule/${parsed.id}`)) {
      const p = `${path}.entry[${i}].resource(Slot).schedule.reference`;
      ctx.add(p, 'bundle-reference', `${p} is "${ref}" but the Bundle has no Schedule with id "${parsed.id}" (_include=Slot:schedule is mandatory)`);
    }
  });
}

const PARAMETERS_ELEMENTS = [...RESOURCE_ELEMENTS, 'parameter'];

/** Register a patient request body: exactly one `registerPatient` parameter holding a Patient (§5.5). */
export function registerPatientParameters(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, PARAMETERS_ELEMENTS);
  const params = array(ctx, r, 'parameter', path, 1);
  let found = 0;
  params.forEach((prm, i) => {
    const p = `${path}.parameter[${i}]`;
    if (!isObject(prm)) return ctx.add(p, 'type', `${p} must be an object but is ${describe(prm)}`);
    const name = string(ctx, prm, 'name', p, true);
    if (name === undefined) return;
    if (name !== REGISTER_PATIENT_PARAMETER) {
      ctx.add(`${p}.name`, 'unknown-parameter', `${p}.name is "${name}"; the operation takes only "${REGISTER_PATIENT_PARAMETER}"`);
      return;
    }
    if (++found > 1) {
      ctx.add(p, 'cardinality', `${p} is a second "${REGISTER_PATIENT_PARAMETER}" parameter; exactly 1 is allowed`);
      return;
    }
    const res = object(ctx, prm, 'resource', p, true);
    if (!res) return;
    if (res.resourceType !== 'Patient') {
      ctx.add(`${p}.resource`, 'entry-type', `${p}.resource is a ${describe(res.resourceType)}; "${REGISTER_PATIENT_PARAMETER}" must hold a Patient`);
      return;
    }
    ctx.nested(res, `${p}.resource`, ValidationProfile.registerPatientResource);
  });
  if (params.length > 0 && found === 0) {
    ctx.add(`${path}.parameter`, 'required', `${path}.parameter has no "${REGISTER_PATIENT_PARAMETER}" parameter; exactly 1 is required`);
  }
}

const CAPABILITY_ELEMENTS = [
  ...DOMAIN_RESOURCE_ELEMENTS, 'url', 'version', 'name', 'title', 'status', 'experimental', 'date', 'publisher', 'contact', 'description',
  'useContext', 'jurisdiction', 'purpose', 'copyright', 'kind', 'instantiates', 'software', 'implementation', 'fhirVersion',
  'acceptUnknown', 'format', 'patchFormat', 'implementationGuide', 'profile', 'rest', 'messaging', 'document',
];

/** Basic CapabilityStatement (§5.2): fhirVersion 3.0.1, JSON format, a server rest entry. */
export function capabilityStatement(ctx: Ctx, r: Json, path: string): void {
  knownElements(ctx, r, path, CAPABILITY_ELEMENTS);
  code(ctx, r, 'status', path, FhirCode.publicationStatus, true);
  dateValue(ctx, r, 'date', path, 'dateTime', true);
  code(ctx, r, 'kind', path, FhirCode.capabilityStatementKind, true);
  fixed(ctx, r, 'fhirVersion', path, FHIR_VERSION);
  code(ctx, r, 'acceptUnknown', path, FhirCode.unknownContentCode, true);
  const formats = array(ctx, r, 'format', path, 1);
  const json = [MediaType.fhirJson, MediaType.json, 'json'];
  if (formats.length > 0 && !formats.some((f) => typeof f === 'string' && json.includes(f))) {
    ctx.add(`${path}.format`, 'format-json', `${path}.format is ${JSON.stringify(formats)}; it must include ${MediaType.fhirJson}`);
  }
  const rest = array(ctx, r, 'rest', path, 1);
  rest.forEach((entry, i) => {
    const p = `${path}.rest[${i}]`;
    if (!isObject(entry)) return ctx.add(p, 'type', `${p} must be an object but is ${describe(entry)}`);
    const mode = code(ctx, entry, 'mode', p, FhirCode.restfulCapabilityMode, true);
    if (i === 0 && mode !== undefined && mode !== 'server') {
      ctx.add(`${p}.mode`, 'fixed-value', `${p}.mode is "${mode}"; a provider's CapabilityStatement must be "server"`);
    }
    array(ctx, entry, 'resource', p).forEach((res, j) => {
      const rp = `${p}.resource[${j}]`;
      if (!isObject(res)) return ctx.add(rp, 'type', `${rp} must be an object but is ${describe(res)}`);
      code(ctx, res, 'type', rp, FHIR_STU3_RESOURCE_TYPES, true);
      array(ctx, res, 'interaction', rp).forEach((it, k) => {
        if (isObject(it)) code(ctx, it, 'code', `${rp}.interaction[${k}]`, FhirCode.typeRestfulInteraction, true);
      });
      array(ctx, res, 'searchParam', rp).forEach((sp, k) => {
        if (!isObject(sp)) return;
        string(ctx, sp, 'name', `${rp}.searchParam[${k}]`, true);
        code(ctx, sp, 'type', `${rp}.searchParam[${k}]`, FhirCode.searchParamType, true);
      });
    });
    array(ctx, entry, 'operation', p).forEach((op, k) => {
      if (!isObject(op)) return;
      string(ctx, op, 'name', `${p}.operation[${k}]`, true);
      object(ctx, op, 'definition', `${p}.operation[${k}]`, true);
    });
  });
}
