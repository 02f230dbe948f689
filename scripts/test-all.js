#!/usr/bin/env node
// `npm test`: the harness's own tests — the type gate, the node:test unit tests, and every Cucumber
// profile that needs no outside system — ending with one plain "N passed, N failed" line.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reports = path.join(root, 'reports');
mkdirSync(reports, { recursive: true });
const PROFILES = ['ssp', 'topology', 'provider', 'consumer'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`=== ${label}: exit ${result.status ?? result.signal} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

// 1. Type gate.
if (run('types', 'npx', ['tsc', '--noEmit'])) totals.passed += 1;
else {
  totals.failed += 1;
  failures.push('type check (tsc --noEmit)');
}

// 2. Unit tests.
const tap = path.join(reports, 'unit.tap');
const unitFiles = readdirSync(path.join(root, 'test')).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test', f));
run('unit', process.execPath, [
  '--require', 'ts-node/register/transpile-only', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...unitFiles,
]);
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (name) => Number((tapText.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) || [])[1] || 0);
if (!tapText) {
  totals.failed += 1;
  failures.push('unit tests did not report');
}
totals.passed += count('pass');
totals.failed += count('fail') + count('cancelled');
totals.skipped += count('skipped') + count('todo');
for (const m of tapText.matchAll(/^\s*not ok \d+ - (.*)$/gm)) failures.push(`unit: ${m[1]}`);

// 3. Cucumber profiles.
for (const profile of PROFILES) {
  const json = path.join(reports, profile, 'cucumber.json');
  rmSync(json, { force: true });
  run(`features:${profile}`, 'npx', ['cucumber-js', '--profile', profile]);
  if (!existsSync(json)) {
    totals.failed += 1;
    failures.push(`features:${profile} wrote no results`);
    continue;
  }
  for (const feature of JSON.parse(readFileSync(json, 'utf8'))) {
    for (const scenario of feature.elements || []) {
      const statuses = (scenario.steps || []).map((s) => s.result && s.result.status);
      if (statuses.every((s) => s === 'passed')) totals.passed += 1;
      else if (statuses.some((s) => s === 'failed' || s === 'undefined' || s === 'ambiguous' || s === 'pending')) {
        totals.failed += 1;
        failures.push(`${profile}: ${feature.uri} — ${scenario.name}`);
      } else totals.skipped += 1;
    }
  }
}

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed === 0 && totals.passed > 0 ? 0 : 1;
