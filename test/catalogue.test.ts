import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');

function featureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? featureFiles(p) : p.endsWith('.feature') ? [p] : [];
  });
}

const catalogue = parse(readFileSync(path.join(root, 'requirements/catalogue.yaml'), 'utf8')) as { requirements: Array<{ id: string; title: string; section: string; source: string }> };
const features = featureFiles(path.join(root, 'features')).map((f) => ({ file: path.relative(root, f), text: readFileSync(f, 'utf8') }));
const tagged = new Map<string, string[]>();
for (const f of features) for (const m of f.text.matchAll(/@req:([A-Za-z0-9.-]+)/g)) tagged.set(m[1], [...(tagged.get(m[1]) ?? []), f.file]);

test('every requirement cites the spec section it comes from', () => {
  const ids = catalogue.requirements.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'a requirement ID is listed twice');
  for (const r of catalogue.requirements) {
    assert.ok(r.title && r.section && r.source, `requirement ${r.id} lacks a title, section or source`);
  }
});

test('every requirement in the catalogue has at least one scenario', () => {
  const uncovered = catalogue.requirements.filter((r) => !tagged.has(r.id)).map((r) => r.id);
  assert.deepEqual(uncovered, [], `requirements with no scenario: ${uncovered.join(', ')}`);
});

test('every @req tag names a requirement in the catalogue', () => {
  const known = new Set(catalogue.requirements.map((r) => r.id));
  const unknown = [...tagged.keys()].filter((id) => !known.has(id));
  assert.deepEqual(unknown, [], `tags naming no requirement: ${unknown.map((id) => `${id} (${tagged.get(id)!.join(', ')})`).join('; ')}`);
});

test('every scenario names its requirement, and every SSP scenario its worked-example step', () => {
  for (const f of features) {
    const lines = f.text.split('\n').map((l) => l.trim());
    lines.forEach((line, i) => {
      const name = line.match(/^Scenario(?: Outline)?: (.*)/)?.[1];
      if (!name) return;
      let tags = '';
      for (let j = i - 1; j >= 0 && (lines[j].startsWith('@') || lines[j].startsWith('#')); j--) tags += ' ' + lines[j];
      assert.match(tags, /@req:/, `${f.file}: scenario "${name}" has no @req tag`);
      assert.match(tags, /@severity:(blocker|critical|normal|minor|trivial)/, `${f.file}: scenario "${name}" has no severity`);
      if (f.file.includes('/ssp/')) assert.match(tags, /@step:[1-6][a-d]/, `${f.file}: scenario "${name}" has no worked-example step`);
    });
  }
});
