/**
 * The vendored FHIR definitions (data/fhir/, written by scripts/refresh-fhir-definitions.ts): the GP Connect
 * and CareConnect STU3 StructureDefinitions, extensions, ValueSets and CodeSystems from
 * nhsconnect/STU3-FHIR-Assets, and the FHIR STU3 base definitions they derive from. Loaded once per process,
 * on first use.
 */
import { readFileSync } from 'node:fs';
import { fhirBaseDefinition } from '../gpconnect/constants';
import { packagePath } from '../package-root';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Definitions {
  /** Every vendored conformance resource by canonical URL (StructureDefinition, ValueSet, CodeSystem, OperationDefinition). */
  readonly byUrl: ReadonlyMap<string, Json>;
  /** Whether a URL came from the GP Connect assets (true) or the FHIR base (false). */
  isGpConnect(url: string): boolean;
  /** The base StructureDefinition of a resource or data type, by type name (`Appointment`, `Identifier`, `string`). */
  baseType(type: string): Json | undefined;
  /** Milliseconds the first load took (read and parse). */
  readonly loadMs: number;
}

export const DEFINITION_FILES = {
  assets: 'data/fhir/gpconnect-stu3-assets.json',
  core: 'data/fhir/fhir-stu3-core.json',
  manifest: 'data/fhir/manifest.json',
} as const;

let loaded: Definitions | undefined;

function entries(file: string): Json[] {
  const bundle = JSON.parse(readFileSync(packagePath(file), 'utf8')) as Json;
  return (bundle.entry ?? []).map((e: Json) => e.resource as Json);
}

export function definitions(): Definitions {
  if (loaded) return loaded;
  const started = performance.now();
  const byUrl = new Map<string, Json>();
  const gpc = new Set<string>();
  for (const r of entries(DEFINITION_FILES.core)) byUrl.set(r.url, r);
  for (const r of entries(DEFINITION_FILES.assets)) {
    byUrl.set(r.url, r);
    gpc.add(r.url);
  }
  const loadMs = performance.now() - started;
  loaded = {
    byUrl,
    loadMs,
    isGpConnect: (url) => gpc.has(url),
    baseType: (type) => byUrl.get(fhirBaseDefinition(type)),
  };
  return loaded;
}

/** The StructureDefinitions and ValueSets as Bundles, for libraries that load them so (FHIR.js's ParseConformance). */
export function definitionBundles(): { core: Json; assets: Json } {
  const read = (file: string) => JSON.parse(readFileSync(packagePath(file), 'utf8')) as Json;
  return { core: read(DEFINITION_FILES.core), assets: read(DEFINITION_FILES.assets) };
}
