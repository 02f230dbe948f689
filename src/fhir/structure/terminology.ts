/**
 * Value set membership from the vendored ValueSets and CodeSystems, without a terminology server. A value
 * set is "checkable" when every part of it can be expanded here: an include of a code system we hold (all
 * of it, or listed concepts), or of listed concepts of any system. SNOMED CT, filters and systems nobody
 * vendored (manifest.json `notVendored`) are not checkable: a code bound to them is never failed here.
 */
import { Json, definitions } from '../definitions';

export interface Expansion {
  /** `system|code` pairs. */
  readonly codes: ReadonlySet<string>;
  /** Codes alone, for a `code` element (which carries no system). */
  readonly bareCodes: ReadonlySet<string>;
  readonly systems: ReadonlySet<string>;
}

const cache = new Map<string, Expansion | null>();

function conceptsOf(cs: Json): string[] {
  const out: string[] = [];
  const walk = (list: Json[] | undefined) => {
    for (const c of list ?? []) {
      if (c.code) out.push(c.code);
      walk(c.concept);
    }
  };
  walk(cs.concept);
  return out;
}

function codeSystem(url: string): Json | undefined {
  const byUrl = definitions().byUrl;
  const direct = byUrl.get(url);
  if (direct?.resourceType === 'CodeSystem') return direct;
  // STU3 ValueSets may define their own code system inline (`codeSystem`), older style.
  for (const r of byUrl.values()) if (r.resourceType === 'ValueSet' && r.codeSystem?.system === url) return { concept: r.codeSystem.concept };
  return undefined;
}

/** The expansion of a value set, or undefined when it cannot be expanded offline. */
export function expand(valueSetUrl: string, seen = new Set<string>()): Expansion | undefined {
  const url = valueSetUrl.split('|')[0];
  const hit = cache.get(url);
  if (hit !== undefined) return hit ?? undefined;
  if (seen.has(url)) return undefined;
  seen.add(url);
  const vs = definitions().byUrl.get(url);
  const result = vs?.resourceType === 'ValueSet' ? expandValueSet(vs, seen) : undefined;
  cache.set(url, result ?? null);
  return result;
}

function expandValueSet(vs: Json, seen: Set<string>): Expansion | undefined {
  const codes = new Set<string>();
  const bare = new Set<string>();
  const systems = new Set<string>();
  const add = (system: string, code: string) => {
    codes.add(`${system}|${code}`);
    bare.add(code);
    systems.add(system);
  };
  if (vs.expansion?.contains) {
    for (const c of vs.expansion.contains) if (c.system && c.code) add(c.system, c.code);
    return { codes, bareCodes: bare, systems };
  }
  const includes: Json[] = vs.compose?.include ?? [];
  if (includes.length === 0 && vs.codeSystem?.system) {
    for (const code of conceptsOf(vs.codeSystem)) add(vs.codeSystem.system, code);
    return { codes, bareCodes: bare, systems };
  }
  if (includes.length === 0) return undefined;
  for (const inc of includes) {
    if (inc.filter?.length) return undefined;
    for (const nested of ([] as string[]).concat(inc.valueSet ?? [])) {
      const inner = expand(nested, seen);
      if (!inner) return undefined;
      for (const sc of inner.codes) {
        const [system, code] = [sc.slice(0, sc.lastIndexOf('|')), sc.slice(sc.lastIndexOf('|') + 1)];
        add(system, code);
      }
    }
    if (!inc.system) continue;
    if (inc.concept?.length) {
      for (const c of inc.concept) add(inc.system, c.code);
      continue;
    }
    const cs = codeSystem(inc.system);
    if (!cs) return undefined;
    for (const code of conceptsOf(cs)) add(inc.system, code);
  }
  for (const exc of vs.compose?.exclude ?? []) {
    for (const c of exc.concept ?? []) {
      codes.delete(`${exc.system}|${c.code}`);
    }
  }
  return { codes, bareCodes: bare, systems };
}
