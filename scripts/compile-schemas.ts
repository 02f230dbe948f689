/**
 * Part of `npm run build`: every schema of src/schema-validator.ts compiled to a validator module in
 * dist/ (ajv standalone code), so that no process of a run loads ajv or compiles a schema; and the
 * package's large YAML parsed to JSON (src/yaml-cache.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { PACKAGE_ROOT } from '../src/package-root';
import { compiledValidatorPath, SCHEMAS, type SchemaName } from '../src/schema-validator';
import { parse } from 'yaml';
import { CACHED_YAML, DOCUMENT_ALIAS_LIMITS, writeYamlCache, writeYamlDocumentCache, yamlDocumentFiles } from '../src/yaml-cache';

for (const name of Object.keys(SCHEMAS) as SchemaName[]) {
  const schema = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, name), 'utf8')) as object;
  const ajv = new Ajv({ ...SCHEMAS[name], code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  const file = compiledValidatorPath(name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `// Compiled from ${name} by scripts/compile-schemas.ts (npm run build): do not edit.\n${code}`);
}

// The package's large YAML, parsed once here rather than in every process (src/yaml-cache.ts).
rmSync(path.join(PACKAGE_ROOT, 'dist', 'yaml-cache'), { recursive: true, force: true });
for (const file of CACHED_YAML) {
  const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
  writeYamlCache(text, parse(text));
}
for (const file of yamlDocumentFiles()) {
  const text = readFileSync(file, 'utf8');
  for (const limit of DOCUMENT_ALIAS_LIMITS) writeYamlDocumentCache(text, limit);
}
