/**
 * Identical attachments stored once. A run attaches the same bytes many times (a 14-day free-slots
 * Bundle on the SSP leg and again on the provider leg, in scenario after scenario); allure-js writes
 * each as a file of its own. This pass keeps one file per content and points every result's
 * `source` at it. Allure 2 reads attachments by source (one report attachment per file), so the
 * results sharing a file share one copy in the report too.
 *
 * Allure 2 also gives that shared attachment the name and type of whichever reference it read last,
 * so only references that agree on name and type share a file: the same bytes attached as a
 * "Request body" and as a "Response body" stay two files.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTENT_NAMED_ATTACHMENT, contentDigest } from '../../evidence/attachment-file';
import { writeNewFileWith } from '../../evidence/spare-files';

interface AttachmentRef {
  name?: string;
  source?: string;
  type?: string;
}

export interface DedupeOutcome {
  /** Attachment files before and after. */
  filesBefore: number;
  filesAfter: number;
  /** Bytes no longer stored. */
  bytesSaved: number;
}

const RESULT_FILE = /-(result|container)\.json$/;

/** Every attachment reference in an Allure result or container, wherever it is (the test, its steps, its fixtures). */
export function referencesIn(value: unknown, found: AttachmentRef[] = []): AttachmentRef[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'attachments' && Array.isArray(child)) found.push(...(child as AttachmentRef[]).filter((a) => a && typeof a.source === 'string'));
      else referencesIn(child, found);
    }
  }
  return found;
}

/** Store each attachment content of resultsDir once, per name and type; idempotent. */
export function dedupeAttachments(resultsDir: string): DedupeOutcome {
  const names = existsSync(resultsDir) ? readdirSync(resultsDir).sort() : [];
  const documents = names.filter((n) => RESULT_FILE.test(n)).map((name) => {
    const file = path.join(resultsDir, name);
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return { file, json, refs: referencesIn(json) };
    } catch {
      // A result cut off mid-write (a killed run) is left as it is: Allure reports it, or not, as before.
      return { file, json: undefined, refs: [] };
    }
  });
  const referenced = new Set(documents.flatMap((d) => d.refs.map((r) => r.source!)));
  const filesBefore = referenced.size;

  const digests = new Map<string, string>();
  const digestOf = (source: string): string | undefined => {
    if (!digests.has(source)) {
      const file = path.join(resultsDir, source);
      if (path.basename(source) !== source || !existsSync(file) || !statSync(file).isFile()) return undefined;
      // A file named by its content (src/evidence/attachment-file.ts) is not read again.
      digests.set(source, CONTENT_NAMED_ATTACHMENT.exec(source)?.[1] ?? contentDigest(readFileSync(file)));
    }
    return digests.get(source);
  };

  const keeper = new Map<string, string>();
  /** The name and type each kept file is shown under: one per file. */
  const keptFor = new Map<string, string>();
  const stillUsed = new Set<string>();
  const movedAway = new Set<string>();
  for (const document of documents) {
    let changed = false;
    for (const ref of document.refs) {
      const digest = digestOf(ref.source!);
      if (!digest) {
        stillUsed.add(ref.source!);
        continue;
      }
      const key = `${digest}\0${ref.name ?? ''}\0${ref.type ?? ''}`;
      let kept = keeper.get(key) ?? ref.source!;
      // A file named by its content may be referenced under two names by two processes: the second gets a file of its own.
      if (keptFor.has(kept) && keptFor.get(kept) !== key) kept = sameBytesApart(resultsDir, kept);
      keptFor.set(kept, key);
      keeper.set(key, kept);
      stillUsed.add(kept);
      if (kept !== ref.source) {
        movedAway.add(ref.source!);
        ref.source = kept;
        changed = true;
      }
    }
    if (changed) {
      // Whole or not at all: a result cut off here would lose a scenario from the report.
      writeNewFileWith(resultsDir, `${document.file}.tmp`, JSON.stringify(document.json));
      renameSync(`${document.file}.tmp`, document.file);
    }
  }

  let bytesSaved = 0;
  let removed = 0;
  for (const source of movedAway) {
    if (stillUsed.has(source)) continue;
    const file = path.join(resultsDir, source);
    bytesSaved += statSync(file).size;
    rmSync(file);
    removed += 1;
  }
  return { filesBefore, filesAfter: filesBefore - removed, bytesSaved };
}

/** Another name for a file's bytes: a hard link where the file system has them, else a copy. */
function sameBytesApart(resultsDir: string, source: string): string {
  const other = `${randomUUID()}-attachment${path.extname(source)}`;
  try {
    linkSync(path.join(resultsDir, source), path.join(resultsDir, other));
  } catch {
    writeFileSync(path.join(resultsDir, other), readFileSync(path.join(resultsDir, source)));
  }
  return other;
}
