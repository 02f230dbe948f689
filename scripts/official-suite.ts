/**
 * The traceability matrix to NHS Digital's official provider test suite (issue 16):
 * requirements/official-suite.yaml maps each official scenario (each Examples row counted) to the
 * requirement and the scenarios here that check the same thing, or says why not. This script
 * writes docs/official-suite.md from it, with the coverage per area; `--check` only compares the
 * committed doc with what it would write (test/unit/official-suite.test.ts does the same).
 *
 *   npm run build && npm run official-suite            # rewrite the doc, print the coverage table
 *   npm run build && npm run official-suite -- --check # exit 1 if the doc is not the YAML's
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../src/package-root';

export const OFFICIAL_SUITE_YAML = 'requirements/official-suite.yaml';
export const OFFICIAL_SUITE_DOC = 'docs/official-suite.md';

export const STATUSES = ['covered', 'partial', 'gap', 'not-demanded', 'out-of-scope'] as const;
export type Status = (typeof STATUSES)[number];

/** What is said about some official checks: a whole scenario, or some of its Examples rows. */
export interface Verdict {
  status: Status;
  /** "features/provider/x.feature: <our scenario name>" */
  ours?: string[];
  requirement?: string[];
  note?: string;
  /** out-of-scope: the issue that takes it (17 XML, 18 the other Appointment Management interactions), or why none does. */
  issue?: number | string;
  /** not-demanded: the conformant variant (src/spine/provider/variants.ts) that proves it is not demanded… */
  variant?: string;
  /** …or the catalogue entry whose notes explain it. */
  catalogue?: string;
}

/** Part of an Outline's Examples rows, where its rows do not all have the same verdict. */
export interface Part extends Verdict {
  examples: number;
  /** Which Examples rows, in words. */
  rows?: string;
}

export interface Row extends Partial<Verdict> {
  scenario: string;
  examples: number;
  parts?: Part[];
}

export interface OfficialFile {
  file: string;
  area: string;
  rows: Row[];
}

export interface OfficialSuite {
  source: { repo: string; release: string; branch: string; commit: string; committed: string; read: string; newer_branch?: string };
  not_counted: string[];
  files: OfficialFile[];
  /** What a newer branch adds to the in-scope files: listed, not counted. */
  newer?: Record<string, string[]>;
  /** The official scenarios as extracted from the feature files at source.commit: "<examples> | <name>". */
  extracted: Record<string, string[]>;
}

export function readOfficialSuite(root = PACKAGE_ROOT): OfficialSuite {
  return parse(readFileSync(path.join(root, OFFICIAL_SUITE_YAML), 'utf8')) as OfficialSuite;
}

/** The verdicts of a row, each with the number of checks it speaks for. */
export function verdicts(row: Row): Part[] {
  return row.parts ?? [{ ...(row as Verdict), examples: row.examples }];
}

export type Tally = Record<Status, number> & { checks: number; inScope: number; coverage: number | undefined };

/** Coverage = (covered + not-demanded + 0.5 × partial) / in-scope checks, in-scope being all but out-of-scope. */
export function tally(rows: Row[]): Tally {
  const t = { covered: 0, partial: 0, gap: 0, 'not-demanded': 0, 'out-of-scope': 0 } as Record<Status, number>;
  for (const v of rows.flatMap(verdicts)) t[v.status] += v.examples;
  const checks = STATUSES.reduce((n, s) => n + t[s], 0);
  const inScope = checks - t['out-of-scope'];
  return { ...t, checks, inScope, coverage: inScope === 0 ? undefined : (t.covered + t['not-demanded'] + 0.5 * t.partial) / inScope };
}

/** The files with at least one in-scope check: the total counts only these. */
export function inScopeFiles(suite: OfficialSuite): OfficialFile[] {
  return suite.files.filter((f) => f.rows.some((r) => verdicts(r).some((v) => v.status !== 'out-of-scope')));
}

const percent = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

/** "features/provider/x.feature: name" as a link to the feature (from docs/) and the name. */
function ourCell(entry: string): string {
  const at = entry.indexOf(': ');
  const file = entry.slice(0, at);
  return `[${path.posix.basename(file)}](../${file}): ${cell(entry.slice(at + 2))}`;
}

function why(v: Verdict): string {
  const said: string[] = [];
  if (v.status === 'out-of-scope' && v.issue !== undefined) said.push(typeof v.issue === 'number' ? `issue ${v.issue}` : String(v.issue));
  if (v.variant) said.push(`variant \`${v.variant}\``);
  if (v.catalogue) said.push(`catalogue ${v.catalogue}`);
  if (v.note) said.push(v.note);
  return cell(said.join('; '));
}

export function officialSuiteMarkdown(suite: OfficialSuite): string {
  const { source } = suite;
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const countCells = (t: Tally) => [t.checks, t.covered, t.partial, t.gap, t['not-demanded'], t['out-of-scope']].map(String);
  const out: string[] = [
    '# The official provider test suite, traced',
    '',
    '<!-- Generated from requirements/official-suite.yaml by scripts/official-suite.ts (npm run official-suite): do not edit. -->',
    '',
    `Every scenario of NHS Digital's official provider tests ([${source.repo}](https://github.com/${source.repo}), release ${source.release},`,
    `commit ${source.commit.slice(0, 12)} of ${source.committed}, ${source.branch}) for the interactions of the worked example, each`,
    'Examples row counted as one check, mapped to the requirement and the scenarios here that check the same thing (status,',
    'code, headers, body), or saying why not. The data is `requirements/official-suite.yaml`; `test/unit/official-suite.test.ts`',
    'keeps it to the features, the catalogue and the conformant variants, and keeps this page to the data.',
    '',
    '- **covered**: an equivalent check exists here; **partial**: some of its checks (the note says which are missing);',
    '  **gap**: nothing yet (the note says what is needed: the work list of issue 16);',
    '  **not-demanded**: the official expectation is not what the standard demands (a conformant variant, or the catalogue',
    "  entry's notes, show it); **out-of-scope**: another issue takes it (17: FHIR XML; 18: Amend, Cancel, Retrieve,",
    '  Organization and Practitioner search), or it is Access Record Structured.',
    '- **Coverage** = (covered + not-demanded + 0.5 × partial) / in-scope checks, where in-scope checks = all checks − out-of-scope.',
    '',
    '## Coverage per area',
    '',
    line(['Area', 'Official file', 'Checks', 'Covered', 'Partial', 'Gap', 'Not demanded', 'Out of scope', 'Coverage']),
    line(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const f of suite.files) {
    const t = tally(f.rows);
    out.push(line([cell(f.area), f.file, ...countCells(t), percent(t.coverage)]));
  }
  const total = tally(inScopeFiles(suite).flatMap((f) => f.rows));
  out.push(line(['**Total** (areas in scope)', '', ...countCells(total).map((c) => `**${c}**`), `**${percent(total.coverage)}**`]));
  out.push(
    '',
    `Not counted (Access Record Structured, neither Appointment Management nor Foundations): ${suite.not_counted.join(', ')}.`,
  );
  if (suite.newer && Object.keys(suite.newer).length > 0) {
    out.push('', `Newer than the release: ${cell(source.newer_branch ?? '')}.`, '');
    for (const [file, changes] of Object.entries(suite.newer)) for (const c of changes) out.push(`- ${file}: ${cell(c)}`);
  }
  for (const f of suite.files) {
    out.push('', `## ${f.file}: ${cell(f.area)}`, '', line(['Official scenario', 'Checks', 'Status', 'Ours', 'Requirement', 'Why, or what is missing']), line(['---', '---:', '---', '---', '---', '---']));
    for (const row of f.rows) {
      for (const v of verdicts(row)) {
        const name = row.parts ? `${cell(row.scenario)} (${cell(v.rows ?? 'some rows')})` : cell(row.scenario);
        out.push(line([name, String(v.examples), v.status, (v.ours ?? []).map(ourCell).join('<br>'), (v.requirement ?? []).join(', '), why(v)]));
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** The per-area coverage as printed on the terminal. */
export function coverageTable(suite: OfficialSuite): string {
  const rows = suite.files.map((f) => ({ f, t: tally(f.rows) }));
  const total = tally(inScopeFiles(suite).flatMap((f) => f.rows));
  const fmt = (name: string, t: Tally) =>
    `${name.padEnd(30)} ${String(t.checks).padStart(4)} ${String(t.covered).padStart(5)} ${String(t.partial).padStart(4)} ${String(t.gap).padStart(4)} ${String(t['not-demanded']).padStart(4)} ${String(t['out-of-scope']).padStart(4)}  ${percent(t.coverage).padStart(6)}`;
  return [`${'file'.padEnd(30)} chks   cov part  gap  n-d  oos  coverage`, ...rows.map(({ f, t }) => fmt(f.file, t)), fmt('total (areas in scope)', total)].join('\n');
}

function main(args: string[]): number {
  const suite = readOfficialSuite();
  const doc = path.join(PACKAGE_ROOT, OFFICIAL_SUITE_DOC);
  const made = officialSuiteMarkdown(suite);
  if (args.includes('--check')) {
    const current = readFileSync(doc, 'utf8');
    if (current !== made) {
      process.stderr.write(`${OFFICIAL_SUITE_DOC} is not what ${OFFICIAL_SUITE_YAML} makes: run npm run official-suite\n`);
      return 1;
    }
  } else {
    writeFileSync(doc, made);
  }
  process.stdout.write(`${coverageTable(suite)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
