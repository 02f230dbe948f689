import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SpineInABox } from '../../src/spine/spine';
import { browserDriver, DEFAULT_CHROMIUM } from '../../src/actors/drivers/browser-driver';
import { DriverFailed, type ConsumerDriver } from '../../src/actors/drivers/driver';
import { type BookingRequest } from '../../src/rules/consumer/judge-context';
import type { ConsumerProfile } from '../../src/actors/profiles/consumer';
import type { ConsumerConfig } from '../../reference/consumer/config';
import { ReferenceConsumer } from '../../reference/consumer/consumer';
import { startConsumerServer, type RunningConsumerServer } from '../../reference/consumer/server';
// Imported (not only required by path) so that `tsc --noEmit` type-checks the example page object.
import * as referencePage from '../../profiles/reference-consumer.page';
import { referenceConsumerConfig, UCC01 } from '../support/reference-consumer-config';
import { PACKAGE_ROOT } from '../../src/package-root';
import { resolveProfileModule } from '../../src/actors/drivers/module-loader';

const PAGE_OBJECT = path.resolve(PACKAGE_ROOT, 'profiles/reference-consumer.page.ts');
const chromiumPath = process.env.GPC_CHROMIUM ?? DEFAULT_CHROMIUM;
const noBrowser = existsSync(chromiumPath) ? false : `no chromium at ${chromiumPath} (apt-get install -y chromium)`;


/** yyyy-mm-dd in the UK, `days` from today. */
function ukDate(days: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(Date.now() + days * 86_400_000));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const request = (nhsNumber: string, session: string): BookingRequest => ({ nhsNumber, start: ukDate(1), end: ukDate(14), session, organisation: UCC01.ods });

describe('the browser driver, with the reference consumer UI and its page object', { skip: noBrowser }, () => {
  let spine: SpineInABox;
  let server: RunningConsumerServer;
  let work: string;
  let config: ConsumerConfig;
  const drivers: ConsumerDriver[] = [];
  const profileDriver = (module = PAGE_OBJECT): ConsumerProfile['driver'] => ({ kind: 'browser', url: '{consumerUrl}/', module });
  const open = (driver: ConsumerDriver) => (drivers.push(driver), driver);

  before(async () => {
    assert.equal(typeof referencePage.book, 'function');
    work = mkdtempSync(path.join(tmpdir(), 'gpc-browser-'));
    spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
    config = referenceConsumerConfig(spine);
    server = await startConsumerServer({ consumer: new ReferenceConsumer(config) });
  });

  after(async () => {
    await Promise.all(drivers.map((d) => d.close?.()));
    await server?.close();
    await spine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('books for a patient the practice holds through the UI, and the booking goes through the SSP', async () => {
    // A test page object: the reference one, plus the UI's session id, to show the session keeps its page.
    const withSession = path.join(work, 'with-session.page.js');
    writeFileSync(withSession, `const real = require(${JSON.stringify(resolveProfileModule(PAGE_OBJECT))});\nexports.book = async (page, request, context) => ({ ...(await real.book(page, request, context)), uiSession: await page.getAttribute('html', 'data-session') });\n`);
    const driver = open(browserDriver(profileDriver(withSession), { consumerUrl: server.origin }, 20_000, { screenshotDir: path.join(work, 'shots') }));
    spine.journal.clear();
    const outcome = await driver.book(request('9693632109', 'browser-a'));
    assert.equal(outcome.booked, true, JSON.stringify(outcome.raw));
    assert.match(outcome.appointmentId ?? '', /^[A-Za-z0-9.-]+$/);
    await spine.journal.settled();
    const ssp = spine.journal.entries({ service: 'ssp' });
    const booking = ssp.filter((e) => e.method === 'POST' && /\/Appointment$/.test(e.target));
    assert.equal(booking.length, 1, ssp.map((e) => `${e.method} ${e.target}`).join('\n'));
    assert.equal(booking[0].status, 201);

    // A second booking in the same session is made on the same page (the UI's session id is kept).
    const again = await driver.book(request('9693632109', 'browser-a'));
    assert.equal(again.booked, true, JSON.stringify(again.raw));
    assert.notEqual(again.appointmentId, outcome.appointmentId);
    const sessionOf = (raw: unknown) => (raw as { uiSession?: string }).uiSession;
    assert.ok(sessionOf(outcome.raw));
    assert.equal(sessionOf(again.raw), sessionOf(outcome.raw));
    const other = await driver.book(request('9693632109', 'browser-b'));
    assert.notEqual(sessionOf(other.raw), sessionOf(outcome.raw));
  });

  it('shows a restricted patient as an error, and sends no booking', async () => {
    const driver = open(browserDriver(profileDriver(), { consumerUrl: server.origin }, 20_000, { screenshotDir: path.join(work, 'shots') }));
    spine.journal.clear();
    const outcome = await driver.book(request('9000000025', 'browser-restricted'));
    assert.equal(outcome.booked, false);
    assert.ok(outcome.error && outcome.error.length > 0, JSON.stringify(outcome.raw));
    assert.match(outcome.error ?? '', /9000000025.*restricted/);
    assert.deepEqual(outcome.raw, { outcome: 'error', message: outcome.error, step: '1a' });
    await spine.journal.settled();
    assert.deepEqual(spine.journal.entries({ service: 'ssp' }).filter((e) => e.method === 'POST'), []);
  });

  it('chooses the organisation when the UI offers several, and sends it and the session with every request', async () => {
    // A consumer that books from two organisations (a shared MHS), behind a front that records what
    // the page sends and lists the organisations itself (so this works with or without the
    // consumer's own GET /organisations).
    const CHC01 = { ods: 'CHC01', asid: '200000000401', name: 'Northside Clinic', phone: '01632 960 800', type: 'urgent-care' };
    const shared = await startConsumerServer({ consumer: new ReferenceConsumer({ ...config, organisations: [CHC01] }) });
    const seen: Array<{ path: string; session?: string; organisation?: string }> = [];
    const front = http.createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://front.invalid');
      if (url.pathname === '/organisations') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([UCC01, CHC01].map((o) => ({ ods: o.ods, name: o.name }))));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const sent: Record<string, string | undefined> = url.pathname === '/book' ? JSON.parse(body) : Object.fromEntries(url.searchParams);
      if (url.pathname !== '/') seen.push({ path: url.pathname, session: sent.session, organisation: sent.organisation });
      const answer = await fetch(shared.origin + url.pathname + url.search, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.method === 'POST' ? body : undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    try {
      const origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      const driver = open(browserDriver(profileDriver(), { consumerUrl: origin }, 20_000, { screenshotDir: path.join(work, 'shots') }));
      spine.journal.clear();
      const outcome = await driver.book({ ...request('9693632109', 'browser-org'), organisation: 'CHC01' });
      assert.equal(outcome.booked, true, JSON.stringify(outcome.raw));
      await spine.journal.settled();
      const booking = spine.journal.entries({ service: 'ssp' }).filter((e) => e.method === 'POST' && /\/Appointment$/.test(e.target));
      assert.equal(booking.length, 1);
      assert.equal(Object.entries(booking[0].requestHeaders).find(([k]) => k.toLowerCase() === 'ssp-from')?.[1], CHC01.asid, 'booked from CHC01');
      assert.deepEqual(seen.map((s) => [s.path, s.organisation]), [['/slots', 'CHC01'], ['/book', 'CHC01']]);
      assert.match(seen[0].session ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(seen[1].session, seen[0].session);
      await assert.rejects(driver.book({ ...request('9693632109', 'browser-org'), organisation: 'XYZ99' }), (error: Error) => error instanceof DriverFailed && /does not offer organisation XYZ99 \(it offers UCC01, CHC01\)/.test(error.message));
    } finally {
      await new Promise((r) => front.close(r));
      front.closeAllConnections();
      await shared.close();
    }
  });

  it('a page object that cannot find its element fails the driver within the timeout, with a screenshot', async () => {
    const broken = path.join(work, 'broken.page.js');
    writeFileSync(broken, "exports.book = async (page, request, { url }) => { await page.goto(url); await page.locator('#no-such-button').click(); return { outcome: 'booked' }; };\n");
    const shots = path.join(work, 'shots');
    // 6 s for the booking, so 4.8 s for each Playwright step: the page's load may take a second on a
    // loaded machine and still leave the click's own timeout to fire first, naming the locator.
    const driver = open(browserDriver(profileDriver(broken), { consumerUrl: server.origin }, 6_000, { screenshotDir: shots }));
    const started = Date.now();
    await assert.rejects(driver.book(request('9693632109', 'browser/broken 1')), (error: Error) => {
      assert.ok(error instanceof DriverFailed, error.stack);
      assert.match(error.message, new RegExp(`the page object \\S*broken\\.page\\.js failed at ${server.origin}/: locator\\.click: Timeout 4800ms exceeded\\. \\(waiting for locator\\('#no-such-button'\\)\\)`));
      assert.doesNotMatch(error.message, /\n/);
      const shot = /screenshot (\S+\.png)/.exec(error.message)?.[1];
      assert.ok(shot, error.message);
      assert.equal(shot, path.join(shots, 'browser_broken_1-1.png'));
      assert.ok(statSync(shot).size > 1000, `${shot} is a PNG of the page`);
      return true;
    });
    // Bounded: the booking's 6 s, and around it chromium's launch, the screenshot and the context's
    // close, which take seconds of their own on a loaded machine. That the click's timeout ended it
    // is asserted above, exactly.
    assert.ok(Date.now() - started < 6_000 + 6_000, `failed after ${Date.now() - started} ms`);

    // A page object that never finishes: the booking as a whole is bounded, with a screenshot too.
    const hanging = path.join(work, 'hanging.page.js');
    writeFileSync(hanging, 'exports.book = async (page, request, { url }) => { await page.goto(url); return new Promise(() => {}); };\n');
    const stuck = open(browserDriver(profileDriver(hanging), { consumerUrl: server.origin }, 1_500, { screenshotDir: shots }));
    await assert.rejects(stuck.book(request('9693632109', 'browser-hanging')), (error: Error) => {
      assert.ok(error instanceof DriverFailed);
      assert.match(error.message, /hanging\.page\.js did not finish booking within 1500 ms \(at http:.*\); screenshot \S+browser-hanging-1\.png/);
      return true;
    });
    assert.ok(existsSync(path.join(shots, 'browser-hanging-1.png')));
  });

  it('a missing chromium fails the driver naming the path and the package', async () => {
    const saved = process.env.GPC_CHROMIUM;
    process.env.GPC_CHROMIUM = '/nonexistent';
    try {
      const driver = open(browserDriver(profileDriver(), { consumerUrl: server.origin }, 5_000));
      await assert.rejects(driver.book(request('9693632109', 'browser-none')), (error: Error) => error instanceof DriverFailed && /\/nonexistent/.test(error.message) && /apt-get install -y chromium/.test(error.message));
    } finally {
      if (saved === undefined) delete process.env.GPC_CHROMIUM;
      else process.env.GPC_CHROMIUM = saved;
    }
  });
});
