import type { ConsumerProfile } from '../profiles/consumer';
import { DriverFailed, outcomeFrom, type BookingRequest, type ConsumerDriver, type DriverOutcome } from './driver';

type BookFunction = (request: BookingRequest, spine: Record<string, string>) => Promise<unknown>;

/** `module`: call an exported function of a TypeScript or JavaScript module in-process, with the request and the Spine coordinates. */
export function moduleDriver(driver: ConsumerProfile['driver'], values: Record<string, string>, timeoutMs: number): ConsumerDriver {
  let book: BookFunction | undefined;
  let running: Promise<void> = Promise.resolve();
  return {
    idle: () => running,
    async book(request: BookingRequest): Promise<DriverOutcome> {
      if (!book) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const loaded = require(driver.module!) as Record<string, unknown>;
        const fn = loaded[driver.export ?? 'book'];
        if (typeof fn !== 'function') throw new DriverFailed(`${driver.module} has no function ${driver.export ?? 'book'} to call`);
        book = fn as BookFunction;
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DriverFailed(`${driver.module} did not finish booking within ${timeoutMs} ms`)), timeoutMs)));
      const call = book;
      const work = Promise.resolve().then(() => call(request, values));
      running = work.then(
        () => undefined,
        () => undefined,
      );
      try {
        return outcomeFrom(await Promise.race([work, late]), driver.outcome);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
