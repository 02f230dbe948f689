/**
 * The documentation keeps to the code: the README stays short and keeps the two quick-start
 * lines CI and fresh machines rely on; every relative link in README.md and docs/*.md leads to a
 * file (and heading) that exists; every repository path written in backticks exists; and the fault
 * tables of docs/proving-the-harness.md name every fault of every catalogue. Each check is a
 * function over the text, tried first on a broken sample, so that it is known to be able to fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import { SSP_FAULTS } from '../../src/spine/ssp-faults';
import { SDS_FAULTS } from '../../src/spine/sds-faults';
import { PROVIDER_FAULTS } from '../../src/spine/provider/faults';
import { CONSUMER_FAULTS } from '../../reference/consumer/faults';

const README_LIMIT_BYTES = 10_000;

/** The quick start, exactly: what .ci/run and a fresh machine rely on. */
const QUICK_START = [
  'bash scripts/conformance.sh                                  # the full conformance run, with the Allure report',
  'bash scripts/install-system-deps.sh && npm ci && npm test    # the harness\'s own tests',
];


/** Repository folders whose paths, written in backticks, must exist. */
const CHECKED_ROOTS = ['src', 'support', 'steps', 'bin', 'profiles', 'features', 'reference', 'test', 'data', 'topologies', 'requirements', 'scripts', 'bench', 'docs'];

interface Page {
  /** Repository path, e.g. docs/ci.md. */
  file: string;
  text: string;
}

function pages(): Page[] {
  const docs = readdirSync(path.join(PACKAGE_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs].map((file) => ({ file, text: readFileSync(path.join(PACKAGE_ROOT, file), 'utf8') }));
}

/** The text outside fenced code blocks, line numbers kept (fenced lines become empty). */
function prose(text: string): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** The fenced blocks of a page: their info string and their lines. */
function fencedBlocks(text: string): Array<{ info: string; lines: string[] }> {
  const blocks: Array<{ info: string; lines: string[] }> = [];
  let current: { info: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = line.match(/^\s*(?:```|~~~)(.*)$/);
    if (fence && !current) current = { info: fence[1].trim(), lines: [] };
    else if (fence && current) {
      blocks.push(current);
      current = undefined;
    } else current?.lines.push(line);
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
  return new Set(
    prose(text)
      .split('\n')
      .flatMap((line) => {
        const heading = line.match(/^#{1,6}\s+(.*)$/);
        return heading ? [anchorOf(heading[1])] : [];
      }),
  );
}

/** Every relative link of a page that leads nowhere: a missing file, or a heading the target does not have. */
export function brokenLinks(page: Page, exists: (file: string) => boolean, read: (file: string) => string): string[] {
  const problems: string[] = [];
  const links = [...prose(page.text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  for (const link of links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
    const [target, anchor] = link.split('#');
    if (target === '') {
      if (anchor && !anchorsOf(page.text).has(anchor)) problems.push(`${page.file}: the link ${link}: the page has no heading #${anchor}`);
      continue;
    }
    const file = path.posix.normalize(path.posix.join(path.posix.dirname(page.file), decodeURIComponent(target)));
    if (!exists(file)) {
      problems.push(`${page.file}: the link ${link} leads to ${file}, which does not exist`);
      continue;
    }
    if (anchor && file.endsWith('.md') && !anchorsOf(read(file)).has(anchor)) problems.push(`${page.file}: the link ${link}: ${file} has no heading #${anchor}`);
  }
  return problems;
}

/** Every repository path written in backticks (outside fenced blocks) that does not exist; globs checked up to their first wildcard, placeholders left alone. */
export function missingPaths(page: Page, exists: (file: string) => boolean): string[] {
  const problems: string[] = [];
  const roots = CHECKED_ROOTS.join('|');
  const pathPattern = new RegExp(`(?<![\\w./@-])(?:${roots})/[^\\s\`'",;()\\]]*`, 'g');
  for (const span of prose(page.text).matchAll(/`([^`\n]+)`/g)) {
    for (const match of span[1].matchAll(pathPattern)) {
      let written = match[0].replace(/[.:]+$/, '').replace(/:\d+$/, '');
      if (/[<>{}…]/.test(written)) continue; // a placeholder: parts/<part>/, profiles/suppliers/<supplier>.yaml
      const wildcard = written.search(/[*?[]/);
      if (wildcard >= 0) written = written.slice(0, written.lastIndexOf('/', wildcard) + 1); // a glob: its folder must exist
      written = written.replace(/#.*$/, '');
      if (!exists(written)) problems.push(`${page.file}: \`${match[0]}\` names ${written}, which is not in the repository`);
    }
  }
  return problems;
}

/** What is wrong with the README's quick start: it must be one fenced block holding exactly the two command lines. */
export function quickStartProblems(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => /^Quick start\b/.test(s));
  if (!section) return ['README.md has no "## Quick start" section'];
  const block = fencedBlocks(section)[0];
  if (!block) return ['the quick start has no code block'];
  const lines = block.lines.filter((l) => l.trim() !== '');
  if (JSON.stringify(lines) !== JSON.stringify(QUICK_START)) return [`the quick start must be exactly these two lines:\n${QUICK_START.join('\n')}\nbut is:\n${lines.join('\n')}`];
  return [];
}

/** Faults of a catalogue the fault tables do not name with the requirement they break. */
export function faultsNotDocumented(page: string, faults: Array<{ name: string; breaks: string }>): string[] {
  const rows = page.split('\n').filter((l) => l.startsWith('| `'));
  return faults.filter((f) => !rows.some((row) => row.startsWith(`| \`${f.name}\` |`) && row.includes(`| ${f.breaks} |`))).map((f) => `${f.name} (${f.breaks})`);
}

const inRepository = (file: string) => existsSync(path.join(PACKAGE_ROOT, file));
const readInRepository = (file: string) => readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');

test('the checks can fail: a broken link, a missing anchor, a missing path, a changed quick start, an undocumented fault', () => {
  const sample: Page = {
    file: 'docs/sample.md',
    text: [
      '# Sample',
      'See [nowhere](nowhere.md), [the CI page](ci.md#no-such-heading), [the README](../README.md), [here](#sample) and [there](#elsewhere).',
      'The code is in `src/spine/no-such-file.ts`, `src/spine/ssp.ts`, `src/spine/provider/faults*.ts` and `profiles/suppliers/<supplier>.yaml`.',
      '```sh',
      'cat src/in-a-fence-is-not-checked.ts',
      '```',
    ].join('\n'),
  };
  const links = brokenLinks(sample, inRepository, readInRepository);
  assert.equal(links.length, 3, links.join('\n'));
  assert.match(links[0], /nowhere\.md/);
  assert.match(links[1], /no heading #no-such-heading/);
  assert.match(links[2], /the page has no heading #elsewhere/);
  assert.deepEqual(missingPaths(sample, inRepository), ['docs/sample.md: `src/spine/no-such-file.ts` names src/spine/no-such-file.ts, which is not in the repository']);
  assert.equal(quickStartProblems('# X\n\n## Quick start\n\n```sh\nnpm test\n```\n').length, 1);
  assert.equal(quickStartProblems(`## Quick start\n\n\`\`\`sh\n${QUICK_START.join('\n')}\n\`\`\`\n`).length, 0);
  assert.deepEqual(faultsNotDocumented('| `a` | does a | REQ-A |\n| `b` | does b | REQ-X |', [{ name: 'a', breaks: 'REQ-A' }, { name: 'b', breaks: 'REQ-B' }, { name: 'c', breaks: 'REQ-C' }]), ['b (REQ-B)', 'c (REQ-C)']);
});

test(`README.md is under ${README_LIMIT_BYTES} bytes: a newcomer reads it in five minutes`, () => {
  const size = statSync(path.join(PACKAGE_ROOT, 'README.md')).size;
  assert.ok(size < README_LIMIT_BYTES, `README.md is ${size} bytes; move detail to a page in docs/`);
});

test('the README quick start is exactly the two command lines', () => {
  assert.deepEqual(quickStartProblems(readInRepository('README.md')), []);
});

test('every relative link in README.md and docs/*.md leads to a file and heading that exist', () => {
  const all = pages();
  assert.ok(all.length >= 10, `only ${all.length} pages were read`);
  assert.deepEqual(all.flatMap((page) => brokenLinks(page, inRepository, readInRepository)), []);
});

test('every repository path written in backticks in README.md and docs/*.md exists', () => {
  assert.deepEqual(pages().flatMap((page) => missingPaths(page, inRepository)), []);
});

test('the fault tables of docs/proving-the-harness.md name every fault with the requirement it breaks', () => {
  const page = readInRepository('docs/proving-the-harness.md');
  const catalogue = [
    ...Object.entries(SSP_FAULTS).map(([name, f]) => ({ name, breaks: f.breaks as string })),
    ...Object.entries(SDS_FAULTS).map(([name, f]) => ({ name, breaks: f.breaks as string })),
    ...Object.entries(PROVIDER_FAULTS).map(([name, f]) => ({ name, breaks: f.breaks as string })),
    ...CONSUMER_FAULTS.map((f) => ({ name: f.name, breaks: f.requirement })),
  ];
  assert.ok(catalogue.length > 100, `only ${catalogue.length} faults were read`);
  assert.deepEqual(faultsNotDocumented(page, catalogue), []);
});
