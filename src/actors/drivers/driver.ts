import type { ConsumerProfile } from '../profiles/consumer';
import type { ActionOutcome, ActionRequest, BookingRequest, ConsumerUser, DriverOutcome, FollowUpAction } from '../../rules/consumer/judge-context';

export interface ConsumerDriver {
  book(request: BookingRequest): Promise<DriverOutcome>;
  /** Cancel, amend or retrieve (issue 18): the profile's template for that action (driver.cancel, driver.amend, driver.retrieve). */
  act(request: ActionRequest): Promise<ActionOutcome>;
  close?(): Promise<void>;
  /**
   * Resolves once no booking the harness asked for is still running in the consumer, even one it
   * stopped waiting for (a timed-out action); for drivers that can tell (module).
   */
  idle?(): Promise<void>;
}

/** The consumer could not be made to act at all (its hook refused, hung, answered garbage): the scenario is broken, with the reason. */
export class DriverFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverFailed';
  }
}

/** Read an answer by the profile's outcome paths; by default `{ outcome: 'booked', appointmentId, message }`, the reference consumer's shape. */
export function outcomeFrom(answer: unknown, spec: ConsumerProfile['driver']['outcome'] = {}): DriverOutcome {
  const at = (dotted: string) => dotted.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), answer);
  const bookedValue = at(spec.bookedPath ?? 'outcome');
  const booked = spec.bookedValue === undefined && spec.bookedPath !== undefined ? Boolean(bookedValue) : bookedValue === (spec.bookedValue ?? 'booked');
  const id = at(spec.appointmentIdPath ?? 'appointmentId');
  const error = at(spec.errorPath ?? 'message');
  return { booked, appointmentId: typeof id === 'string' ? id : undefined, error: typeof error === 'string' ? error : undefined, raw: answer };
}

/**
 * The consumer's report in an answer, when it carries one: the outcome path (or the error path) is
 * there. An HTTP hook that answers 502 with `{"outcome":"error","message":…}` when the practice
 * refused has reported, as ordinary REST practice has it: its status is not the harness's business.
 */
export function reportIn(answer: unknown, spec: ConsumerProfile['driver']['outcome'] = {}): DriverOutcome | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const at = (dotted: string) => dotted.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), answer);
  // The outcome field itself, not only a message: a web framework's crash page in JSON carries a
  // `message` too, and a hook that crashed has reported nothing.
  if (at(spec.bookedPath ?? 'outcome') === undefined) return undefined;
  return outcomeFrom(answer, spec);
}

/**
 * The user placeholders: {userId} (their id in the consumer system), {userFamily} {userGiven}
 * {userName} ("given family"), {userSdsId} {userRoleProfileId} (empty without a smartcard).
 */
export function userValues(user: ConsumerUser | undefined): Record<string, string> {
  return {
    userId: user?.id ?? '',
    userFamily: user?.family ?? '',
    userGiven: user?.given ?? '',
    userName: [user?.given, user?.family].filter(Boolean).join(' '),
    userSdsId: user?.sdsUserId ?? '',
    userRoleProfileId: user?.sdsRoleProfileId ?? '',
  };
}

export function requestValues(request: BookingRequest, extra: Record<string, string>): Record<string, string> {
  return { ...extra, nhsNumber: request.nhsNumber, start: request.start, end: request.end, session: request.session, organisation: request.organisation, practice: request.practice ?? '', ...userValues(request.user) };
}

/** The profile's template for one action besides booking (driver.cancel, driver.amend, driver.retrieve). */
export type ActionSpec = NonNullable<ConsumerProfile['driver'][FollowUpAction]>;

/** What the consumer answers when it has done each action, unless the profile says otherwise (`doneValue`). */
export const DONE_VALUES: Readonly<Record<FollowUpAction, string>> = { cancel: 'cancelled', amend: 'amended', retrieve: 'retrieved' };

/**
 * Read an action's answer as a booking's is read: the done path (default: the booking's outcome path,
 * else `outcome`) holding the done value (default `cancelled`, `amended`, `retrieved`), the error
 * path, and for retrieve the appointments listed (default `appointments`: ids, or objects with `id`).
 */
export function actionOutcomeFrom(answer: unknown, action: FollowUpAction, driver: ConsumerProfile['driver']): ActionOutcome {
  const spec = driver[action]?.outcome ?? {};
  const at = (dotted: string) => dotted.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), answer);
  const value = at(spec.donePath ?? driver.outcome?.bookedPath ?? 'outcome');
  const done = spec.doneValue === undefined && spec.donePath !== undefined ? Boolean(value) : value === (spec.doneValue ?? DONE_VALUES[action]);
  const error = at(spec.errorPath ?? driver.outcome?.errorPath ?? 'message');
  const listed = at(spec.appointmentIdsPath ?? 'appointments');
  const appointmentIds = Array.isArray(listed) ? listed.flatMap((a) => (typeof a === 'string' ? [a] : a && typeof a === 'object' && typeof (a as { id?: unknown }).id === 'string' ? [(a as { id: string }).id] : [])) : undefined;
  return { done, ...(appointmentIds ? { appointmentIds } : {}), error: typeof error === 'string' ? error : undefined, raw: answer };
}

/** An action's answer that carries its report (the done path or the error path is there), as reportIn for bookings. */
export function actionReportIn(answer: unknown, action: FollowUpAction, driver: ConsumerProfile['driver']): ActionOutcome | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const at = (dotted: string) => dotted.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), answer);
  if (at(driver[action]?.outcome?.donePath ?? driver.outcome?.bookedPath ?? 'outcome') === undefined) return undefined;
  return actionOutcomeFrom(answer, action, driver);
}

/** The placeholders of an action's templates: the start placeholders and the request's fields (empty where the action has none). */
export function actionValues(request: ActionRequest, extra: Record<string, string>): Record<string, string> {
  return {
    ...extra,
    action: request.action,
    nhsNumber: request.nhsNumber,
    session: request.session,
    organisation: request.organisation,
    practice: request.practice ?? '',
    appointmentId: request.appointmentId ?? '',
    description: request.description ?? '',
    comment: request.comment ?? '',
    reason: request.reason ?? '',
    start: request.start ?? '',
    end: request.end ?? '',
    ...userValues(request.user),
  };
}

/** The profile does not say how to make the consumer do this action: a profile error, named. */
export function noActionTemplate(action: FollowUpAction, field: string): DriverFailed {
  return new DriverFailed(`the profile's driver has no ${action}.${field}: it cannot make the consumer ${action} (declare the action only with its template)`);
}
