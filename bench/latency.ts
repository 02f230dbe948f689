/**
 * Mock latency: GET /metadata through the SSP to the stand-in provider over loopback, beside a bare
 * node:http server answering the same payload, in the same run. p50 and p99 of sequential requests,
 * and throughput with concurrent clients over keep-alive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { prepareRequest, targetOf } from '../src/actors/provider/ssp-exchange';
import { getCapabilityStatement } from '../src/gpconnect/operations';
import { SpineInABox } from '../src/spine/spine';
import { quantile } from './stats';

export interface LatencyOptions {
  requests: number;
  concurrency: number;
  seconds: number;
}

export interface PathFigures {
  p50Ms: number;
  p99Ms: number;
  reqPerSec: number;
}

export interface LatencyFigures {
  payloadBytes: number;
  ssp: PathFigures;
  bare: PathFigures;
  journalSize: number;
}

interface Target {
  url: URL;
  headers: Record<string, string>;
}

function get(target: Target, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(target.url, { headers: target.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(target: Target, agent: http.Agent, o: LatencyOptions): Promise<PathFigures> {
  for (let i = 0; i < Math.min(100, o.requests); i++) await get(target, agent); // warm-up
  const times: number[] = [];
  for (let i = 0; i < o.requests; i++) times.push(await get(target, agent));
  const deadline = performance.now() + o.seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < deadline) {
        await get(target, agent);
        done++;
      }
    }),
  );
  return { p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), reqPerSec: done / o.seconds };
}

async function bareServer(payload: string, contentType: string): Promise<{ target: Target; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    target: { url: new URL(`http://127.0.0.1:${port}/metadata`), headers: {} },
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

export async function measureMockLatency(o: LatencyOptions): Promise<LatencyFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const spine = await SpineInABox.start({ mode: 'sockets' });
  try {
    const prepared = await prepareRequest(spine, getCapabilityStatement(), '200000000359', 'A20047');
    const headers = Object.fromEntries(prepared.headers);
    const viaSsp: Target = { url: new URL(`${spine.urls.ssp}/${targetOf(prepared)}`), headers };
    const sample = await fetch(viaSsp.url, { headers });
    const payload = await sample.text();
    const bare = await bareServer(payload, sample.headers.get('content-type') ?? 'application/fhir+json');
    try {
      const ssp = await measure(viaSsp, agent, o);
      const bareFigures = await measure(bare.target, agent, o);
      return { payloadBytes: payload.length, ssp, bare: bareFigures, journalSize: spine.journal.size };
    } finally {
      await bare.close();
    }
  } finally {
    agent.destroy();
    await spine.stop();
  }
}
