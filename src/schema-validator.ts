/**
 * JSON Schema validators (ajv) for the harness's own files: profiles, the directory, patients,
 * practice data. `npm run build` compiles each schema to code once (scripts/compile-schemas.ts, ajv's
 * standalone code beside the compiled module), so a process starts without loading ajv and
 * compiling schemas (about 0.2 s each time); run from the sources, they are compiled on first use.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Options, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from './package-root';

/** Every schema, by its path in the package, with the ajv options it is compiled with. */
export const SCHEMAS = {
  'src/actors/profiles/provider.schema.json': { allErrors: true },
  'src/actors/profiles/consumer.schema.json': { allErrors: true, allowUnionTypes: true },
  'src/spine/provider/practice.schema.json': { allErrors: true },
  'src/spine/directory/directory.schema.json': { allErrors: true },
  'src/spine/patients.schema.json': { allErrors: true },
} satisfies Record<string, Options>;

export type SchemaName = keyof typeof SCHEMAS;

/** Where the build puts a schema's compiled validator: beside the compiled modules, in dist/. */
export function compiledValidatorPath(name: SchemaName): string {
  return path.join(PACKAGE_ROOT, 'dist', name.replace(/\.json$/, '.validate.js'));
}

/** The validator of a schema: compiled at build time when this code is compiled, else now. */
export function schemaValidator<T = unknown>(name: SchemaName, schema: object): ValidateFunction<T> {
  const compiled = compiledValidatorPath(name);
  if (__filename.endsWith('.js') && compiledIsCurrent(compiled, path.join(PACKAGE_ROOT, name))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(compiled) as { default?: ValidateFunction<T> } & ValidateFunction<T>;
    return module.default ?? module;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv(SCHEMAS[name]).compile<T>(schema);
}

/** A compiled validator no older than its schema (a schema edited since the last build is compiled now). */
function compiledIsCurrent(compiled: string, schemaFile: string): boolean {
  try {
    return statSync(compiled).mtimeMs >= statSync(schemaFile).mtimeMs;
  } catch {
    return false;
  }
}
