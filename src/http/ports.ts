import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port handed out: below it lie the well-known and commonly configured service ports. */
const LOWEST_PICKED = 10_000;
const ATTEMPTS = 50;

/**
 * A loopback port nothing listens on now, for a system the harness starts.
 *
 * Picked below the kernel's ephemeral range where there is room: a port the kernel hands out itself
 * (to a client's connection or to a listen on port 0) can be taken by anyone in the moment between
 * this pick and the started system binding it, and under load that happens (a provider exiting with
 * EADDRINUSE). Below the range only an explicit bind can take it. Falls back to the kernel's choice.
 */
export async function freeLoopbackPort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const below = ephemeralRangeStart();
  if (below - LOWEST_PICKED >= 1_000) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const port = LOWEST_PICKED + Math.floor(random() * (below - LOWEST_PICKED));
      if (await listensOn(host, port)) return port;
    }
  }
  return listenAndClose(host, 0);
}

/** The first port of the kernel's ephemeral range (Linux), or the IANA dynamic range's start elsewhere. */
export function ephemeralRangeStart(file = '/proc/sys/net/ipv4/ip_local_port_range'): number {
  try {
    const first = Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > 0 ? first : 49_152;
  } catch {
    return 49_152;
  }
}

async function listensOn(host: string, port: number): Promise<boolean> {
  try {
    return (await listenAndClose(host, port)) === port;
  } catch {
    return false;
  }
}

function listenAndClose(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}
