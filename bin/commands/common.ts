export const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Until Ctrl-C or SIGTERM. */
export function waitForStop(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
