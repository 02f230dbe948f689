/**
 * The house rules of docs/architecture.md, checked on every import of the harness's own code: the
 * rooms of src/ import only the rooms below them, nothing in src/ imports the Cucumber glue, the
 * steps, the command line or the reference consumer, and Spine in a box uses only the spec's names,
 * HTTP and its own libraries. A failure names the file, the import and the rule it breaks.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { PACKAGE_ROOT } from '../../src/package-root';
import { HOUSE_RULES, roomOf, type Room } from '../support/house-rules';

interface Import {
  file: string;
  specifier: string;
  /** The repository path it resolves to (relative imports), or the package name. */
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(PACKAGE_ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(PACKAGE_ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : packageName(specifier),
  }));
}

const packageName = (specifier: string) => (specifier.startsWith('node:') ? 'node:' : specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

const ALL = ['src', 'support', 'steps', 'bin', 'reference'].flatMap(sourceFiles).flatMap(importsOf);

test('every import in the house resolves to a room the rules know', () => {
  const unknown = ALL.filter((i) => i.specifier.startsWith('.') && roomOf(i.target) === undefined).map((i) => `${i.file}: ${i.specifier}`);
  assert.deepEqual(unknown, []);
});

test('the rooms of src/ import only their own room and the rooms below them (docs/architecture.md)', () => {
  const broken = ALL.flatMap((i) => {
    const from = roomOf(i.file);
    const to = i.specifier.startsWith('.') ? roomOf(i.target) : undefined;
    if (!from || !to || from === to) return [];
    return HOUSE_RULES.mayImport(from, to) ? [] : [`${i.file} imports ${i.specifier}: ${from} may not import ${to} (${HOUSE_RULES.why(from, to)})`];
  });
  assert.deepEqual(broken, []);
});

test('nothing in src/ imports support/, steps/, bin/ or reference/', () => {
  const outside: Room[] = ['support', 'steps', 'bin', 'reference'];
  const broken = ALL.filter((i) => i.file.startsWith('src/') && i.specifier.startsWith('.') && outside.includes(roomOf(i.target)!)).map((i) => `${i.file} imports ${i.specifier}`);
  assert.deepEqual(broken, []);
});

test('Spine in a box imports only gpconnect/, http/ and its own libraries', () => {
  const broken = ALL.filter((i) => roomOf(i.file) === 'spine')
    .filter((i) => (i.specifier.startsWith('.') ? !['spine', 'gpconnect', 'http', 'package-root', 'schema-validator', 'yaml-cache'].includes(roomOf(i.target)!) : !HOUSE_RULES.spineLibraries.has(i.target)))
    .map((i) => `${i.file} imports ${i.specifier}`);
  assert.deepEqual(broken, []);
});

test('only the Cucumber glue, the steps and the pipeline know Cucumber', () => {
  const broken = ALL.filter((i) => i.target === '@cucumber/cucumber' && !['support', 'steps', 'pipeline'].includes(roomOf(i.file)!)).map((i) => `${i.file} imports ${i.specifier}`);
  assert.deepEqual(broken, []);
});

test('the rules reject an import that runs back up (the checker itself can fail)', () => {
  assert.equal(HOUSE_RULES.mayImport('spine', 'actors'), false);
  assert.equal(HOUSE_RULES.mayImport('rules', 'pipeline'), false);
  assert.equal(HOUSE_RULES.mayImport('gpconnect', 'http'), false);
  assert.equal(HOUSE_RULES.mayImport('actors', 'spine'), true);
  assert.equal(roomOf('src/spine/provider/server.ts'), 'spine');
  assert.equal(roomOf('reference/consumer/consumer.ts'), 'reference');
});
