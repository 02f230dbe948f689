/**
 * Refreshes the vendored FHIR definitions in data/fhir/ from two snapshots:
 *  - the GP Connect / CareConnect STU3 artefacts: a git directory of nhsconnect/STU3-FHIR-Assets
 *    (`--assets <git dir>`, `--ref <branch or commit>`, default `develop`), XML, converted to JSON here;
 *  - the FHIR STU3 (3.0.1) base definitions HL7 publishes as definitions.json, as the npm package
 *    fhir@3.3.1 redistributes them (`--core <folder holding profiles-types.json, profiles-resources.json,
 *    valuesets.json>`; without it the package is fetched with `npm pack` into a temporary folder).
 *
 * Only what GP Connect's Foundations and Appointment Management reach is kept: the roots below and every
 * type, type profile, extension, value set and code system they reach through a required or extensible
 * binding. The result is two Bundles and a manifest naming each artefact's source and licence.
 *
 *   node dist/scripts/refresh-fhir-definitions.js --assets /work/.mirror/nhsconnect+STU3-FHIR-Assets/repo
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/package-root';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Fhir, ParseConformance, Versions } = require('fhir');

type Json = Record<string, any>;

const CORE_PACKAGE = 'fhir@3.3.1';
const ASSETS_REPOSITORY = 'nhsconnect/STU3-FHIR-Assets';
const OUT = join(PACKAGE_ROOT, 'data', 'fhir');

/** What the harness validates: the GP Connect profiles (1.2.9 Foundations, Appointment Management) and the base resources without one. */
const ROOTS = [
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Practitioner-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-PractitionerRole-1',
  'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1',
  // GPConnect-Appointment-1 allows a Device as participant.actor.
  'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Device-1',
  'http://hl7.org/fhir/StructureDefinition/OperationOutcome',
  'http://hl7.org/fhir/StructureDefinition/Bundle',
  'http://hl7.org/fhir/StructureDefinition/Parameters',
  'http://hl7.org/fhir/StructureDefinition/CapabilityStatement',
  // Resources a Bundle, a reference or `contained` may hold without a GP Connect profile.
  'http://hl7.org/fhir/StructureDefinition/Patient',
  'http://hl7.org/fhir/StructureDefinition/Organization',
  'http://hl7.org/fhir/StructureDefinition/Practitioner',
  'http://hl7.org/fhir/StructureDefinition/PractitionerRole',
  'http://hl7.org/fhir/StructureDefinition/Location',
  'http://hl7.org/fhir/StructureDefinition/Appointment',
  'http://hl7.org/fhir/StructureDefinition/Slot',
  'http://hl7.org/fhir/StructureDefinition/Schedule',
  'http://hl7.org/fhir/StructureDefinition/Device',
  'http://hl7.org/fhir/StructureDefinition/Resource',
  'http://hl7.org/fhir/StructureDefinition/DomainResource',
];
/** The operations GP Connect defines for these interactions (their parameters). */
const OPERATIONS = ['Operations/GPConnect-RegisterPatient-Operation-1.xml'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function corePath(): string {
  const given = arg('--core');
  if (given) return given;
  const dir = mkdtempSync(join(tmpdir(), 'fhir-core-'));
  execFileSync('npm', ['pack', CORE_PACKAGE, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${CORE_PACKAGE} wrote no tarball in ${dir}`);
  execFileSync('tar', ['xzf', tarball, 'package/profiles/stu3'], { cwd: dir });
  return join(dir, 'package', 'profiles', 'stu3');
}

function bundleEntries(file: string): Json[] {
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as Json;
  return (bundle.entry ?? []).map((e: Json) => e.resource).filter(Boolean);
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { maxBuffer: 256 * 1024 * 1024 }).toString();
}

/** Drops what validation never reads (narrative, mappings, long prose) so the vendored files stay small. */
function slim(resource: Json): Json {
  const out: Json = { ...resource };
  delete out.text;
  delete out.mapping;
  for (const part of ['snapshot', 'differential']) {
    if (!out[part]) continue;
    out[part] = {
      element: out[part].element.map((e: Json) => {
        const { definition, comment, comments, requirements, mapping, alias, example, ...kept } = e;
        void definition; void comment; void comments; void requirements; void mapping; void alias; void example;
        return kept;
      }),
    };
  }
  return out;
}

function main(): void {
  const assets = arg('--assets');
  if (!assets) throw new Error('--assets <git dir of nhsconnect/STU3-FHIR-Assets> is required');
  const ref = arg('--ref') ?? 'develop';
  const commit = git(assets, 'rev-parse', ref).trim();
  const core = corePath();

  const coreResources = [
    ...bundleEntries(join(core, 'profiles-types.json')),
    ...bundleEntries(join(core, 'profiles-resources.json')),
    ...bundleEntries(join(core, 'valuesets.json')),
  ];
  const parser = new ParseConformance(false, Versions.STU3);
  for (const f of ['valuesets.json', 'profiles-types.json', 'profiles-resources.json']) {
    parser.parseBundle(JSON.parse(readFileSync(join(core, f), 'utf8')));
  }
  const fhir = new Fhir(parser);

  const byUrl = new Map<string, { resource: Json; source: string }>();
  for (const r of coreResources) if (r.url) byUrl.set(r.url, { resource: r, source: `${CORE_PACKAGE}:profiles/stu3` });
  // STU3 CodeSystems sit inside valuesets.json; value sets name them by `system`.
  const files = git(assets, 'ls-tree', '-r', '--name-only', commit).split('\n')
    .filter((f) => /^(StructureDefinitions|ValueSets|CodeSystems|OperationDefinitions|Operations)\/.*\.xml$/.test(f));
  const nhsByUrl = new Map<string, { resource: Json; source: string; blob: string }>();
  for (const f of files) {
    const xml = git(assets, 'show', `${commit}:${f}`);
    let resource: Json;
    try {
      resource = fhir.xmlToObj(xml.replace(/^\uFEFF/, ''));
    } catch (err) {
      console.warn(`skipped ${f}: ${(err as Error).message}`);
      continue;
    }
    const blob = git(assets, 'rev-parse', `${commit}:${f}`).trim();
    if (resource.url) nhsByUrl.set(resource.url, { resource, source: f, blob });
  }
  const find = (url: string) => nhsByUrl.get(url) ?? byUrl.get(url);

  const kept = new Map<string, { resource: Json; source: string; blob?: string }>();
  const missing = new Set<string>();
  const queue = [...ROOTS];
  for (const op of OPERATIONS) {
    const hit = [...nhsByUrl.values()].find((v) => v.source.endsWith(op));
    if (hit) queue.push(hit.resource.url);
  }
  const want = (url: string | undefined) => {
    if (!url) return;
    const plain = url.split('|')[0];
    if (!kept.has(plain) && !queue.includes(plain)) queue.push(plain);
  };
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (kept.has(url)) continue;
    const found = find(url);
    if (!found) { missing.add(url); continue; }
    kept.set(url, found);
    const r = found.resource;
    if (r.resourceType === 'StructureDefinition') {
      if (r.derivation === 'constraint' || r.kind !== 'resource') want(r.baseDefinition);
      // Two GP Connect profiles are published with a differential only (GPConnect-Appointment-1 1.7.0).
      for (const e of [...(r.snapshot?.element ?? []), ...(r.differential?.element ?? [])]) {
        for (const t of e.type ?? []) {
          if (t.code && !t.code.startsWith('http')) want(`http://hl7.org/fhir/StructureDefinition/${t.code}`);
          for (const p of [].concat(t.profile ?? [])) want(p);
        }
        const b = e.binding;
        if (b && (b.strength === 'required' || b.strength === 'extensible')) want(b.valueSetReference?.reference ?? b.valueSetUri);
      }
    } else if (r.resourceType === 'ValueSet') {
      for (const inc of r.compose?.include ?? []) {
        if (inc.system && !inc.concept) want(inc.system);
        for (const vs of [].concat(inc.valueSet ?? [])) want(vs);
      }
    }
  }

  const pick = (fromNhs: boolean) => [...kept.entries()]
    .filter(([url]) => nhsByUrl.has(url) === fromNhs)
    .sort(([a], [b]) => a.localeCompare(b));
  const write = (name: string, entries: [string, { resource: Json }][]) => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: entries.map(([url, v]) => ({ fullUrl: url, resource: slim(v.resource) })) };
    writeFileSync(join(OUT, name), JSON.stringify(bundle) + '\n');
  };
  const nhs = pick(true);
  const base = pick(false);
  write('gpconnect-stu3-assets.json', nhs);
  write('fhir-stu3-core.json', base);
  const manifest = {
    note: 'Written by scripts/refresh-fhir-definitions.ts; see data/fhir/README.md.',
    sources: {
      assets: { repository: ASSETS_REPOSITORY, ref, commit, licence: 'each artefact names its own in `copyright`; the repository is published by NHS Digital under the Open Government Licence v3.0' },
      core: { package: CORE_PACKAGE, contents: 'HL7 FHIR STU3 (3.0.1) definitions.json: profiles-types, profiles-resources, valuesets', licence: 'HL7 FHIR: Creative Commons "No Rights Reserved" (CC0); the npm package: Apache-2.0' },
    },
    assets: nhs.map(([url, v]) => ({ url, type: v.resource.resourceType, path: v.source, blob: (v as { blob?: string }).blob, version: v.resource.version })),
    core: base.map(([url, v]) => ({ url, type: v.resource.resourceType })),
    notVendored: [...missing].sort(),
  };
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  console.log(`${nhs.length} GP Connect/CareConnect artefacts from ${ASSETS_REPOSITORY}@${commit.slice(0, 8)}, ${base.length} FHIR STU3 core; not available offline: ${missing.size}`);
  // The temporary folder npm pack wrote into: <tmp>/package/profiles/stu3.
  if (!arg('--core') && existsSync(core)) rmSync(join(core, '..', '..', '..'), { recursive: true, force: true });
}

main();
