/**
 * The package's large YAML data read without parsing it: `npm run build` writes each file's parse as
 * JSON under dist/yaml-cache/, named by the SHA-1 of its text (scripts/compile-schemas.ts). Parsing the
 * requirement catalogue (260 KB) cost every process of a run half a second; reading its JSON costs
 * milliseconds. A file edited since the build has another hash and is parsed as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import { PACKAGE_ROOT } from './package-root';

/** The YAML files the build caches, relative to the package root. */
export const CACHED_YAML = ['requirements/catalogue.yaml'] as const;

/**
 * The data Spine in a box reads every time it starts (patients, directory, practices), cached by the
 * build as yamlDocumentOnce reads them: their parse was ~0.1 s of every process that starts a Spine
 * (a part, each parallel worker, a proof process, a reference provider), the parser still cold.
 * Folders stand for the `.yaml` files in them.
 */
export const CACHED_YAML_DOCUMENTS = ['data/patients.yaml', 'topologies', 'data/practices'] as const;
/** The files CACHED_YAML_DOCUMENTS stands for, absolute. */
export function yamlDocumentFiles(): string[] {
  return CACHED_YAML_DOCUMENTS.flatMap((entry) => {
    const full = path.join(PACKAGE_ROOT, entry);
    return entry.endsWith('.yaml') ? [full] : readdirSync(full).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(full, f));
  });
}

/** The alias limits yamlDocumentOnce is called with (none; the directory's 1000): each is its own entry. */
export const DOCUMENT_ALIAS_LIMITS = [undefined, 1000] as const;

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

/** What a document is cached under, by the build and in the process: its alias limit and its text. */
const documentKey = (text: string, maxAliasCount: number | undefined) => `${maxAliasCount ?? ''}\u0000${text}`;

/**
 * A YAML document's data (keys unique), parsed once per process for each text, or read from the
 * build's cache when the build parsed this very text (CACHED_YAML_DOCUMENTS); every caller gets its
 * own copy. A document with errors is not kept: its errors are returned each time, with their lines.
 */
export function yamlDocumentOnce(text: string, maxAliasCount?: number): { errors: YAMLError[]; value?: unknown } {
  const key = documentKey(text, maxAliasCount);
  if (documents.has(key)) return { errors: [], value: structuredClone(documents.get(key)) };
  const built = builtDocument(key);
  if (built !== undefined) {
    documents.set(key, built);
    return { errors: [], value: structuredClone(built) };
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return { errors: doc.errors };
  const value: unknown = doc.toJS(maxAliasCount === undefined ? {} : { maxAliasCount });
  documents.set(key, value);
  return { errors: [], value: structuredClone(value) };
}

/** Where the build keeps a document's data, for this text and alias limit. */
export function builtDocumentFile(text: string, maxAliasCount: number | undefined): string {
  return cacheFile(`document\u0000${documentKey(text, maxAliasCount)}`);
}

function builtDocument(key: string): unknown {
  try {
    return JSON.parse(readFileSync(cacheFile(`document\u0000${key}`), 'utf8'));
  } catch {
    return undefined; // not built from this text, or a cache file cut short: parsed
  }
}

/**
 * The build's step for a document: its data as yamlDocumentOnce gives it, written where
 * yamlDocumentOnce finds it; nothing for a document with errors or with data JSON cannot carry
 * (those are parsed in each process, as before). The file written, if any.
 */
export function writeYamlDocumentCache(text: string, maxAliasCount: number | undefined): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  const value: unknown = doc.toJS(maxAliasCount === undefined ? {} : { maxAliasCount });
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) return undefined;
  return writeYamlCache(`document\u0000${documentKey(text, maxAliasCount)}`, value);
}
