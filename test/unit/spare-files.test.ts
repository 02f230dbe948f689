/**
 * The last run's Allure results written over instead of deleted (src/evidence/spare-files.ts):
 * a new file takes over a spare's inode, two takers never get the same spare, a spare with another
 * name is never written over, and nothing of the spares outlives the run.
 */
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { removeSpares, setAsideAsSpares, SparePool, spareFolderOf, writeNewFileWith } from '../../src/evidence/spare-files';
import { prepareOutput } from '../../src/pipeline/layout';
import { scratchFolder } from '../support/scratch';

const scratch = scratchFolder('gpc-spare-files-');

/** A results folder as a run leaves it: `count` files and a carried history. */
function lastRun(out: string, count: number): string {
  const results = path.join(out, 'allure-results');
  mkdirSync(path.join(results, 'history'), { recursive: true });
  writeFileSync(path.join(results, 'history', 'history.json'), '{}');
  for (let i = 0; i < count; i++) writeFileSync(path.join(results, `old-${i}-attachment.txt`), `old content ${i} `.repeat(20));
  return results;
}

test('a new file takes over a spare: the same inode, only the new bytes, shorter or longer than the spare; without spares it is created', () => {
  const out = scratch.fresh('reuse');
  const results = lastRun(out, 3);
  const inodes = new Set(readdirSync(results).filter((n) => n.endsWith('.txt')).map((n) => statSync(path.join(results, n)).ino));
  setAsideAsSpares(results);
  assert.ok(!existsSync(results) && existsSync(spareFolderOf(results)));
  mkdirSync(results);
  const written: number[] = [];
  // A spare is written over in place and cut to the new length: shorter and longer contents, text and bytes.
  const contents = ['new 0', `new 1 ${'longer than any spare '.repeat(400)}`, Buffer.from([0, 1, 2]), 'new 3', ''];
  for (let i = 0; i < 5; i++) {
    const temp = path.join(results, `.tmp-${i}`);
    writeNewFileWith(results, temp, contents[i]);
    assert.deepEqual(readFileSync(temp), Buffer.from(contents[i]), 'the new bytes, and nothing of the old ones');
    written.push(statSync(temp).ino);
  }
  assert.equal(written.slice(0, 3).filter((ino) => inodes.has(ino)).length, 3, 'the first three took over the three spares');
  assert.equal(written.slice(3).filter((ino) => inodes.has(ino)).length, 0, 'then, with none left, files are created');
  assert.deepEqual(readdirSync(spareFolderOf(results)), ['history'], 'folders are not spares');
  removeSpares(results);
  assert.ok(!existsSync(spareFolderOf(results)));
});

test('two takers (two processes) never get the same spare, and between them take every one', () => {
  const out = scratch.fresh('two');
  const results = lastRun(out, 40);
  setAsideAsSpares(results);
  mkdirSync(results);
  const a = new SparePool(spareFolderOf(results));
  const b = new SparePool(spareFolderOf(results));
  const taken: string[] = [];
  for (let i = 0; ; i++) {
    const target = path.join(results, `t-${i}`);
    const pool = i % 2 === 0 ? a : b;
    if (!pool.take(target) && !(i % 2 === 0 ? b : a).take(target)) break;
    taken.push(readFileSync(target, 'utf8'));
  }
  assert.equal(taken.length, 40);
  assert.equal(new Set(taken).size, 40, 'no spare twice');
});

test('a spare with another name (a hard link) is not written over while the other name is there', () => {
  const out = scratch.fresh('linked');
  const results = path.join(out, 'allure-results');
  mkdirSync(results);
  writeFileSync(path.join(results, 'shared-attachment.txt'), 'shared');
  linkSync(path.join(results, 'shared-attachment.txt'), path.join(results, 'other-attachment.txt'));
  setAsideAsSpares(results);
  mkdirSync(results);
  const pool = new SparePool(spareFolderOf(results));
  // The first name reached is passed over (and dropped); the other, now the file's only name, may be taken.
  assert.equal(pool.take(path.join(results, 'new')), true);
  assert.equal(statSync(path.join(results, 'new')).nlink, 1);
  assert.deepEqual(readdirSync(spareFolderOf(results)), []);
  assert.equal(pool.take(path.join(results, 'newer')), false);
});

test('a run\'s output folder: the last results become spares, a killed run\'s spares go, and a second prepare keeps the first one\'s', () => {
  const out = scratch.fresh('prepare');
  lastRun(out, 2);
  writeFileSync(path.join(out, 'summary.json'), '{}');
  mkdirSync(path.join(out, 'allure-history'));
  prepareOutput(out, [], { spares: true });
  assert.deepEqual(readdirSync(out).sort(), ['allure-history', 'allure-results.spare']);
  // `gpc-conform run` prepares before it starts the provider, and the run prepares again: the spares stay.
  prepareOutput(out, [], { spares: true });
  assert.equal(readdirSync(path.join(out, 'allure-results.spare')).length, 3);
  // A killed run left spares and results: the results are the newer spares.
  lastRun(out, 1);
  prepareOutput(out, [], { spares: true });
  assert.deepEqual(readdirSync(path.join(out, 'allure-results.spare')).sort(), ['history', 'old-0-attachment.txt']);
  // Without spares (merge, an empty shard), everything goes.
  prepareOutput(out);
  assert.deepEqual(readdirSync(out), ['allure-history']);
});
