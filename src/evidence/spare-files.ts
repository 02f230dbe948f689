/**
 * The last run's Allure results, written over instead of deleted. A run replaces some eight thousand
 * files with as many new ones. On ext4 without a journal (this project's CI machines, Firecracker
 * VMs), a file created within a minute or so of many deletions costs the kernel a scan past every
 * recently deleted inode of its block group (fs/ext4/ialloc.c, `recently_deleted`, seen with `perf`):
 * 0.3-0.6 ms of CPU a file instead of 0.02, 4-5 s of a main job's kernel CPU. So a run moves the last
 * run's results aside (`allure-results.spare`, one rename) and each new file takes one of them over,
 * a rename and a write that truncates it, which allocates no inode. What is left over is removed when
 * the run ends; a folder left by a killed run is removed by the next run or by `gpc-conform report`.
 *
 * Processes take spares from the same folder (a part's workers, its coordinator): a rename succeeds
 * for one of them only, and the others go on to the next name, from a place of their own.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export const spareFolderOf = (resultsDir: string): string => `${path.resolve(resultsDir)}.spare`;

/** The spares of one results folder, as this process takes them. */
export class SparePool {
  private names: string[] | undefined;
  private next = 0;
  private left = 0;

  constructor(private readonly folder: string) {}

  /** One spare moved to `target` (true), or none left (false, and `target` is untouched). */
  take(target: string): boolean {
    if (this.names === undefined) this.list();
    while (this.left > 0) {
      const name = this.names![this.next];
      this.next = (this.next + 1) % this.names!.length;
      this.left -= 1;
      try {
        renameSync(path.join(this.folder, name), target);
      } catch {
        continue; // taken by another process (or the folder is gone): the next one
      }
      // A file with another name too (allure-dedupe.ts links one content under two names) is not
      // written over: its other name would change with it.
      if (statSync(target).nlink === 1) return true;
      rmSync(target, { force: true });
    }
    return false;
  }

  private list(): void {
    try {
      this.names = readdirSync(this.folder, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name);
    } catch {
      this.names = [];
    }
    this.left = this.names.length;
    // Each process from a place of its own, so that two rarely reach for the same name.
    this.next = this.names.length > 0 ? Math.floor(Math.random() * this.names.length) : 0;
  }
}

const pools = new Map<string, SparePool>();

/**
 * Write a new file at `temp` in `resultsDir` (to be renamed into place by the caller): over a spare
 * where there is one, else created. A spare is written over from its start and then cut to the new
 * length: opening it truncated would free its blocks and allocate them again, which costs the kernel
 * three times as much as writing over them. A spare that cannot be written over is removed and the
 * file created after all.
 */
export function writeNewFileWith(resultsDir: string, temp: string, content: string | Buffer, encoding: BufferEncoding = 'utf8'): void {
  const folder = spareFolderOf(resultsDir);
  let pool = pools.get(folder);
  if (!pool) pools.set(folder, (pool = new SparePool(folder)));
  const bytes = typeof content === 'string' ? Buffer.from(content, encoding) : content;
  if (pool.take(temp)) {
    try {
      writeOver(temp, bytes);
      return;
    } catch {
      rmSync(temp, { force: true });
    }
  }
  writeFileSync(temp, bytes);
}

function writeOver(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, at);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Before a run: the last run's results become spares. Spares already there with no results beside
 * them are kept (set aside a moment ago, for the same run); beside results, they are a killed run's
 * and go.
 */
export function setAsideAsSpares(resultsDir: string): void {
  const spare = spareFolderOf(resultsDir);
  pools.delete(spare);
  if (!existsSync(resultsDir)) return;
  rmSync(spare, { recursive: true, force: true });
  try {
    renameSync(resultsDir, spare);
  } catch {
    // cannot be moved (a mount point, a folder held open on Windows): deleted, as before spares
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

/** After a run: what was not written over. */
export function removeSpares(resultsDir: string): void {
  const spare = spareFolderOf(resultsDir);
  pools.delete(spare);
  rmSync(spare, { recursive: true, force: true });
}
