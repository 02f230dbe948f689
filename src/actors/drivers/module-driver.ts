import type { ConsumerProfile } from '../profiles/consumer';
import { DriverFailed, outcomeFrom, type ConsumerDriver } from './driver';
import type { BookingRequest, DriverOutcome } from '../../rules/consumer/judge-context';
import { loadProfileModule } from './module-loader';

type BookFunction = (request: BookingRequest, spine: Record<string, string>) => Promise<unknown>;
interface CreatedConsumer {
  book(request: BookingRequest): Promise<unknown>;
  close?(): Promise<void> | void;
}

/**
 * `module`: a TypeScript or JavaScript module in-process. Either `export` names a function called
 * for each action with the request and the Spine coordinates (the placeholders), or `create` names a
 * factory called once with the coordinates that returns `{ book(request), close?() }`: the consumer
 * the run drives, holding its own sessions.
 */
export function moduleDriver(driver: ConsumerProfile['driver'], values: Record<string, string>, timeoutMs: number): ConsumerDriver {
  let book: ((request: BookingRequest) => Promise<unknown>) | undefined;
  let created: CreatedConsumer | undefined;
  let running: Promise<void> = Promise.resolve();
  function load(): (request: BookingRequest) => Promise<unknown> {
    let loaded: Record<string, unknown>;
    try {
      loaded = loadProfileModule(driver.module!);
    } catch (error) {
      throw new DriverFailed(`${driver.module} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
    }
    if (driver.create !== undefined) {
      const factory = loaded[driver.create];
      if (typeof factory !== 'function') throw new DriverFailed(`${driver.module} has no function ${driver.create} to create the consumer with`);
      created = (factory as (values: Record<string, string>) => CreatedConsumer)(values);
      if (!created || typeof created.book !== 'function') throw new DriverFailed(`${driver.module}: ${driver.create}() gave no object with a book(request) function`);
      return (request) => created!.book(request);
    }
    const fn = loaded[driver.export ?? 'book'];
    if (typeof fn !== 'function') throw new DriverFailed(`${driver.module} has no function ${driver.export ?? 'book'} to call`);
    return (request) => (fn as BookFunction)(request, values);
  }
  return {
    idle: () => running,
    async close() {
      await created?.close?.();
    },
    async book(request: BookingRequest): Promise<DriverOutcome> {
      book ??= load();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DriverFailed(`${driver.module} did not finish booking within ${timeoutMs} ms`)), timeoutMs)));
      const call = book;
      const work = Promise.resolve().then(() => call(request));
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
