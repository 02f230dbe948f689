export const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Until Ctrl-C or SIGTERM. */
export function waitForStop(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * A server command that has closed its server ends now, not when the last keep-alive connection
 * its clients opened times out (a harness stopping it waits for that, once per run). The output
 * already written has a moment to flush.
 */
export function exitOnceClosed(code: number): number {
  setTimeout(() => process.exit(code), 100).unref();
  return code;
}

/** A usage problem with a command's options: printed as it is, exit code 2. */
export class UsageError extends Error {}

/** Loopback only unless asked for by name (never expose a simulated Spine or a reference system by accident). */
export function checkedHost(host: string, allowNonLoopback: boolean | undefined): string {
  if (!LOOPBACK_HOSTS.has(host) && !allowNonLoopback) throw new UsageError(`refusing to bind ${host}: loopback only unless --allow-non-loopback is given`);
  return host;
}

export function portOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number (0-65535), not "${value}"`);
  return n;
}
