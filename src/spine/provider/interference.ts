/**
 * What the harness does to the reference provider for one consumer scenario, to create the
 * worked example's alternative paths (gpconnect-spec.md §1, §5.6, §6): another consumer takes the
 * slot just before this one books it (409), the practice system fails (500) or answers too late
 * for the SSP (504). Cleared when Spine in a box resets between scenarios.
 */
import { Header, SpineError } from '../../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import type { ProviderContext } from './context';

export type Interference =
  /** The slots of the next booking are taken by someone else a moment before it arrives. */
  | { kind: 'slot-taken-before-booking' }
  /** Requests for the interaction fail with 500 INTERNAL_SERVER_ERROR. */
  | { kind: 'fails'; interaction: string }
  /** Requests for the interaction are answered only after `delayMs`. */
  | { kind: 'slow'; interaction: string; delayMs: number }
  /** Every JSON answer carries unknown extensions and elements, fullUrl, and an outcome entry in a searchset (tolerance.ts). */
  | { kind: 'noise' };

const internalError = (detail: string) =>
  fhirJson(gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', detail), 500, { [Header.cacheControl]: 'no-store' });

/** Applied before the provider routes a request: a Response to answer instead, or undefined to go on. */
export async function interfere(ctx: ProviderContext, request: Request, interaction: string | undefined): Promise<Response | undefined> {
  for (const interference of ctx.interference ?? []) {
    if (interference.kind === 'slot-taken-before-booking' && request.method === 'POST' && /\/Appointment$/.test(new URL(request.url).pathname)) {
      takeSlotsOf(ctx, await request.clone().text());
      ctx.interference = ctx.interference!.filter((i) => i !== interference);
    }
    if (interference.kind === 'fails' && interference.interaction === interaction) return internalError('the practice system failed (harness interference)');
    if (interference.kind === 'slow' && interference.interaction === interaction) await new Promise((resolve) => setTimeout(resolve, interference.delayMs));
  }
  return undefined;
}

function takeSlotsOf(ctx: ProviderContext, body: string): void {
  let slots: Array<{ reference?: unknown }> = [];
  try {
    slots = (JSON.parse(body) as { slot?: Array<{ reference?: unknown }> }).slot ?? [];
  } catch {
    return;
  }
  for (const s of slots) {
    const id = typeof s.reference === 'string' ? s.reference.replace(/^Slot\//, '') : undefined;
    const slot = id ? ctx.state.slotById(id) : undefined;
    if (slot) slot.status = 'busy';
  }
}
