import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packagePath } from '../package-root';

/** One rule the harness checks, as requirements/catalogue.yaml states it. */
export interface Requirement {
  id: string;
  title: string;
  /** The page (and anchor) of the published GP Connect specification. */
  section: string;
  /** Where in the spec notes it comes from. */
  source: string;
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
  const raw = parse(readFileSync(file, 'utf8')) as { spec_base: string; requirements: Requirement[] };
  const result = { specBase: raw.spec_base, requirements: raw.requirements, byId: new Map(raw.requirements.map((r) => [r.id, r])) };
  cache.set(file, result);
  return result;
}

/** The published spec page a requirement comes from. */
export function specLink(requirement: Requirement, base = catalogue().specBase): string {
  return new URL(requirement.section, base).toString();
}
