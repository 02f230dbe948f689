import { createHash, randomUUID } from 'node:crypto';
import { Header, Interaction } from '../../gpconnect/constants';
import type { ActionOutcome, ActionRequest, BookingRequest, ConsumerUser, DriverOutcome, FollowUpAction } from '../../rules/consumer/judge-context';
import { headerValue, type JournalEntry } from '../../gpconnect/exchange';
import type { ConsumerSystem } from '../sut/consumer-system';
import { defaultOrganisation } from '../sut/consumer-topology';
import { addDays, ukToday } from '../../gpconnect/dates';
import type { JudgeContext, Verdict } from '../../rules/consumer/judge-context';
import { judgeRule } from '../../rules/consumer/judges';
import type { Findings } from '../../rules/rule';
import { ConsumerTraffic } from '../../rules/consumer/traffic';

/**
 * The consumer booked nothing, so a scenario about cancelling, amending or retrieving that booking
 * cannot go on: the system under test's doing, not the harness's (broken, src/results/verdict.ts).
 * Whether its booking was right is judged by the booking's own scenarios.
 */
export class NothingToActOn extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToActOn';
  }
}

/** Where a rule's verdict goes: the scenario's rule book (support/world.ts). */
export interface RuleJudge {
  judge(requirement: string, findings: Findings): void;
  notReached(requirement: string, why: string): 'skipped';
}

/** The search window the harness asks for unless a scenario says otherwise: 14 days from tomorrow (§5.3). */
export function defaultWindow(now = new Date()): { start: string; end: string } {
  const start = addDays(ukToday(now), 1);
  return { start, end: addDays(start, 13) };
}

const FAMILIES = ['Okafor', 'Lindqvist', 'Bhatt', 'Moreau', 'Kowalski', 'Nakamura', 'Oyelaran', 'Fitzgerald'];
const GIVENS = ['Ada', 'Rowan', 'Priya', 'Tomasz', 'Imogen', 'Kenji', 'Funmi', 'Ciaran'];

/**
 * A synthetic user of the consumer system, different in every scenario (and for every other user in
 * one): a local id, a name, and unless logged on without a smartcard the SDS user and role profile
 * ids (12 digits, as SDS gives them). Made from the scenario and the user's number in it, so a rerun
 * names the same users, and no fixed "system" user of a consumer can pass for them.
 */
export function scenarioUser(scenarioId: string, nth: number, options: { smartcard?: boolean } = {}): ConsumerUser {
  const hash = createHash('sha256').update(`${scenarioId}#${nth}`).digest();
  const digits = (offset: number) => (hash.readUIntBE(offset, 6) % 9e11 + 1e11).toString();
  return {
    id: `gpc-user-${hash.toString('hex').slice(0, 10)}`,
    family: FAMILIES[hash[12] % FAMILIES.length],
    given: GIVENS[hash[13] % GIVENS.length],
    ...(options.smartcard === false ? {} : { sdsUserId: digits(0), sdsRoleProfileId: digits(6) }),
  };
}

/**
 * The consumer under test in one scenario: the harness asks it to book (through its driver) and
 * judges what it sent, read from the scenario's traffic, rule by rule (judges.ts).
 */
export class ConsumerUnderTest {
  readonly asked: BookingRequest[] = [];
  readonly outcomes: DriverOutcome[] = [];
  /** When the consumer reported each outcome. */
  readonly answeredAt: Date[] = [];
  /** The actions besides booking the harness asked for, each with what the consumer reported (none when the driver failed). */
  readonly actions: Array<{ request: ActionRequest; outcome?: ActionOutcome }> = [];
  private session = randomUUID();
  /** The users who asked, and from when (the judge's users timeline). */
  private readonly users: Array<{ from: string; user: ConsumerUser }> = [];
  private usersMade = 0;
  /** The user logged on: the profile's fixed user, else one made for the scenario. */
  private current: ConsumerUser;

  constructor(
    readonly system: ConsumerSystem,
    private readonly scenarioId: string,
    private readonly earlierTraceIds: ReadonlySet<string>,
  ) {
    this.current = system.profile.identity.user ?? scenarioUser(scenarioId, ++this.usersMade);
  }

  /** The user logged on in the consumer, asking for what the scenario asks. */
  get user(): ConsumerUser {
    return this.current;
  }

  /**
   * Another user logs on (in a session of their own) and asks for what follows; without a smartcard,
   * their JWTs say UNK for the SDS ids. A consumer whose profile fixes its one user cannot be asked
   * (the scenarios that need this are tagged @users and not applicable there).
   */
  anotherUser(options: { smartcard?: boolean } = {}): ConsumerUser {
    if (this.system.profile.identity.user) throw new Error(`the consumer under test always acts as ${this.system.profile.identity.user.id} (its profile's identity.user), so no other user can ask (tag the scenario @users)`);
    this.current = scenarioUser(this.scenarioId, ++this.usersMade, options);
    this.newSession();
    return this.current;
  }

  /** Record that the current user is asking from now on. */
  private asking(): ConsumerUser {
    const last = this.users[this.users.length - 1];
    if (last?.user !== this.current) this.users.push({ from: new Date().toISOString(), user: this.current });
    return this.current;
  }

  /**
   * The organisation the user books from: the profile's first originating organisation unless a
   * scenario names the nth (a shared MHS or portal books for several, each with its own ASID).
   */
  organisation(nth?: number): string {
    if (nth === undefined) return defaultOrganisation(this.system.profile);
    const organisations = this.system.profile.identity.organisations ?? [];
    const chosen = organisations[nth - 1];
    if (!chosen) throw new Error(`the consumer under test books from ${organisations.length} originating organisation(s) (identity.organisations), not ${nth}`);
    return chosen.ods;
  }

  /**
   * The organisation the user books from for a patient registered at `practice`: the first the
   * consumer books from (its own, then its originating organisations) that has a data sharing
   * agreement with that practice, as the SSP requires (SSP-DATA-SHARING).
   */
  organisationSharingWith(practice: string): string {
    const { identity } = this.system.profile;
    const candidates = [defaultOrganisation(this.system.profile), identity.ods, ...(identity.organisations ?? []).map((o) => o.ods)];
    const chosen = candidates.find((ods) => this.system.spine.directory.hasAgreement(ods, practice, Interaction.createAppointment));
    if (!chosen) throw new Error(`no organisation the consumer under test books from (${[...new Set(candidates)].join(', ')}) shares records with ${practice} (topologies/default.yaml agreements)`);
    return chosen;
  }

  /** The consumer's ASID at an organisation it books from (the profile's identity). */
  asidAt(ods: string): string {
    const { identity } = this.system.profile;
    const asid = ods === identity.ods ? identity.asid : identity.organisations?.find((o) => o.ods === ods)?.asid;
    if (!asid) throw new Error(`the consumer under test does not book from ${ods} (its profile's identity names ${[identity.ods, ...(identity.organisations ?? []).map((o) => o.ods)].join(', ')})`);
    return asid;
  }

  /** The user logs out and in again: later bookings are in a new session (§2.7: no SDS answer survives it). */
  newSession(): void {
    this.session = randomUUID();
  }

  /** Ask the consumer to book for the patient; a driver that cannot make it act throws DriverFailed (broken). */
  async book(nhsNumber: string, options: { organisation?: string; window?: { start: string; end: string }; practice?: string } = {}): Promise<DriverOutcome> {
    const request: BookingRequest = {
      nhsNumber,
      ...(options.window ?? defaultWindow()),
      session: this.session,
      organisation: options.organisation ?? defaultOrganisation(this.system.profile),
      ...(options.practice ? { practice: options.practice } : {}),
      user: this.asking(),
    };
    this.asked.push(request);
    const outcome = await this.system.driver.book(request);
    this.outcomes.push(outcome);
    this.answeredAt.push(new Date());
    return outcome;
  }

  /**
   * Ask the consumer to cancel, amend or retrieve for the patient, in the booking's session and from
   * its organisation (issue 18); a driver that cannot make it act throws DriverFailed (broken).
   */
  async act(action: FollowUpAction, nhsNumber: string, details: Omit<ActionRequest, 'action' | 'nhsNumber' | 'session' | 'organisation' | 'user'> & { organisation?: string } = {}): Promise<ActionOutcome> {
    const request: ActionRequest = { action, nhsNumber, session: this.session, ...details, organisation: details.organisation ?? this.asked[this.asked.length - 1]?.organisation ?? defaultOrganisation(this.system.profile), user: this.asking() };
    const entry: { request: ActionRequest; outcome?: ActionOutcome } = { request };
    this.actions.push(entry);
    entry.outcome = await this.system.driver.act(request);
    this.answeredAt.push(new Date());
    return entry.outcome;
  }

  /** The appointment the consumer last reported booked, for the action that follows; NothingToActOn (broken) when it booked none. */
  bookedAppointment(): { nhsNumber: string; appointmentId: string; practice?: string } {
    const at = this.outcomes.map((o, i) => ({ o, i })).reverse().find(({ o }) => o.booked && o.appointmentId);
    if (!at) throw new NothingToActOn(`the consumer booked no appointment it reported an id for (${this.outcomes.length} booking(s) asked), so there is none to act on`);
    const asked = this.asked[at.i];
    return { nhsNumber: asked.nhsNumber, appointmentId: at.o.appointmentId!, ...(asked.practice ? { practice: asked.practice } : {}) };
  }

  get lastAction(): { request: ActionRequest; outcome?: ActionOutcome } {
    const last = this.actions[this.actions.length - 1];
    if (!last) throw new Error('the scenario has not asked the consumer to cancel, amend or retrieve yet: a When step is missing');
    return last;
  }

  get lastOutcome(): DriverOutcome {
    const outcome = this.outcomes[this.outcomes.length - 1];
    if (!outcome) throw new Error('the scenario has not asked the consumer to book yet: a When step is missing');
    return outcome;
  }

  traffic(): ConsumerTraffic {
    return new ConsumerTraffic(this.system.spine.journal.entries({ scenario: this.scenarioId }));
  }

  /** The Ssp-TraceIDs this scenario's requests carried (kept by the worker so none is reused later in the run). */
  traceIds(): string[] {
    return this.traffic()
      .of('ssp')
      .flatMap((e) => headerValue(e.requestHeaders, Header.sspTraceId) ?? []);
  }

  /** The consumer's PDS traces in the run's earlier scenarios (what a consumer that caches traces may rely on). */
  private earlierPdsTraces(): JournalEntry[] {
    return this.system.spine.journal.entries({ service: 'pds' }).filter((e) => e.scenario !== undefined && e.scenario !== this.scenarioId);
  }

  context(): JudgeContext {
    const { spine, profile } = this.system;
    return { traffic: this.traffic(), asked: this.asked, outcomes: this.outcomes, identity: profile.identity, directory: spine.directory, patients: spine.patients, earlierTraceIds: this.earlierTraceIds, capabilities: profile.capabilities, earlierPdsTraces: this.earlierPdsTraces(), actions: this.actions, users: this.users };
  }

  /** What the rule's judge says about this scenario: its findings, or that it was not reached and why (judges.ts judgeRule). */
  verdict(requirement: string): Verdict {
    return judgeRule(requirement, this.context());
  }

  /**
   * Judges the rule through the scenario's rule book: findings graded by the requirement's level
   * (a SHALL broken fails the step), or the step skipped as not reached, naming why.
   */
  expectRule(requirement: string, rules: RuleJudge): 'skipped' | undefined {
    const { findings, notReached } = this.verdict(requirement);
    if (notReached !== undefined) return rules.notReached(requirement, notReached);
    rules.judge(requirement, findings);
    return undefined;
  }
}
