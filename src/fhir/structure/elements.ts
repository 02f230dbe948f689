/**
 * The element definitions of a StructureDefinition, indexed for validation. A profile published with a
 * snapshot is read from it; one published with a differential only (GPConnect-Appointment-1 1.7.0) is
 * read as its differential over its base: the validator walks the base type's structure and looks up
 * the profile's constraint for each element by id, so both forms give the same answer.
 */
import { fhirBaseDefinition } from '../../gpconnect/constants';
import { Json, definitions } from '../definitions';

export type ElementDefinition = Json;

export interface Structure {
  readonly sd: Json;
  readonly url: string;
  /** The type it constrains or defines: `Appointment`, `Extension`, `Identifier`. */
  readonly type: string;
  /** The profile's own elements by id (snapshot, else differential). */
  readonly byId: ReadonlyMap<string, ElementDefinition>;
  /** Slices declared on an element id: `Appointment.extension` → its slice elements. */
  readonly slicesOf: ReadonlyMap<string, readonly ElementDefinition[]>;
  /** Whether `byId` is a complete snapshot (else a differential over the base type). */
  readonly complete: boolean;
}

const cache = new Map<string, Structure | null>();

export function structure(url: string): Structure | undefined {
  const hit = cache.get(url);
  if (hit !== undefined) return hit ?? undefined;
  const sd = definitions().byUrl.get(url);
  if (!sd || sd.resourceType !== 'StructureDefinition') {
    cache.set(url, null);
    return undefined;
  }
  const elements: Json[] = sd.snapshot?.element ?? sd.differential?.element ?? [];
  const byId = new Map<string, ElementDefinition>();
  const slicesOf = new Map<string, ElementDefinition[]>();
  for (const e of elements) {
    const id: string = e.id ?? e.path;
    byId.set(id, e);
    if (e.sliceName && id.endsWith(`:${e.sliceName}`)) {
      const sliced = id.slice(0, -(e.sliceName.length + 1));
      if (!slicesOf.has(sliced)) slicesOf.set(sliced, []);
      slicesOf.get(sliced)!.push(e);
    }
  }
  const built: Structure = { sd, url, type: sd.type, byId, slicesOf, complete: Boolean(sd.snapshot) };
  cache.set(url, built);
  return built;
}

/** The base StructureDefinition of a FHIR type (`Appointment`, `HumanName`, `string`). */
export function baseStructure(type: string): Structure | undefined {
  return structure(fhirBaseDefinition(type));
}

/** Children of a base element path: `Appointment.participant` → its element definitions, in order. */
const childCache = new Map<string, ElementDefinition[]>();
export function childrenOf(base: Structure, path: string): ElementDefinition[] {
  const key = `${base.url}#${path}`;
  const hit = childCache.get(key);
  if (hit) return hit;
  const prefix = `${path}.`;
  const out: ElementDefinition[] = [];
  for (const [id, e] of base.byId) {
    if (id.startsWith(prefix) && !id.slice(prefix.length).includes('.') && !id.includes(':')) out.push(e);
  }
  childCache.set(key, out);
  return out;
}

/** The STU3 primitive types: lower-case type names. */
export function isPrimitive(type: string): boolean {
  return /^[a-z]/.test(type);
}

/** A type's profile(s): STU3 has one `profile` uri per type; later versions an array. */
export function profilesOf(t: Json): string[] {
  return t.profile === undefined ? [] : ([] as string[]).concat(t.profile);
}

export function targetProfilesOf(t: Json): string[] {
  return t.targetProfile === undefined ? [] : ([] as string[]).concat(t.targetProfile);
}

/** The value of fixed[x] / pattern[x] on an element, with its key. */
export function constrainedValue(e: ElementDefinition, kind: 'fixed' | 'pattern'): { key: string; value: unknown } | undefined {
  for (const key of Object.keys(e)) {
    if (key.startsWith(kind) && key.length > kind.length && /[A-Z]/.test(key[kind.length])) return { key, value: e[key] };
  }
  return undefined;
}

/**
 * The profile's constraint merged over the base element: what the profile says wins, the rest is the
 * base's. Constraints (invariants) add up.
 */
export function merge(base: ElementDefinition | undefined, profile: ElementDefinition | undefined): ElementDefinition {
  if (!profile) return base ?? {};
  if (!base) return profile;
  const out: Json = { ...base };
  for (const key of Object.keys(profile)) {
    if (key === 'constraint') continue;
    if ((key.startsWith('fixed') || key.startsWith('pattern')) && key !== 'fixed' && key !== 'pattern') {
      for (const k of Object.keys(out)) if (k.startsWith(key.startsWith('fixed') ? 'fixed' : 'pattern')) delete out[k];
    }
    out[key] = profile[key];
  }
  const constraints = [...(base.constraint ?? [])];
  for (const c of profile.constraint ?? []) if (!constraints.some((b: Json) => b.key === c.key)) constraints.push(c);
  out.constraint = constraints;
  return out;
}

export function maxOf(e: ElementDefinition): number {
  return e.max === undefined || e.max === '*' ? Infinity : Number(e.max);
}
