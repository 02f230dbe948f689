import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import type { RunParameters } from '../../src/actors/run-parameters';
import type { ProofRequest, ProofRun } from './proof-run';
import { readFrames, writeFrame, type ProofReply } from './proof-pool';

export type { ProofRun } from './proof-run';

let proofProcess: ChildProcess | undefined;
let poolSocket: Socket | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (run: ProofRun) => void; reject: (error: Error) => void }>();

/** `npm test`'s shared proof processes (test/support/proof-pool.ts), when it started them. */
export const PROOF_POOL_ENV = 'GPC_PROOF_POOL';

function settle(reply: ProofReply): void {
  const waiting = pending.get(reply.id);
  pending.delete(reply.id);
  if (reply.error !== undefined) waiting?.reject(new Error(`the proof run failed: ${reply.error}`));
  else if (reply.run) waiting?.resolve(reply.run);
}

function failPending(why: string): void {
  for (const [id, waiting] of pending) {
    pending.delete(id);
    waiting.reject(new Error(why));
  }
}

/** This file's proof process (test/support/proof-child.ts), started on the first run: for a proof file run alone. */
function proofChild(): ChildProcess {
  if (proofProcess) return proofProcess;
  const child = fork(path.join(__dirname, 'proof-child.js'), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (reply: ProofReply) => {
    settle(reply);
    if (pending.size === 0) idle(child);
  });
  child.on('exit', (code, signal) => {
    proofProcess = undefined;
    failPending(`the proof process ended (${signal ?? `exit code ${code}`}) before its run finished`);
  });
  proofProcess = child;
  return child;
}

/** The connection to the pool, made on the first run. */
function pool(socketPath: string): Socket {
  if (poolSocket) return poolSocket;
  const socket = connect(socketPath);
  readFrames(socket, (message) => {
    settle(message as ProofReply);
    if (pending.size === 0) socket.unref();
  });
  socket.on('error', (error) => failPending(`the proof pool at ${socketPath} failed: ${error.message}`));
  socket.on('close', () => {
    poolSocket = undefined;
    failPending(`the proof pool at ${socketPath} closed the connection before the run finished`);
  });
  poolSocket = socket;
  return socket;
}

/** No run waiting: the proof process must not keep the test file's process alive. */
function idle(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}

/** How a proof run goes, beyond its paths and parameters (ProofRequest's fields of the same names). */
export type ProofRunOptions = Pick<ProofRequest, 'tags' | 'order' | 'shareAs' | 'probeConsumerVariants' | 'failFast'>;

/**
 * One proof run (test/support/proof-run.ts) in a proof process: one of `npm test`'s pool, else this
 * file's own. A file's runs follow each other. `order` is Cucumber's (`defined`, or `random:<seed>`:
 * scenarios must not depend on each other). Runs given the same `shareAs` are one run (ProofRequest.shareAs).
 */
export function proveRun(paths: string[], parameters: Partial<RunParameters>, options: ProofRunOptions = {}): Promise<ProofRun> {
  const { shareAs } = options;
  if (shareAs === undefined) return send({ paths, parameters, ...options });
  // Made once per process here, once per `npm test` in its pool (ProofRequest.shareAs).
  if (!sharedRuns.has(shareAs)) sharedRuns.set(shareAs, send({ paths, parameters, ...options }));
  return sharedRuns.get(shareAs)!;
}

/** This process's runs shared by key. */
const sharedRuns = new Map<string, Promise<ProofRun>>();

function send(request: ProofRequest): Promise<ProofRun> {
  const id = nextId++;
  const promise = new Promise<ProofRun>((resolve, reject) => pending.set(id, { resolve, reject }));
  const poolPath = process.env[PROOF_POOL_ENV];
  if (poolPath) {
    const socket = pool(poolPath);
    socket.ref();
    writeFrame(socket, { id, request });
  } else {
    const child = proofChild();
    child.ref();
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    child.send({ id, request });
  }
  return promise;
}

/** The conformant run's three runs, by the areas they take. */
const CONFORMANT_AREAS = {
  'ssp and topology': ['features/ssp', 'features/topology'],
  provider: ['features/provider'],
  consumer: ['features/consumer'],
} as const;

/**
 * The conformant run: every area against the conformant SSP, directory, reference provider and
 * reference consumer, in a random order from a fixed seed (npm test's features stage runs them in the
 * order written), with the variant probes on: `probeLatitudes` in the provider's run,
 * `probeConsumerVariants` in the consumer's. Three runs, each once per `npm test` and shared: the fault
 * proof requires every one to pass, and each variant proof reads its probe from its own area's run, so
 * the consumer's does not wait for the provider's.
 */
export function conformantRun(common: { tlsDir: string; reportDir: string }, area: keyof typeof CONFORMANT_AREAS): Promise<ProofRun> {
  const parameters = area === 'provider' ? { ...common, probeLatitudes: true } : common;
  return proveRun([...CONFORMANT_AREAS[area]], parameters, { order: 'random:20261204', shareAs: `conformant-run: ${area}`, probeConsumerVariants: area === 'consumer' });
}

/** Every area of the conformant run. */
export const CONFORMANT_RUNS = Object.keys(CONFORMANT_AREAS) as Array<keyof typeof CONFORMANT_AREAS>;

/**
 * Where a variant's run goes, from a probe's notes (ProofRun.latitudesMet): the scenarios named
 * (`uri:line`, as Cucumber's paths, one per file), or `all` when the variant was asked about outside
 * any scenario. None: the variant changes nothing any scenario does, and its run would prove nothing.
 */
export function scenariosOf(variant: string, met: Record<string, string[]>, all: string[]): string[] {
  const where = met[variant] ?? [];
  assert.ok(where.length > 0, `no scenario meets the latitude of ${variant}: nothing any scenario does would change with it, so its run would prove nothing`);
  if (where.includes('*')) return all;
  const byFile = new Map<string, string[]>();
  for (const location of where) {
    const [file, line] = location.split(':');
    byFile.set(file, [...(byFile.get(file) ?? []), line]);
  }
  return [...byFile].map(([file, lines]) => `${file}:${lines.join(':')}`);
}

/**
 * How many scenarios `uri:line:line` paths name (scenariosOf's), undefined for paths that name files or
 * folders: a run over named scenarios must take each of them, no more, no fewer.
 */
export function scenariosNamed(paths: string[]): number | undefined {
  const lines = paths.map((p) => p.split(':').length - 1);
  return lines.some((n) => n === 0) ? undefined : lines.reduce((a, b) => a + b, 0);
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
