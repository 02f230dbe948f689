import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root';
import { existsSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { builtDocumentFile, CACHED_YAML, DOCUMENT_ALIAS_LIMITS, parseYamlCached, writeYamlCache, writeYamlDocumentCache, yamlDocumentFiles, yamlDocumentOnce } from '../../src/yaml-cache';

test('the build caches the parse of each large YAML file: read back, it equals a fresh parse, and the parser is not called', () => {
  for (const file of CACHED_YAML) {
    const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
    let parsed = 0;
    const cached = parseYamlCached(text, (t) => (parsed++, parse(t)));
    assert.equal(parsed, 0, `${file} was parsed: the build did not cache it`);
    assert.deepEqual(cached, parse(text));
  }
});

test('a text the build did not see (a file edited since) is parsed', () => {
  const text = `${readFileSync(path.join(PACKAGE_ROOT, CACHED_YAML[0]), 'utf8')}\n# edited after the build\n`;
  let parsed = 0;
  const result = parseYamlCached(text, (t) => (parsed++, parse(t)));
  assert.equal(parsed, 1);
  assert.deepEqual(result, parse(text));
});

test('a document parsed once per process: each caller gets its own copy, and a broken one its errors every time', () => {
  const first = yamlDocumentOnce('a: [1, 2]\n');
  const second = yamlDocumentOnce('a: [1, 2]\n');
  assert.deepEqual(first, { errors: [], value: { a: [1, 2] } });
  (first.value as { a: number[] }).a.push(3);
  assert.deepEqual(second.value, { a: [1, 2] }, 'one caller changed what another got');
  assert.deepEqual(yamlDocumentOnce('a: [1, 2]\n').value, { a: [1, 2] });
  for (let i = 0; i < 2; i++) {
    const broken = yamlDocumentOnce('a: 1\na: 2\n');
    assert.equal(broken.value, undefined);
    assert.match(broken.errors[0]!.message, /unique/i);
  }
});

test('a cache file cut short is not trusted: the text is parsed', () => {
  const text = 'a: 1\n# a text only this test caches\n';
  const file = writeYamlCache(text, { a: 1 });
  try {
    writeFileSync(file, '{"a":');
    let parsed = 0;
    assert.deepEqual(parseYamlCached(text, (t) => (parsed++, parse(t))), { a: 1 });
    assert.equal(parsed, 1);
  } finally {
    rmSync(file, { force: true });
  }
});

test("the build caches Spine in a box's data as yamlDocumentOnce reads it: each file, each alias limit, equal to a fresh parse", () => {
  const files = yamlDocumentFiles();
  for (const expected of ['data/patients.yaml', 'topologies/default.yaml', 'data/practices/A20047.yaml']) {
    assert.ok(files.includes(path.join(PACKAGE_ROOT, expected)), `${expected} is cached`);
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const limit of DOCUMENT_ALIAS_LIMITS) {
      assert.ok(existsSync(builtDocumentFile(text, limit)), `${file} (alias limit ${limit}) was not cached by the build`);
      const fresh = parseDocument(text, { uniqueKeys: true }).toJS(limit === undefined ? {} : { maxAliasCount: limit });
      assert.deepEqual(yamlDocumentOnce(text, limit), { errors: [], value: fresh });
    }
  }
});

test('a document the build cached is read from the cache, not parsed; one with errors or data JSON cannot carry is not cached', () => {
  const text = 'a: 1\n# a text only this test caches\n';
  const file = builtDocumentFile(text, undefined);
  try {
    assert.equal(writeYamlDocumentCache(text, undefined), file);
    writeFileSync(file, JSON.stringify({ a: 'from the cache' }));
    assert.deepEqual(yamlDocumentOnce(text).value, { a: 'from the cache' });
  } finally {
    rmSync(file, { force: true });
  }
  const cutShort = 'a: 1\n# a text whose cache file is cut short\n';
  const cutFile = writeYamlDocumentCache(cutShort, undefined)!;
  try {
    writeFileSync(cutFile, '{"a":');
    assert.deepEqual(yamlDocumentOnce(cutShort).value, { a: 1 }, 'a cache file cut short is not trusted: the text is parsed');
  } finally {
    rmSync(cutFile, { force: true });
  }
  assert.equal(writeYamlDocumentCache('a: 1\na: 2\n', undefined), undefined);
  assert.equal(writeYamlDocumentCache('a: .inf\n', undefined), undefined);
});
