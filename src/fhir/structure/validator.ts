/**
 * Validates a FHIR STU3 JSON resource against a StructureDefinition from the vendored artefacts
 * (data/fhir/): cardinality, JSON shape, unknown elements, types (choice types included), primitive
 * formats (the regexes of the base types), fixed and pattern values, slicing (open, openAtEnd, closed;
 * value/pattern discriminators, extensions by URL), required bindings to vendored value sets (extensible
 * ones warn), extensions by URL, reference target types, and the profiles' FHIRPath invariants (HL7's
 * fhirpath.js with its STU3 model). Every issue names the profile, the element and what was expected.
 */
import { Json, definitions } from '../definitions';
import { describe, isObject } from '../issues';
import {
  ElementDefinition, Structure, baseStructure, childrenOf, constrainedValue, isPrimitive, maxOf, merge, profilesOf,
  structure, targetProfilesOf,
} from './elements';
import { invariantHolds } from './invariants';
import { expand } from './terminology';

export interface StructureIssue {
  /** Where: `Appointment.participant[1].actor.reference`, `Bundle.entry[2].resource(Slot).status`. */
  path: string;
  /** A stable name: `required` (min), `forbidden` (max 0), `cardinality`, `type`, `unknown-element`, `fixed-value`, `pattern`, `code` (binding), `slice`, `reference-type`, `invariant`, `format`, `max-length`, `empty`. */
  rule: string;
  message: string;
  severity: 'error' | 'warning';
  /** The StructureDefinition (canonical URL) whose element says so. */
  profile: string;
  /** The element id in that profile: `Appointment.extension:bookingOrganisation`. */
  element?: string;
}

/** Called for a resource inside another (contained, Bundle.entry.resource, Parameters.parameter.resource). */
export type NestedResource = (resource: Json, path: string, profile: string | undefined) => void;

interface Frame {
  /** Where the constraints come from: the profile, or the base type itself. */
  readonly profile: Structure;
  /** The id of the current node in `profile`: `Appointment.extension:bookingOrganisation`. */
  readonly id: string;
  /** The complete structure the current node's children come from (a base resource or data type). */
  readonly base: Structure;
  /** The path of the current node in `base`: `Appointment.participant`, `Identifier`. */
  readonly basePath: string;
  /** FHIRPath location of the current node from its resource (no indices, no slices): for invariants. */
  readonly fhirPath: string;
}

class Run {
  readonly issues: StructureIssue[] = [];
  constructor(readonly resource: Json, readonly nested: NestedResource) {}

  add(issue: StructureIssue): void {
    if (this.issues.some((i) => i.path === issue.path && i.rule === issue.rule && i.message === issue.message)) return;
    this.issues.push(issue);
  }
}

const PRIMITIVE_JSON: Readonly<Record<string, 'string' | 'number' | 'boolean'>> = {
  boolean: 'boolean', integer: 'number', decimal: 'number', unsignedInt: 'number', positiveInt: 'number',
};

/**
 * STU3 publishes no regex for instant; its definition says "The time SHALL specified at least to the second
 * and SHALL include a time zone" (datatypes.html#instant): that sentence as a pattern.
 */
const STATED_FORMATS: Readonly<Record<string, string>> = {
  instant: '-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
};

const regexCache = new Map<string, RegExp | null>();
function primitiveRegex(type: string): RegExp | undefined {
  if (!regexCache.has(type)) {
    const value = baseStructure(type)?.byId.get(`${type}.value`);
    const ext = (value?.type?.[0]?.extension ?? []).find((e: Json) => e.url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-regex');
    const pattern = ext?.valueString ?? STATED_FORMATS[type];
    regexCache.set(type, pattern ? new RegExp(`^(?:${pattern})$`) : null);
  }
  return regexCache.get(type) ?? undefined;
}

/** "Dates SHALL be valid dates" (the STU3 date, dateTime and instant definitions): no 30 February, no hour 24. */
function calendarValid(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?)?)?/.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? undefined : Number(m[i])));
  if (month !== undefined && (month < 1 || month > 12)) return false;
  if (day !== undefined && month !== undefined && year !== undefined && (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())) return false;
  return !((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A pattern: every value in it is in the instance (arrays: each pattern item matches some instance item). */
function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (isObject(pattern)) {
    return isObject(value) && Object.keys(pattern).every((k) => matchesPattern(value[k], pattern[k]));
  }
  if (Array.isArray(pattern)) {
    const items = Array.isArray(value) ? value : [value];
    return pattern.every((p) => items.some((v) => matchesPattern(v, p)));
  }
  return value === pattern;
}

function capitalise(type: string): string {
  return type[0].toUpperCase() + type.slice(1);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** The resource type a profile URL constrains. */
function typeOfProfile(url: string): string | undefined {
  return structure(url)?.type;
}

function resourceTypeOfReference(reference: string): string | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  const parts = reference.split('/').filter(Boolean);
  const history = parts.indexOf('_history');
  const usable = history >= 0 ? parts.slice(0, history) : parts;
  return usable.length >= 2 ? usable[usable.length - 2] : undefined;
}

function validateNode(run: Run, value: Json, frame: Frame, display: string, isRoot: boolean): void {
  const children = childrenOf(frame.base, frame.basePath);
  const consumed = new Set<string>(isRoot ? ['resourceType'] : []);
  for (const child of children) {
    const name = lastSegment(child.path);
    const relative = child.path.slice(frame.basePath.length);
    const childId = `${frame.id}${relative}`;
    const profiled = frame.profile.byId.get(childId);
    const element = frame.profile === frame.base ? child : merge(child, profiled);
    if (name.endsWith('[x]')) {
      const stem = name.slice(0, -3);
      // A profile that names only typed choices (`Extension.value[x]:valueReference`, Forge's STU3 renaming) allows only those types.
      const typedOnly = frame.profile !== frame.base && !profiled ? frame.profile.slicesOf.get(childId) ?? [] : [];
      const allowed: Json[] = typedOnly.length ? typedOnly.flatMap((t) => t.type ?? []) : element.type ?? [];
      const present = Object.keys(value).filter((k) => k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length)) && k !== stem);
      for (const key of present) {
        consumed.add(key);
        const typeName = key.slice(stem.length);
        const typeEntry = allowed.find((t) => capitalise(t.code) === typeName);
        if (!typeEntry) {
          run.add({
            path: `${display}.${key}`, rule: 'type', severity: 'error', profile: frame.profile.url, element: childId,
            message: `${display}.${key}: ${childId} allows ${allowed.map((t) => `${stem}${capitalise(t.code)}`).join(', ') || 'no type'}, not ${key}`,
          });
          continue;
        }
        // A profile may constrain one type of a choice: `Extension.value[x]:valueCodeableConcept` or `Extension.valueCodeableConcept`.
        const typed = frame.profile.byId.get(`${childId}:${key}`) ?? frame.profile.byId.get(`${frame.id}.${key}`);
        const effective = typed ? merge(element, typed) : element;
        validateElement(run, value[key], effective, frame, childId, child.path, `${display}.${key}`, [typeEntry], key, child, true);
      }
      // A type slice with min 1 (`Extension.value[x]:valueCodeableConcept` 1..1) requires that type.
      for (const typeSlice of frame.profile.slicesOf.get(childId) ?? []) {
        if (Number(typeSlice.min ?? 0) > 0 && typeSlice.sliceName && !present.includes(typeSlice.sliceName)) {
          run.add({ path: `${display}.${typeSlice.sliceName}`, rule: 'required', severity: 'error', profile: frame.profile.url, element: `${childId}:${typeSlice.sliceName}`, message: `${display}.${typeSlice.sliceName} is required (${childId}:${typeSlice.sliceName} min ${typeSlice.min}) but ${present.length ? `${present.join(', ')} is given` : 'absent'}` });
        }
      }
      consumed.add(`_${stem}`);
      if (present.length === 0) checkCardinality(run, 0, element, frame, childId, `${display}.${name}`);
      if (present.length > 1 && maxOf(child) <= 1) {
        run.add({ path: `${display}.${name}`, rule: 'cardinality', severity: 'error', profile: frame.profile.url, element: childId, message: `${display} has ${present.join(' and ')}; ${name} allows one` });
      }
      continue;
    }
    consumed.add(name);
    consumed.add(`_${name}`);
    validateElement(run, value[name], element, frame, childId, child.path, `${display}.${name}`, element.type ?? [], name, child);
  }
  for (const key of Object.keys(value)) {
    if (consumed.has(key) || key === 'fhir_comments') continue;
    run.add({
      path: `${display}.${key}`, rule: 'unknown-element', severity: 'error', profile: frame.profile.url, element: frame.id,
      message: `${display}.${key} is not an element of ${frame.basePath} (${frame.profile.sd.name ?? frame.profile.url})`,
    });
  }
}

function checkCardinality(run: Run, count: number, element: ElementDefinition, frame: Frame, id: string, display: string, label = ''): void {
  const min = Number(element.min ?? 0);
  const max = maxOf(element);
  if (count < min) {
    run.add({ path: display, rule: 'required', severity: 'error', profile: frame.profile.url, element: id, message: `${display}${label} is required (${id} min ${min}) but ${count === 0 ? 'absent' : `has ${count}`}` });
  } else if (count > max) {
    const rule = max === 0 ? 'forbidden' : 'cardinality';
    run.add({ path: display, rule, severity: 'error', profile: frame.profile.url, element: id, message: max === 0 ? `${display}${label} is present; ${id} is max 0 in ${frame.profile.sd.name ?? frame.profile.url}` : `${display}${label} has ${count} items; ${id} allows at most ${max}` });
  }
}

function validateElement(
  run: Run, raw: unknown, element: ElementDefinition, frame: Frame, id: string, basePath: string, display: string,
  types: Json[], key: string, baseElement?: ElementDefinition, choice = false,
): void {
  if (raw === undefined) {
    checkCardinality(run, 0, element, frame, id, display);
    return;
  }
  const repeating = maxOf(baseElement ?? element) > 1 || (baseElement ?? element).base?.max === '*';
  if (repeating && !Array.isArray(raw)) {
    run.add({ path: display, rule: 'type', severity: 'error', profile: frame.profile.url, element: id, message: `${display} must be a JSON array (${id} repeats) but is ${describe(raw)}` });
    return;
  }
  if (!repeating && Array.isArray(raw)) {
    run.add({ path: display, rule: 'type', severity: 'error', profile: frame.profile.url, element: id, message: `${display} must be a single value (${id} is max 1) but is an array` });
    return;
  }
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) {
    run.add({ path: display, rule: 'empty', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is an empty array; FHIR JSON leaves absent elements out` });
    return;
  }
  // A choice element's slices are by type, resolved by the caller.
  const slices = choice ? [] : frame.profile.slicesOf.get(id) ?? [];
  const slicing = element.slicing;
  const counts = new Map<ElementDefinition, number>();
  let unsliced = 0;
  items.forEach((item, index) => {
    const at = Array.isArray(raw) ? `${display}[${index}]` : display;
    const slice = slices.length ? matchSlice(item, slices, slicing, frame, id) : undefined;
    if (slice) {
      counts.set(slice, (counts.get(slice) ?? 0) + 1);
      const sliceId = `${id}:${slice.sliceName}`;
      const sliceElement = frame.profile.complete ? slice : merge(merge(element, undefined), slice);
      validateValue(run, item, sliceElement, frame, sliceId, basePath, at, slice.type ?? types, key);
      return;
    }
    unsliced += 1;
    if (slices.length && slicing?.rules === 'closed') {
      run.add({ path: at, rule: 'slice', severity: 'error', profile: frame.profile.url, element: id, message: `${at} matches none of the slices of ${id} (${slices.map((s) => s.sliceName).join(', ')}), and the slicing is closed` });
      return;
    }
    validateValue(run, item, element, frame, id, basePath, at, types, key);
  });
  checkCardinality(run, items.length, element, frame, id, display);
  void unsliced;
  for (const slice of slices) {
    checkCardinality(run, counts.get(slice) ?? 0, slice, frame, `${id}:${slice.sliceName}`, display, ` (slice ${slice.sliceName})`);
  }
}

/** Which slice an item belongs to, by the slicing's discriminators (value/pattern on a path; extensions by url). */
function matchSlice(item: unknown, slices: readonly ElementDefinition[], slicing: Json | undefined, frame: Frame, id: string): ElementDefinition | undefined {
  const discriminators: Json[] = slicing?.discriminator ?? [];
  for (const slice of slices) {
    const sliceId = `${id}:${slice.sliceName}`;
    const ok = discriminators.length > 0 && discriminators.every((d) => {
      const path: string = d.path ?? '';
      // A path through repeating elements (`coding.system`) reaches every value on the way.
      const actual = path === '$this' ? [item] : path.split('.').reduce<unknown[]>(
        (values, seg) => values.flatMap((v) => (isObject(v) ? (Array.isArray(v[seg]) ? v[seg] : v[seg] === undefined ? [] : [v[seg]]) : [])),
        [item],
      );
      if (d.type === 'exists') return actual.length > 0;
      const expected = expectedAt(slice, sliceId, path, frame);
      if (expected === undefined) return false;
      return actual.some((a) => (d.type === 'pattern' ? matchesPattern(a, expected) : deepEqual(a, expected)));
    });
    if (ok) return slice;
  }
  return undefined;
}

/** The fixed/pattern value a slice requires at a discriminator path (an extension slice's url is its profile's URL). */
function expectedAt(slice: ElementDefinition, sliceId: string, path: string, frame: Frame): unknown {
  if (path === 'url') {
    const profile = (slice.type ?? []).flatMap(profilesOf)[0];
    if (profile) return profile;
  }
  const target = path === '$this' ? slice : frame.profile.byId.get(`${sliceId}.${path}`);
  if (!target) return undefined;
  return (constrainedValue(target, 'fixed') ?? constrainedValue(target, 'pattern'))?.value;
}

function validateValue(
  run: Run, item: unknown, element: ElementDefinition, frame: Frame, id: string, basePath: string, display: string,
  types: Json[], key: string,
): void {
  const code: string | undefined = element.contentReference ? 'BackboneElement' : (types[0]?.code ?? (frame.base.byId.get(basePath)?.type?.[0]?.code));
  if (!code) return;
  const fixed = constrainedValue(element, 'fixed');
  if (fixed && !deepEqual(item, fixed.value)) {
    run.add({ path: display, rule: 'fixed-value', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is ${describe(item)}; ${id} is fixed to ${JSON.stringify(fixed.value)}` });
  }
  const pattern = constrainedValue(element, 'pattern');
  if (pattern && !matchesPattern(item, pattern.value)) {
    run.add({ path: display, rule: 'pattern', severity: 'error', profile: frame.profile.url, element: id, message: `${display} does not match the pattern ${JSON.stringify(pattern.value)} of ${id}` });
  }
  if (isPrimitive(code)) {
    checkPrimitive(run, item, code, element, frame, id, display);
    checkBinding(run, item, code, element, frame, id, display);
    return;
  }
  if (!isObject(item)) {
    run.add({ path: display, rule: 'type', severity: 'error', profile: frame.profile.url, element: id, message: `${display} must be a JSON object (${code}) but is ${describe(item)}` });
    return;
  }
  if (Object.keys(item).length === 0) {
    run.add({ path: display, rule: 'empty', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is an empty object; an element has a value or children (ele-1)` });
    return;
  }
  if (code === 'Resource' || definitions().baseType(code)?.kind === 'resource') {
    const profile = types.flatMap(profilesOf)[0];
    run.nested(item, display, profile);
    return;
  }
  const fhirPath = `${frame.fhirPath}.${key.startsWith('_') ? key.slice(1) : key}`;
  if (code === 'BackboneElement' || code === 'Element') {
    const target = element.contentReference ? String(element.contentReference).slice(1) : basePath;
    validateNode(run, item, { profile: frame.profile, id: element.contentReference ? target : id, base: frame.base, basePath: target, fhirPath }, display, false);
  } else {
    const base = baseStructure(code);
    if (!base) return;
    validateNode(run, item, { profile: frame.profile === frame.base ? base : frame.profile, id, base, basePath: code, fhirPath }, display, false);
    // The data type's own invariants (Reference's ref-1, Period's per-1, ContactPoint's cpt-2): a snapshot copies
    // them onto each element of that type only sometimes (GPConnect-Appointment-1 is differential only, and the
    // base Appointment's snapshot leaves `Appointment.participant.actor` without ref-1), so they are read from the type.
    const root = base.byId.get(code);
    const own = new Set((element.constraint ?? []).map((c: Json) => c.key));
    const inherited = (root?.constraint ?? []).filter((c: Json) => !own.has(c.key));
    if (root && inherited.length) checkInvariants(run, item, { ...root, constraint: inherited }, { ...frame, fhirPath }, id, display);
    // A data type's own profile (an extension definition, a profiled type) is validated in its own right.
    const typeProfiles = types.flatMap(profilesOf);
    const byUrl = code === 'Extension' && typeProfiles.length === 0 && typeof item.url === 'string' ? [item.url] : [];
    for (const url of [...typeProfiles, ...byUrl]) {
      const s = structure(url);
      if (!s) continue;
      const sBase = baseStructure(s.type);
      if (!sBase) continue;
      validateNode(run, item, { profile: s, id: s.type, base: sBase, basePath: s.type, fhirPath }, display, false);
      checkInvariants(run, item, merge(sBase.byId.get(s.type), s.byId.get(s.type)), { profile: s, id: s.type, base: sBase, basePath: s.type, fhirPath }, s.type, display);
    }
    if (code === 'Reference') checkReferenceTarget(run, item, types, frame, id, display);
    if (code === 'Extension') checkExtension(run, item, frame, id, display);
  }
  checkBinding(run, item, code, element, frame, id, display);
  checkInvariants(run, item, element, { ...frame, fhirPath }, id, display);
}

function checkPrimitive(run: Run, item: unknown, code: string, element: ElementDefinition, frame: Frame, id: string, display: string): void {
  const expected = PRIMITIVE_JSON[code] ?? 'string';
  if (typeof item !== expected) {
    run.add({ path: display, rule: 'type', severity: 'error', profile: frame.profile.url, element: id, message: `${display} must be a JSON ${expected} (${code}) but is ${describe(item)}` });
    return;
  }
  if (typeof item === 'string') {
    if (item.trim() === '' ) {
      run.add({ path: display, rule: 'empty', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is an empty string; FHIR values are never empty` });
      return;
    }
    const regex = primitiveRegex(code);
    if ((regex && !regex.test(item)) || ((code === 'date' || code === 'dateTime' || code === 'instant') && !calendarValid(item))) {
      run.add({ path: display, rule: 'format', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is ${describe(item)}, not a valid ${code}` });
    }
    const maxLength = element.maxLength;
    if (typeof maxLength === 'number' && [...item].length > maxLength && maxLength < 1048576) {
      run.add({ path: display, rule: 'max-length', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is ${[...item].length} characters; ${id} allows ${maxLength}` });
    }
  } else if (expected === 'number') {
    const n = item as number;
    if (code !== 'decimal' && !Number.isInteger(n)) {
      run.add({ path: display, rule: 'format', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is ${n}, not an ${code}` });
    } else if ((code === 'positiveInt' && n < 1) || (code === 'unsignedInt' && n < 0)) {
      run.add({ path: display, rule: 'format', severity: 'error', profile: frame.profile.url, element: id, message: `${display} is ${n}, not a ${code}` });
    }
  }
}

function checkBinding(run: Run, item: unknown, code: string, element: ElementDefinition, frame: Frame, id: string, display: string): void {
  const binding = element.binding;
  if (!binding || (binding.strength !== 'required' && binding.strength !== 'extensible')) return;
  const vsUrl: string | undefined = binding.valueSetReference?.reference ?? binding.valueSetUri;
  if (!vsUrl) return;
  const expansion = expand(vsUrl);
  if (!expansion) return; // not checkable offline (manifest.json notVendored, SNOMED CT, filters)
  // A coding whose system already broke a fixed value is not reported twice.
  if (run.issues.some((i) => i.rule === 'fixed-value' && i.path.startsWith(`${display}.coding`))) return;
  const severity = binding.strength === 'required' ? 'error' : 'warning';
  const vsName = vsUrl.slice(vsUrl.lastIndexOf('/') + 1);
  const report = (what: string) => run.add({
    path: display, rule: 'code', severity, profile: frame.profile.url, element: id,
    message: `${display} ${what} is not in the value set ${vsName} (${binding.strength} binding of ${id})`,
  });
  if (code === 'code' || code === 'string' || code === 'uri') {
    if (typeof item === 'string' && !expansion.bareCodes.has(item)) report(`"${item}"`);
    return;
  }
  const codings: Json[] = code === 'Coding' ? [item as Json] : code === 'CodeableConcept' ? ((item as Json).coding ?? []) : [];
  if (code !== 'Coding' && code !== 'CodeableConcept') return;
  const inSet = codings.filter((c) => isObject(c) && expansion.codes.has(`${c.system}|${c.code}`));
  const fromSystems = codings.filter((c) => isObject(c) && expansion.systems.has(String(c.system)));
  // A coding of the value set's own system with a code it does not hold is named by its path.
  const wrongCode = inSet.length === 0 ? codings.findIndex((c) => isObject(c) && expansion.systems.has(String(c.system))) : -1;
  if (code === 'CodeableConcept' && wrongCode >= 0) {
    const at = `${display}.coding[${wrongCode}].code`;
    run.add({ path: at, rule: 'code', severity, profile: frame.profile.url, element: id, message: `${at} "${codings[wrongCode].code}" is not a code of ${codings[wrongCode].system} in the value set ${vsName} (${binding.strength} binding of ${id})` });
    return;
  }
  if (code === 'Coding' && inSet.length === 0) report(`${JSON.stringify({ system: codings[0]?.system, code: codings[0]?.code })}`);
  else if (code === 'CodeableConcept' && inSet.length === 0 && (codings.length > 0 || severity === 'error')) {
    if (fromSystems.length > 0 || binding.strength === 'required') report(`(codings ${codings.map((c) => `${c.system}|${c.code}`).join(', ') || 'none'})`);
  }
}

function checkReferenceTarget(run: Run, item: Json, types: Json[], frame: Frame, id: string, display: string): void {
  if (typeof item.reference !== 'string') return;
  const targets = types.flatMap(targetProfilesOf);
  if (targets.length === 0) return;
  const allowed = [...new Set(targets.map(typeOfProfile).filter((t): t is string => Boolean(t)))];
  if (allowed.length === 0 || allowed.includes('Resource')) return;
  const type = resourceTypeOfReference(item.reference);
  if (type !== undefined && !allowed.includes(type)) {
    run.add({ path: `${display}.reference`, rule: 'reference-type', severity: 'error', profile: frame.profile.url, element: id, message: `${display}.reference "${item.reference}" is a ${type}; ${id} may refer to ${allowed.join(', ')}` });
  }
}

/** ext-1 (Extension SHALL have either extensions or value[x], not both), checked without FHIRPath. */
function checkExtension(run: Run, item: Json, frame: Frame, id: string, display: string): void {
  const hasValue = Object.keys(item).some((k) => k.startsWith('value'));
  const hasExtensions = Array.isArray(item.extension) && item.extension.length > 0;
  if (hasValue === hasExtensions) {
    run.add({ path: display, rule: 'invariant', severity: 'error', profile: frame.profile.url, element: id, message: `${display} must have either extensions or a value[x], not ${hasValue ? 'both' : 'neither'} (ext-1)` });
  }
}

/** Checked natively above (ele-1: no empty elements; ext-1). */
const NATIVE_INVARIANTS = new Set(['ele-1', 'ext-1']);

function checkInvariants(run: Run, item: Json, element: ElementDefinition, frame: Frame, id: string, display: string): void {
  for (const c of element.constraint ?? []) {
    if (!c.expression || NATIVE_INVARIANTS.has(c.key)) continue;
    const holds = invariantHolds(c.expression, frame.fhirPath, item, run.resource);
    if (holds === false) {
      run.add({
        path: display, rule: 'invariant', severity: c.severity === 'error' ? 'error' : 'warning', profile: frame.profile.url, element: id,
        message: `${display} breaks ${c.key}: ${c.human ?? c.expression}`,
      });
    }
  }
}

/**
 * Validates one resource against a StructureDefinition (a profile or a base resource definition).
 * Resources inside it are passed to `nested`, which decides their profile and validates them.
 */
export function validateAgainst(resource: Json, profileUrl: string, display: string, nested: NestedResource): StructureIssue[] {
  const run = new Run(resource, nested);
  const profile = structure(profileUrl);
  if (!profile) {
    run.add({ path: display, rule: 'unknown-profile', severity: 'error', profile: profileUrl, message: `${display}: no StructureDefinition ${profileUrl} is vendored` });
    return run.issues;
  }
  const base = baseStructure(profile.type);
  if (!base) {
    run.add({ path: display, rule: 'unknown-profile', severity: 'error', profile: profileUrl, message: `${display}: the base definition of ${profile.type} is not vendored` });
    return run.issues;
  }
  if (resource.resourceType !== profile.type) {
    run.add({ path: `${display}.resourceType`, rule: 'resource-type', severity: 'error', profile: profileUrl, message: `${display}.resourceType is ${describe(resource.resourceType)}; ${profile.sd.name ?? profileUrl} is for ${profile.type}` });
    return run.issues;
  }
  const frame: Frame = { profile, id: profile.type, base, basePath: profile.type, fhirPath: profile.type };
  validateNode(run, resource, frame, display, true);
  checkInvariants(run, resource, merge(base.byId.get(profile.type), profile === base ? undefined : profile.byId.get(profile.type)), frame, profile.type, display);
  return run.issues;
}
