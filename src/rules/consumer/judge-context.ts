import type { Directory } from '../../spine/directory/directory';
import type { PdsPatient } from '../../spine/directory/model';
import type { BookingRequest, DriverOutcome } from '../../actors/drivers/driver';
import type { ConsumerProfile } from '../../actors/profiles/consumer';
import type { ConsumerTraffic } from './traffic';

/** Everything a consumer rule is judged on: what the harness asked, what the consumer said, and what it sent. */
export interface JudgeContext {
  /** The scenario's traffic, in arrival order. */
  traffic: ConsumerTraffic;
  /** What the harness asked the consumer to do, in order. */
  asked: BookingRequest[];
  /** What the consumer reported for each, in the same order (missing when the driver failed). */
  outcomes: DriverOutcome[];
  identity: ConsumerProfile['identity'];
  /** Spine in a box's directory: the ASIDs and service roots SDS holds. */
  directory: Directory;
  /** The patients PDS holds. */
  patients: PdsPatient[];
  /** Ssp-TraceIDs seen in earlier scenarios of this run (a trace ID is never reused). */
  earlierTraceIds: ReadonlySet<string>;
}

/** One rule: the problems found, each a sentence naming what was expected and what was seen; none means the rule holds. */
export type Judge = (context: JudgeContext) => string[];
