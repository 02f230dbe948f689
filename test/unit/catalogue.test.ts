import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { catalogue } from '../../src/rules/catalogue';
import { coverageMatrix, uncovered, writtenScenarios } from '../../src/pipeline/reports/coverage';
import { PACKAGE_ROOT } from '../../src/package-root';

const root = PACKAGE_ROOT;
const cat = catalogue();
const scenarios = writtenScenarios(root);
const reqTags = (tags: string[]) => tags.flatMap((t) => (t.startsWith('@req:') ? [t.slice(5)] : []));

test('every requirement cites the spec section it comes from', () => {
  const ids = cat.requirements.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'a requirement ID is listed twice');
  for (const r of cat.requirements) assert.ok(r.title && r.section && r.source, `requirement ${r.id} lacks a title, section or source`);
});

test('every requirement in the catalogue has at least one scenario (the coverage matrix has no gap)', () => {
  assert.ok(scenarios.length > 100, `the feature files were read (${scenarios.length} scenarios)`);
  assert.deepEqual(uncovered(coverageMatrix(cat, scenarios)), [], 'requirements with no scenario');
});

test('every @req tag names a requirement in the catalogue', () => {
  const unknown = scenarios.flatMap((s) => reqTags(s.tags).filter((id) => !cat.byId.has(id)).map((id) => `${id} (${s.uri}:${s.line})`));
  assert.deepEqual(unknown, [], 'tags naming no requirement');
});

test('every scenario names its requirement, its severity and its role; every SSP scenario its worked-example step', () => {
  for (const s of scenarios) {
    const where = `${s.uri}:${s.line} "${s.name}"`;
    assert.ok(reqTags(s.tags).length > 0, `${where} has no @req tag`);
    assert.ok(s.tags.some((t) => /^@severity:(blocker|critical|normal|minor|trivial)$/.test(t)), `${where} has no severity`);
    assert.ok(s.tags.some((t) => ['@consumer', '@provider', '@ssp', '@topology'].includes(t)), `${where} has no role tag`);
    if (s.uri.includes('/ssp/')) assert.ok(s.tags.some((t) => /^@step:[1-6][a-d]$/.test(t)), `${where} has no worked-example step`);
  }
});
