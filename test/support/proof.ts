import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import type { RunParameters } from '../../src/actors/run-parameters';
import type { ProofRequest, ProofRun } from './proof-run';

export type { ProofRun } from './proof-run';

let proofProcess: ChildProcess | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (run: ProofRun) => void; reject: (error: Error) => void }>();

/** This file's proof process (test/support/proof-child.ts), started on the first run. */
function proofChild(): ChildProcess {
  if (proofProcess) return proofProcess;
  const child = fork(path.join(__dirname, 'proof-child.js'), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (reply: { id: number; run?: ProofRun; error?: string }) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiting?.reject(new Error(`the proof run failed: ${reply.error}`));
    else if (reply.run) waiting?.resolve(reply.run);
    if (pending.size === 0) idle(child);
  });
  child.on('exit', (code, signal) => {
    proofProcess = undefined;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(new Error(`the proof process ended (${signal ?? `exit code ${code}`}) before its run finished`));
    }
  });
  proofProcess = child;
  return child;
}

/** No run waiting: the proof process must not keep the test file's process alive. */
function idle(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * One proof run (test/support/proof-run.ts) in this file's proof process. Runs follow each other
 * (one Spine in a box at a time per run). `order` is Cucumber's (`defined`, or `random:<seed>`:
 * scenarios must not depend on each other).
 */
export function proveRun(paths: string[], parameters: Partial<RunParameters>, tags?: string, order?: string): Promise<ProofRun> {
  const child = proofChild();
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
  const id = nextId++;
  const request: ProofRequest = { paths, parameters, tags, order };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    child.send({ id, request });
  });
}

/** The feature files under `dirs` with a scenario tagged with the requirement: where its fault must show. */
export function featuresTagged(requirement: string, ...dirs: string[]): string[] {
  const tag = new RegExp(`@req:${requirement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm');
  const files = dirs
    .flatMap((dir) => readdirSync(path.join(PACKAGE_ROOT, dir)).filter((f) => f.endsWith('.feature')).map((f) => path.join(dir, f)))
    .filter((f) => tag.test(readFileSync(path.join(PACKAGE_ROOT, f), 'utf8')));
  assert.ok(files.length > 0, `no feature under ${dirs.join(', ')} has a scenario tagged @req:${requirement}`);
  return files;
}

/**
 * A folder for one test file's reports, removed when the file ends. The TLS material (certificates
 * and kept key pairs) is the one every `gpc-conform` run from the harness's folder uses: made once,
 * not once per proof file.
 */
export function proofWork(prefix = 'gpc-proof-'): { tlsDir: string; reportDir: string } {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(work, { recursive: true, force: true }));
  return { tlsDir: path.join(PACKAGE_ROOT, 'reports', 'tls'), reportDir: work };
}
