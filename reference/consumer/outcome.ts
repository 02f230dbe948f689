/** What the reference consumer answers, and how a step that went wrong is told. */

/**
 * The worked example step where things stopped (gpconnect-spec.md §1): 1a PDS trace, 2a SDS
 * endpoint lookup, 2c SDS ASID lookup, 3a CapabilityStatement, 4a Search for free slots, 5a Find a
 * patient, 5c Register a patient (the "no record" alternative), 6a Book an appointment.
 */
export type StepId = '1a' | '2a' | '2c' | '3a' | '4a' | '5a' | '5c' | '6a' | ActionStepId;

/** The actions besides booking (issue 18): read the appointment first, then cancel or amend it; retrieve a patient's appointments. */
export type ActionStepId = 'read' | 'cancel' | 'amend' | 'retrieve';

export interface SlotSummary {
  id: string;
  start: string;
  end: string;
  /** Slot.serviceType.text, Schedule.serviceCategory.text, the delivery channel, the practitioner and location names where the bundle has them. */
  serviceType?: string;
  deliveryChannel?: string;
  practitioner?: string;
  location?: string;
}

export interface BookingError {
  outcome: 'error';
  step: StepId;
  /** The HTTP status of the answer that stopped the booking, when there was one. */
  status?: number;
  /** The Spine/PDS/SDS error code (for the SSP's own refusals, its message, e.g. FOT_CHECK_FAILED_…). */
  code?: string;
  message: string;
}

export type BookingOutcome =
  | { outcome: 'booked'; appointmentId: string; slot: { id: string; start: string; end: string }; patientId: string; registered: boolean }
  | BookingError;

/** One of a patient's appointments as the UI lists it (Retrieve a patient's appointments: the consumer display requirements). */
export interface AppointmentSummary {
  id: string;
  status: string;
  start: string;
  end: string;
  description?: string;
  comment?: string;
  serviceType?: string;
  deliveryChannel?: string;
}

export type ActionResult =
  | { outcome: 'cancelled' | 'amended'; appointmentId: string; appointment: AppointmentSummary }
  | { outcome: 'retrieved'; practice: string; window: { start: string; end: string }; appointments: AppointmentSummary[] }
  | BookingError;

export type SlotsOutcome = { outcome: 'slots'; practice: string; window: { start: string; end: string }; slots: SlotSummary[] } | BookingError;

/** Thrown inside the consumer; turned into a BookingError at the top. */
export class StepFailure extends Error {
  constructor(
    readonly step: StepId,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }

  toOutcome(): BookingError {
    return {
      outcome: 'error',
      step: this.step,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
      message: this.message,
    };
  }
}

type Json = Record<string, any>;

/** The code and text of an OperationOutcome, whoever sent it (PDS R4, SDS, SSP, GP Connect provider). */
export function readOutcome(body: string): { code?: string; text?: string } {
  let parsed: Json;
  try {
    parsed = JSON.parse(body) as Json;
  } catch {
    return { text: body.slice(0, 300) || undefined };
  }
  if (parsed?.resourceType !== 'OperationOutcome') return {};
  const issue = Array.isArray(parsed.issue) ? parsed.issue[0] : undefined;
  const coding = issue?.details?.coding?.[0];
  // The SSP puts the HTTP status in `code` and what went wrong in `display` (gpconnect-spec.md §2.4).
  const sspStyle = typeof coding?.code === 'string' && /^[0-9]{3}$/.test(coding.code);
  const code = sspStyle ? (coding?.display ?? issue?.diagnostics) : coding?.code;
  const text = issue?.diagnostics ?? coding?.display;
  return { code: typeof code === 'string' ? code : undefined, text: typeof text === 'string' ? text : undefined };
}
