/**
 * requirements/official-suite.yaml (the traceability matrix to the official provider tests, issue
 * 16) keeps to what it names: our scenarios exist, the requirements are in the catalogue, the
 * not-demanded rows name a conformant variant or a catalogue entry, every official scenario of the
 * extracted list has exactly one row with its Examples count, and docs/official-suite.md is what
 * the generator makes of it. Each check is a function over the data, tried first on a broken copy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import { catalogue } from '../../src/rules/catalogue';
import { writtenScenarios } from '../../src/pipeline/reports/coverage';
import { PROVIDER_VARIANTS } from '../../src/spine/provider/variants';
import {
  OFFICIAL_SUITE_DOC,
  officialSuiteMarkdown,
  readOfficialSuite,
  STATUSES,
  tally,
  verdicts,
  type OfficialSuite,
} from '../../scripts/official-suite';

const suite = readOfficialSuite();
const requirementIds = new Set(catalogue().requirements.map((r) => r.id));
const ourScenarios = new Set(writtenScenarios(PACKAGE_ROOT).map((s) => `${s.uri}: ${s.name}`));
const OUR_FOLDERS = ['features/provider/', 'features/ssp/'];
const copy = (): OfficialSuite => structuredClone(suite);

/** Each verdict with where it is, for messages. */
function eachVerdict(s: OfficialSuite) {
  return s.files.flatMap((f) => f.rows.flatMap((row) => verdicts(row).map((v) => ({ where: `${f.file} "${row.scenario}"`, row, v }))));
}

function referenceProblems(s: OfficialSuite): string[] {
  const problems: string[] = [];
  for (const { where, v } of eachVerdict(s)) {
    for (const ours of v.ours ?? []) {
      if (!OUR_FOLDERS.some((dir) => ours.startsWith(dir))) problems.push(`${where}: ${ours} is not under ${OUR_FOLDERS.join(' or ')}`);
      else if (!ourScenarios.has(ours)) problems.push(`${where}: no scenario "${ours}" (file: exact scenario name)`);
    }
    for (const id of v.requirement ?? []) if (!requirementIds.has(id)) problems.push(`${where}: requirement ${id} is not in the catalogue`);
  }
  return problems;
}

function verdictProblems(s: OfficialSuite): string[] {
  const problems: string[] = [];
  for (const { where, row, v } of eachVerdict(s)) {
    if (!(STATUSES as readonly string[]).includes(v.status)) problems.push(`${where}: status "${v.status}" is not one of ${STATUSES.join(', ')}`);
    if (!Number.isInteger(v.examples) || v.examples < 1) problems.push(`${where}: examples must be a count of at least 1`);
    if ((v.status === 'covered' || v.status === 'partial') && !(v.ours ?? []).length) problems.push(`${where}: ${v.status} names none of our scenarios`);
    if ((v.status === 'partial' || v.status === 'gap') && !v.note) problems.push(`${where}: ${v.status} without a note saying what is missing`);
    if (v.status === 'out-of-scope' && v.issue === undefined) problems.push(`${where}: out-of-scope without the issue that takes it`);
    if (v.status === 'not-demanded') {
      const variantKnown = v.variant !== undefined && v.variant in PROVIDER_VARIANTS;
      const entryKnown = v.catalogue !== undefined && requirementIds.has(v.catalogue);
      if (!variantKnown && !entryKnown) problems.push(`${where}: not-demanded names neither a variant of PROVIDER_VARIANTS nor a catalogue entry (${v.variant ?? v.catalogue ?? 'none'})`);
      if (!v.note) problems.push(`${where}: not-demanded without a note`);
    }
    if (row.parts) {
      if (row.status !== undefined) problems.push(`${where}: a row with parts has its status in the parts`);
      const n = row.parts.reduce((t, p) => t + p.examples, 0);
      if (n !== row.examples) problems.push(`${where}: parts count ${n} Examples rows, the scenario has ${row.examples}`);
    }
  }
  return problems;
}

/** Every extracted official scenario has one row, in order, with its Examples count; and no other row. */
function completenessProblems(s: OfficialSuite): string[] {
  const problems: string[] = [];
  const files = s.files.map((f) => f.file);
  if (new Set(files).size !== files.length) problems.push('an official file is listed twice');
  for (const file of Object.keys(s.extracted)) if (!files.includes(file)) problems.push(`${file}: extracted but has no rows`);
  for (const f of s.files) {
    const expected = s.extracted[f.file];
    if (!expected) {
      problems.push(`${f.file}: not in the extracted list`);
      continue;
    }
    const got = f.rows.map((r) => `${r.examples} | ${r.scenario}`);
    for (const e of expected) {
      const n = got.filter((g) => g === e).length;
      if (n !== 1) problems.push(`${f.file}: "${e}" has ${n} rows`);
    }
    for (const g of got) if (!expected.includes(g)) problems.push(`${f.file}: row "${g}" is no extracted official scenario`);
  }
  return problems;
}

test('the checks can fail: each finds the mistake put into a broken copy', () => {
  const bad = copy();
  const row = bad.files[0].rows[0];
  row.ours = ['features/provider/capability-statement.feature: No such scenario'];
  row.requirement = ['PROV-NOPE'];
  assert.equal(referenceProblems(bad).length, 2);

  const bad2 = copy();
  const r = bad2.files[0].rows[0];
  (r as { status: string }).status = 'done';
  const nd = bad2.files.flatMap((f) => f.rows).find((x) => x.status === 'not-demanded' && x.variant)!;
  nd.variant = 'no-such-variant';
  assert.ok(verdictProblems(bad2).some((p) => p.includes('"done"')));
  assert.ok(verdictProblems(bad2).some((p) => p.includes('no-such-variant')));

  const bad3 = copy();
  bad3.files[0].rows.pop();
  bad3.files[1].rows.push({ ...bad3.files[1].rows[0] });
  assert.equal(completenessProblems(bad3).length, 2);

  const bad4 = copy();
  const first = bad4.files[0].rows[0];
  first.status = first.status === 'covered' ? 'gap' : 'covered';
  assert.notEqual(officialSuiteMarkdown(bad4), officialSuiteMarkdown(suite));
});

test('every scenario of ours named exists, and every requirement is in the catalogue', () => {
  assert.deepEqual(referenceProblems(suite), []);
});

test('every verdict is one of the five statuses and says what it must (missing checks, the issue, the variant)', () => {
  assert.deepEqual(verdictProblems(suite), []);
});

test('every official scenario extracted from the release has exactly one row, with its Examples count', () => {
  assert.deepEqual(completenessProblems(suite), []);
  assert.match(suite.source.commit, /^[0-9a-f]{40}$/);
});

test('the files out of scope are issue 18, each row of them', () => {
  const out: string[] = [];
  for (const file of out) {
    const f = suite.files.find((x) => x.file === file);
    assert.ok(f, `${file} is not listed`);
    for (const row of f.rows) assert.ok(row.status === 'out-of-scope' && row.issue === 18, `${file} "${row.scenario}" is not out-of-scope, issue 18`);
  }
});

test('docs/official-suite.md is what scripts/official-suite.ts makes of the YAML (npm run official-suite)', () => {
  const committed = readFileSync(path.join(PACKAGE_ROOT, OFFICIAL_SUITE_DOC), 'utf8');
  assert.equal(committed, officialSuiteMarkdown(suite));
});

test('the coverage formula: (covered + not-demanded + 0.5 × partial) / in-scope checks', () => {
  const t = tally([
    { scenario: 'a', examples: 2, status: 'covered' },
    { scenario: 'b', examples: 1, status: 'not-demanded' },
    { scenario: 'c', examples: 2, parts: [{ examples: 1, status: 'partial' }, { examples: 1, status: 'out-of-scope', issue: 17 }] },
    { scenario: 'd', examples: 1, status: 'gap' },
  ]);
  assert.equal(t.checks, 6);
  assert.equal(t.inScope, 5);
  assert.equal(t.coverage, (2 + 1 + 0.5) / 5);
});
