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

test('every requirement is graded by the standard’s own words: its level, the page it comes from, the heading and the quote', () => {
  const problems: string[] = [];
  for (const r of cat.requirements) {
    if (!r.level || !['SHALL', 'SHOULD', 'MAY'].includes(r.level)) problems.push(`${r.id}: level "${r.level}" is not SHALL, SHOULD or MAY`);
    if (!r.cite || !/^https:\/\/(github\.com\/(nhsconnect|NHSDigital)\/|www\.rfc-editor\.org\/rfc\/)/.test(r.cite)) problems.push(`${r.id}: cite "${r.cite}" is not a link to the GP Connect, Spine Core, PDS or SDS source or an RFC`);
    if (!r.heading) problems.push(`${r.id}: no heading`);
    if (r.quote === undefined) problems.push(`${r.id}: no quote (null, with the reason in notes, where none can be quoted)`);
    if (r.quote === null && !r.notes) problems.push(`${r.id}: quote null without a note saying why`);
    if (r.exact && (!['ptest', 'demo', 'harness'].includes(r.exact.from) || !r.exact.where)) problems.push(`${r.id}: exact must say from (ptest, demo or harness) and where`);
  }
  assert.deepEqual(problems, []);
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
