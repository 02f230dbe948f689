/**
 * What the main job leaves on disk: bytes per top-level entry of its --out folder (a folder counts
 * every file under it), the total, and the Allure report's one file, each beside its target. Sizes are
 * the files' own lengths (not the blocks they take), so the figures are the same on any disk. A file
 * hard-linked into several places takes its bytes on the disk once, and is counted once: in the
 * first entry that holds it, by name.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { outputsOf } from '../src/pipeline/layout';

export interface EntrySize {
  name: string;
  bytes: number;
  files: number;
}

export interface OutputSizes {
  entries: EntrySize[];
  totalBytes: number;
  /** The Allure report, one file (allure-report/index.html); NaN when it was not written. */
  singleFileBytes: number;
}

/**
 * Bytes and files under a path (the path itself when it is a file); symbolic links are not followed.
 * `seen` holds the files (device and inode) already counted: another link to one adds nothing.
 */
export function sizeOf(target: string, seen: Set<string> = new Set()): { bytes: number; files: number } {
  const stat = lstatSync(target);
  if (!stat.isDirectory()) {
    const key = `${stat.dev}:${stat.ino}`;
    if (stat.nlink > 1 && seen.has(key)) return { bytes: 0, files: 0 };
    seen.add(key);
    return { bytes: stat.size, files: 1 };
  }
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(target).sort()) {
    const inner = sizeOf(path.join(target, name), seen);
    bytes += inner.bytes;
    files += inner.files;
  }
  return { bytes, files };
}

/** The largest first; the total is of every entry. */
export function outputSizes(entries: EntrySize[], singleFileBytes: number): OutputSizes {
  const sorted = [...entries].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return { entries: sorted, totalBytes: sorted.reduce((sum, e) => sum + e.bytes, 0), singleFileBytes };
}

export function measureOutputSizes(out: string): OutputSizes {
  const seen = new Set<string>();
  const entries = readdirSync(out).sort().map((name) => ({ name, ...sizeOf(path.join(out, name), seen) }));
  let single = NaN;
  try {
    single = lstatSync(path.join(outputsOf(out).allureReport, 'index.html')).size;
  } catch {
    // not written: shown as n/a
  }
  return outputSizes(entries, single);
}
