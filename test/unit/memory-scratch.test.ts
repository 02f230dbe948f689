/**
 * A folder in memory for Allure's short-lived report folder (src/pipeline/reports/memory-scratch.ts):
 * chosen by GPC_REPORT_SCRATCH or /dev/shm when that is a tmpfs, only with room, and never left
 * behind: the folders of runs that are gone are removed by the next one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { folderBytes, memoryScratch, removeAbandoned, SCRATCH_ENV } from '../../src/pipeline/reports/memory-scratch';
import { scratchFolder } from '../support/scratch';

const scratch = scratchFolder('gpc-memory-scratch-');
const TMPFS = 0x01021994;

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a fresh folder of its own, private, named for the run, in the folder GPC_REPORT_SCRATCH names', () => {
  const parent = scratch.fresh('named');
  const a = memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: { [SCRATCH_ENV]: parent } });
  const b = memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: { [SCRATCH_ENV]: parent } });
  assert.ok(a && b && a !== b);
  assert.equal(path.dirname(a), parent);
  assert.match(path.basename(a), new RegExp(`^gpc-conform-allure-${process.pid}-[0-9a-f]{8}$`));
  assert.equal(statSync(a).mode & 0o777, 0o700);
});

test('none: when asked not to, without room, or where the folder cannot be made', () => {
  const parent = scratch.fresh('none');
  assert.equal(memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: { [SCRATCH_ENV]: 'off' } }), undefined);
  assert.equal(memoryScratch({ purpose: 'allure', bytesNeeded: 2 ** 60, env: { [SCRATCH_ENV]: parent } }), undefined, 'no file system has an exabyte free');
  assert.equal(memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: { [SCRATCH_ENV]: path.join(parent, 'missing') } }), undefined);
  assert.deepEqual(readdirSync(parent), []);
});

test('by default only a tmpfs is used: a folder on disk is not memory', () => {
  const onDisk = scratch.fresh('default');
  const isTmpfs = statfsSync(onDisk).type === TMPFS;
  const chosen = memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: {}, defaultParent: onDisk });
  assert.equal(chosen !== undefined, isTmpfs, `${onDisk} is ${isTmpfs ? '' : 'not '}a tmpfs`);
});

test('the folders of runs that are gone are removed; a running one\'s, and anything else, are not', () => {
  const parent = scratch.fresh('abandoned');
  const gone = path.join(parent, `gpc-conform-allure-${deadPid()}-0badcafe`);
  const running = path.join(parent, `gpc-conform-allure-${process.pid}-00c0ffee`);
  const otherPurpose = path.join(parent, `gpc-conform-other-${deadPid()}-0badcafe`);
  const notOurs = path.join(parent, 'allure-report');
  for (const dir of [gone, running, otherPurpose, notOurs]) mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(gone, 'data', 'x.json'), '{}');
  assert.deepEqual(removeAbandoned(parent, 'allure'), [gone]);
  assert.deepEqual([gone, running, otherPurpose, notOurs].map((d) => existsSync(d)), [false, true, true, true]);

  // A new scratch clears what a killed run left.
  mkdirSync(gone);
  const fresh = memoryScratch({ purpose: 'allure', bytesNeeded: 1000, env: { [SCRATCH_ENV]: parent } });
  assert.ok(fresh && !existsSync(gone));
});

test('the bytes of a results folder, history included', () => {
  const dir = scratch.fresh('bytes');
  writeFileSync(path.join(dir, 'a-result.json'), 'x'.repeat(100));
  mkdirSync(path.join(dir, 'history'));
  writeFileSync(path.join(dir, 'history', 'history.json'), 'y'.repeat(23));
  assert.equal(folderBytes(dir), 123);
});
