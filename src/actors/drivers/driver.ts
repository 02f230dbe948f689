import type { ConsumerProfile } from '../profiles/consumer';
import type { BookingRequest, DriverOutcome } from '../../rules/consumer/judge-context';

export interface ConsumerDriver {
  book(request: BookingRequest): Promise<DriverOutcome>;
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

export function requestValues(request: BookingRequest, extra: Record<string, string>): Record<string, string> {
  return { ...extra, nhsNumber: request.nhsNumber, start: request.start, end: request.end, session: request.session, organisation: request.organisation, practice: request.practice ?? '' };
}
