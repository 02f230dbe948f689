/**
 * FHIR XML for the `speaks-xml` variant (variants.ts), as a HAPI-based consumer speaks it by default:
 * FHIR.js (the `fhir` package) with the FHIR STU3 base StructureDefinitions, which this consumer takes
 * from the copy of the FHIR specification it ships with (data/fhir/fhir-stu3-core.json, found from
 * this file upwards). FHIR.js's own cached definitions are R4, not STU3. Loaded on first use only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;
interface FhirJs {
  objToXml(resource: Json): string;
  xmlToObj(xml: string): Json;
}

const CORE = path.join('data', 'fhir', 'fhir-stu3-core.json');
let fhir: FhirJs | undefined;

function stu3Core(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, CORE))) return path.join(dir, CORE);
    if (path.dirname(dir) === dir) throw new Error(`the FHIR STU3 definitions (${CORE}) are not found above ${__dirname}`);
  }
}

function fhirJs(): FhirJs {
  if (fhir) return fhir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ParseConformance, Versions, Fhir } = require('fhir') as typeof import('fhir');
  const parser = new ParseConformance(false, Versions.STU3);
  parser.parseBundle(JSON.parse(readFileSync(stu3Core(), 'utf8')));
  fhir = new Fhir(parser) as unknown as FhirJs;
  return fhir;
}

/** A resource in FHIR XML. */
export const resourceToXml = (resource: unknown): string => fhirJs().objToXml(resource as Json);

/** FHIR XML read into the JSON form; throws when it is not FHIR XML. */
export const resourceFromXml = (xml: string): Json => fhirJs().xmlToObj(xml);
