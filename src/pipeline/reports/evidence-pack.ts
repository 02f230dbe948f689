// The evidence pack: one .tar.gz a supplier can hand over, holding the reports of a run, the profile
// it ran with (secrets taken out) and a manifest that pins down what ran: the harness's identity
// (version, git commit, local changes), a hash over every feature file, and a hash of each file packed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify as yamlStringify } from 'yaml';
import { redactProfile, redactText } from '../../evidence/redact';
import { checkEntryName, writeTarGz, type TarEntry } from './tar';

export interface HarnessIdentity {
  name: string;
  version: string;
  /** `git rev-parse HEAD` in the project root, or "unknown (not a git checkout)". */
  commit: string;
  /** Uncommitted changes (untracked files included) under features/, support/ or steps/; null when unknown (no git). */
  dirty: boolean | null;
  /** The changed paths `git status --porcelain` lists there (at most 50). */
  changes: string[];
}

export interface EvidenceFile {
  name: string;
  sha256: string;
  size: number;
}

export interface EvidenceManifest {
  harness: HarnessIdentity;
  /** sha256 over every features/**\/*.feature, see featuresHash. */
  featuresHash: string;
  featureFiles: number;
  createdAt: string;
  node: string;
  platform: string;
  /** The profiles' file names inside the pack (profile/<basename>), redacted. */
  profiles: string[];
  run: Record<string, unknown>;
  /** Every file in the pack but manifest.json itself, in archive order. */
  files: EvidenceFile[];
}

export interface EvidencePackOptions {
  /** Where to write the .tar.gz (relative to the current directory, or absolute). */
  archive: string;
  /** The project root: package.json, features/, the git checkout. Relative file paths are resolved from here. */
  root: string;
  /** Files to pack under `name`: read from `path` (relative to root, or absolute), or given as `content`. */
  files: Array<{ name: string; path?: string; content?: string | Buffer }>;
  /** Folders packed recursively under `name` (e.g. the Allure report folder). */
  directories?: Array<{ name: string; path: string }>;
  /** The profiles the run used: packed as profile/<basename>, secrets redacted (YAML stays YAML, JSON stays JSON). */
  profiles?: string[];
  /** Anything the run wants on record: command line, role, outcome counts, timings. */
  run: Record<string, unknown>;
  /** Secret values (see secretsFromEnvironment) cut out of every text file in the pack and out of the manifest. */
  secrets?: string[];
  /** The creation time written in the manifest and as every entry's mtime; now by default. Fix it for a reproducible pack. */
  createdAt?: Date;
}

const MANIFEST = 'manifest.json';

export function writeEvidencePack(options: EvidencePackOptions): { archive: string; manifest: EvidenceManifest } {
  const root = path.resolve(options.root);
  const createdAt = options.createdAt ?? new Date();
  const secrets = options.secrets ?? [];
  const packed: Array<{ name: string; content: Buffer; mode?: number }> = [];
  const names = new Set<string>([MANIFEST]);
  const add = (name: string, content: Buffer, mode?: number): void => {
    checkEntryName(name);
    if (names.has(name)) throw new Error(`evidence pack: two files would be packed as "${name}"`);
    names.add(name);
    packed.push({ name, content: secrets.length ? redactBuffer(content, secrets) : content, mode });
  };

  for (const file of options.files) {
    if (file.content !== undefined) {
      add(file.name, typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content);
    } else if (file.path !== undefined) {
      const source = path.resolve(root, file.path);
      add(file.name, readInput(source, `file "${file.name}"`), modeOf(source));
    } else {
      throw new Error(`evidence pack: file "${file.name}" has neither a path nor content`);
    }
  }

  for (const dir of options.directories ?? []) {
    const source = path.resolve(root, dir.path);
    if (!existsSync(source)) throw new Error(`evidence pack: folder "${dir.name}": ${source} does not exist`);
    if (!statSync(source).isDirectory()) throw new Error(`evidence pack: folder "${dir.name}": ${source} is not a folder`);
    for (const rel of listFiles(source)) {
      const full = path.join(source, ...rel.split('/'));
      add(`${dir.name.replace(/\/+$/, '')}/${rel}`, readInput(full, `folder "${dir.name}"`), modeOf(full));
    }
  }

  const profiles: string[] = [];
  for (const file of options.profiles ?? []) {
    const source = path.resolve(root, file);
    const text = readInput(source, 'profile').toString('utf8');
    const name = `profile/${path.basename(source)}`;
    add(name, Buffer.from(redactedProfileText(text, source), 'utf8'));
    profiles.push(name);
  }

  const features = featureFiles(root);
  const manifest: EvidenceManifest = {
    harness: harnessIdentity(root),
    featuresHash: hashFeatures(root, features),
    featureFiles: features.length,
    createdAt: createdAt.toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    profiles,
    run: options.run,
    files: packed.map((p) => ({ name: p.name, sha256: sha256(p.content), size: p.content.length })),
  };
  let manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  if (secrets.length) manifestText = redactText(manifestText, secrets);

  const entries: TarEntry[] = [
    { name: MANIFEST, content: manifestText, mtime: createdAt },
    ...packed.map((p) => ({ name: p.name, content: p.content, mode: p.mode, mtime: createdAt })),
  ];
  const archive = path.resolve(options.archive);
  writeTarGz(archive, entries);
  return { archive, manifest };
}

/** The profile as it goes into the pack: parsed, redacted, written back as YAML (or JSON for a .json file). */
export function redactedProfileText(text: string, file: string): string {
  if (path.extname(file).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`evidence pack: profile ${file} is not valid JSON: ${(error as Error).message}`);
    }
    return `${JSON.stringify(redactProfile(parsed), null, 2)}\n`;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`evidence pack: profile ${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  // Comments are dropped on purpose: a secret pasted into a comment must not survive either.
  return yamlStringify(redactProfile(doc.toJS()), { lineWidth: 0 });
}

/**
 * sha256 (hex) over every features/**\/*.feature under root, sorted by their POSIX path relative to
 * root (e.g. `features/ssp/access.feature`), hashing `path\0content\0` for each.
 */
export function featuresHash(root: string): string {
  const resolved = path.resolve(root);
  return hashFeatures(resolved, featureFiles(resolved));
}

/** The harness's name and version (package.json in root), git commit and whether its test code has local changes. */
export function harnessIdentity(root: string): HarnessIdentity {
  const resolved = path.resolve(root);
  const pkgFile = path.join(resolved, 'package.json');
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as typeof pkg;
  } catch (error) {
    throw new Error(`harness identity: cannot read ${pkgFile}: ${(error as Error).message}`);
  }
  const identity: HarnessIdentity = {
    name: typeof pkg.name === 'string' ? pkg.name : 'unknown',
    version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    commit: 'unknown (not a git checkout)',
    dirty: null,
    changes: [],
  };
  const commit = git(resolved, ['rev-parse', 'HEAD']);
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit.trim())) return identity;
  identity.commit = commit.trim();
  const status = git(resolved, ['status', '--porcelain', '--untracked-files=all', '--', 'features', 'support', 'steps']);
  if (status === undefined) return identity;
  const changes = status.split('\n').filter((line) => line.trim() !== '');
  identity.dirty = changes.length > 0;
  identity.changes = changes.slice(0, 50).map((line) => line.trimEnd());
  return identity;
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    return undefined;
  }
}

function featureFiles(root: string): string[] {
  const dir = path.join(root, 'features');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`features hash: ${dir} is not a folder`);
  return listFiles(dir)
    .filter((rel) => rel.endsWith('.feature'))
    .map((rel) => `features/${rel}`)
    .sort(byCodeUnit);
}

function hashFeatures(root: string, files: string[]): string {
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(rel, 'utf8');
    hash.update('\0');
    hash.update(readFileSync(path.join(root, ...rel.split('/'))));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Every regular file under dir (symbolic links to files followed, to folders not), as sorted POSIX paths relative to dir. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile()) out.push(childRel);
      else if (entry.isSymbolicLink()) {
        const target = statSync(childAbs, { throwIfNoEntry: false });
        if (target?.isFile()) out.push(childRel);
      }
    }
  };
  walk(dir, '');
  return out.sort(byCodeUnit);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
    throw new Error(`evidence pack: ${what}: ${file} ${why}`);
  }
}

/** Executable files stay executable; everything else is 0644. */
function modeOf(file: string): number {
  return statSync(file).mode & 0o111 ? 0o755 : 0o644;
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Cut secrets out of a file that is UTF-8 text; binary files (that do not survive a UTF-8 round trip) go as they are. */
function redactBuffer(content: Buffer, secrets: string[]): Buffer {
  const text = content.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(content)) return content;
  const redacted = redactText(text, secrets);
  return redacted === text ? content : Buffer.from(redacted, 'utf8');
}
