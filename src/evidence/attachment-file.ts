import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeNewFileWith } from './spare-files';

/**
 * An attachment a scenario writes into the run's Allure results itself (src/evidence/evidence.ts
 * writeAttachmentsInto), named by its content: the same bytes are one file, whichever process attached
 * them, and the results writer and the dedupe pass know its digest from its name.
 */

/**
 * The name of a file attachmentFile wrote: the first 128 bits of its content's SHA-256 (32 hex, as
 * long as the uuid the reporter would give it; every result names it), `-attachment`, the extension.
 */
export const CONTENT_NAMED_ATTACHMENT = /^([0-9a-f]{32})-attachment(\.[A-Za-z0-9]+)?$/;

/** The digest a content-named file carries in its name. */
export function contentDigest(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

/** The file holding these bytes: `<digest>-attachment<ext>`, written (atomically) if no one has yet. */
export function attachmentFile(dir: string, content: Buffer, fileExtension: string): string {
  const file = path.join(dir, `${contentDigest(content)}-attachment${fileExtension}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `.gpc-attachment-${randomUUID()}.tmp`);
    try {
      writeNewFileWith(dir, temp, content);
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
  return file;
}
