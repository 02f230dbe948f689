import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packagePath } from '../package-root';
import { parseYamlCached } from '../yaml-cache';
import type { Level } from '../results/rule-note';

/** One rule the harness checks, as requirements/catalogue.yaml states it. */
export interface Requirement {
  id: string;
  title: string;
  /** The page (and anchor) of the published GP Connect specification. */
  section: string;
  /** Where in the spec notes it comes from. */
  source: string;
  /** The standard's own word for it: SHALL (also MUST) fails, SHOULD warns, MAY is a capability a profile declares. Absent: SHALL. */
  level?: Level;
  /** The source page, as a link (GP Connect 1.2.9, Spine Core, PDS or SDS FHIR, an RFC). */
  cite?: string;
  /** The section heading on that page. */
  heading?: string;
  /** The words that make the rule, verbatim (null where none could be quoted: see notes). */
  quote?: string | null;
  /**
   * Where the exact status, code or value the harness expects comes from when the spec does not give
   * it: the official provider tests (ptest), the demonstrator (demo), or the harness's own choice.
   * A finding about the exact value alone is then a warning, not a failure.
   */
  exact?: { from: 'ptest' | 'demo' | 'harness'; where: string };
  notes?: string;
}

export interface Catalogue {
  specBase: string;
  requirements: Requirement[];
  byId: Map<string, Requirement>;
}

const DEFAULT_FILE = packagePath('requirements', 'catalogue.yaml');
const cache = new Map<string, Catalogue>();

/** The requirement catalogue, read once per file. */
export function catalogue(file = DEFAULT_FILE): Catalogue {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = parseYamlCached(readFileSync(file, 'utf8'), parse) as { spec_base: string; requirements: Requirement[] };
  const result = { specBase: raw.spec_base, requirements: raw.requirements, byId: new Map(raw.requirements.map((r) => [r.id, r])) };
  cache.set(file, result);
  return result;
}

/** The level a requirement is judged at. */
export function levelOf(requirement: Requirement): Level {
  return requirement.level ?? 'SHALL';
}

/** The link a report gives for a requirement: its cited source page, else the published spec page. */
export function sourceLink(requirement: Requirement, base?: string): string {
  return requirement.cite ?? specLink(requirement, base);
}

/** The published spec page a requirement comes from. */
export function specLink(requirement: Requirement, base = catalogue().specBase): string {
  return new URL(requirement.section, base).toString();
}
