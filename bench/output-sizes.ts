/**
 * What the main job leaves on disk: bytes per top-level entry of its --out folder (a folder counts
 * every file under it), the total, and the single-file report, each beside its target. Sizes are
 * the files' own lengths (not the blocks they take), so the figures are the same on any disk.
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
  /** The single-file report (allure-report-single/index.html); NaN when it was not written. */
  singleFileBytes: number;
}

/** Bytes and files under a path (the path itself when it is a file); symbolic links are not followed. */
export function sizeOf(target: string): { bytes: number; files: number } {
  const stat = lstatSync(target);
  if (!stat.isDirectory()) return { bytes: stat.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(target)) {
    const inner = sizeOf(path.join(target, name));
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
  const entries = readdirSync(out).map((name) => ({ name, ...sizeOf(path.join(out, name)) }));
  let single = NaN;
  try {
    single = lstatSync(outputsOf(out).singleFile).size;
  } catch {
    // not written: shown as n/a
  }
  return outputSizes(entries, single);
}
