import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { dedupeAttachments } from '../../src/pipeline/reports/allure-dedupe';
import { scratchFolder } from '../support/scratch';

const scratch = scratchFolder('gpc-dedupe-');
const BUNDLE = JSON.stringify({ resourceType: 'Bundle', entry: Array.from({ length: 200 }, (_, i) => ({ id: i })) });

interface Ref {
  name: string;
  source: string;
  type: string;
}

/** A results folder as allure-js writes it: each attachment a uuid-named file, referenced from a step or a fixture. */
function results(dir: string, files: Record<string, string>, documents: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  for (const [name, document] of Object.entries(documents)) writeFileSync(path.join(dir, name), typeof document === 'string' ? document : JSON.stringify(document));
}

const ref = (name: string, source: string, type = 'application/json'): Ref => ({ name, source, type });
const step = (attachments: Ref[]) => ({ name: 'SSP GET /Slot → 200', steps: [], attachments });
const sources = (dir: string, file: string): string[] => {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) (k === 'attachments' ? (c as Ref[]).forEach((a) => found.push(a.source)) : walk(c));
  };
  walk(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  return found;
};

test('identical attachments of the same name and type are stored once, every reference pointing at the one copy', () => {
  const dir = scratch.fresh('same');
  results(
    dir,
    { 'a-attachment.json': BUNDLE, 'b-attachment.json': BUNDLE, 'c-attachment.json': BUNDLE, 'd-attachment.txt': 'GET /x', 'orphan-attachment.txt': BUNDLE },
    {
      'r1-result.json': { uuid: 'r1', steps: [step([ref('HTTP exchange', 'd-attachment.txt', 'text/plain'), ref('Response body', 'a-attachment.json')])], attachments: [] },
      'r2-result.json': { uuid: 'r2', steps: [{ steps: [step([ref('Response body', 'b-attachment.json')])] }], attachments: [] },
      'f1-container.json': { uuid: 'f1', befores: [{ attachments: [ref('Response body', 'c-attachment.json')], steps: [] }], afters: [] },
    },
  );
  const outcome = dedupeAttachments(dir);
  assert.deepEqual(outcome, { filesBefore: 4, filesAfter: 2, bytesSaved: 2 * BUNDLE.length });
  const kept = sources(dir, 'f1-container.json')[0];
  assert.deepEqual(sources(dir, 'r1-result.json'), ['d-attachment.txt', kept]);
  assert.deepEqual(sources(dir, 'r2-result.json'), [kept]);
  assert.equal(readFileSync(path.join(dir, kept), 'utf8'), BUNDLE);
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('attachment')).sort(), [kept, 'd-attachment.txt', 'orphan-attachment.txt'].sort(), 'an attachment nothing refers to is not this pass\'s to remove');
  assert.deepEqual(dedupeAttachments(dir), { filesBefore: 2, filesAfter: 2, bytesSaved: 0 }, 'a second pass changes nothing');
});

test('the same bytes under another name or type stay apart (Allure names a shared file after whichever reference it read last)', () => {
  const dir = scratch.fresh('names');
  results(
    dir,
    { 'a-attachment.json': BUNDLE, 'b-attachment.json': BUNDLE, 'c-attachment.txt': BUNDLE },
    {
      'r1-result.json': { steps: [step([ref('Response body', 'a-attachment.json')])] },
      'r2-result.json': { steps: [step([ref('Request body', 'b-attachment.json')])] },
      'r3-result.json': { steps: [step([ref('Response body', 'c-attachment.txt', 'text/plain')])] },
    },
  );
  assert.equal(dedupeAttachments(dir).bytesSaved, 0);
  assert.equal(readdirSync(dir).filter((n) => n.includes('attachment')).length, 3);
});

test('a result cut off mid-write is left as it is, and a reference to a missing file is kept', () => {
  const dir = scratch.fresh('broken');
  results(dir, { 'a-attachment.json': BUNDLE, 'b-attachment.json': BUNDLE }, { 'cut-result.json': '{"uuid":"cut","steps":[{"attachments":[{"name":"Response body","source":"b-attach', 'r1-result.json': { steps: [step([ref('Response body', 'a-attachment.json'), ref('Response body', 'gone-attachment.json')])] } });
  assert.deepEqual(dedupeAttachments(dir), { filesBefore: 2, filesAfter: 2, bytesSaved: 0 });
  assert.ok(existsSync(path.join(dir, 'b-attachment.json')), 'what the cut-off result may point at stays');
  assert.match(readFileSync(path.join(dir, 'cut-result.json'), 'utf8'), /source":"b-attach$/);
});

test('a file named by its content, referenced under two names by two processes, is split so Allure names each rightly; its name gives its digest', () => {
  const dir = scratch.fresh('content-named');
  const digest = createHash('sha256').update(BUNDLE).digest('hex').slice(0, 32);
  const shared = `${digest}-attachment.json`;
  results(
    dir,
    { [shared]: BUNDLE, 'x-attachment.json': BUNDLE },
    {
      // Two parts' results: the same file, shown as a response body in one and a request body in the other.
      'r1-result.json': { uuid: 'r1', steps: [step([ref('Response body', shared)])] },
      'r2-result.json': { uuid: 'r2', steps: [step([ref('Request body', shared), ref('Response body', 'x-attachment.json')])] },
    },
  );
  dedupeAttachments(dir);
  const [first] = sources(dir, 'r1-result.json');
  const [second, third] = sources(dir, 'r2-result.json');
  assert.equal(first, shared);
  assert.notEqual(second, shared, 'the request body has a file of its own');
  assert.equal(readFileSync(path.join(dir, second), 'utf8'), BUNDLE);
  assert.equal(third, shared, 'a response body elsewhere joins the file of the same name and type');
  assert.ok(!existsSync(path.join(dir, 'x-attachment.json')));
  // Idempotent: a second pass changes nothing.
  dedupeAttachments(dir);
  assert.deepEqual([...sources(dir, 'r1-result.json'), ...sources(dir, 'r2-result.json')], [first, second, third]);
});
