import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { holdGroup, signalGroup, stopGroup } from './lifeline';
import { redactPrivateKeys, redactText, secretsFromEnvironment } from '../../evidence/redact';

/** How to start a system under test and know that it is ready (the `start` block of a profile). */
export interface StartSpec {
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  ready?: { url?: string; logLine?: string; timeoutSeconds?: number };
}

/** The system under test did not start: the run cannot judge it (exit code 2), and says why. */
export class StartFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartFailed';
  }
}

export interface StartedSystem {
  pid: number;
  /** The last lines it wrote (stdout and stderr), for messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

const MAX_KEPT_LINES = 400;
/** Every system started and not yet stopped: its process group outlives its shell when the shell leaves something behind. */
const running = new Set<ChildProcess>();

// Whatever happens to the harness, what it started does not outlive it: on exit at once, and when
// it is killed outright (a signal, kill -9) through the lifeline (lifeline.ts).
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/**
 * Start a system under test with the shell in its own process group (so its children stop with
 * it), copy its output to `logFile`, and wait until it is ready: `ready.url` answers over HTTP
 * with any status, `ready.logLine` appears in its output, or else `fallbackAddress` accepts TCP
 * connections. It fails, naming the reason and the last lines of output, when the command exits
 * first or readiness takes longer than `timeoutSeconds`.
 */
export async function startSystem(spec: StartSpec, options: { label: string; fallbackAddress: URL; logFile?: string; timeoutSeconds: number; secretEnvNames?: string[] }): Promise<StartedSystem> {
  // Its output goes to a log and into messages: a secret it prints (its API key, a passphrase) is cut out first.
  const secrets = secretsFromEnvironment(process.env, options.secretEnvNames ?? []);
  const clean = (text: string) => redactPrivateKeys(redactText(text, secrets));
  const lines: string[] = [];
  let partial = '';
  let log: WriteStream | undefined;
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile);
  }
  const child = spawn(spec.command, { shell: true, cwd: spec.cwd, env: { ...process.env, ...spec.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const release = child.pid ? holdGroup(child.pid) : () => undefined;
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n').map(clean);
    partial = parts.pop() ?? '';
    // Whole lines only, so a secret split across two chunks is still found.
    if (parts.length > 0) log?.write(`${parts.join('\n')}\n`);
    lines.push(...parts);
    if (lines.length > MAX_KEPT_LINES) lines.splice(0, lines.length - MAX_KEPT_LINES);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = `could not be started: ${error.message}`;
      resolve();
    });
  });
  const tail = (n = 20) => [...lines, clean(partial)].filter(Boolean).slice(-n).join('\n');
  let stopping: Promise<void> | undefined;
  // The whole group, even when the shell has gone: what it started in the background is still in it.
  const stop = () =>
    (stopping ??= (async () => {
      if (child.pid) await Promise.all([stopGroup(child.pid), exited === undefined ? exit : undefined]);
      running.delete(child);
      release();
      log?.end(partial ? clean(partial) : undefined);
    })());

  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const readyText = spec.ready?.logLine;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new StartFailed(`${options.label}: "${spec.command}" ${exited} before it was ready${tail() ? `; its last output:\n${indent(tail())}` : ' (no output)'}`);
    }
    const ready = readyText ? tail(MAX_KEPT_LINES).includes(readyText) : spec.ready?.url ? await answersHttp(spec.ready.url) : await acceptsConnections(options.fallbackAddress);
    if (ready) return { pid: child.pid!, tail, stop };
    if (Date.now() > deadline) {
      await stop();
      const waitedFor = readyText ? `the line "${readyText}" in its output` : spec.ready?.url ? `${spec.ready.url} to answer` : `${options.fallbackAddress.host} to accept connections`;
      throw new StartFailed(`${options.label}: not ready after ${options.timeoutSeconds} s waiting for ${waitedFor}${tail() ? `; its last output:\n${indent(tail())}` : ' (no output)'}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid) signalGroup(child.pid, signal);
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

function acceptsConnections(address: URL): Promise<boolean> {
  const port = Number(address.port || (address.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: address.hostname.replace(/^\[|\]$/g, ''), port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
  });
}

/** Any HTTP answer means it is up; TLS is not judged here (a certificate problem shows in the scenarios, with its reason). */
function answersHttp(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { rejectUnauthorized: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

