/**
 * A part's Cucumber messages stream on disk: NDJSON, gzip-compressed (a main job's 7 MB of messages
 * are some 0.5 MB), flushed at the end of every test case, so that a run killed outright leaves a
 * file whose finished scenarios can all be read back. A run's folder from before the compression
 * (`messages.ndjson`) is still read.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { constants, createGzip, gunzipSync, gzipSync } from 'node:zlib';

export const MESSAGES_FILE = 'messages.ndjson.gz';
const PLAIN_MESSAGES_FILE = 'messages.ndjson';

/** Where a part in `dir` writes its messages. */
export function messagesPath(dir: string): string {
  return path.join(dir, MESSAGES_FILE);
}

/** The messages a part in `dir` left: the compressed stream, else an older run's plain one, else where it would be. */
export function messagesIn(dir: string): string {
  const compressed = messagesPath(dir);
  if (existsSync(compressed)) return compressed;
  const plain = path.join(dir, PLAIN_MESSAGES_FILE);
  return existsSync(plain) ? plain : compressed;
}

/**
 * The NDJSON text of a messages file, whether compressed or not. A compressed stream cut off by a
 * crash gives back everything up to its last flush (the last finished test case), not an error.
 */
export function readMessagesText(file: string): string {
  const bytes = readFileSync(file);
  if (!isGzip(bytes)) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  }
}

/** Several parts' messages as one compressed file (shards of a run joined). */
export function joinedMessages(files: string[]): Buffer {
  return gzipSync(files.filter(existsSync).map(readMessagesText).map((text) => (text && !text.endsWith('\n') ? `${text}\n` : text)).join(''));
}

const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Envelopes after which what was written so far is flushed to the file (a crash keeps it). */
const FLUSH_AFTER = ['testCaseFinished', 'testRunFinished', 'testRunHookFinished'];

export interface MessagesWriter {
  write(envelope: object): void;
  /** Everything written and the file closed. */
  end(): Promise<void>;
}

export function messagesWriter(file: string): MessagesWriter {
  const out = createWriteStream(file);
  const gzip = createGzip();
  gzip.pipe(out);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  // A file that cannot be written fails end(), where the part waits for it, not as an unhandled rejection first.
  closed.catch(() => undefined);
  // Lines wait here until a flush: zlib pays per write (a main job's 16,000 lines one at a time cost
  // 2.2 s of CPU, one write per test case 0.5 s), and nothing before a flush reaches the file anyway.
  let pending: string[] = [];
  const writePending = () => {
    if (pending.length > 0) gzip.write(pending.join(''));
    pending = [];
  };
  return {
    write(envelope) {
      pending.push(JSON.stringify(envelope) + '\n');
      if (FLUSH_AFTER.some((key) => key in envelope)) {
        writePending();
        gzip.flush(constants.Z_SYNC_FLUSH);
      }
    },
    end() {
      writePending();
      gzip.end();
      return closed;
    },
  };
}
