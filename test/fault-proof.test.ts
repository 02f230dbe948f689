import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { SSP_FAULTS } from '../src/spine/ssp-faults';
import { PROVIDER_FAULTS } from '../src/spine/provider/faults';
import { SDS_FAULTS } from '../src/spine/sds-faults';
import { CONSUMER_FAULTS } from '../reference/consumer/faults';

/**
 * Proving the harness (DESIGN.md): the SSP and topology features run against an SSP simulator and
 * a directory that each make one deliberate mistake; the run must fail, and the failing scenarios
 * must include one tagged with the requirement that mistake breaks.
 */
const root = path.resolve(__dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'gpc-proof-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  exitCode: number | null;
  failedRequirements: Set<string>;
  failedScenarios: string[];
}

function runFeatures(name: string, env: Record<string, string>, paths: string[]): Promise<Outcome> {
  const json = path.join(work, `${name}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--profile', 'proof', '--format', `json:${json}`, ...paths], {
      cwd: root,
      env: { ...process.env, ...env, GPC_TLS_DIR: path.join(work, 'tls') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (!existsSync(json)) return reject(new Error(`the run with ${JSON.stringify(env)} wrote no results: ${stderr.slice(0, 2000)}`));
      const failedRequirements = new Set<string>();
      const failedScenarios: string[] = [];
      for (const feature of JSON.parse(readFileSync(json, 'utf8')) as Array<{ elements?: Array<{ name: string; tags: Array<{ name: string }>; steps: Array<{ result: { status: string } }> }> }>) {
        for (const scenario of feature.elements ?? []) {
          if (scenario.steps.every((s) => s.result.status === 'passed')) continue;
          failedScenarios.push(scenario.name);
          for (const tag of scenario.tags) if (tag.name.startsWith('@req:')) failedRequirements.add(tag.name.slice(5));
        }
      }
      resolve({ exitCode, failedRequirements, failedScenarios });
    });
  });
}

/**
 * The feature files with a scenario tagged with the requirement: a fault must fail that scenario,
 * and the other features only cost time (there are over fifty provider faults).
 */
function featuresTagged(requirement: string, ...dirs: string[]): string[] {
  const tag = new RegExp(`@req:${requirement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm');
  const files = dirs
    .flatMap((dir) => readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.feature')).map((f) => path.join(dir, f)))
    .filter((f) => tag.test(readFileSync(path.join(root, f), 'utf8')));
  assert.ok(files.length > 0, `no feature under ${dirs.join(', ')} has a scenario tagged @req:${requirement}`);
  return files;
}

/** Two runs at a time: the machine has two cores. */
async function pool<T>(jobs: Array<() => Promise<T>>, width = 2): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

/** Every requirement some fault made fail: the last test requires the whole catalogue here. */
const provenByAFault = new Set<string>();

/** Run the features once per fault; every run must fail on a scenario tagged with the requirement that fault breaks. */
async function proveFaults(faults: Array<[string, string]>, envName: string, paths: string[] | ((breaks: string) => string[])): Promise<string[]> {
  const pathsFor = (breaks: string) => (typeof paths === 'function' ? paths(breaks) : paths);
  const outcomes = await pool(faults.map(([fault, breaks]) => () => runFeatures(`${envName}-${fault}`, { [envName]: fault }, pathsFor(breaks))));
  for (const o of outcomes) for (const r of o.failedRequirements) provenByAFault.add(r);
  return faults.flatMap(([fault, breaks], i) => {
    const o = outcomes[i];
    if (o.exitCode === 0) return [`${fault}: the run passed`];
    if (!o.failedRequirements.has(breaks)) return [`${fault}: no failing scenario names ${breaks} (failed: ${o.failedScenarios.join('; ')})`];
    return [];
  });
}

const DIRECTORY_RULES = [
  'SDS-1.1-UNIQUE-ASID',
  'SDS-1.3-ONE-PROVIDER',
  'SDS-2.1-CONSUMER-NOT-CMA',
  'SDS-2.2-CONSUMER-MHS-INTERACTIONS',
  'SDS-3.1-CMA',
  'SDS-3.2-PROVIDER-INTERACTIONS',
  'SDS-3.4-SERVICE-ROOT',
  'SDS-3.5-ROOT-ONLY',
  'DIR-REFERENCES',
];

test('the conformant SSP, directory, reference provider and reference consumer pass every scenario', async () => {
  const outcome = await runFeatures('conformant', {}, ['features/ssp', 'features/topology', 'features/provider', 'features/consumer']);
  assert.deepEqual(outcome.failedScenarios, []);
  assert.equal(outcome.exitCode, 0);
});

test('each SSP fault fails the run, and a failing scenario names the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(Object.entries(SSP_FAULTS).map(([f, e]) => [f, e.breaks]), 'GPC_SSP_FAULTS', (breaks) => featuresTagged(breaks, 'features/ssp', 'features/topology')), []);
});

test('each directory rule left unchecked fails the run, and a failing scenario names that rule', async () => {
  assert.deepEqual(await proveFaults(DIRECTORY_RULES.map((rule) => [rule, rule]), 'GPC_DIRECTORY_FAULTS', ['features/topology/directory-rules.feature']), []);
});

test('each reference provider fault fails the provider features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(Object.entries(PROVIDER_FAULTS).map(([f, e]) => [f, e.breaks]), 'GPC_PROVIDER_FAULTS', (breaks) => featuresTagged(breaks, 'features/provider')), []);
});

test('each SDS fault fails the topology features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(Object.entries(SDS_FAULTS).map(([f, e]) => [f, e.breaks]), 'GPC_SDS_FAULTS', ['features/topology']), []);
});

test('each reference consumer fault fails the consumer features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(CONSUMER_FAULTS.map((f) => [f.name, f.requirement]), 'GPC_CONSUMER_FAULTS', (breaks) => featuresTagged(breaks, 'features/consumer')), []);
});

/**
 * Requirements no fault can break, each with the reason. SDS-2.3 is a MAY (consumers may share a
 * party key): its scenario describes the default topology, whose ASID half is SDS-1.1, proven above.
 */
const NOT_BREAKABLE: Record<string, string> = {
  'SDS-2.3-SHARED-PARTY-KEY': 'a MAY, describing the default topology',
};

test('every requirement in the catalogue failed under at least one fault', () => {
  const catalogue = parse(readFileSync(path.join(root, 'requirements/catalogue.yaml'), 'utf8')) as { requirements: Array<{ id: string }> };
  const unproven = catalogue.requirements.map((r) => r.id).filter((id) => !provenByAFault.has(id) && !(id in NOT_BREAKABLE));
  assert.deepEqual(unproven, [], 'requirements that no fault made fail: their scenarios might pass a broken system');
});
