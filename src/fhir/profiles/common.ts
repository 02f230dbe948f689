import { FhirCode } from '../../gpconnect/constants';

/**
 * Shared pieces of the hand-written GP Connect rule sets: the issue collector, JSON shape checks,
 * STU3 primitive formats, references and the NHS number check digit.
 */

export interface ValidationIssue {
  /** FHIRPath-like location, e.g. `Appointment.participant[1].actor.reference`. */
  path: string;
  /** Stable rule name, e.g. `required`, `max-length`, `forbidden`. */
  rule: string;
  /** Names the element and what is wrong. */
  message: string;
  /** The StructureDefinition whose element says so (absent for the spec's prose rules). */
  profile?: string;
  /** The element id in that StructureDefinition: `Appointment.extension:bookingOrganisation`. */
  element?: string;
}

export interface ValidationOptions {
  /**
   * Accept `https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1` as OperationOutcome coding system
   * (default true: every 1.2.x error example uses it, §9 conflict 1); false holds providers to the profile's fixed CodeSystem URL.
   */
  acceptValueSetErrorSystem?: boolean;
  /**
   * Searchset bundles of Find a patient / Search for free slots: require `entry.fullUrl` (default false:
   * development_fhir_resource_guidance.md, 1.2.3, "Providers SHOULD NOT populate Bundle.entry.fullUrl").
   */
  requireFullUrl?: boolean;
  /** Also return the findings of the pages' SHOULDs (prose rules at level SHOULD), which are warnings. */
  includeShould?: boolean;
}

export type Json = Record<string, unknown>;

/** Validates `resource` (found at `path`) against `profile`, or against the profile its meta/resourceType names. */
export type NestedValidator = (resource: unknown, path: string, profile?: string) => void;

export class Ctx {
  readonly issues: ValidationIssue[] = [];
  constructor(
    readonly options: ValidationOptions,
    /** Set by validate.ts: lets bundle/parameters/contained rules validate inner resources. */
    readonly nested: NestedValidator,
  ) {}

  /** Records an issue; a second one with the same path and rule (two rule sets agreeing) is dropped. */
  add(path: string, rule: string, message: string, source?: { profile: string; element?: string }): void {
    if (this.issues.some((i) => i.path === path && i.rule === rule)) return;
    this.issues.push(source ? { path, rule, message, profile: source.profile, ...(source.element ? { element: source.element } : {}) } : { path, rule, message });
  }
}

export type RuleSet = (ctx: Ctx, resource: Json, path: string) => void;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** FHIR JSON never carries null, "" or []: those count as absent (and are reported where they appear). */
export function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 60 ? v.slice(0, 57) + '...' : v}"`;
  return typeof v === 'object' ? 'an object' : String(v);
}

/** Element is required (min 1). Returns whether it is present. */
export function required(ctx: Ctx, obj: Json, key: string, path: string, why = ''): boolean {
  if (present(obj[key])) return true;
  ctx.add(`${path}.${key}`, 'required', `${path}.${key} is required but absent${why ? ` (${why})` : ''}`);
  return false;
}

/** Element is forbidden (max 0). */
export function forbidden(ctx: Ctx, obj: Json, key: string, path: string, why: string): void {
  if (obj[key] !== undefined) ctx.add(`${path}.${key}`, 'forbidden', `${path}.${key} is present; it must not be (${why})`);
}

/** A 0..* / 1..* element: must be a JSON array. Returns the array items (empty when absent or wrong). */
export function array(ctx: Ctx, obj: Json, key: string, path: string, min = 0, max = Infinity): unknown[] {
  const v = obj[key];
  if (v === undefined) {
    if (min > 0) ctx.add(`${path}.${key}`, 'required', `${path}.${key} is required but absent`);
    return [];
  }
  if (!Array.isArray(v)) {
    ctx.add(`${path}.${key}`, 'type', `${path}.${key} must be a JSON array (repeating element) but is ${describe(v)}`);
    return [];
  }
  if (v.length < min || v.length > max) {
    const bound = max === Infinity ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
    ctx.add(`${path}.${key}`, 'cardinality', `${path}.${key} has ${v.length} item(s); ${bound} allowed`);
  }
  return v;
}

/** A 0..1 complex element: must be a JSON object. Returns it, or undefined. */
export function object(ctx: Ctx, obj: Json, key: string, path: string, isRequired = false): Json | undefined {
  const v = obj[key];
  if (v === undefined) {
    if (isRequired) ctx.add(`${path}.${key}`, 'required', `${path}.${key} is required but absent`);
    return undefined;
  }
  if (!isObject(v)) {
    ctx.add(`${path}.${key}`, 'type', `${path}.${key} must be a single JSON object but is ${describe(v)}`);
    return undefined;
  }
  return v;
}

/** A 0..1 string primitive. Returns it when it is a non-empty string. */
export function string(ctx: Ctx, obj: Json, key: string, path: string, isRequired = false): string | undefined {
  const v = obj[key];
  if (v === undefined) {
    if (isRequired) ctx.add(`${path}.${key}`, 'required', `${path}.${key} is required but absent`);
    return undefined;
  }
  if (typeof v !== 'string') {
    ctx.add(`${path}.${key}`, 'type', `${path}.${key} must be a string but is ${describe(v)}`);
    return undefined;
  }
  if (v.trim() === '') {
    ctx.add(`${path}.${key}`, isRequired ? 'required' : 'type', `${path}.${key} is an empty string; FHIR values must not be empty`);
    return undefined;
  }
  return v;
}

export function maxLength(ctx: Ctx, obj: Json, key: string, path: string, max: number): void {
  const v = obj[key];
  if (typeof v !== 'string') return;
  const length = [...v].length;
  if (length > max) ctx.add(`${path}.${key}`, 'max-length', `${path}.${key} is ${length} characters; at most ${max} are allowed`);
}

/** A code from a required binding. */
export function code(ctx: Ctx, obj: Json, key: string, path: string, allowed: readonly string[], isRequired = false): string | undefined {
  const v = string(ctx, obj, key, path, isRequired);
  if (v === undefined) return undefined;
  if (!allowed.includes(v)) {
    ctx.add(`${path}.${key}`, 'code', `${path}.${key} is "${v}"; allowed codes are ${allowed.join(', ')}`);
    return undefined;
  }
  return v;
}

export function fixed(ctx: Ctx, obj: Json, key: string, path: string, value: string, isRequired = true): void {
  const v = string(ctx, obj, key, path, isRequired);
  if (v !== undefined && v !== value) ctx.add(`${path}.${key}`, 'fixed-value', `${path}.${key} is "${v}"; it must be "${value}"`);
}

/** Flags elements that the STU3 resource does not define (typos, DSTU2 leftovers, R4 names). */
export function knownElements(ctx: Ctx, obj: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    const base = key.startsWith('_') ? key.slice(1) : key;
    if (!allowed.includes(base)) ctx.add(`${path}.${key}`, 'unknown-element', `${path}.${key} is not an element of the STU3 resource`);
  }
}

export const RESOURCE_ELEMENTS = ['resourceType', 'id', 'meta', 'implicitRules', 'language'] as const;
export const DOMAIN_RESOURCE_ELEMENTS = [...RESOURCE_ELEMENTS, 'text', 'contained', 'extension', 'modifierExtension'] as const;

// ---- primitive formats (STU3 3.0.1 datatypes) ----

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** What GP Connect asks for on Slot/Schedule/search (§5.3): `yyyy-mm-ddThh:mm:ss+hh:mm`, no `Z`. */
const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-]\d{2}:\d{2})$/;

function calendarValid(m: RegExpExecArray | null): boolean {
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? undefined : Number(m[i])));
  if (month !== undefined && (month < 1 || month > 12)) return false;
  if (day !== undefined && month !== undefined && year !== undefined) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > last) return false;
  }
  if (hour !== undefined && hour > 23) return false;
  if (minute !== undefined && minute > 59) return false;
  if (second !== undefined && second > 59) return false;
  return true;
}

export type DateKind = 'date' | 'dateTime' | 'instant' | 'offsetDateTime';
const FORMAT: Record<DateKind, { re: RegExp; text: string }> = {
  date: { re: DATE, text: 'a FHIR date (yyyy, yyyy-mm or yyyy-mm-dd)' },
  dateTime: { re: DATE_TIME, text: 'a FHIR dateTime (yyyy-mm-dd, or yyyy-mm-ddThh:mm:ss with Z or +hh:mm)' },
  instant: { re: INSTANT, text: 'a FHIR instant (yyyy-mm-ddThh:mm:ss with Z or +hh:mm)' },
  offsetDateTime: { re: OFFSET_DATE_TIME, text: 'yyyy-mm-ddThh:mm:ss+hh:mm (UK local time with its offset)' },
};

export function isDateValue(value: string, kind: DateKind): boolean {
  return calendarValid(FORMAT[kind].re.exec(value));
}

export function dateValue(ctx: Ctx, obj: Json, key: string, path: string, kind: DateKind, isRequired = false): string | undefined {
  const v = string(ctx, obj, key, path, isRequired);
  if (v === undefined) return undefined;
  if (!isDateValue(v, kind)) {
    ctx.add(`${path}.${key}`, 'format', `${path}.${key} is "${v}"; it must be ${FORMAT[kind].text}`);
    return undefined;
  }
  return v;
}

/** start must not be after end (STU3 per-1 / app-2 style checks). Offsets are honoured by Date.parse. */
export function ordered(ctx: Ctx, start: string | undefined, end: string | undefined, path: string, startName = 'start', endName = 'end'): void {
  if (start === undefined || end === undefined) return;
  const a = Date.parse(start);
  const b = Date.parse(end);
  if (!Number.isNaN(a) && !Number.isNaN(b) && a > b) {
    ctx.add(`${path}.${endName}`, 'period-order', `${path}.${endName} (${end}) is before ${path}.${startName} (${start})`);
  }
}

// ---- references ----

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export function isId(v: unknown): boolean {
  return typeof v === 'string' && ID.test(v);
}

export interface ParsedReference {
  contained?: string;
  type?: string;
  id?: string;
}

export function parseReference(ref: string): ParsedReference | undefined {
  if (ref.startsWith('#')) return isId(ref.slice(1)) ? { contained: ref.slice(1) } : undefined;
  const m = RELATIVE.exec(ref);
  return m ? { type: m[1], id: m[2] } : undefined;
}

/**
 * A Reference element at `obj[key]`: `reference` must be a relative `Type/id` (with Type in `types`) or,
 * when `allowContained`, a `#id`. Returns the parsed reference.
 */
export function reference(
  ctx: Ctx,
  obj: Json,
  key: string,
  path: string,
  types: readonly string[],
  opts: { required?: boolean; allowContained?: boolean } = {},
): ParsedReference | undefined {
  const r = object(ctx, obj, key, path, opts.required);
  if (!r) return undefined;
  return referenceAt(ctx, r, `${path}.${key}`, types, opts);
}

/** A Reference value found at path `p` (e.g. an array item `Appointment.slot[0]`). */
export function referenceAt(
  ctx: Ctx,
  r: unknown,
  p: string,
  types: readonly string[],
  opts: { required?: boolean; allowContained?: boolean } = {},
): ParsedReference | undefined {
  if (!isObject(r)) {
    ctx.add(p, 'type', `${p} must be a Reference object but is ${describe(r)}`);
    return undefined;
  }
  const ref = string(ctx, r, 'reference', p, opts.required);
  if (ref === undefined) return undefined;
  const parsed = parseReference(ref);
  const expected = `${types.map((t) => `${t}/{id}`).join(' or ')}${opts.allowContained ? ' or #{contained id}' : ''}`;
  if (!parsed || (parsed.contained !== undefined && !opts.allowContained)) {
    ctx.add(`${p}.reference`, 'reference', `${p}.reference is "${ref}"; it must be a relative reference ${expected}`);
    return undefined;
  }
  if (parsed.type !== undefined && !types.includes(parsed.type)) {
    ctx.add(`${p}.reference`, 'reference-type', `${p}.reference is "${ref}"; it must refer to ${expected}`);
    return undefined;
  }
  return parsed;
}

// ---- identifiers ----


/** meta.profile must list `url` (GP Connect resources declare their profile). */
export function declaresProfile(ctx: Ctx, resource: Json, path: string, url: string): void {
  const meta = object(ctx, resource, 'meta', path);
  if (!meta) {
    ctx.add(`${path}.meta.profile`, 'profile', `${path}.meta.profile is absent; it must contain ${url}`);
    return;
  }
  const profiles = array(ctx, meta, 'profile', `${path}.meta`);
  if (!profiles.includes(url)) {
    ctx.add(`${path}.meta.profile`, 'profile', `${path}.meta.profile does not contain ${url}`);
  }
}

/** Common checks of every resource: id format, meta shape. */
export function resourceBasics(ctx: Ctx, resource: Json, path: string): void {
  if (resource.id !== undefined && !isId(resource.id)) {
    ctx.add(`${path}.id`, 'format', `${path}.id is ${describe(resource.id)}; a FHIR id is 1-64 of A-Z a-z 0-9 - .`);
  }
  const meta = object(ctx, resource, 'meta', path);
  if (meta) {
    const profiles = array(ctx, meta, 'profile', `${path}.meta`);
    profiles.forEach((p, i) => {
      if (typeof p !== 'string' || p === '') ctx.add(`${path}.meta.profile[${i}]`, 'type', `${path}.meta.profile[${i}] must be a uri string`);
    });
    if (meta.versionId !== undefined && !isId(meta.versionId)) {
      ctx.add(`${path}.meta.versionId`, 'format', `${path}.meta.versionId is ${describe(meta.versionId)}; it must be a FHIR id`);
    }
    if (meta.lastUpdated !== undefined) dateValue(ctx, meta, 'lastUpdated', `${path}.meta`, 'instant');
  }
}

/** Each extension has a `url` and, unless it nests extensions, exactly one value[x]. */
export function extensions(ctx: Ctx, obj: Json, path: string, key = 'extension'): Json[] {
  const out: Json[] = [];
  array(ctx, obj, key, path).forEach((e, i) => {
    const p = `${path}.${key}[${i}]`;
    if (!isObject(e)) {
      ctx.add(p, 'type', `${p} must be an object`);
      return;
    }
    string(ctx, e, 'url', p, true);
    const values = Object.keys(e).filter((k) => k.startsWith('value'));
    const nested = Array.isArray(e.extension) && e.extension.length > 0;
    if (values.length > 1) ctx.add(p, 'extension-value', `${p} has ${values.length} value[x] elements; at most one is allowed`);
    if (values.length === 0 && !nested) ctx.add(p, 'extension-value', `${p} (${String(e.url)}) has neither a value[x] nor nested extensions`);
    if (values.length > 0 && nested) ctx.add(p, 'extension-value', `${p} (${String(e.url)}) has both a value[x] and nested extensions`);
    if (nested) extensions(ctx, e, p);
    out.push(e);
  });
  return out;
}

/** Indexes of the extensions of `obj` whose url is `url`. */
export function extensionIndexes(obj: Json, url: string, key = 'extension'): number[] {
  const list = Array.isArray(obj[key]) ? (obj[key] as unknown[]) : [];
  return list.flatMap((e, i) => (isObject(e) && e.url === url ? [i] : []));
}

/** Codings of a CodeableConcept-like value: system/code strings. */
export function codings(ctx: Ctx, cc: Json, path: string): Json[] {
  return array(ctx, cc, 'coding', path).flatMap((c, i) => {
    if (!isObject(c)) {
      ctx.add(`${path}.coding[${i}]`, 'type', `${path}.coding[${i}] must be an object`);
      return [];
    }
    string(ctx, c, 'system', `${path}.coding[${i}]`);
    string(ctx, c, 'code', `${path}.coding[${i}]`);
    return [c];
  });
}

/** ContactPoint list (telecom): system/use codes, value present. */
export function telecoms(ctx: Ctx, obj: Json, path: string, isRequired = false): Json[] {
  return array(ctx, obj, 'telecom', path, isRequired ? 1 : 0).flatMap((t, i) => {
    const p = `${path}.telecom[${i}]`;
    if (!isObject(t)) {
      ctx.add(p, 'type', `${p} must be an object`);
      return [];
    }
    code(ctx, t, 'system', p, FhirCode.contactPointSystem, true);
    string(ctx, t, 'value', p, true);
    code(ctx, t, 'use', p, FhirCode.contactPointUse);
    return [t];
  });
}

export function addressShape(ctx: Ctx, a: unknown, p: string): a is Json {
  if (!isObject(a)) {
    ctx.add(p, 'type', `${p} must be an Address object but is ${describe(a)}`);
    return false;
  }
  code(ctx, a, 'use', p, FhirCode.addressUse);
  code(ctx, a, 'type', p, FhirCode.addressType);
  array(ctx, a, 'line', p);
  return true;
}
