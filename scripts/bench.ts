/**
 * `npm run bench`: request latency (p50, p99) and throughput through the SSP to the stand-in
 * provider over loopback, beside a bare node:http server answering the same payload, in the same
 * run, as ratios. Figures only; nothing here asserts a time.
 *   BENCH_REQUESTS (default 2000) sequential requests for latency; BENCH_CONCURRENCY (default 16)
 *   for throughput over BENCH_SECONDS (default 3).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { prepareRequest, targetOf } from '../support/gpconnect/ssp-exchange';
import { SpineInABox } from '../support/spine/spine';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

interface Target {
  url: URL;
  headers: Record<string, string>;
}

function get(target: Target): Promise<number> {
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

async function latency(target: Target): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 100; i++) await get(target); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await get(target));
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

async function throughput(target: Target): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await get(target);
        done++;
      }
    }),
  );
  return done / SECONDS;
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

async function main(): Promise<void> {
  const spine = await SpineInABox.start({ mode: 'sockets' });
  try {
    const prepared = await prepareRequest(spine, 'Get the capability statement', '200000000359', 'A20047');
    const headers = Object.fromEntries(prepared.headers);
    const viaSsp: Target = { url: new URL(`${spine.urls.ssp}/${targetOf(prepared)}`), headers };
    const sample = await fetch(viaSsp.url, { headers });
    const payload = await sample.text();
    const bare = await bareServer(payload, sample.headers.get('content-type') ?? 'application/fhir+json');
    try {
      const memBefore = process.memoryUsage().rss;
      const sspLat = await latency(viaSsp);
      const bareLat = await latency(bare.target);
      const sspTput = await throughput(viaSsp);
      const bareTput = await throughput(bare.target);
      const rssMb = (Math.max(memBefore, process.memoryUsage().rss) / 1024 / 1024).toFixed(0);
      const f = (n: number) => n.toFixed(3).padStart(9);
      console.log(`Spine in a box benchmark: GET /metadata (${payload.length}-byte CapabilityStatement), loopback, keep-alive`);
      console.log(`  ${REQUESTS} sequential requests for latency; ${CONCURRENCY} concurrent clients for ${SECONDS} s for throughput`);
      console.log('');
      console.log('                                  p50 ms    p99 ms    req/s');
      console.log(`  SSP -> stand-in provider     ${f(sspLat.p50)} ${f(sspLat.p99)} ${sspTput.toFixed(0).padStart(8)}`);
      console.log(`  bare node:http, same payload ${f(bareLat.p50)} ${f(bareLat.p99)} ${bareTput.toFixed(0).padStart(8)}`);
      console.log(`  ratio (SSP / bare)           ${f(sspLat.p50 / bareLat.p50)} ${f(sspLat.p99 / bareLat.p99)} ${(sspTput / bareTput).toFixed(3).padStart(8)}`);
      console.log('');
      console.log(`  The SSP path is two HTTP hops (consumer -> SSP -> provider), all checks, and journalling of both; peak RSS ${rssMb} MB; journal held ${spine.journal.size} exchanges.`);
    } finally {
      await bare.close();
    }
  } finally {
    agent.destroy();
    await spine.stop();
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
