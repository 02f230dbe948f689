import type { Directory } from '../../spine/directory/directory';
import type { PdsPatient } from '../../spine/directory/model';
import type { ConsumerTraffic } from './traffic';
import type { JournalEntry } from '../../gpconnect/exchange';
import type { Findings } from '../rule';

/** Everything a consumer rule is judged on: what the harness asked, what the consumer said, and what it sent. */
export interface JudgeContext {
  /** The scenario's traffic, in arrival order. */
  traffic: ConsumerTraffic;
  /** What the harness asked the consumer to do, in order. */
  asked: BookingRequest[];
  /** What the consumer reported for each, in the same order (missing when the driver failed). */
  outcomes: DriverOutcome[];
  identity: ConsumerIdentity;
  /** Spine in a box's directory: the ASIDs and service roots SDS holds. */
  directory: Directory;
  /** The patients PDS holds. */
  patients: PdsPatient[];
  /** Ssp-TraceIDs seen in earlier scenarios of this run (a trace ID is never reused). */
  earlierTraceIds: ReadonlySet<string>;
  /** What the consumer's profile declares it does (its `capabilities`), where a rule depends on a MAY. */
  capabilities?: { cachesPdsTrace?: boolean };
  /**
   * The PDS traces the consumer made in earlier scenarios of the run, oldest first: a consumer that
   * caches traces may rely on one instead of tracing again (integration_illustrated.md step 1).
   */
  earlierPdsTraces?: JournalEntry[];
  /** The actions besides booking the harness asked for, in order, each with what the consumer reported (none when the driver failed). */
  actions?: Array<{ request: ActionRequest; outcome?: ActionOutcome }>;
  /**
   * Who was asking from when (ISO times, in order): each request the consumer sent belongs to the
   * user of the last ask made before it arrived. Absent: no user was given (older contexts).
   */
  users?: Array<{ from: string; user: ConsumerUser }>;
}

/**
 * What a judge says about one rule: the findings, each a sentence naming what was expected and what
 * was seen (none: the rule holds), or that the rule was not reached, and why: its situation never
 * arose because the consumer stopped earlier (one mistake, one failure: the rule actually broken fails
 * in its own step). The RuleBook adds the requirement's id, level and source; no finding spells them.
 */
export interface Verdict {
  findings: Findings;
  notReached?: string;
  /** With notReached: whether a refused exchange stopped the consumer, or only its own report (judges-common.ts whyStopped). */
  stoppedBy?: 'refusal' | 'report';
}

/** One rule, judged on what the consumer did. */
export type Judge = (context: JudgeContext) => Verdict;

/** What the harness asks the consumer to do: book an appointment for this patient, in this window. */
export interface BookingRequest {
  nhsNumber: string;
  /** yyyy-mm-dd, UK local date. */
  start: string;
  end: string;
  /**
   * The user's session: one per scenario unless the scenario starts another. A consumer may reuse SDS
   * answers and the CapabilityStatement within a session (worked example steps 2-3), never SDS
   * answers across sessions (§2.7); a cached PDS trace may be reused at any time
   * (integration_illustrated.md, step 1).
   */
  session: string;
  /** ODS code of the organisation the booking is made from (a shared MHS or portal serves several); the profile's identity.ods by default. */
  organisation: string;
  /**
   * ODS code of the practice the user chose to book into, when it is not the one PDS gives (an
   * urgent care centre, a hub: appointments_service_discovery.md "Booking into other practices",
   * from local configuration or the DoS); absent, the booking is at the registered practice.
   */
  practice?: string;
  /** The user asking (logged on in the session): their JWTs name this user (CONS-JWT-USER). The harness always gives one. */
  user?: ConsumerUser;
}

/**
 * The user on whose behalf the harness asks the consumer to act: a synthetic user of the consumer
 * system, one per scenario unless the scenario has another user act, or the one fixed user the
 * profile declares (identity.user). requesting_practitioner names them: the local identifier is `id`,
 * the SDS user and role profile ids are theirs when they are logged on with a smartcard, else UNK
 * (integration_cross_organisation_audit_and_provenance: "The values SHALL represent the logged on user").
 */
export interface ConsumerUser {
  /** Their unique id in the consumer system (a user id or logon name): the local identifier's value. */
  id: string;
  family?: string;
  given?: string;
  /** From their NHS smartcard; absent when they are logged on without one (the JWT then says UNK). */
  sdsUserId?: string;
  sdsRoleProfileId?: string;
}

/** What the consumer says happened (read from its answer through the profile's `driver.outcome`). */
export interface DriverOutcome {
  booked: boolean;
  appointmentId?: string;
  /** The error the consumer showed, when it did not book. */
  error?: string;
  /** The answer as the consumer gave it, for the report. */
  raw: unknown;
}

/** Who the consumer under test is: its ASID and ODS code, and the organisations it books for when it serves several. */
export interface ConsumerIdentity {
  asid: string;
  ods: string;
  organisations?: Array<{ ods: string; asid: string }>;
  /** The one user the consumer always acts as, when its driver cannot choose one: then the user every JWT must name. */
  user?: ConsumerUser;
}

/** What a consumer can be asked to do besides booking (issue 18): a profile declares which in `actions`. */
export const CONSUMER_ACTIONS = ['book', 'cancel', 'amend', 'retrieve'] as const;
export type ConsumerAction = (typeof CONSUMER_ACTIONS)[number];
/** The actions other than booking, each with a driver template of its own. */
export type FollowUpAction = Exclude<ConsumerAction, 'book'>;
export const FOLLOW_UP_ACTIONS: readonly FollowUpAction[] = ['cancel', 'amend', 'retrieve'];

/**
 * What the harness asks the consumer to do after (or besides) booking, in the booking's shape: the
 * patient, the session and organisation; for cancel and amend the appointment (the id the consumer
 * reported when it booked it); for amend the new description and comment; for cancel the reason;
 * for retrieve the date range (UK dates, yyyy-mm-dd).
 */
export interface ActionRequest {
  action: FollowUpAction;
  nhsNumber: string;
  session: string;
  organisation: string;
  practice?: string;
  appointmentId?: string;
  description?: string;
  comment?: string;
  reason?: string;
  start?: string;
  end?: string;
  /** The user asking, as for a booking. */
  user?: ConsumerUser;
}

/** What the consumer says happened to an action (read through the profile's driver outcome paths). */
export interface ActionOutcome {
  /** The consumer reports the action done (cancelled, amended, retrieved). */
  done: boolean;
  /** For retrieve: the appointment ids it listed, when its answer gives them. */
  appointmentIds?: string[];
  error?: string;
  raw: unknown;
}
