import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readFrames, startProofPool, writeFrame, type ProofPool, type ProofReply } from '../support/proof-pool';

// The shared proof processes of `npm test` (test/support/proof-pool.ts), with a stand-in child that
// answers at once (test/fixtures/stand-in-proof-child.ts).
const work = mkdtempSync(path.join(tmpdir(), 'gpc-proof-pool-'));
after(() => rmSync(work, { recursive: true, force: true }));
const standIn = path.join(__dirname, '..', 'fixtures', 'stand-in-proof-child.js');
let pools = 0;

async function pool(size: number): Promise<ProofPool> {
  const started = await startProofPool(path.join(work, `pool-${pools++}.sock`), size, standIn);
  after(() => started.close());
  return started;
}

/** A client as a proof file is one: it sends requests and collects the replies by id. */
async function client(socketPath: string) {
  const socket: Socket = connect(socketPath);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const waiting = new Map<number, (reply: ProofReply) => void>();
  readFrames(socket, (message) => waiting.get((message as ProofReply).id)?.(message as ProofReply));
  let next = 0;
  return {
    ask: (what: string, shareAs?: string) =>
      new Promise<ProofReply>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        writeFrame(socket, { id, request: { paths: [what], parameters: {}, shareAs } });
      }),
    end: () => socket.destroy(),
  };
}

const pidOf = (reply: ProofReply) => [...(reply.run?.failedRequirements ?? [])][0];

test('frames cut anywhere arrive whole, and in order', async () => {
  const socketPath = path.join(work, 'frames.sock');
  const got: unknown[] = [];
  const { createServer } = await import('node:net');
  const server = createServer((s) => readFrames(s, (m) => got.push(m)));
  await new Promise<void>((r) => server.listen(socketPath, r));
  const socket = connect(socketPath);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  // Two frames written a byte at a time, then one in a single write.
  const frames: Buffer[] = [];
  const capture = { write: (b: Buffer) => frames.push(b) } as unknown as Socket;
  writeFrame(capture, { id: 1, set: new Set(['a']) });
  writeFrame(capture, { id: 2, text: 'é'.repeat(70_000) });
  for (const byte of Buffer.concat(frames)) socket.write(Buffer.from([byte]));
  writeFrame(socket, { id: 3 });
  while (got.length < 3) await new Promise((r) => setTimeout(r, 10));
  socket.destroy();
  server.close();
  assert.deepEqual(got, [{ id: 1, set: new Set(['a']) }, { id: 2, text: 'é'.repeat(70_000) }, { id: 3 }]);
});

test('runs from several files share the processes: no more are started than the pool holds', async () => {
  const p = await pool(2);
  const files = await Promise.all([client(p.socketPath), client(p.socketPath), client(p.socketPath)]);
  const replies = await Promise.all(files.flatMap((f) => [f.ask('run'), f.ask('run'), f.ask('run')]));
  assert.equal(replies.length, 9);
  assert.ok(replies.every((r) => r.run && r.error === undefined));
  assert.equal(new Set(replies.map(pidOf)).size, 2, 'two processes answered');
  assert.equal(p.started(), 2);
  // Each file gets its own replies back, by its own ids.
  const again = await Promise.all(files.map((f) => f.ask('run')));
  assert.equal(again.length, 3);
  assert.equal(p.started(), 2, 'the same processes, warm, for the next runs');
  for (const f of files) f.end();
});

test('a process that dies mid-run fails that run, naming why, and the next run gets a fresh process', async () => {
  const p = await pool(1);
  const file = await client(p.socketPath);
  const crashed = await file.ask('crash');
  assert.match(crashed.error ?? '', /the proof process ended \(exit code 3\) before its run finished/);
  const next = await file.ask('run');
  assert.ok(next.run);
  assert.equal(p.started(), 2);
  const failed = await file.ask('fail');
  assert.equal(failed.error, 'it failed');
  file.end();
});

test('a process grown past the memory limit is let go after its run, and replaced', async () => {
  const p = await pool(1);
  const file = await client(p.socketPath);
  const big = await file.ask('big');
  assert.ok(big.run);
  const after = await file.ask('run');
  assert.notEqual(pidOf(after), pidOf(big));
  assert.equal(p.started(), 2);
  file.end();
});

test('requests shared by key are one run: those that come while it runs and after it get its result, each by its own id', async () => {
  const p = await pool(2);
  const files = await Promise.all([client(p.socketPath), client(p.socketPath), client(p.socketPath)]);
  const during = await Promise.all(files.map((f) => f.ask('slow', 'probe')));
  const later = await files[0].ask('slow', 'probe');
  const runsOf = (reply: ProofReply) => [...(reply.run?.failedRequirements ?? [])].sort();
  for (const reply of [...during, later]) assert.deepEqual(runsOf(reply), runsOf(during[0]), 'the same run answers every request');
  assert.equal(p.started(), 1, 'one process ran it, once');
  // Another key, or none, is a run of its own.
  const other = await files[1].ask('run', 'another');
  assert.notDeepEqual(runsOf(other), runsOf(during[0]));
  for (const f of files) f.end();
});

test('a shared run that failed is not kept: the next request for it runs it again', async () => {
  const p = await pool(1);
  const file = await client(p.socketPath);
  assert.equal((await file.ask('fail', 'probe')).error, 'it failed');
  assert.equal((await file.ask('fail', 'probe')).error, 'it failed');
  const run = await file.ask('run');
  assert.ok(run.run?.failedRequirements.has('runs:3'), 'the failed run was made twice, then this one');
  file.end();
});

test('a shared run whose every asker has gone is not run, and is run for the next one who asks', async () => {
  const p = await pool(1);
  const busy = await client(p.socketPath);
  const gone = await client(p.socketPath);
  const first = busy.ask('slow');
  void gone.ask('run', 'probe');
  gone.end();
  await first;
  const file = await client(p.socketPath);
  const run = await file.ask('run', 'probe');
  assert.ok(run.run?.failedRequirements.has('runs:2'), 'the abandoned run was never made');
  busy.end();
  file.end();
});

test('a socket path too long for the system is refused, naming it, rather than cut short', async () => {
  const long = path.join(work, 'x'.repeat(120), 'pool.sock');
  await assert.rejects(startProofPool(long, 1, standIn), (error: Error) => error.message.includes(long) && /over 103 bytes/.test(error.message));
});
