import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
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

/** Every finding of shared/reviews/spec-fidelity-2026-12-04.md, as its tables list them. */
const REVIEW_FINDINGS = [
  ...Array.from({ length: 25 }, (_, i) => `F${i + 1}`), 'F13b',
  ...Array.from({ length: 16 }, (_, i) => `M${i + 1}`).filter((id) => id !== 'M13'), 'M4b', 'M13a', 'M13b', 'M13c',
  ...Array.from({ length: 9 }, (_, i) => `C${i + 1}`),
];

test('every finding of the spec-fidelity review is fixed, answered or deferred to an issue, saying where and why', () => {
  const review = (parse(readFileSync(path.join(root, 'requirements', 'catalogue.yaml'), 'utf8')) as { review?: Record<string, { status?: string; where?: string; note?: string }> }).review ?? {};
  const problems = REVIEW_FINDINGS.filter((id) => {
    const r = review[id];
    return !r || !['fixed', 'answered', 'deferred'].includes(r.status ?? '') || !r.where || !r.note;
  });
  assert.deepEqual(problems, [], 'findings without a complete answer');
  const fixedAt = Object.values(review).filter((r) => r.status === 'fixed').flatMap((r) => (r.where ?? '').split(/,\s*/)).filter((w) => /^[A-Z]+-[A-Z0-9-]+$/.test(w));
  assert.deepEqual(fixedAt.filter((id) => !cat.byId.has(id)), [], 'a fixed finding names a requirement that is not in the catalogue');
});
