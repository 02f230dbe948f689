import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ProofRequest, ProofRun } from './proof-run';

/**
 * Proof processes shared by every test file of one `npm test` (started by scripts/run-tests.mjs,
 * reached through GPC_PROOF_POOL): a proof process (test/support/proof-child.ts) loads the support
 * code once and then runs the features again and again, but its first run costs ~5 s of CPU more
 * than the next (loading, and V8 compiling what it then runs hot), measured. One process per proof
 * file paid that eleven times; a pool as large as the test files running at once pays it that many
 * times. A proof file without the pool (run alone) starts a process of its own (test/support/proof.ts).
 *
 * The wire: each message is a 4-byte length and a v8-serialized value (the runs carry Sets), a
 * request `{ id, request }` one way and `{ id, run }` or `{ id, error }` back.
 */

/** Room in a Unix socket's address (sun_path is 108 bytes on Linux, 104 on macOS, with its NUL). */
const MAX_SOCKET_PATH_BYTES = 103;

/** A process whose memory passed this after a run is let go; the next run starts a fresh one. */
const RECYCLE_RSS_BYTES = 1.5 * 2 ** 30;

export interface ProofReply {
  id: number;
  run?: ProofRun;
  error?: string;
}

interface Job {
  client: Socket;
  id: number;
  request: ProofRequest;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
}

/** Length-prefixed v8 frames in, each handed to `onMessage` whole. */
export function readFrames(socket: Socket, onMessage: (message: unknown) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const length = buffered.readUInt32BE(0);
      if (buffered.length < 4 + length) break;
      const frame = buffered.subarray(4, 4 + length);
      buffered = buffered.subarray(4 + length);
      onMessage(deserialize(frame));
    }
  });
}

export function writeFrame(socket: Socket, message: unknown): void {
  const body = serialize(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  socket.write(Buffer.concat([head, body]));
}

export interface ProofPool {
  socketPath: string;
  /** Processes started so far, for the figures. */
  started: () => number;
  close: () => Promise<void>;
}

/**
 * A pool of at most `size` proof processes, listening on `socketPath` (a Unix socket). `childScript`
 * is what each process runs (the proof child; a test gives a stand-in).
 */
export async function startProofPool(socketPath: string, size: number, childScript = path.join(__dirname, 'proof-child.js')): Promise<ProofPool> {
  // Node would cut a longer path short without a word, and the files could not find the pool.
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) throw new Error(`the socket path ${socketPath} is over ${MAX_SOCKET_PATH_BYTES} bytes`);
  const workers: Worker[] = [];
  const queue: Job[] = [];
  /** Runs shared by key (ProofRequest.shareAs): the jobs waiting on each, then its reply. */
  const shared = new Map<string, { waiting: Job[]; reply?: ProofReply }>();
  let started = 0;
  let closing = false;

  const reply = (job: Job, message: ProofReply) => {
    const share = job.request.shareAs === undefined ? undefined : shared.get(job.request.shareAs);
    if (share) {
      // A failed run is not kept: the next request for it runs it again.
      if (message.error === undefined) share.reply = message;
      else shared.delete(job.request.shareAs!);
      for (const waiting of share.waiting.splice(0)) if (!waiting.client.destroyed) writeFrame(waiting.client, { ...message, id: waiting.id });
    } else if (!job.client.destroyed) writeFrame(job.client, message);
  };

  /** Nobody waits for the job's run any more (its file ended): it is not run; a shared one is forgotten. */
  const abandoned = (job: Job): boolean => {
    const key = job.request.shareAs;
    if (key === undefined) return job.client.destroyed;
    if (shared.get(key)?.waiting.some((w) => !w.client.destroyed)) return false;
    shared.delete(key);
    return true;
  };

  /** A job to run, or one whose shared run is under way or done (answered with it). */
  const accept = (job: Job) => {
    const key = job.request.shareAs;
    const share = key === undefined ? undefined : shared.get(key);
    if (share?.reply) writeFrame(job.client, { ...share.reply, id: job.id });
    else if (share) share.waiting.push(job);
    else {
      if (key !== undefined) shared.set(key, { waiting: [job] });
      queue.push(job);
      dispatch();
    }
  };

  const startWorker = (): Worker => {
    const child = fork(childScript, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    started += 1;
    const worker: Worker = { child };
    child.on('message', (message: { id: number; run?: ProofRun; error?: string; rss?: number }) => {
      const job = worker.job;
      worker.job = undefined;
      if (job) reply(job, { id: job.id, run: message.run, error: message.error });
      if ((message.rss ?? 0) > RECYCLE_RSS_BYTES) retire(worker);
      dispatch();
    });
    child.on('exit', (code, signal) => {
      const at = workers.indexOf(worker);
      if (at >= 0) workers.splice(at, 1);
      const job = worker.job;
      worker.job = undefined;
      if (job) reply(job, { id: job.id, error: `the proof process ended (${signal ?? `exit code ${code}`}) before its run finished` });
      dispatch();
    });
    workers.push(worker);
    return worker;
  };

  const retire = (worker: Worker) => {
    const at = workers.indexOf(worker);
    if (at >= 0) workers.splice(at, 1);
    worker.child.disconnect();
  };

  const dispatch = () => {
    if (closing) return;
    while (queue.length > 0) {
      const worker = workers.find((w) => !w.job && w.child.connected) ?? (workers.length < size ? startWorker() : undefined);
      if (!worker) return;
      const job = queue.shift()!;
      if (abandoned(job)) continue;
      worker.job = job;
      worker.child.send({ id: job.id, request: job.request });
    }
  };

  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    readFrames(client, (message) => {
      const { id, request } = message as { id: number; request: ProofRequest };
      accept({ client, id, request });
    });
    client.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  return {
    socketPath,
    started: () => started,
    close: async () => {
      closing = true;
      for (const worker of workers.splice(0)) {
        if (worker.child.connected) worker.child.disconnect();
        else worker.child.kill();
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.destroy();
      await closed;
    },
  };
}
