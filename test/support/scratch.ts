import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A temporary folder for one test file, removed after it; `fresh(label)` gives a new empty folder inside. */
export function scratchFolder(prefix: string): { root: string; fresh: (label: string) => string } {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  return {
    root,
    fresh: (label) => {
      const dir = path.join(root, `${label}-${++counter}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}
