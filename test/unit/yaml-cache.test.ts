import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root';
import { CACHED_YAML, parseYamlCached, writeYamlCache, yamlDocumentOnce } from '../../src/yaml-cache';

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
