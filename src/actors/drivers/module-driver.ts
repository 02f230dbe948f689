import type { ConsumerProfile } from '../profiles/consumer';
import { actionOutcomeFrom, DriverFailed, outcomeFrom, type ConsumerDriver } from './driver';
import type { ActionOutcome, ActionRequest, BookingRequest, DriverOutcome, FollowUpAction } from '../../rules/consumer/judge-context';
import { loadProfileModule } from './module-loader';

type BookFunction = (request: BookingRequest, spine: Record<string, string>) => Promise<unknown>;
interface CreatedConsumer {
  book(request: BookingRequest): Promise<unknown>;
  cancel?(request: ActionRequest): Promise<unknown>;
  amend?(request: ActionRequest): Promise<unknown>;
  retrieve?(request: ActionRequest): Promise<unknown>;
  close?(): Promise<void> | void;
}

/**
 * `module`: a TypeScript or JavaScript module in-process. Either `export` names a function called
 * for each action with the request and the Spine coordinates (the placeholders), or `create` names a
 * factory called once with the coordinates that returns `{ book(request), close?() }`: the consumer
 * the run drives, holding its own sessions. The other actions likewise: the function the profile's
 * `driver.<action>.export` names (default `cancel`, `amend`, `retrieve`), or the created consumer's
 * method of that name, called with the ActionRequest.
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
  /** The function for an action besides booking, loaded once. */
  const actions = new Map<FollowUpAction, (request: ActionRequest) => Promise<unknown>>();
  function loadAction(action: FollowUpAction): (request: ActionRequest) => Promise<unknown> {
    book ??= load();
    const name = driver[action]?.export ?? action;
    if (created) {
      const method = (created as unknown as Record<string, unknown>)[name];
      if (typeof method !== 'function') throw new DriverFailed(`${driver.module}: the consumer ${driver.create}() gave has no ${name}(request) function`);
      return (request) => (method as (r: ActionRequest) => Promise<unknown>).call(created, request);
    }
    const fn = loadProfileModule(driver.module!)[name];
    if (typeof fn !== 'function') throw new DriverFailed(`${driver.module} has no function ${name} to call`);
    return (request) => (fn as (r: ActionRequest, spine: Record<string, string>) => Promise<unknown>)(request, values);
  }
  /** One call with the action timeout, tracked for idle(). */
  async function timed<T>(what: string, work: () => Promise<unknown>, read: (answer: unknown) => T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DriverFailed(`${driver.module} did not finish ${what} within ${timeoutMs} ms`)), timeoutMs)));
    const call = Promise.resolve().then(work);
    running = call.then(
      () => undefined,
      () => undefined,
    );
    try {
      return read(await Promise.race([call, late]));
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    idle: () => running,
    async close() {
      await created?.close?.();
    },
    async book(request: BookingRequest): Promise<DriverOutcome> {
      book ??= load();
      const call = book;
      return timed('booking', () => call(request), (a) => outcomeFrom(a, driver.outcome));
    },
    async act(request: ActionRequest): Promise<ActionOutcome> {
      let fn = actions.get(request.action);
      if (!fn) actions.set(request.action, (fn = loadAction(request.action)));
      const call = fn;
      return timed(request.action === 'retrieve' ? 'retrieving' : `the ${request.action}`, () => call(request), (a) => actionOutcomeFrom(a, request.action, driver));
    },
  };
}
