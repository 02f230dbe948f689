import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../../schema-validator';
import { yamlDocumentOnce } from '../../yaml-cache';
import schema from './directory.schema.json';
import { Directory } from './directory';
import type { DirectoryData } from './model';
import { checkDirectoryRules, type RuleViolation } from './rules';
import { packagePath } from '../../package-root';

export const DEFAULT_TOPOLOGY = packagePath('topologies', 'default.yaml');

/** A topology file that cannot be used: every problem names the entry and the rule it breaks. */
export class DirectoryError extends Error {
  constructor(
    readonly file: string,
    readonly problems: RuleViolation[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the topology\n` + problems.map((p) => `  - ${p.entry}: [${p.rule}] ${p.message}`).join('\n'));
    this.name = 'DirectoryError';
  }
}

const validate = schemaValidator('src/spine/directory/directory.schema.json', schema);

export function loadDirectory(file: string = DEFAULT_TOPOLOGY): Directory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DirectoryError(file, [{ rule: 'DIR-FILE', entry: file, message: `cannot read the file: ${(error as Error).message}` }]);
  }
  return parseDirectory(text, file);
}

export interface ParseOptions {
  /** Rules not to check: only for proving that the directory-rule features fail without them. */
  skipRules?: ReadonlySet<string>;
}

export function parseDirectory(text: string, file = '<topology>', options: ParseOptions = {}): Directory {
  const doc = yamlDocumentOnce(text, 1000);
  if (doc.errors.length > 0) {
    throw new DirectoryError(file, doc.errors.map((e) => ({ rule: 'DIR-YAML', entry: `line ${e.linePos?.[0]?.line ?? '?'}`, message: e.message.split('\n')[0] })));
  }
  return directoryOf(doc.value, file, options);
}

/** A topology already read (a TopologyDraft's data): checked against the schema and the directory's rules as a file is. */
export function directoryOf(raw: unknown, file = '<topology>', options: ParseOptions = {}): Directory {
  if (!validate(raw)) {
    throw new DirectoryError(file, (validate.errors ?? []).map((e) => schemaProblem(e, raw)));
  }
  const data = normalise(raw as RawDirectory);
  const violations = checkDirectoryRules(data).filter((v) => !options.skipRules?.has(v.rule));
  if (violations.length > 0) throw new DirectoryError(file, violations);
  return new Directory(data);
}

type RawDirectory = Partial<DirectoryData> & Pick<DirectoryData, 'organisations' | 'systems' | 'mhs'>;

function normalise(raw: RawDirectory): DirectoryData {
  return {
    rules: { consumerCmaEndpoints: raw.rules?.consumerCmaEndpoints ?? 'forbid' },
    organisations: raw.organisations,
    systems: raw.systems.map((s) => ({ ...s, sends: s.sends ?? [], receives: s.receives ?? [] })),
    mhs: raw.mhs.map((m) => ({ ...m, interactions: m.interactions ?? [], cpaId: m.cpaId ?? defaultCpaId(m.partyKey) })),
    cmaEndpoints: raw.cmaEndpoints ?? [],
    agreements: raw.agreements ?? [],
    topologies: raw.topologies ?? [],
  };
}

/** A CPA ID in the Spine form (`S` + 12 digits) derived from the party key's number. */
function defaultCpaId(partyKey: string): string {
  return 'S' + partyKey.replace(/^.*-/, '').padStart(12, '0');
}

function schemaProblem(error: ErrorObject, raw: unknown): RuleViolation {
  const entry = describePointer(error.instancePath, raw);
  const detail =
    error.keyword === 'additionalProperties'
      ? `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
      : error.keyword === 'required'
        ? `missing field "${(error.params as { missingProperty: string }).missingProperty}"`
        : error.keyword === 'enum'
          ? `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
          : (error.message ?? error.keyword);
  return { rule: 'DIR-SCHEMA', entry, message: detail };
}

/** `/systems/3/asid` → `systems[3] (ASID 200000000401).asid`, so the user can find the entry. */
function describePointer(pointer: string, raw: unknown): string {
  if (!pointer) return '(top level)';
  const parts = pointer.split('/').slice(1);
  let node: unknown = raw;
  let out = '';
  for (const part of parts) {
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (/^[0-9]+$/.test(part)) {
      out += `[${part}]`;
      const label = labelOf(node);
      if (label) out += ` (${label})`;
    } else out += out ? `.${part}` : part;
  }
  return out;
}

function labelOf(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  if (typeof n.asid === 'string' && typeof n.name === 'string') return `ASID ${n.asid}`;
  if (typeof n.ods === 'string') return `ODS ${n.ods}`;
  if (typeof n.partyKey === 'string') return `party key ${n.partyKey}`;
  if (typeof n.id === 'string') return n.id;
  return undefined;
}
