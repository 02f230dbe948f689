import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { groupIsOnlyZombies, onlyZombiesIn, signalGroup, stopGroup } from '../../src/actors/sut/lifeline';

/** /proc/<pid>/stat as Linux writes it: pid (comm) state ppid pgrp session ... */
const stat = (pid: number, comm: string, state: string, pgrp: number) => `${pid} (${comm}) ${state} 1 ${pgrp} ${pgrp} 0 -1 4194560 0 0`;

test('a group whose members have all exited, waiting to be reaped, is gone', () => {
  assert.equal(groupIsOnlyZombies([stat(10, 'sh', 'Z', 10), stat(11, 'node', 'Z', 10), stat(12, 'other', 'S', 99)], 10), true);
});

test('a group with a member still running, or with no member at all, is not', () => {
  assert.equal(groupIsOnlyZombies([stat(10, 'sh', 'Z', 10), stat(11, 'node', 'S', 10)], 10), false);
  assert.equal(groupIsOnlyZombies([stat(12, 'other', 'Z', 99)], 10), false);
  // A command name with spaces and parentheses does not shift the fields.
  assert.equal(groupIsOnlyZombies([stat(13, 'a (b) c', 'R', 10)], 10), false);
  assert.equal(groupIsOnlyZombies([stat(13, 'a (b) c', 'Z', 10)], 10), true);
});

test('a running process group is seen as running, and stopGroup stops it', { skip: existsSync('/proc/self/stat') ? false : 'needs Linux /proc' }, async () => {
  const child = spawn('sh', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  assert.equal(onlyZombiesIn(child.pid!), false);
  await stopGroup(child.pid!, 2000);
  // Gone, or nothing in it but what has exited and waits to be reaped.
  assert.ok(!signalGroup(child.pid!, 0) || onlyZombiesIn(child.pid!));
});
