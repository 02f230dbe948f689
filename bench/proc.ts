/**
 * Running a child process for the bench: its wall time, and the peak resident memory (VmHWM) of it
 * and every process it starts (Cucumber's --parallel workers, a consumer under test, a browser),
 * read by polling /proc while it runs. VmHWM only grows, so the last reading before a process exits
 * is its peak within one poll interval. Off Linux, or where /proc cannot be read, no peaks.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ProcessPeak {
  pid: number;
  /** /proc/<pid>/status Name (e.g. "node", "chromium"). */
  name: string;
  hwmKb: number;
}

export interface MeasuredRun {
  /** Epoch ms when the child was spawned (to compare with Cucumber message timestamps). */
  spawnedAtMs: number;
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Every process of the tree seen while it ran, the child first. */
  peaks: ProcessPeak[];
  /** The tail of stdout and stderr, for a failure message. */
  outputTail: string;
}

/** The parent pid from /proc/<pid>/stat ("pid (comm) state ppid ..."; comm may hold spaces and parentheses). */
export function parsePpid(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Name and VmHWM (kB) from /proc/<pid>/status; hwmKb undefined for a process with no memory (a zombie). */
export function parseStatus(status: string): { name: string; hwmKb?: number } {
  const name = status.match(/^Name:\s*(.*)$/m)?.[1] ?? '?';
  const hwm = status.match(/^VmHWM:\s*(\d+)\s*kB$/m)?.[1];
  return { name, hwmKb: hwm === undefined ? undefined : Number(hwm) };
}

/** The root and all its descendants, given each pid's parent. */
export function descendants(root: number, parentOf: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Sum of the peaks: an upper bound on the tree's memory at its fullest (the peaks may not coincide). */
export const totalHwmKb = (peaks: ProcessPeak[]): number => peaks.reduce((sum, p) => sum + p.hwmKb, 0);

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone between listing and reading, or no /proc
  }
}

function sampleTree(root: number, peaks: Map<number, ProcessPeak>): void {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return;
  }
  const parentOf = new Map<number, number>();
  for (const pid of pids) {
    const ppid = parsePpid(read(`/proc/${pid}/stat`) ?? '');
    if (ppid !== undefined) parentOf.set(pid, ppid);
  }
  for (const pid of descendants(root, parentOf)) {
    const status = parseStatus(read(`/proc/${pid}/status`) ?? '');
    if (status.hwmKb === undefined) continue;
    const before = peaks.get(pid);
    if (!before || status.hwmKb > before.hwmKb) peaks.set(pid, { pid, name: status.name, hwmKb: status.hwmKb });
  }
}

export function runMeasured(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; pollMs?: number }): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const spawnedAtMs = Date.now();
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const peaks = new Map<number, ProcessPeak>();
    let tail = '';
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const poll = setInterval(() => child.pid && sampleTree(child.pid, peaks), options.pollMs ?? 100);
    child.on('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on('exit', (exitCode, signal) => {
      clearInterval(poll);
      const wallMs = performance.now() - started;
      const ordered = [...peaks.values()].sort((a, b) => (a.pid === child.pid ? -1 : b.pid === child.pid ? 1 : a.pid - b.pid));
      resolve({ spawnedAtMs, wallMs, exitCode, signal, peaks: ordered, outputTail: tail });
    });
  });
}
