import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { reportUnmatched } from '../../src/actors/consumer/scenario-bounds';
import { SpineInABox } from '../../src/spine/spine';
import type { ConsumerSystem } from '../../src/actors/sut/consumer-system';

test('requests that arrive while no scenario runs are written beside the results and named on stderr', async () => {
  const spine = await SpineInABox.start({ mode: 'sockets' });
  const dir = mkdtempSync(path.join(tmpdir(), 'gpc-unmatched-'));
  const said: string[] = [];
  const error = console.error;
  try {
    spine.journal.beginScenario('a scenario');
    await fetch(`${spine.urls.pds}/Patient/9693632109`);
    spine.journal.endScenario();
    await fetch(`${spine.urls.pds}/Patient/9000000009`);
    await spine.journal.settled();
    console.error = (line: string) => said.push(line);
    reportUnmatched({ spine } as ConsumerSystem, dir);
  } finally {
    console.error = error;
    await spine.stop();
  }
  const file = path.join(dir, 'consumer-unmatched-requests.json');
  assert.ok(existsSync(file));
  const unmatched = JSON.parse(readFileSync(file, 'utf8')) as Array<{ url: string }>;
  assert.deepEqual(unmatched.map((e) => new URL(e.url).pathname.split('/').pop()), ['9000000009']);
  assert.match(said.join('\n'), /1 request\(s\) reached Spine in a box while no consumer scenario was running[^\n]*GET [^\n]*9000000009/);
  rmSync(dir, { recursive: true, force: true });
});
