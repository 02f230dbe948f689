#!/usr/bin/env node
// Prints the conformance summary of a Cucumber JSON result: per role passed/failed/skipped,
// where the report is and how to open it. Exit status is left to the caller.
const { existsSync, readFileSync } = require('node:fs');
const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.error(`no results at ${file}: the run did not complete`);
  process.exit(2);
}
const roles = {};
let passed = 0;
let failed = 0;
for (const feature of JSON.parse(readFileSync(file, 'utf8'))) {
  for (const scenario of feature.elements || []) {
    const tags = (scenario.tags || []).map((t) => t.name);
    const role = (tags.find((t) => /^@(consumer|provider|ssp|topology)$/.test(t)) || '@other').slice(1);
    const statuses = (scenario.steps || []).map((s) => s.result && s.result.status);
    const outcome = statuses.every((s) => s === 'passed') ? 'passed' : statuses.some((s) => s === 'failed') ? 'failed' : statuses.some((s) => s === 'skipped' && statuses.every((x) => x !== 'undefined')) ? 'skipped' : 'broken';
    roles[role] = roles[role] || { passed: 0, failed: 0, broken: 0, skipped: 0 };
    roles[role][outcome] += 1;
    if (outcome === 'passed') passed += 1;
    else if (outcome !== 'skipped') failed += 1;
  }
}
console.log('\nConformance summary');
for (const [role, c] of Object.entries(roles)) console.log(`  ${role.padEnd(10)} ${c.passed} passed, ${c.failed} failed, ${c.broken} broken, ${c.skipped} skipped`);
console.log('\nAllure report: reports/allure-report/index.html');
console.log('  open it with: node node_modules/allure-commandline/bin/allure open reports/allure-report');
console.log(`\n${passed} passed, ${failed} failed`);
