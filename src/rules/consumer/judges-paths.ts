/** Consumer judges of the alternative paths and of what the consumer reports (§1, §2.4, §5.6, §6). */
import { Header, Interaction } from '../../gpconnect/constants';
import type { Judge, JudgeContext } from './judge-context';
import { analyse, describeOutcome, errorShown, found, neverArose, isCreate, isSlotSearch, parseAnswer, parseJson, slotIdsOf, type Booking, type Req } from './judges-common';

/** The same request again: verb, target and interaction (and body). */
const sameRequest = (a: Req, b: Req) => a.entry.method === b.entry.method && a.target === b.target && a.interactionHeader === b.interactionHeader;

function appointmentIdOf(req: Req): string | undefined {
  const body = parseAnswer(req.entry.responseBody);
  if (body?.resourceType === 'Appointment' && typeof body.id === 'string') return body.id;
  const location = Object.entries(req.entry.responseHeaders).find(([k]) => k.toLowerCase() === Header.location.toLowerCase())?.[1];
  return location?.match(/\/Appointment\/([^/]+)/)?.[1];
}

export const bookConflict: Judge = (ctx) => {
  const a = analyse(ctx);
  const conflicts = a.requests.filter((r) => isCreate(r) && r.entry.status === 409);
  if (!a.requests.some(isCreate)) return neverArose(a, '(6a Book an appointment, POST /Appointment): the consumer sent no booking through the SSP, so the situation never arose');
  if (conflicts.length === 0) return found([`(6a Book an appointment, POST /Appointment): no booking was answered 409, so the situation never arose`]);
  const problems: string[] = [];
  for (const c of conflicts) {
    const taken = slotIdsOf(parseJson(c.entry.requestBody));
    const again = a.requests.filter((r) => isCreate(r) && r.at > c.at && slotIdsOf(parseJson(r.entry.requestBody)).some((s) => taken.includes(s)));
    for (const r of again) problems.push(`${r.label}: Slot/${taken.join(', Slot/')} was answered 409 (taken), expected it never to be booked again, but the consumer sent it again`);
    const b: Booking = a.bookings[c.booking];
    if (errorShown(b.outcome)) continue;
    const search = a.requests.find((r) => isSlotSearch(r) && r.at > c.at && r.booking === c.booking);
    const booked = a.requests.find((r) => isCreate(r) && r.entry.status === 201 && search !== undefined && r.at > search.at && r.booking === c.booking && !slotIdsOf(parseJson(r.entry.requestBody)).some((s) => taken.includes(s)));
    if (!(b.outcome?.booked && booked)) {
      problems.push(`${c.label}: the slot was taken (409), expected the error shown or a fresh search and another slot booked, saw ${search ? 'a fresh search' : 'no fresh search'}, ${booked ? 'another slot booked' : 'no other slot booked'}, and the consumer reported ${describeOutcome(b.outcome)}`);
    }
  }
  return found(problems);
};

export const outcomeShown: Judge = (ctx) => {
  const a = analyse(ctx);
  const problems: string[] = [];
  for (const b of a.bookings) {
    const created = b.requests.filter((r) => isCreate(r) && r.entry.status === 201);
    const label = created[0]?.label ?? '(6a Book an appointment, POST /Appointment)';
    if (!b.outcome) {
      problems.push(`${label}: ${b.name} has no outcome: the consumer reported nothing`);
      continue;
    }
    if (created.length > 0) {
      const ids = created.map(appointmentIdOf).filter((x): x is string => Boolean(x));
      if (!b.outcome.booked || !b.outcome.appointmentId || !ids.includes(b.outcome.appointmentId)) {
        problems.push(`${label}: the provider answered 201 with Appointment/${ids.join(', Appointment/') || '?'}, expected the consumer to report that booking, but it reported ${describeOutcome(b.outcome)}`);
      }
    } else if (!errorShown(b.outcome)) {
      const last = b.requests[b.requests.length - 1];
      problems.push(`${last?.label ?? `(${b.name})`}: no booking was answered 201${last ? ` (the last request was answered ${last.entry.status})` : ''}, expected not booked with the error shown, but the consumer reported ${describeOutcome(b.outcome)}`);
    }
  }
  return found(problems);
};

export const sspRefusal: Judge = (ctx) => {
  const a = analyse(ctx);
  const refused = a.requests.filter((r) => r.entry.status === 403);
  if (a.requests.length === 0) return neverArose(a, 'the consumer sent no request through the SSP, so the situation never arose');
  if (refused.length === 0) return found([`no request was refused by the SSP with 403, so the situation never arose`]);
  const problems: string[] = [];
  const reported = new Set<number>();
  for (const r of refused) {
    if (refused.some((e) => e.at < r.at && sameRequest(e, r))) continue; // counted with the first refusal
    const again = a.requests.filter((x) => x.at > r.at && sameRequest(x, r));
    if (again.length > 0) problems.push(`${r.label}: the SSP refused it with 403, expected it never to be sent again, but the consumer sent it ${again.length} more time(s)`);
    // A refused cancel, amend or retrieve (issue 18) is reported by that action's outcome, not the booking's.
    const action = actionOf(ctx, r);
    if (action) {
      const outcome = action.outcome;
      if (!reported.has(-1 - ctx.actions!.indexOf(action)) && !(outcome && !outcome.done && typeof outcome.error === 'string' && outcome.error.trim() !== '')) {
        reported.add(-1 - ctx.actions!.indexOf(action));
        problems.push(`${r.label}: the SSP refused it with 403, expected the ${action.request.action} not done with the error shown, but the consumer reported ${outcome ? (outcome.done ? 'it done' : 'no error') : 'nothing (the driver failed)'}`);
      }
      continue;
    }
    const b = a.bookings[r.booking];
    if (!reported.has(b.index) && !errorShown(b.outcome)) {
      reported.add(b.index);
      problems.push(`${r.label}: the SSP refused it with 403, expected not booked with the error shown, but the consumer reported ${describeOutcome(b.outcome)}`);
    }
  }
  return found(problems);
};

/** The action asked for (cancel, amend, retrieve) a request belongs to, by its interaction: the last of that kind. */
function actionOf(ctx: JudgeContext, r: Req): NonNullable<JudgeContext['actions']>[number] | undefined {
  const kinds: Array<[string, string]> = [
    [Interaction.cancelAppointment, 'cancel'],
    [Interaction.updateAppointment, 'amend'],
    [Interaction.searchPatientAppointments, 'retrieve'],
  ];
  const wanted = kinds.filter(([interaction]) => r.interactions.includes(interaction) || r.interactionHeader === interaction).map(([, kind]) => kind);
  return [...(ctx.actions ?? [])].reverse().find((x) => wanted.includes(x.request.action));
}

/** The most automated resends of a failed request (CORE: back off, at most 3 retries). */
export const MAX_RETRIES = 3;
/**
 * A provider failure as the consumer sees it: 500 from the provider, 502 or 504 from the SSP, or 599,
 * which Spine Core allows for a timeout (FHIR-SpineCore ssp_implementation_guide.md: "504 … or 599").
 * Only the status is read: no consumer is judged on the SSP's wording or issue code (review C1).
 */
const PROVIDER_ERRORS = [500, 502, 504, 599];

export const providerError: Judge = (ctx) => {
  const a = analyse(ctx);
  const failed = a.requests.filter((r) => PROVIDER_ERRORS.includes(r.entry.status));
  if (a.requests.length === 0) return neverArose(a, 'the consumer sent no request through the SSP, so the situation never arose');
  if (failed.length === 0) return found([`no request was answered 500, 502, 504 or 599, so the situation never arose`]);
  const problems: string[] = [];
  const reported = new Set<number>();
  for (const r of failed) {
    if (failed.some((e) => e.at < r.at && sameRequest(e, r) && e.entry.requestBody === r.entry.requestBody)) continue;
    const resent = a.requests.filter((x) => x.at > r.at && sameRequest(x, r) && x.entry.requestBody === r.entry.requestBody);
    if (resent.length > MAX_RETRIES) problems.push(`${r.label}: answered ${r.entry.status}, expected at most ${MAX_RETRIES} automated retries, saw ${resent.length}`);
    const b = a.bookings[r.booking];
    const laterBooked = a.requests.some((x) => isCreate(x) && x.at > r.at && x.booking === r.booking && x.entry.status === 201);
    if (!reported.has(b.index) && !(laterBooked && b.outcome?.booked) && !errorShown(b.outcome)) {
      reported.add(b.index);
      problems.push(`${r.label}: answered ${r.entry.status}, expected the error shown (no later booking succeeded), but the consumer reported ${describeOutcome(b.outcome)}`);
    }
  }
  return found(problems);
};
