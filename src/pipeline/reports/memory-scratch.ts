/**
 * A folder in memory (tmpfs) for a short-lived folder of many files: Allure's report folder, which
 * only exists to be written as one page and removed. On this project's reference machine (ext4
 * without a journal), a file created soon after many deletions costs the kernel 0.3-0.6 ms instead
 * of 0.02 (it scans past every recently freed inode: src/evidence/spare-files.ts): the main job's
 * generation took 7-8 s there and 3-4 s in /dev/shm (docs/benchmark.md). Nothing in it outlives the run: the page and the history
 * are copied out, and a folder left by a killed run is removed by the next one.
 *
 * `GPC_REPORT_SCRATCH` chooses: `off` keeps the folder beside the report (on disk), a path uses that
 * folder instead of /dev/shm. Without room (a container's 64 MB /dev/shm) or without a tmpfs, the
 * caller works on disk as before.
 */
import { mkdirSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const TMPFS_MAGIC = 0x01021994;
const PREFIX = 'gpc-conform-';
export const SCRATCH_ENV = 'GPC_REPORT_SCRATCH';

export interface MemoryScratchOptions {
  /** What the folder is for, in its name (`allure` → /dev/shm/gpc-conform-allure-<pid>-<random>). */
  purpose: string;
  /** Bytes the folder will hold at most (its room is checked, with a margin, before it is used). */
  bytesNeeded: number;
  env?: NodeJS.ProcessEnv;
  /** Where to look when the environment does not say (tests). */
  defaultParent?: string;
}

/** A fresh folder in memory for `purpose`, or undefined when there is none with room (then work on disk). */
export function memoryScratch(options: MemoryScratchOptions): string | undefined {
  const env = options.env ?? process.env;
  const chosen = env[SCRATCH_ENV]?.trim();
  if (chosen === 'off') return undefined;
  const parent = chosen || options.defaultParent || '/dev/shm';
  try {
    const fs = statfsSync(parent);
    // Only a tmpfs unless asked for by name: a /dev/shm on disk would gain nothing.
    if (!chosen && fs.type !== TMPFS_MAGIC) return undefined;
    if (fs.bavail * fs.bsize < 2 * options.bytesNeeded + 64 * 1024 * 1024) return undefined;
    removeAbandoned(parent, options.purpose);
    const folder = path.join(parent, `${PREFIX}${options.purpose}-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(folder, { mode: 0o700 });
    return folder;
  } catch {
    return undefined;
  }
}

/** The folders for `purpose` whose run has gone (killed before it could remove them). */
export function removeAbandoned(parent: string, purpose: string): string[] {
  const pattern = new RegExp(`^${PREFIX}${purpose}-(\\d+)-[0-9a-f]+$`);
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    const folder = path.join(parent, name);
    try {
      if (!statSync(folder).isDirectory()) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // another run's, being removed by it, or not ours to remove
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The bytes of the files directly in `folder` (an Allure results folder is flat, but for `history/`). */
export function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(file) : entry.isFile() ? statSync(file).size : 0;
  }
  return total;
}
