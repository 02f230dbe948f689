import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';

/**
 * What this process started in process groups of their own (a Cucumber run, a system under test)
 * must not outlive it, even when it is killed with kill -9 and has no chance to stop them. A small
 * detached reaper (reaper.js) holds the groups; its stdin is a pipe from this process, which closes
 * however this process ends, and then it stops every group still held (SIGTERM, then SIGKILL).
 * Started on first use, one per process; it does not keep this process alive.
 */
let reaper: ChildProcess | undefined;

function startReaper(): ChildProcess {
  const child = spawn(process.execPath, [path.join(__dirname, 'reaper.js')], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => undefined); // without it the groups are still stopped on a normal exit (process.ts)
  child.stdin!.on('error', () => undefined);
  child.unref();
  (child.stdin as Socket).unref();
  return child;
}

function tell(line: string): void {
  reaper ??= startReaper();
  if (reaper.stdin?.writable) reaper.stdin.write(`${line}\n`);
}

/** Hold a process group (its leader's pid) until `release()` is called: if this process ends first, the group is stopped. */
export function holdGroup(pgid: number): () => void {
  tell(`+${pgid}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    tell(`-${pgid}`);
  };
}

/** Send a signal to a whole process group; one that is gone already is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stop a process group and wait until nothing in it is left: SIGTERM, then SIGKILL after `graceMs`.
 * Bounded: a member that cannot be reaped (a zombie under an init that never waits) stops the wait.
 */
export async function stopGroup(pgid: number, graceMs = 5_000): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const gone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (signalGroup(pgid, 0) && !onlyZombiesIn(pgid)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  if (await gone(graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await gone(1_000);
}

/**
 * Whether every process left in the group has exited and waits only to be reaped (Linux /proc; false
 * where it cannot tell). A system under test started through a shell leaves its own process orphaned
 * when the shell dies first; the init that inherits it may take a second or more to reap it (as in
 * containers and micro-VMs), and a zombie holds no port, file or memory: the group is gone.
 */
export function onlyZombiesIn(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  const stats: string[] = [];
  for (const pid of pids) {
    try {
      stats.push(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // gone meanwhile
    }
  }
  return groupIsOnlyZombies(stats, pgid);
}

/** From /proc/<pid>/stat lines: does the group have members, all of them exited (Z or X)? */
export function groupIsOnlyZombies(stats: string[], pgid: number): boolean {
  let members = 0;
  for (const stat of stats) {
    // pid (comm) state ppid pgrp ...: the command name may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) !== pgid) continue;
    members += 1;
    if (state !== 'Z' && state !== 'X') return false;
  }
  return members > 0;
}
