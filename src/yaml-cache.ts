/**
 * The package's large YAML data read without parsing it: `npm run build` writes each file's parse as
 * JSON under dist/yaml-cache/, named by the SHA-1 of its text (scripts/compile-schemas.ts). Parsing the
 * requirement catalogue (260 KB) cost every process of a run half a second; reading its JSON costs
 * milliseconds. A file edited since the build has another hash and is parsed as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import { PACKAGE_ROOT } from './package-root';

/** The YAML files the build caches, relative to the package root. */
export const CACHED_YAML = ['requirements/catalogue.yaml'] as const;

const CACHE_DIR = path.join(PACKAGE_ROOT, 'dist', 'yaml-cache');

function cacheFile(text: string): string {
  return path.join(CACHE_DIR, `${createHash('sha1').update(text).digest('hex')}.json`);
}

/** `parse(text)`, or the build's cached result for exactly this text. */
export function parseYamlCached<T>(text: string, parse: (text: string) => T): T {
  try {
    return JSON.parse(readFileSync(cacheFile(text), 'utf8')) as T;
  } catch {
    // Not cached (an edited file, a tree never built), or a cache file cut short: the text itself decides.
    return parse(text);
  }
}

/** The build's step: the parse of `text` written where parseYamlCached finds it. */
export function writeYamlCache(text: string, parsed: unknown): string {
  const file = cacheFile(text);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(file, JSON.stringify(parsed));
  return file;
}

/** Documents parsed in this process, by options and text: a run starts Spine in a box again and again on the same files. */
const documents = new Map<string, unknown>();

/**
 * A YAML document's data (keys unique), parsed once per process for each text; every caller gets its
 * own copy. A document with errors is not kept: its errors are returned each time, with their lines.
 */
export function yamlDocumentOnce(text: string, maxAliasCount?: number): { errors: YAMLError[]; value?: unknown } {
  const key = `${maxAliasCount ?? ''}\u0000${text}`;
  if (documents.has(key)) return { errors: [], value: structuredClone(documents.get(key)) };
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return { errors: doc.errors };
  const value: unknown = doc.toJS(maxAliasCount === undefined ? {} : { maxAliasCount });
  documents.set(key, value);
  return { errors: [], value: structuredClone(value) };
}
