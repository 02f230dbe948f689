/**
 * One `gpc-conform` command for the bench, as a user runs it (`node bin/gpc-conform ...`, compiled
 * dist/ when current): its wall time, the peak memory of its process tree, and the message stream
 * each of its parts wrote (<out>/parts/<part>/messages.ndjson.gz), read into timings.
 */
import { existsSync, readdirSync } from 'node:fs';
import { messagesIn, readMessagesText } from '../src/results/messages-file';
import path from 'node:path';
import { ROOT } from './cucumber-run';
import { parseMessages, type RunTimings } from './messages';
import { runMeasured, type MeasuredRun } from './proc';

export interface PartTimings {
  name: string;
  timings: RunTimings;
}

export interface GpcRun extends MeasuredRun {
  label: string;
  /** Every part that wrote a message stream, in name order. */
  parts: PartTimings[];
}

/** The parts' message streams under an output folder, read. */
export function readParts(out: string): PartTimings[] {
  const parts = path.join(out, 'parts');
  if (!existsSync(parts)) return [];
  return readdirSync(parts)
    .sort()
    .filter((name) => existsSync(messagesIn(path.join(parts, name))))
    .map((name) => ({ name, timings: parseMessages(readMessagesText(messagesIn(path.join(parts, name)))) }));
}

export async function runGpcConform(label: string, args: string[], out: string, env: NodeJS.ProcessEnv = {}): Promise<GpcRun> {
  const measured = await runMeasured(process.execPath, [path.join(ROOT, 'bin/gpc-conform'), ...args, '--out', out], { cwd: ROOT, env: { ...process.env, ...env } });
  return { ...measured, label, parts: readParts(out) };
}
