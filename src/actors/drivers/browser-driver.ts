import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsumerProfile } from '../profiles/consumer';
import { actionOutcomeFrom, actionValues, DriverFailed, outcomeFrom, requestValues, type ConsumerDriver } from './driver';
import { loadProfileModule } from './module-loader';
import { type ActionOutcome, type ActionRequest, type BookingRequest, type DriverOutcome } from '../../rules/consumer/judge-context';
import { fillTemplate } from './template';

/**
 * What a page-object module exports (profiles/reference-consumer.page.ts is the example): book
 * through the consumer's UI as a person would and return what the user was shown, read with the
 * profile's `driver.outcome` paths. Throwing means the UI could not be driven (DriverFailed).
 */
export type PageObjectBook = (page: Page, request: BookingRequest, context: PageObjectContext) => Promise<unknown>;

/**
 * The page object's function for an action besides booking (export `cancel`, `amend`, `retrieve`, or
 * the profile's `driver.<action>.export`): do it through the UI in the user's session and return what
 * the user was shown, read with the action's outcome paths.
 */
export type PageObjectAction = (page: Page, request: ActionRequest, context: PageObjectContext) => Promise<unknown>;

export interface PageObjectContext {
  /** The profile's `driver.url`, placeholders filled: the page to open. */
  url: string;
}

export interface BrowserDriverOptions {
  /** Where failure screenshots go (default reports/browser, relative to the working directory). */
  screenshotDir?: string;
  /** The browser (default GPC_CHROMIUM, else /usr/bin/chromium: Debian's `chromium` package). */
  executablePath?: string;
}

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** toolchain.md pitfall 13: what makes Debian's chromium start headless as root in a container. */
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-GB'];

/** How long a failure screenshot may take (a hung page must not hang the report). */
const SCREENSHOT_TIMEOUT_MS = 5_000;

interface SessionPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, the last few, for a failure's message. */
  problems: string[];
}

const firstLine = (text: string) => text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;

/**
 * A Playwright error in one line: its first line, and what it was waiting for when its call log
 * says (`locator.waitFor: Timeout 2400ms exceeded.` alone does not name the element).
 */
function playwrightMessage(error: Error): string {
  const first = firstLine(error.message);
  // The call log is coloured for a terminal: drop the escape sequences first.
  // eslint-disable-next-line no-control-regex
  const plain = error.message.replace(/\u001b\[[0-9;]*m/g, '');
  const waiting = plain.split('\n').map((l) => l.trim().replace(/^- /, '')).find((l) => l.startsWith('waiting for '));
  return waiting && !first.includes(waiting) ? `${first} (${waiting})` : first;
}

/** A file name made of the session id: letters, digits, dot, dash and underscore only. */
const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'session';

/**
 * `browser`: drive the consumer's web UI with Playwright (playwright-core) and Debian's chromium,
 * through the page-object module the profile names. One browser per driver (launched on first use),
 * one BrowserContext and Page per user session (BookingRequest.session).
 */
export function browserDriver(driver: ConsumerProfile['driver'], values: Record<string, string>, timeoutMs: number, options: BrowserDriverOptions = {}): ConsumerDriver {
  const moduleName = driver.module!;
  const exportName = driver.export ?? 'book';
  const screenshotDir = options.screenshotDir ?? path.join('reports', 'browser');
  // Playwright's own waits give up a little before the booking as a whole does, so a missing
  // element is reported as that element (with Playwright's message), not as a bare timeout.
  const stepTimeoutMs = Math.max(100, Math.min(Math.round(timeoutMs * 0.8), timeoutMs - 500));
  let launching: Promise<Browser> | undefined;
  const pageObjects = new Map<string, (page: Page, request: never, context: PageObjectContext) => Promise<unknown>>();
  const sessions = new Map<string, Promise<SessionPage>>();
  /** Bookings asked for in each session so far: numbers the screenshots, `<session>-<n>.png`. */
  const bookings = new Map<string, number>();
  let closed = false;

  function launch(): Promise<Browser> {
    launching ??= (async () => {
      const executablePath = options.executablePath ?? process.env.GPC_CHROMIUM ?? DEFAULT_CHROMIUM;
      if (!existsSync(executablePath)) {
        throw new DriverFailed(`no browser at ${executablePath}: install Debian's chromium (apt-get install -y chromium) or set GPC_CHROMIUM to a Chromium executable`);
      }
      try {
        // Loaded here, on first use: Playwright takes half a second to load, and most runs drive no browser.
        const { chromium } = await import('playwright-core');
        const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: Math.max(timeoutMs, 30_000) });
        // A browser that crashed or was killed: the next booking launches another (its sessions are gone with it).
        browser.on('disconnected', () => {
          if (closed) return;
          launching = undefined;
          sessions.clear();
        });
        return browser;
      } catch (error) {
        throw new DriverFailed(`chromium at ${executablePath} did not start: ${firstLine((error as Error).message)} (apt-get install -y chromium installs Debian's)`);
      }
    })();
    // A launch that failed may be tried again by the next booking (the message is the same).
    launching.catch(() => (launching = undefined));
    return launching;
  }

  function loadPageObject(name: string): (page: Page, request: never, context: PageObjectContext) => Promise<unknown> {
    const known = pageObjects.get(name);
    if (known) return known;
    let loaded: Record<string, unknown>;
    try {
      loaded = loadProfileModule(moduleName);
    } catch (error) {
      throw new DriverFailed(`the page object ${moduleName} could not be loaded: ${firstLine((error as Error).message)}`);
    }
    const fn = loaded[name];
    if (typeof fn !== 'function') throw new DriverFailed(`the page object ${moduleName} has no function ${name} to call`);
    pageObjects.set(name, fn as (page: Page, request: never, context: PageObjectContext) => Promise<unknown>);
    return fn as (page: Page, request: never, context: PageObjectContext) => Promise<unknown>;
  }

  function sessionPage(session: string): Promise<SessionPage> {
    let entry = sessions.get(session);
    if (!entry) {
      entry = (async () => {
        const browser = await launch();
        const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        const problems: string[] = [];
        const note = (text: string) => (problems.push(firstLine(text).slice(0, 300)), problems.length > 5 && problems.shift());
        page.on('pageerror', (error) => note(`page error: ${error.message}`));
        page.on('console', (message) => message.type() === 'error' && note(`console: ${message.text()}${message.location().url ? ` (${message.location().url})` : ''}`));
        return { context, page, problems };
      })();
      sessions.set(session, entry);
      entry.catch(() => sessions.delete(session));
    }
    return entry;
  }

  async function screenshot(s: SessionPage, session: string): Promise<string> {
    const file = path.join(screenshotDir, `${fileSafe(session)}-${bookings.get(session) ?? 0}.png`);
    try {
      mkdirSync(screenshotDir, { recursive: true });
      await s.page.screenshot({ path: file, fullPage: true, timeout: SCREENSHOT_TIMEOUT_MS });
      return `screenshot ${file}`;
    } catch (error) {
      return `no screenshot (${firstLine((error as Error).message)})`;
    }
  }

  /** One action through the page object in the user's session: `what` names it in messages ("booking", "the cancel"). */
  async function drive<T>(request: { session: string }, url: string, pageFn: (page: Page, request: never, context: PageObjectContext) => Promise<unknown>, what: string, read: (answer: unknown) => T): Promise<T> {
    const book = pageFn;
    bookings.set(request.session, (bookings.get(request.session) ?? 0) + 1);
    let s = await sessionPage(request.session);
    if (s.page.isClosed()) {
      // The page object (or a crash) closed this session's page: the session goes on in a new one.
      sessions.delete(request.session);
      await s.context.close().catch(() => undefined);
      s = await sessionPage(request.session);
    }
    s.problems.length = 0;
    s.page.setDefaultTimeout(stepTimeoutMs);
    s.page.setDefaultNavigationTimeout(stepTimeoutMs);

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const page = s.page;
    const work = Promise.resolve()
      .then(() => book(page, request as never, { url }))
      .then(
        (answer) => ({ answer }),
        (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
      );
    let result: Awaited<typeof work> | 'late';
    try {
      result = await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }

    const where = () => (s.page.isClosed() ? 'a closed page' : s.page.url());
    const also = () => (s.problems.length > 0 ? `; the page reported: ${s.problems.join(' | ')}` : '');
    if (result === 'late') {
      const shot = await screenshot(s, request.session);
      const message = `the page object ${moduleName} did not finish ${what} within ${timeoutMs} ms (at ${where()}); ${shot}${also()}`;
      // The page object is still running on that page: give the session a fresh one next time.
      sessions.delete(request.session);
      await s.context.close().catch(() => undefined);
      throw new DriverFailed(message);
    }
    if ('error' in result) {
      const shot = await screenshot(s, request.session);
      throw new DriverFailed(`the page object ${moduleName} failed at ${where()}: ${playwrightMessage(result.error)}; ${shot}${also()}`);
    }
    if (result.answer === undefined || result.answer === null || typeof result.answer !== 'object') {
      const shot = await screenshot(s, request.session);
      throw new DriverFailed(`the page object ${moduleName} returned ${JSON.stringify(result.answer) ?? 'nothing'}, not an outcome object; ${shot}`);
    }
    return read(result.answer);
  }

  return {
    async book(request: BookingRequest): Promise<DriverOutcome> {
      if (closed) throw new DriverFailed('the browser driver is closed');
      const url = fillTemplate(driver.url!, requestValues(request, values), { where: 'driver.url' });
      return drive(request, url, loadPageObject(exportName), 'booking', (a) => outcomeFrom(a, driver.outcome));
    },

    async act(request: ActionRequest): Promise<ActionOutcome> {
      if (closed) throw new DriverFailed('the browser driver is closed');
      const spec = driver[request.action];
      const url = fillTemplate(spec?.url ?? driver.url!, actionValues(request, values), { where: spec?.url ? `driver.${request.action}.url` : 'driver.url' });
      return drive(request, url, loadPageObject(spec?.export ?? request.action), request.action === 'retrieve' ? 'retrieving' : `the ${request.action}`, (a) => actionOutcomeFrom(a, request.action, driver));
    },

    async close(): Promise<void> {
      closed = true;
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((entry) => entry.then((s) => s.context.close()).catch(() => undefined)));
      const browser = await launching?.catch(() => undefined);
      launching = undefined;
      await browser?.close().catch(() => undefined);
    },
  };
}
