/**
 * Page object for the reference consumer's web UI (reference/consumer/ui.ts): how the harness's
 * `browser` driver books an appointment through a consumer's screens, as a person would.
 *
 * COPY THIS FILE FOR YOUR CONSUMER. Name it in your consumer profile:
 *
 *   driver:
 *     kind: browser
 *     url: "http://127.0.0.1:{port}/"        # the page to open; placeholders as for every driver
 *     module: ./my-consumer.page.ts          # this file, relative to the profile
 *     # export: book                         # the function to call (default `book`)
 *     # outcome: { bookedPath: ..., ... }    # only if you return another shape than below
 *
 * The contract (src/actors/drivers/browser-driver.ts, type PageObjectBook):
 *
 *   export async function book(page: Page, request: BookingRequest, context: { url: string }): Promise<unknown>
 *
 *   - `page` is a Playwright Page (playwright-core), opened in a browser context that belongs to the
 *     user's session (`request.session`): a second booking in the same session gets the same page,
 *     still showing whatever your last booking left on it; another session gets a fresh context
 *     (no cookies, no storage). Log in here if your consumer needs it (once per session).
 *   - `request` is what the harness wants booked: nhsNumber, start and end (yyyy-mm-dd, UK dates),
 *     session, organisation (the ODS code the booking is made from), and user: the user asking
 *     ({ id, family, given, sdsUserId?, sdsRoleProfileId? }, the SDS ids absent when they log on
 *     without a smartcard). Log on as that user: the consumer's JWTs must name them (CONS-JWT-USER).
 *     The reference UI takes the user from its address (loggedOnUrl below); yours will have a log-on.
 *   - `context.url` is the profile's `driver.url` with its placeholders filled.
 *   - Return what the user was shown, as an object. By default the harness reads
 *     `{ outcome: 'booked', appointmentId }` as booked and `message` as the error shown; otherwise
 *     tell it where to look with the profile's `driver.outcome` paths.
 *   - Throw (or let Playwright throw) when the UI cannot be driven at all: a missing element, a page
 *     that does not load. The harness reports that as a broken scenario (not a conformance failure)
 *     with the page's URL, the first line of the error and a screenshot under reports/browser/.
 *     A consumer that *shows* an error is not broken: return the error, as below.
 *   - Cancel, amend and retrieve (a profile declaring `actions: [book, cancel, amend, retrieve]`) are
 *     functions of the same kind, one export per action (or the profile's driver.<action>.export):
 *
 *       export async function cancel(page, request: ActionRequest, context): Promise<unknown>
 *       export async function amend(page, request: ActionRequest, context): Promise<unknown>
 *       export async function retrieve(page, request: ActionRequest, context): Promise<unknown>
 *
 *     `request` has the patient, session and organisation as for booking, and appointmentId (the
 *     id your consumer reported when it booked) and reason (cancel), appointmentId, description and
 *     comment (amend), start and end (retrieve). Return `{ outcome: 'cancelled' | 'amended' |
 *     'retrieved' }` (retrieve: with `appointments`, the ids or objects with an id listed), or the
 *     error shown as for booking; `driver.<action>.outcome` paths say otherwise.
 *   - Every Playwright wait already has a default timeout a little below the profile's
 *     timeouts.actionSeconds, so there is no need to pass timeouts, and no need for sleeps: wait for
 *     what the user would wait for (an element appearing), never for a fixed time.
 */
import type { Page } from 'playwright-core';
import type { ActionRequest, BookingRequest, ConsumerUser } from '../src/rules/consumer/judge-context';

/** What the reference consumer answers (its BookingOutcome): the harness's default outcome shape. */
export type PageOutcome = { outcome: 'booked'; appointmentId: string } | { outcome: 'error'; message: string; step?: string };

export async function book(page: Page, request: BookingRequest, context: { url: string }): Promise<PageOutcome> {
  // 1. Open the consumer, unless this session's page already shows it. The reference UI keeps its
  //    session id in the page (one per page load), so reloading would start a new user session;
  //    staying on the page is what a person booking a second appointment would do.
  //    The user logs on by opening it (the reference UI's stand-in for a log-on screen).
  const url = loggedOnUrl(context.url, request.user);
  const form = page.locator('#search-form');
  if (!sameDocument(page.url(), url) || (await form.count()) === 0) {
    await page.goto(url);
  }

  // 2. Wait until the page is ready: #find-slots stays disabled until the UI knows which
  //    organisations it books from (GET /organisations, answered or failed).
  await page.locator('#find-slots:enabled').waitFor();

  // 3. Choose the organisation the booking is made from, when the UI offers a choice (a shared MHS
  //    or portal). With a single organisation the select stays hidden and the consumer uses its own.
  const organisation = page.locator('#organisation');
  if (await organisation.isVisible()) {
    const offered = await organisation.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    if (!offered.includes(request.organisation)) {
      throw new Error(`the consumer does not offer organisation ${request.organisation} (it offers ${offered.join(', ')})`);
    }
    await organisation.selectOption(request.organisation);
  }

  // 4. Fill in the patient and the search window, then search. fill() replaces what is there, so
  //    nothing is left over from an earlier booking in the same session. Date inputs take yyyy-mm-dd.
  await page.locator('#nhs-number').fill(request.nhsNumber);
  if (request.start && request.end) {
    await page.locator('#start').fill(request.start);
    await page.locator('#end').fill(request.end);
  }
  await page.locator('#find-slots').click();

  // 5. The search ends with free slots listed or an error shown (the UI shows "no free slots" as an
  //    error too). Wait for whichever comes first; the old list and error were cleared on submit.
  const slot = page.locator('#slots button[data-slot-id]');
  const error = page.locator('#error');
  await slot.or(error).filter({ visible: true }).first().waitFor();
  if (await error.isVisible()) return shownError(page);

  // 6. Book the first free slot, as the harness's scenarios expect (they set the slots up).
  await slot.first().click();

  // 7. Wait for the confirmation or an error, and return what the user was shown.
  const confirmation = page.locator('#confirmation');
  await confirmation.or(error).filter({ visible: true }).first().waitFor();
  if (await error.isVisible()) return shownError(page);
  const appointmentId = await confirmation.getAttribute('data-appointment-id');
  if (!appointmentId) throw new Error('#confirmation is shown without a data-appointment-id');
  return { outcome: 'booked', appointmentId };
}

/** What the reference consumer shows after a cancel, an amendment or a retrieve (its ActionResult, in part). */
export type ActionPageOutcome = { outcome: 'cancelled' | 'amended'; appointmentId: string } | { outcome: 'retrieved'; appointments: string[] } | { outcome: 'error'; message: string; step?: string };

/** Open the consumer (unless this session's page shows it), wait until it is ready, choose the organisation. */
async function openFor(page: Page, request: { organisation: string; user?: ConsumerUser }, consumerUrl: string): Promise<void> {
  const url = loggedOnUrl(consumerUrl, request.user);
  if (!sameDocument(page.url(), url) || (await page.locator('#search-form').count()) === 0) await page.goto(url);
  await page.locator('#list-appointments:enabled').waitFor();
  const organisation = page.locator('#organisation');
  if (await organisation.isVisible()) await organisation.selectOption(request.organisation);
}

/** List the patient's appointments (the date range when given, else the consumer's own); the list, or the error shown. */
async function listAppointments(page: Page, request: ActionRequest): Promise<'listed' | PageOutcomeError> {
  await page.locator('#nhs-number').fill(request.nhsNumber);
  await page.locator('#start').fill(request.start ?? '');
  await page.locator('#end').fill(request.end ?? '');
  await page.locator('#list-appointments').click();
  const list = page.locator('#appointments[data-loaded="true"]');
  const error = page.locator('#error');
  await list.or(error.filter({ visible: true })).first().waitFor();
  return (await error.isVisible()) ? ((await shownError(page)) as PageOutcomeError) : 'listed';
}

type PageOutcomeError = Extract<PageOutcome, { outcome: 'error' }>;

export async function retrieve(page: Page, request: ActionRequest, context: { url: string }): Promise<ActionPageOutcome> {
  await openFor(page, request, context.url);
  const listed = await listAppointments(page, request);
  if (listed !== 'listed') return listed;
  const ids = await page.locator('#appointments li[data-appointment-id]').evaluateAll((items) => items.map((i) => i.getAttribute('data-appointment-id') ?? ''));
  return { outcome: 'retrieved', appointments: ids };
}

export async function cancel(page: Page, request: ActionRequest, context: { url: string }): Promise<ActionPageOutcome> {
  await openFor(page, request, context.url);
  // The appointment is found as a person would find it: in the patient's list (the consumer's own range).
  const listed = await listAppointments(page, { ...request, start: undefined, end: undefined });
  if (listed !== 'listed') return listed;
  await page.locator('#cancel-reason').fill(request.reason ?? '');
  await page.locator(`#appointments button[data-cancel-id="${request.appointmentId}"]`).click();
  return changeShown(page, 'cancelled');
}

export async function amend(page: Page, request: ActionRequest, context: { url: string }): Promise<ActionPageOutcome> {
  await openFor(page, request, context.url);
  const listed = await listAppointments(page, { ...request, start: undefined, end: undefined });
  if (listed !== 'listed') return listed;
  await page.locator(`#appointments button[data-amend-id="${request.appointmentId}"]`).click();
  if (request.description) await page.locator('#amend-description').fill(request.description);
  if (request.comment) await page.locator('#amend-comment').fill(request.comment);
  await page.locator('#amend-save').click();
  return changeShown(page, 'amended');
}

/** The result of a cancel or an amendment, or the error shown. */
async function changeShown(page: Page, outcome: 'cancelled' | 'amended'): Promise<ActionPageOutcome> {
  const result = page.locator(`#action-result[data-outcome="${outcome}"]`);
  const error = page.locator('#error');
  await result.or(error.filter({ visible: true })).first().waitFor();
  if (await error.isVisible()) return (await shownError(page)) as PageOutcomeError;
  return { outcome, appointmentId: (await result.getAttribute('data-appointment-id')) ?? '' };
}

/** The error the UI shows: its text and the worked-example step it names. */
async function shownError(page: Page): Promise<PageOutcome> {
  const error = page.locator('#error');
  const message = (await error.innerText()).trim();
  const step = (await error.getAttribute('data-step')) ?? undefined;
  return { outcome: 'error', message, ...(step ? { step } : {}) };
}

/** The same page, ignoring the fragment. */
/** The reference UI's address for a user: it takes the user logged on from its query (reference/consumer/ui.ts). */
function loggedOnUrl(consumerUrl: string, user: ConsumerUser | undefined): string {
  if (!user) return consumerUrl;
  const url = new URL(consumerUrl);
  const fields: Array<[string, string | undefined]> = [['userId', user.id], ['userFamily', user.family], ['userGiven', user.given], ['userSdsId', user.sdsUserId], ['userRoleProfileId', user.sdsRoleProfileId]];
  for (const [name, value] of fields) if (value) url.searchParams.set(name, value);
  return url.href;
}

function sameDocument(current: string, wanted: string): boolean {
  try {
    const a = new URL(current);
    const b = new URL(wanted);
    return a.origin === b.origin && a.pathname === b.pathname && a.search === b.search;
  } catch {
    return false;
  }
}
