import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One regular file of a tar archive. Directories implied by the path need no entry of their own. */
export interface TarEntry {
  /** POSIX path inside the archive: relative, `/`-separated, no `.` or `..` segments, at most 255 bytes. */
  name: string;
  content: Buffer | string;
  /** Permission bits; 0o644 by default. */
  mode?: number;
  /** Modification time; the time of the call by default. Give one for a byte-for-byte reproducible archive. */
  mtime?: Date;
}

const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
/** The largest size an 11-digit octal field holds (8 GiB - 1). */
const OCTAL_11_MAX = 8 ** 11 - 1;

/**
 * Write a gzipped POSIX ustar archive of the entries, in the order given. The same entries with the
 * same mtimes give the same bytes (the gzip header carries no time). The file is written beside its
 * final name and renamed into place, so a reader never sees half an archive.
 */
export function writeTarGz(file: string, entries: TarEntry[]): void {
  const gz = gzipSync(tarBuffer(entries), { level: 9 });
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  writeFileSync(partial, gz);
  renameSync(partial, file);
}

/** The uncompressed ustar archive: headers, contents padded to 512 bytes, two zero blocks at the end. */
export function tarBuffer(entries: TarEntry[]): Buffer {
  const now = new Date();
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  for (const entry of entries) {
    checkEntryName(entry.name);
    if (seen.has(entry.name)) throw new Error(`tar entry "${entry.name}": the archive already has an entry with this name`);
    seen.add(entry.name);
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    if (!Buffer.isBuffer(content)) throw new Error(`tar entry "${entry.name}": content must be a Buffer or a string`);
    parts.push(header(entry, content.length, entry.mtime ?? now));
    parts.push(content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Refuse a name that cannot be stored safely: the message names the entry and says why. */
export function checkEntryName(name: string): void {
  const bad = (why: string) => new Error(`tar entry "${name}": ${why}`);
  if (typeof name !== 'string' || name.length === 0) throw new Error('tar entry with an empty name');
  if (name.includes('\0')) throw bad('the path contains a NUL character');
  if (name.includes('\\')) throw bad('the path contains a backslash; use / between folders');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad('the path is absolute; archive paths must be relative');
  const segments = name.split('/');
  if (segments.includes('..')) throw bad('the path contains ".."; archive paths must stay inside the archive');
  if (segments.some((s) => s === '' || s === '.')) throw bad('the path has an empty or "." segment (a leading, trailing or doubled /, or ./)');
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > PREFIX_MAX + 1 + NAME_MAX) throw bad(`the path is ${bytes} bytes long; ustar stores at most ${PREFIX_MAX + 1 + NAME_MAX}`);
  splitName(name);
}

/** ustar keeps up to 100 bytes in `name` and up to 155 more, before a `/`, in `prefix`. */
function splitName(name: string): { name: string; prefix: string } {
  if (Buffer.byteLength(name, 'utf8') <= NAME_MAX) return { name, prefix: '' };
  // The longest prefix that fits leaves the shortest name: try every / from the right-most that fits.
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(rest, 'utf8') > NAME_MAX) break;
    if (Buffer.byteLength(prefix, 'utf8') <= PREFIX_MAX) return { name: rest, prefix };
  }
  throw new Error(
    `tar entry "${name}": the path cannot be stored in ustar: it needs a / that leaves at most ${PREFIX_MAX} bytes before it and at most ${NAME_MAX} after it`,
  );
}

function header(entry: TarEntry, size: number, mtime: Date): Buffer {
  const { name, prefix } = splitName(entry.name);
  const mode = entry.mode ?? 0o644;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`tar entry "${entry.name}": mode ${mode} is not a permission value (0 to 0o7777)`);
  const seconds = Math.floor(mtime.getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > OCTAL_11_MAX) throw new Error(`tar entry "${entry.name}": mtime ${String(mtime)} cannot be stored`);
  if (size > OCTAL_11_MAX) throw new Error(`tar entry "${entry.name}": ${size} bytes is more than ustar can store`);

  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, Buffer.from(name, 'utf8'));
  field(h, 100, 8, octal(mode, 7));
  field(h, 108, 8, octal(0, 7)); // uid
  field(h, 116, 8, octal(0, 7)); // gid
  field(h, 124, 12, octal(size, 11));
  field(h, 136, 12, octal(seconds, 11));
  h.fill(0x20, 148, 156); // checksum counted as spaces
  h.write('0', 156, 'ascii'); // regular file
  field(h, 257, 6, Buffer.from('ustar\0', 'ascii'));
  field(h, 263, 2, Buffer.from('00', 'ascii'));
  field(h, 329, 8, octal(0, 7)); // devmajor
  field(h, 337, 8, octal(0, 7)); // devminor
  field(h, 345, 155, Buffer.from(prefix, 'utf8'));
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'ascii'));
  return h;
}

function octal(value: number, digits: number): Buffer {
  return Buffer.from(`${value.toString(8).padStart(digits, '0')}\0`, 'ascii');
}

function field(h: Buffer, offset: number, length: number, bytes: Buffer): void {
  if (bytes.length > length) throw new Error(`tar header field at ${offset} overflows (${bytes.length} > ${length} bytes)`);
  bytes.copy(h, offset);
}
