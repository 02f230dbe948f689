/**
 * The reference GP Connect consumer: the Spine worked example end to end (gpconnect-spec.md §1),
 * done as a conformant consumer must, so that the harness has a baseline for consumer conformance.
 *
 *   1a/1b PDS trace → the registered practice's ODS code
 *   2a–2d SDS: service root and party key (Endpoint), then the ASID (Device)
 *   3a–3d GET metadata through the SSP
 *   4a–4d Search for free slots (a second window when the first has none)
 *   5a–5d Find a patient, or (5c alternative) Register a patient with the PDS demographics
 *   6a–6d Book the first free slot (after a 409, one fresh search and one more attempt)
 *
 * Within one ReferenceConsumer (a session) the PDS trace, SDS answers and CapabilityStatement are
 * reused when `cache` is on (§2.7: SDS SHOULD be cached per session but MUST NOT be reused across
 * patient encounters, so SDS answers are kept per patient; the PDS trace and metadata MAY be cached).
 *
 * A consumer serving several organisations (a shared MHS, a hosted system, a portal: §2.6) makes
 * each booking from the organisation the user works for: its ASID in Ssp-From, its ODS code in the
 * JWT, the booking organisation and the slot search filter.
 *
 * Deliberate mistakes (faults.ts) are one-line switches `this.has('…')` at the point of the mistake.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  AppointmentLimits,
  GpcAppointmentExtension,
  GpcProfile,
  Header,
  Interaction,
  REGISTER_PATIENT_PARAMETER,
  SlotSearch,
  System,
} from '../../src/gpconnect/constants';
import { organisationsOf, practitionerFor, type ConsumerConfig, type ConsumerOrganisation, type ConsumerPractitioner, type LoggedOnUser } from './config';
import { checkFaults, faultyBeforeSend, hasFault, type ConsumerFaultName } from './faults';
import { checkVariants, hasVariant } from './variants';
import { readOutcome, StepFailure, type ActionResult, type AppointmentSummary, type BookingOutcome, type SlotsOutcome, type SlotSummary, type StepId } from './outcome';
import { lookUpProvider, tracePatient, untracedPatient, type ProviderEndpoint, type TracedPatient } from './spine';
import { encodeQuery, SspClient, type BeforeSend, type SspAnswer, type SspDraft } from './ssp-client';
import { addDays, daysBetween, isDate, ukDate, ukDateTime } from './uk-time';

/**
 * The user each request is made for, across the awaits of that request. One store for every consumer
 * in the process: an AsyncLocalStorage in use costs every async operation after it, so a store per
 * consumer made each in-process run slower than the one before.
 */
const LOGGED_ON = new AsyncLocalStorage<ConsumerPractitioner>();

type Json = Record<string, any>;

export { CONSUMER_FAULTS } from './faults';

export interface DateWindow {
  /** `yyyy-mm-dd`, sent as `start=ge…`. */
  start: string;
  /** `yyyy-mm-dd`, sent as `end=le…`. */
  end: string;
}

export interface BookingRequest {
  nhsNumber: string;
  window?: DateWindow;
  /** Book this slot (one offered by `findSlots` or a search) instead of the first free one. */
  slotId?: string;
  /** ODS code of the organisation the user books from (config.organisations); the hosting organisation by default. */
  organisation?: string;
  /**
   * ODS code of the practice to book into when the user chooses one (urgent care, a hub:
   * appointments_service_discovery "Booking into other practices"); the patient's registered
   * practice by default. The PDS trace is made either way, to verify the NHS number.
   */
  practice?: string;
  /** The user asking (the JWT's requesting_practitioner); the configured user when none is named. */
  user?: LoggedOnUser;
}

/** Cancel or amend an appointment the consumer knows (booked, or listed by a retrieve), for the patient. */
export interface ChangeRequest {
  nhsNumber: string;
  appointmentId: string;
  organisation?: string;
  practice?: string;
  /** Cancel: the reason the user gives (Extension-GPConnect-AppointmentCancellationReason-1). */
  reason?: string;
  /** Amend: the new description and comment; absent or empty, left as they are. */
  description?: string;
  comment?: string;
  user?: LoggedOnUser;
}

/** List the patient's appointments at their practice in a date range (default: today and the 13 days after). */
export interface RetrieveRequest {
  nhsNumber: string;
  window?: DateWindow;
  organisation?: string;
  practice?: string;
  user?: LoggedOnUser;
}

/** The reason given when the user gives none. */
export const DEFAULT_CANCELLATION_REASON = 'The patient no longer needs the appointment';

export interface SlotsRequest {
  nhsNumber: string;
  window?: DateWindow;
  organisation?: string;
  user?: LoggedOnUser;
}

/** A session's answers from PDS, SDS and the provider's metadata. */
interface SessionCache {
  /** Replaced by a cache shared across sessions under `reuses-pds-trace-across-sessions`. */
  traces: Map<string, TracedPatient>;
  providers: Map<string, ProviderEndpoint>;
  capabilities: Map<string, Json>;
}

const newCache = (): SessionCache => ({ traces: new Map(), providers: new Map(), capabilities: new Map() });

/** Only for the `cache-across-sessions` fault: one cache for every ReferenceConsumer in the process. */
const SHARED_CACHE: SessionCache = newCache();

/**
 * Only for the `reuses-pds-trace-across-sessions` variant: PDS traces kept for every session, by the
 * configuration they were made with (so two runs in one process do not share them).
 */
const SHARED_TRACES = new WeakMap<ConsumerConfig, Map<string, TracedPatient>>();

export interface ReferenceConsumerOptions {
  /** Called with every request to the SSP just before it is encoded and sent: the one place to spoil a request. */
  beforeSend?: BeforeSend;
  /** The clock (tests). */
  now?: () => Date;
}

/** The default search window: 14 days from tomorrow (UK dates). */
const DEFAULT_WINDOW_DAYS = 14;

/** A free slot and what booking it needs. */
interface SlotChoice {
  id: string;
  start: string;
  end: string;
  location: string;
  practitioner?: string;
  summary: SlotSummary;
}

interface SearchResult {
  window: DateWindow;
  slots: SlotChoice[];
}

/** The checks of a window given from outside: real dates, in order, at most 14 days apart (§5.3). */
export function windowProblem(window: DateWindow): string | undefined {
  if (!isDate(window.start) || !isDate(window.end)) return 'start and end must be dates written yyyy-mm-dd';
  const days = daysBetween(window.start, window.end);
  if (days < 0) return 'end is before start';
  if (days > SlotSearch.maxRangeDays) return `a search may span at most ${SlotSearch.maxRangeDays} days`;
  return undefined;
}

/** One booking's provider and the organisation it is made from. */
interface Target {
  provider: ProviderEndpoint;
  from: ConsumerOrganisation;
}

/** One user session of the reference consumer: its caches live and die with it. */
export class ReferenceConsumer {
  readonly faults: ReadonlySet<string>;
  private readonly ssp: SspClient;
  private readonly now: () => Date;
  private readonly cache: SessionCache;
  /** The slots last offered for each organisation and NHS number (what the UI shows), so one can be booked by id. */
  private readonly offered = new Map<string, SlotChoice[]>();
  /** The user each request in progress is made for (the JWT names them), whatever else runs alongside. */
  private readonly loggedOn = LOGGED_ON;

  constructor(
    readonly config: ConsumerConfig,
    readonly options: ReferenceConsumerOptions = {},
  ) {
    this.faults = config.faults ?? new Set();
    checkFaults(this.faults);
    checkVariants(config.variants ?? []);
    const context = { config, sessionTraceId: randomUUID() };
    this.ssp = new SspClient(config, faultyBeforeSend(config, context, options.beforeSend), () => this.loggedOn.getStore());
    this.now = options.now ?? (() => new Date());
    this.cache = this.has('cache-across-sessions') ? SHARED_CACHE : newCache();
    if (hasVariant(config, 'reuses-pds-trace-across-sessions') && this.cache !== SHARED_CACHE) {
      // A cached PDS trace may be reused in any session (integration_illustrated.md step 1); SDS answers stay this session's.
      if (!SHARED_TRACES.has(config)) SHARED_TRACES.set(config, new Map());
      this.cache.traces = SHARED_TRACES.get(config)!;
    }
  }

  /** The organisations this consumer books from, the hosting one first. */
  organisations(): ConsumerOrganisation[] {
    return organisationsOf(this.config);
  }

  private has(fault: ConsumerFaultName): boolean {
    return hasFault(this.config, fault);
  }

  private get caching(): boolean {
    return this.config.cache ?? true;
  }

  /** The organisation asked for (the hosting one when none is), or a StepFailure naming the known ones. */
  private organisation(ods?: string): ConsumerOrganisation {
    const all = this.organisations();
    if (ods === undefined) return all[0];
    const found = all.find((o) => o.ods.toUpperCase() === ods.toUpperCase());
    if (!found) throw new StepFailure('1a', `this consumer does not book for organisation ${ods} (it books for ${all.map((o) => o.ods).join(', ')})`, undefined, 'UNKNOWN_ORGANISATION');
    return found;
  }

  /**
   * Do `work` for the user the request names (the configured user when it names none): every JWT made
   * meanwhile names them. The fixed-system-user fault names the configured user whoever asked.
   */
  private as<T>(user: LoggedOnUser | undefined, work: () => Promise<T>): Promise<T> {
    if (!user || this.has('fixed-system-user')) return work();
    return this.loggedOn.run(practitionerFor(user, this.config), work);
  }

  /** Steps 1–4: the free slots at the patient's registered practice. */
  async findSlots(request: SlotsRequest): Promise<SlotsOutcome> {
    return this.as(request.user, () => this.slotsFor(request));
  }

  private async slotsFor(request: SlotsRequest): Promise<SlotsOutcome> {
    try {
      const from = this.organisation(request.organisation);
      const { provider } = await this.discover(request.nhsNumber, from);
      const found = await this.searchSlots({ provider, from }, request.window);
      this.offered.set(`${from.ods}|${request.nhsNumber}`, found.slots);
      return { outcome: 'slots', practice: provider.ods, window: found.window, slots: found.slots.map((s) => s.summary) };
    } catch (error) {
      if (error instanceof StepFailure) return error.toOutcome();
      throw error;
    }
  }

  /** The whole worked example: book the first free slot (or the one asked for) for the patient. */
  async bookAppointment(request: BookingRequest): Promise<BookingOutcome> {
    try {
      return await this.as(request.user, () => this.book(request));
    } catch (error) {
      if (error instanceof StepFailure) return error.toOutcome();
      throw error;
    }
  }

  private async book(request: BookingRequest): Promise<BookingOutcome> {
    const from = this.organisation(request.organisation);
    const { patient, provider } = await this.discover(request.nhsNumber, from, request.practice);
    const target: Target = { provider, from };
    const offeredKey = `${from.ods}|${request.nhsNumber}`;
    let choice: SlotChoice;
    if (request.slotId !== undefined) {
      choice = this.offered.get(offeredKey)?.find((s) => s.id === request.slotId) ?? (await this.pickSlot(target, request.window, request.slotId));
    } else {
      choice = await this.pickSlot(target, request.window);
    }
    const { patientId, registered } = await this.findOrRegister(target, patient);
    const patientReference = this.has('book-patient-nhs-number') ? patient.nhsNumber : patientId;

    let answer = await this.sendBooking(target, patientReference, choice);
    for (let again = 0; again < 5 && answer.status === 409 && this.has('rebook-same-slot-on-409'); again++) answer = await this.sendBooking(target, patientReference, choice);
    if (answer.status === 409 && request.slotId === undefined) {
      // The slot went between search and booking: one fresh search, one more attempt (§5.6).
      choice = await this.pickSlot(target, request.window);
      answer = await this.sendBooking(target, patientReference, choice);
    }
    if (answer.status !== 201 && answer.status !== 200 && this.has('swallow-errors')) {
      return { outcome: 'booked', appointmentId: String(answer.json?.id ?? answer.traceId), slot: { id: choice.id, start: choice.start, end: choice.end }, patientId, registered };
    }
    if (answer.status !== 201 && answer.status !== 200) {
      const extra = answer.status === 409 && request.slotId !== undefined ? ' (the slot chosen is no longer free: choose another)' : '';
      throw this.refusal('6a', 'Book an appointment', answer, extra);
    }
    const appointment = answer.json;
    if (appointment?.resourceType !== 'Appointment' || typeof appointment.id !== 'string') {
      throw new StepFailure('6a', `Book an appointment answered ${answer.status} without an Appointment with a logical id`, answer.status);
    }
    this.offered.delete(offeredKey);
    return { outcome: 'booked', appointmentId: appointment.id, slot: { id: choice.id, start: choice.start, end: choice.end }, patientId, registered };
  }

  // ------------------------------------------------------------------------------ steps 1–3

  /** 1a/1b, 2a–2d and 3a–3d, from the session's cache where allowed. */
  private async discover(nhsNumber: string, from: ConsumerOrganisation, chosenPractice?: string): Promise<{ patient: TracedPatient; provider: ProviderEndpoint }> {
    if (typeof nhsNumber !== 'string') throw new StepFailure('1a', 'an NHS number is required');
    const { traces, providers, capabilities } = this.cache;
    if (this.has('sds-before-pds')) await lookUpProvider(this.config, untracedPatient(this.config, nhsNumber).practiceOds);
    let patient = this.caching ? traces.get(nhsNumber) : undefined;
    if (!patient) {
      patient = this.has('skip-pds-trace') ? untracedPatient(this.config, nhsNumber) : await tracePatient(this.config, nhsNumber);
      if (this.caching) traces.set(nhsNumber, patient);
    }
    // SDS answers are kept for this patient's encounter only: they MUST NOT be reused across
    // patient encounters (§2.7), so another patient at the same practice is looked up again.
    const practice = chosenPractice ?? patient.practiceOds;
    const encounter = this.has('sds-cached-across-patients') ? practice : `${nhsNumber}|${practice}`;
    let provider = this.caching ? providers.get(encounter) : undefined;
    if (!provider) {
      provider = await lookUpProvider(this.config, practice);
      if (this.caching) providers.set(encounter, provider);
    }
    if (!(this.caching && capabilities.has(provider.serviceRoot))) {
      const capability = await this.readMetadata({ provider, from });
      if (this.caching) capabilities.set(provider.serviceRoot, capability);
    }
    return { patient, provider };
  }

  private request(step: StepId, target: Target, interaction: string, method: SspDraft['method'], relative: string, body?: unknown): Promise<SspAnswer> {
    return this.ssp.send(this.ssp.draft(step, target.provider, target.from, interaction, method, relative, body));
  }

  private async readMetadata(target: Target): Promise<Json> {
    const answer = await this.request('3a', target, Interaction.readMetadata, 'GET', '/metadata');
    if (answer.status !== 200) throw this.refusal('3a', 'Get the capability statement', answer);
    if (answer.json?.resourceType !== 'CapabilityStatement') throw new StepFailure('3a', 'Get the capability statement answered 200 without a CapabilityStatement', 200);
    return answer.json;
  }

  // ------------------------------------------------------------------------------ step 4

  /** The window asked for, or 14 days from tomorrow; when it has no free slot, one more search over the next window. */
  private async searchSlots(target: Target, window?: DateWindow): Promise<SearchResult> {
    let first: DateWindow;
    if (window) {
      const problem = windowProblem(window);
      if (problem) throw new StepFailure('4a', `the search window ${window.start}..${window.end} is not usable: ${problem}`, undefined, 'INVALID_WINDOW');
      // The mistake: four weeks from the date asked for, whatever the end asked for.
      first = this.has('window-28-days') ? { start: window.start, end: addDays(window.start, 27) } : window;
    } else {
      const start = addDays(ukDate(this.now()), 1);
      const days = this.has('window-28-days') ? 28 : DEFAULT_WINDOW_DAYS;
      first = { start, end: addDays(start, days - 1) };
    }
    const slots = await this.searchOnce(target, first);
    if (slots.length > 0 || this.has('no-second-window') || hasVariant(this.config, 'single-search-window')) return { window: first, slots };
    // 4c: none found, so search again with the next date range.
    const span = daysBetween(first.start, first.end);
    const nextStart = addDays(first.end, 1);
    const next = { start: nextStart, end: addDays(nextStart, span) };
    return { window: next, slots: await this.searchOnce(target, next) };
  }

  private async pickSlot(target: Target, window?: DateWindow, slotId?: string): Promise<SlotChoice> {
    const { provider } = target;
    const found = await this.searchSlots(target, window);
    if (slotId !== undefined) {
      const wanted = found.slots.find((s) => s.id === slotId);
      if (!wanted) throw new StepFailure('4a', `Slot/${slotId} is not among the free slots at ${provider.ods}`, undefined, 'SLOT_NOT_FREE');
      return wanted;
    }
    if (found.slots.length === 0) {
      throw new StepFailure('4a', `no free slots at ${provider.ods} up to ${found.window.end}`, 200, 'NO_FREE_SLOTS');
    }
    return found.slots[0];
  }

  private async searchOnce(target: Target, window: DateWindow): Promise<SlotChoice[]> {
    const { from } = target;
    const pairs: Array<[string, string]> = [
      [SlotSearch.status, SlotSearch.statusFree],
      [SlotSearch.start, SlotSearch.startPrefix + window.start],
      [SlotSearch.end, SlotSearch.endPrefix + window.end],
      [SlotSearch.include, SlotSearch.includeSchedule],
      [SlotSearch.includeRecurse, SlotSearch.includePractitioner],
      [SlotSearch.includeRecurse, SlotSearch.includeLocation],
      [SlotSearch.includeRecurse, SlotSearch.includeManagingOrganization],
      [SlotSearch.searchFilter, `${System.odsOrganizationCode}|${from.ods}`],
    ];
    if (from.type) pairs.push([SlotSearch.searchFilter, `${System.organisationType}|${from.type}`]);
    const answer = await this.request('4a', target, Interaction.searchSlot, 'GET', `/Slot?${encodeQuery(pairs)}`);
    if (answer.status !== 200) throw this.refusal('4a', 'Search for free slots', answer);
    if (answer.json?.resourceType !== 'Bundle') throw new StepFailure('4a', 'Search for free slots answered 200 without a Bundle', 200);
    if (this.has('rejects-unknown-extensions')) {
      const unknown = (answer.json.entry ?? []).flatMap((e: Json) => e?.resource?.extension ?? []).find((x: Json) => typeof x?.url === 'string' && !x.url.startsWith('https://fhir.nhs.uk/'));
      if (unknown) throw new StepFailure('4a', `Search for free slots answered a resource with an unknown extension ${unknown.url}`, 200, 'UNKNOWN_EXTENSION');
    }
    return freeSlots(answer.json);
  }

  // ------------------------------------------------------------------------------ step 5

  private async findOrRegister(target: Target, patient: TracedPatient): Promise<{ patientId: string; registered: boolean }> {
    if (!this.has('register-always')) {
      const query = encodeQuery([['identifier', `${System.nhsNumber}|${patient.nhsNumber}`]]);
      const found = await this.request('5a', target, Interaction.searchPatient, 'GET', `/Patient?${query}`);
      if (found.status !== 200) throw this.refusal('5a', 'Find a patient', found);
      if (found.json?.resourceType !== 'Bundle') throw new StepFailure('5a', 'Find a patient answered 200 without a Bundle', 200);
      const existing = patientsWithNumber(found.json, patient.nhsNumber)[0];
      if (existing) return { patientId: existing.id, registered: false };
      if (this.has('book-without-registering')) return { patientId: patient.nhsNumber, registered: false };
      // Registering is a MAY (CONS-REGISTER): this consumer tells the user instead, and its profile declares registersPatients false.
      if (hasVariant(this.config, 'does-not-register')) {
        throw new StepFailure('5a', `${patient.nhsNumber} is not registered at ${target.provider.ods}: the practice has no record of the patient, and this system does not register patients`, 200, 'NOT_REGISTERED');
      }
    }

    // No record at the practice: Register a patient (temporary registration, §1, §5.5).
    const body = { resourceType: 'Parameters', parameter: [{ name: REGISTER_PATIENT_PARAMETER, resource: registrationPatient(patient) }] };
    const answer = await this.request('5c', target, Interaction.registerPatient, 'POST', '/Patient/$gpc.registerpatient', body);
    if (answer.status !== 200 && answer.status !== 201) throw this.refusal('5c', 'Register a patient', answer);
    const registered = answer.json?.resourceType === 'Patient' ? answer.json : patientsWithNumber(answer.json ?? {}, patient.nhsNumber)[0];
    if (!registered || typeof registered.id !== 'string') throw new StepFailure('5c', 'Register a patient answered without the registered Patient and its logical id', answer.status);
    return { patientId: registered.id, registered: true };
  }

  // ------------------------------------------------------------------------------ step 6

  private sendBooking(target: Target, patientId: string, slot: SlotChoice): Promise<SspAnswer> {
    return this.request('6a', target, Interaction.createAppointment, 'POST', '/Appointment', this.appointment(target.from, patientId, slot));
  }

  /** The Appointment to book (§5.6): the slot's own start and end, patient and location participants, the booking organisation contained. */
  private appointment(from: ConsumerOrganisation, patientId: string, slot: SlotChoice): Json {
    const description = `${slot.summary.serviceType ?? 'GP appointment'} booked by ${from.name}`.slice(0, AppointmentLimits.descriptionMaxLength);
    return {
      resourceType: 'Appointment',
      meta: { profile: [GpcProfile.appointment] },
      contained: [
        {
          resourceType: 'Organization',
          id: '1',
          meta: { profile: [GpcProfile.organization] },
          identifier: [{ system: System.odsOrganizationCode, value: from.ods }],
          ...(from.type ? { type: [{ coding: [{ system: System.organisationType, code: from.type }] }] } : {}),
          name: from.name,
          telecom: [{ system: 'phone', value: from.phone, use: 'work' }],
        },
      ],
      extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
      status: 'booked',
      description,
      // The slot's own start and end; under `z-instants-in-booking` the same instants written in UTC (Z).
      start: hasVariant(this.config, 'z-instants-in-booking') ? utcInstant(slot.start) : slot.start,
      end: hasVariant(this.config, 'z-instants-in-booking') ? utcInstant(slot.end) : slot.end,
      slot: [{ reference: `Slot/${slot.id}` }],
      created: ukDateTime(this.now()),
      participant: [
        { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
        { actor: { reference: slot.location }, status: 'accepted' },
        ...(slot.practitioner ? [{ actor: { reference: slot.practitioner }, status: 'accepted' }] : []),
      ],
    };
  }

  // ------------------------------------------------------------------------------ cancel, amend, retrieve (issue 18)

  /** Cancel an appointment: read it, then send it back in place with status cancelled and the reason (appointments_use_case_cancel_an_appointment). */
  async cancelAppointment(request: ChangeRequest): Promise<ActionResult> {
    return this.caught(() => this.as(request.user, () => this.change('cancel', request)));
  }

  /** Amend an appointment's description and comment: read it, then send it back with those changed only (appointments_use_case_amend_an_appointment). */
  async amendAppointment(request: ChangeRequest): Promise<ActionResult> {
    return this.caught(() => this.as(request.user, () => this.change('amend', request)));
  }

  /** Retrieve a patient's future appointments at their practice (appointments_use_case_retrieve_a_patients_appointments). */
  async retrieveAppointments(request: RetrieveRequest): Promise<ActionResult> {
    return this.caught(() => this.as(request.user, () => this.retrieve(request)));
  }

  private async caught(work: () => Promise<ActionResult>): Promise<ActionResult> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StepFailure) return error.toOutcome();
      throw error;
    }
  }

  private async change(kind: 'cancel' | 'amend', request: ChangeRequest): Promise<ActionResult> {
    if (typeof request.appointmentId !== 'string' || !/^[A-Za-z0-9.-]{1,64}$/.test(request.appointmentId)) throw new StepFailure(kind, 'an appointment id (a FHIR id) is required', undefined, 'INVALID_REQUEST');
    const from = this.organisation(request.organisation);
    const { provider } = await this.discover(request.nhsNumber, from, request.practice);
    const target: Target = { provider, from };
    // Read it first and change it in place, as both pages recommend.
    const read = await this.request('read', target, Interaction.readAppointment, 'GET', `/Appointment/${encodeURIComponent(request.appointmentId)}`);
    if (read.status !== 200) throw this.refusal('read', 'Read an appointment', read);
    const current = read.json;
    if (current?.resourceType !== 'Appointment') throw new StepFailure('read', 'Read an appointment answered 200 without an Appointment', 200);
    const version = /^W\/"(.*)"$/.exec(read.headers.etag ?? '')?.[1] ?? (typeof current.meta?.versionId === 'string' ? current.meta.versionId : undefined);
    const body: Json = structuredClone(current);
    if (kind === 'cancel') {
      body.status = 'cancelled';
      const others = (Array.isArray(body.extension) ? body.extension : []).filter((x: Json) => x?.url !== GpcAppointmentExtension.cancellationReason);
      body.extension = [...others, { url: GpcAppointmentExtension.cancellationReason, valueString: request.reason?.trim() || DEFAULT_CANCELLATION_REASON }];
    } else {
      if (current.status === 'cancelled') throw new StepFailure('amend', `Appointment/${request.appointmentId} is cancelled: a cancelled appointment cannot be amended`, undefined, 'CANCELLED');
      if (request.description) body.description = request.description;
      if (request.comment) body.comment = request.comment;
      if (typeof body.description === 'string' && body.description.length > AppointmentLimits.descriptionMaxLength) throw new StepFailure('amend', `the description has ${body.description.length} characters, at most ${AppointmentLimits.descriptionMaxLength} are allowed`, undefined, 'TOO_LONG');
      if (typeof body.comment === 'string' && body.comment.length > COMMENT_MAX_LENGTH) throw new StepFailure('amend', `the comment has ${body.comment.length} characters, at most ${COMMENT_MAX_LENGTH} are allowed`, undefined, 'TOO_LONG');
    }
    const interaction = kind === 'cancel' ? Interaction.cancelAppointment : Interaction.updateAppointment;
    const draft = this.ssp.draft(kind, provider, from, interaction, 'PUT', `/Appointment/${encodeURIComponent(request.appointmentId)}`, body);
    // If-Match is optional (the provider accepts its absence); this consumer sends the version it read, unless a variant leaves it out.
    if (version !== undefined && !hasVariant(this.config, 'no-if-match')) draft.headers[Header.ifMatch] = `W/"${version}"`;
    const answer = await this.ssp.send(draft);
    const what = kind === 'cancel' ? 'Cancel an appointment' : 'Amend an appointment';
    if (answer.status !== 200) throw this.refusal(kind, what, answer);
    const changed = answer.json?.resourceType === 'Appointment' ? answer.json : body;
    return { outcome: kind === 'cancel' ? 'cancelled' : 'amended', appointmentId: request.appointmentId, appointment: appointmentSummary(changed) };
  }

  private async retrieve(request: RetrieveRequest): Promise<ActionResult> {
    const from = this.organisation(request.organisation);
    const today = ukDate(this.now());
    const asked = request.window && !hasVariant(this.config, 'retrieve-default-range') ? request.window : undefined;
    if (asked) {
      if (!isDate(asked.start) || !isDate(asked.end) || daysBetween(asked.start, asked.end) < 0) throw new StepFailure('retrieve', `the date range ${asked.start}..${asked.end} is not usable: start and end must be dates written yyyy-mm-dd, in order`, undefined, 'INVALID_WINDOW');
      // Only future appointments can be retrieved: the earliest date the user can ask for is today.
      if (asked.start < today) throw new StepFailure('retrieve', `only appointments from today (${today}) on can be retrieved, not from ${asked.start}`, undefined, 'INVALID_WINDOW');
    }
    const window = asked ?? { start: today, end: addDays(today, DEFAULT_WINDOW_DAYS - 1) };
    const { patient, provider } = await this.discover(request.nhsNumber, from, request.practice);
    const target: Target = { provider, from };
    const query = encodeQuery([['identifier', `${System.nhsNumber}|${patient.nhsNumber}`]]);
    const found = await this.request('5a', target, Interaction.searchPatient, 'GET', `/Patient?${query}`);
    if (found.status !== 200) throw this.refusal('5a', 'Find a patient', found);
    const existing = patientsWithNumber(found.json ?? {}, patient.nhsNumber)[0];
    if (!existing) throw new StepFailure('5a', `${patient.nhsNumber} is not registered at ${provider.ods}: the practice has no record of the patient, so no appointments`, 200, 'NOT_REGISTERED');
    const range = encodeQuery([
      ['start', `ge${window.start}`],
      ['start', `le${window.end}`],
    ]);
    const answer = await this.request('retrieve', target, Interaction.searchPatientAppointments, 'GET', `/Patient/${encodeURIComponent(existing.id)}/Appointment?${range}`);
    if (answer.status !== 200) throw this.refusal('retrieve', "Retrieve a patient's appointments", answer);
    if (answer.json?.resourceType !== 'Bundle') throw new StepFailure('retrieve', "Retrieve a patient's appointments answered 200 without a Bundle", 200);
    const appointments = resources(answer.json, 'Appointment').map(appointmentSummary).sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
    return { outcome: 'retrieved', practice: provider.ods, window, appointments };
  }

  private refusal(step: StepId, what: string, answer: SspAnswer, extra = ''): StepFailure {
    const { code, text } = readOutcome(answer.body);
    return new StepFailure(step, `${what} answered ${answer.status}${code ? ` ${code}` : ''}${text && text !== code ? `: ${text}` : ''}${extra}`, answer.status, code);
  }
}

// --------------------------------------------------------------------------------- helpers

/** Amend page: "Consumers SHALL impose a character limit of 500 characters" on the comment. */
export const COMMENT_MAX_LENGTH = 500;

/** What the UI lists of an appointment (the consumer display requirements of Retrieve a patient's appointments, in part). */
function appointmentSummary(a: Json): AppointmentSummary {
  const channel = (Array.isArray(a?.extension) ? a.extension : []).find((x: Json) => x?.url === GpcAppointmentExtension.deliveryChannel)?.valueCode;
  return {
    id: String(a?.id ?? ''),
    status: String(a?.status ?? ''),
    start: String(a?.start ?? ''),
    end: String(a?.end ?? ''),
    ...(typeof a?.description === 'string' ? { description: a.description } : {}),
    ...(typeof a?.comment === 'string' ? { comment: a.comment } : {}),
    ...(a?.serviceType?.[0]?.text ? { serviceType: String(a.serviceType[0].text) } : {}),
    ...(channel ? { deliveryChannel: String(channel) } : {}),
  };
}

/** The same instant in UTC, to the second, with Z (a FHIR STU3 instant). */
function utcInstant(dateTime: string): string {
  return new Date(dateTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function resources(bundle: Json, type: string): Json[] {
  return (Array.isArray(bundle?.entry) ? bundle.entry : []).map((e: Json) => e?.resource).filter((r: Json) => r?.resourceType === type);
}

function byReference(bundle: Json): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const e of Array.isArray(bundle?.entry) ? bundle.entry : []) {
    const r = e?.resource;
    if (r?.resourceType && r.id) map.set(`${r.resourceType}/${r.id}`, r);
  }
  return map;
}

/** Free slots of a search answer, earliest first, each with its schedule's location (and practitioner). */
function freeSlots(bundle: Json): SlotChoice[] {
  const refs = byReference(bundle);
  const choices: SlotChoice[] = [];
  for (const slot of resources(bundle, 'Slot')) {
    if (slot.status !== 'free' || typeof slot.id !== 'string' || typeof slot.start !== 'string' || typeof slot.end !== 'string') continue;
    const schedule = refs.get(slot.schedule?.reference ?? '');
    const actors: string[] = (schedule?.actor ?? []).map((a: Json) => a?.reference).filter((r: unknown): r is string => typeof r === 'string');
    const location = actors.find((r) => r.startsWith('Location/'));
    if (!location) continue; // a booking needs a location participant (§5.6)
    const practitioner = actors.find((r) => r.startsWith('Practitioner/'));
    const p = practitioner ? refs.get(practitioner) : undefined;
    const pName = p?.name?.[0];
    const channel = (slot.extension ?? []).find((x: Json) => x?.url === GpcAppointmentExtension.deliveryChannel)?.valueCode;
    choices.push({
      id: slot.id,
      start: slot.start,
      end: slot.end,
      location,
      ...(practitioner && p ? { practitioner } : {}),
      summary: {
        id: slot.id,
        start: slot.start,
        end: slot.end,
        ...(slot.serviceType?.[0]?.text ? { serviceType: String(slot.serviceType[0].text) } : {}),
        ...(channel ? { deliveryChannel: String(channel) } : {}),
        ...(pName ? { practitioner: [pName.prefix?.[0], ...(pName.given ?? []), pName.family].filter(Boolean).join(' ') } : {}),
        ...(refs.get(location)?.name ? { location: String(refs.get(location)!.name) } : {}),
      },
    });
  }
  return choices.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
}

function patientsWithNumber(bundle: Json, nhsNumber: string): Json[] {
  return resources(bundle, 'Patient').filter(
    (p) => typeof p.id === 'string' && (p.identifier ?? []).some((i: Json) => i?.system === System.nhsNumber && i.value === nhsNumber),
  );
}

/** The Patient for Register a patient (§5.5), from the PDS trace: what MUST be sent and what SHOULD, nothing else. */
function registrationPatient(p: TracedPatient): Json {
  const telecom: Json[] = [];
  const seen = new Set<string>();
  for (const t of p.telecom) {
    const use = t.use ?? 'home';
    if (t.system === 'phone' && ['home', 'work', 'mobile'].includes(use) && !seen.has(`phone/${use}`)) {
      seen.add(`phone/${use}`);
      telecom.push({ system: 'phone', value: t.value, use });
    } else if (t.system === 'email' && !seen.has('email')) {
      seen.add('email');
      telecom.push({ system: 'email', value: t.value, use });
    }
  }
  return {
    resourceType: 'Patient',
    meta: { profile: [GpcProfile.patient] },
    identifier: [{ system: System.nhsNumber, value: p.nhsNumber }],
    name: [{ use: 'official', family: p.family, given: [...p.given], ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
    ...(p.gender ? { gender: p.gender } : {}),
    birthDate: p.birthDate,
    ...(p.address && p.address.line.length > 0
      ? { address: [{ use: 'home', line: [...p.address.line], ...(p.address.city ? { city: p.address.city } : {}), ...(p.address.postalCode ? { postalCode: p.address.postalCode } : {}) }] }
      : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}
