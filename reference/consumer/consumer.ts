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
 */
import {
  AppointmentLimits,
  GpcAppointmentExtension,
  GpcProfile,
  Interaction,
  REGISTER_PATIENT_PARAMETER,
  SlotSearch,
  System,
} from '../../support/constants';
import type { ConsumerConfig } from './config';
import { readOutcome, StepFailure, type BookingOutcome, type SlotsOutcome, type SlotSummary, type StepId } from './outcome';
import { lookUpProvider, tracePatient, type ProviderEndpoint, type TracedPatient } from './spine';
import { encodeQuery, SspClient, type BeforeSend, type SspAnswer, type SspDraft } from './ssp-client';
import { addDays, daysBetween, isDate, ukDate, ukDateTime } from './uk-time';

type Json = Record<string, any>;

/** Deliberate mistakes the consumer knows (the catalogue is still to come: none yet). */
export const CONSUMER_FAULTS: readonly string[] = [];

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
}

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

export class ReferenceConsumer {
  readonly faults: ReadonlySet<string>;
  private readonly ssp: SspClient;
  private readonly now: () => Date;
  private readonly traces = new Map<string, TracedPatient>();
  private readonly providers = new Map<string, ProviderEndpoint>();
  private readonly capabilities = new Map<string, Json>();
  /** The slots last offered for each NHS number (what the UI shows), so one can be booked by id. */
  private readonly offered = new Map<string, SlotChoice[]>();

  constructor(
    readonly config: ConsumerConfig,
    options: ReferenceConsumerOptions = {},
  ) {
    this.faults = config.faults ?? new Set();
    const unknown = [...this.faults].filter((f) => !CONSUMER_FAULTS.includes(f));
    if (unknown.length > 0) throw new Error(`unknown reference consumer fault(s): ${unknown.join(', ')} (known: ${CONSUMER_FAULTS.join(', ') || 'none yet'})`);
    this.ssp = new SspClient(config, options.beforeSend);
    this.now = options.now ?? (() => new Date());
  }

  private get caching(): boolean {
    return this.config.cache ?? true;
  }

  /** Steps 1–4: the free slots at the patient's registered practice. */
  async findSlots(request: { nhsNumber: string; window?: DateWindow }): Promise<SlotsOutcome> {
    try {
      const { provider } = await this.discover(request.nhsNumber);
      const found = await this.searchSlots(provider, request.window);
      this.offered.set(request.nhsNumber, found.slots);
      return { outcome: 'slots', practice: provider.ods, window: found.window, slots: found.slots.map((s) => s.summary) };
    } catch (error) {
      if (error instanceof StepFailure) return error.toOutcome();
      throw error;
    }
  }

  /** The whole worked example: book the first free slot (or the one asked for) for the patient. */
  async bookAppointment(request: BookingRequest): Promise<BookingOutcome> {
    try {
      return await this.book(request);
    } catch (error) {
      if (error instanceof StepFailure) return error.toOutcome();
      throw error;
    }
  }

  private async book(request: BookingRequest): Promise<BookingOutcome> {
    const { patient, provider } = await this.discover(request.nhsNumber);
    let choice: SlotChoice;
    if (request.slotId !== undefined) {
      choice = this.offered.get(request.nhsNumber)?.find((s) => s.id === request.slotId) ?? (await this.pickSlot(provider, request.window, request.slotId));
    } else {
      choice = await this.pickSlot(provider, request.window);
    }
    const { patientId, registered } = await this.findOrRegister(provider, patient);

    let answer = await this.sendBooking(provider, patientId, choice);
    if (answer.status === 409 && request.slotId === undefined) {
      // The slot went between search and booking: one fresh search, one more attempt (§5.6).
      choice = await this.pickSlot(provider, request.window);
      answer = await this.sendBooking(provider, patientId, choice);
    }
    if (answer.status !== 201 && answer.status !== 200) {
      const extra = answer.status === 409 && request.slotId !== undefined ? ' (the slot chosen is no longer free: choose another)' : '';
      throw this.refusal('6a', 'Book an appointment', answer, extra);
    }
    const appointment = answer.json;
    if (appointment?.resourceType !== 'Appointment' || typeof appointment.id !== 'string') {
      throw new StepFailure('6a', `Book an appointment answered ${answer.status} without an Appointment with a logical id`, answer.status);
    }
    this.offered.delete(request.nhsNumber);
    return { outcome: 'booked', appointmentId: appointment.id, slot: { id: choice.id, start: choice.start, end: choice.end }, patientId, registered };
  }

  // ------------------------------------------------------------------------------ steps 1–3

  /** 1a/1b, 2a–2d and 3a–3d, from the session's cache where allowed. */
  private async discover(nhsNumber: string): Promise<{ patient: TracedPatient; provider: ProviderEndpoint }> {
    if (typeof nhsNumber !== 'string') throw new StepFailure('1a', 'an NHS number is required');
    let patient = this.caching ? this.traces.get(nhsNumber) : undefined;
    if (!patient) {
      patient = await tracePatient(this.config, nhsNumber);
      if (this.caching) this.traces.set(nhsNumber, patient);
    }
    // SDS answers are kept for this patient's encounter only: they MUST NOT be reused across
    // patient encounters (§2.7), so another patient at the same practice is looked up again.
    const encounter = `${nhsNumber}|${patient.practiceOds}`;
    let provider = this.caching ? this.providers.get(encounter) : undefined;
    if (!provider) {
      provider = await lookUpProvider(this.config, patient.practiceOds);
      if (this.caching) this.providers.set(encounter, provider);
    }
    if (!(this.caching && this.capabilities.has(provider.serviceRoot))) {
      const capability = await this.readMetadata(provider);
      if (this.caching) this.capabilities.set(provider.serviceRoot, capability);
    }
    return { patient, provider };
  }

  private async readMetadata(provider: ProviderEndpoint): Promise<Json> {
    const answer = await this.ssp.send(this.ssp.draft('3a', provider, Interaction.readMetadata, 'GET', '/metadata'));
    if (answer.status !== 200) throw this.refusal('3a', 'Get the capability statement', answer);
    if (answer.json?.resourceType !== 'CapabilityStatement') throw new StepFailure('3a', 'Get the capability statement answered 200 without a CapabilityStatement', 200);
    return answer.json;
  }

  // ------------------------------------------------------------------------------ step 4

  /** The window asked for, or 14 days from tomorrow; when it has no free slot, one more search over the next window. */
  private async searchSlots(provider: ProviderEndpoint, window?: DateWindow): Promise<SearchResult> {
    let first: DateWindow;
    if (window) {
      const problem = windowProblem(window);
      if (problem) throw new StepFailure('4a', `the search window ${window.start}..${window.end} is not usable: ${problem}`, undefined, 'INVALID_WINDOW');
      first = window;
    } else {
      const start = addDays(ukDate(this.now()), 1);
      first = { start, end: addDays(start, DEFAULT_WINDOW_DAYS - 1) };
    }
    const slots = await this.searchOnce(provider, first);
    if (slots.length > 0) return { window: first, slots };
    // 4c: none found, so search again with the next date range.
    const span = daysBetween(first.start, first.end);
    const nextStart = addDays(first.end, 1);
    const next = { start: nextStart, end: addDays(nextStart, span) };
    return { window: next, slots: await this.searchOnce(provider, next) };
  }

  private async pickSlot(provider: ProviderEndpoint, window?: DateWindow, slotId?: string): Promise<SlotChoice> {
    const found = await this.searchSlots(provider, window);
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

  private async searchOnce(provider: ProviderEndpoint, window: DateWindow): Promise<SlotChoice[]> {
    const pairs: Array<[string, string]> = [
      [SlotSearch.status, SlotSearch.statusFree],
      [SlotSearch.start, SlotSearch.startPrefix + window.start],
      [SlotSearch.end, SlotSearch.endPrefix + window.end],
      [SlotSearch.include, SlotSearch.includeSchedule],
      [SlotSearch.includeRecurse, SlotSearch.includePractitioner],
      [SlotSearch.includeRecurse, SlotSearch.includeLocation],
      [SlotSearch.includeRecurse, SlotSearch.includeManagingOrganization],
      [SlotSearch.searchFilter, `${System.odsOrganizationCode}|${this.config.ods}`],
    ];
    if (this.config.organisationType) pairs.push([SlotSearch.searchFilter, `${System.organisationType}|${this.config.organisationType}`]);
    const answer = await this.ssp.send(this.ssp.draft('4a', provider, Interaction.searchSlot, 'GET', `/Slot?${encodeQuery(pairs)}`));
    if (answer.status !== 200) throw this.refusal('4a', 'Search for free slots', answer);
    if (answer.json?.resourceType !== 'Bundle') throw new StepFailure('4a', 'Search for free slots answered 200 without a Bundle', 200);
    return freeSlots(answer.json);
  }

  // ------------------------------------------------------------------------------ step 5

  private async findOrRegister(provider: ProviderEndpoint, patient: TracedPatient): Promise<{ patientId: string; registered: boolean }> {
    const query = encodeQuery([['identifier', `${System.nhsNumber}|${patient.nhsNumber}`]]);
    const found = await this.ssp.send(this.ssp.draft('5a', provider, Interaction.searchPatient, 'GET', `/Patient?${query}`));
    if (found.status !== 200) throw this.refusal('5a', 'Find a patient', found);
    if (found.json?.resourceType !== 'Bundle') throw new StepFailure('5a', 'Find a patient answered 200 without a Bundle', 200);
    const existing = patientsWithNumber(found.json, patient.nhsNumber)[0];
    if (existing) return { patientId: existing.id, registered: false };

    // No record at the practice: Register a patient (temporary registration, §1, §5.5).
    const body = { resourceType: 'Parameters', parameter: [{ name: REGISTER_PATIENT_PARAMETER, resource: registrationPatient(patient) }] };
    const answer = await this.ssp.send(this.ssp.draft('5c', provider, Interaction.registerPatient, 'POST', '/Patient/$gpc.registerpatient', body));
    if (answer.status !== 200 && answer.status !== 201) throw this.refusal('5c', 'Register a patient', answer);
    const registered = answer.json?.resourceType === 'Patient' ? answer.json : patientsWithNumber(answer.json ?? {}, patient.nhsNumber)[0];
    if (!registered || typeof registered.id !== 'string') throw new StepFailure('5c', 'Register a patient answered without the registered Patient and its logical id', answer.status);
    return { patientId: registered.id, registered: true };
  }

  // ------------------------------------------------------------------------------ step 6

  private sendBooking(provider: ProviderEndpoint, patientId: string, slot: SlotChoice): Promise<SspAnswer> {
    const draft: SspDraft = this.ssp.draft('6a', provider, Interaction.createAppointment, 'POST', '/Appointment', this.appointment(patientId, slot));
    return this.ssp.send(draft);
  }

  /** The Appointment to book (§5.6): the slot's own start and end, patient and location participants, the booking organisation contained. */
  private appointment(patientId: string, slot: SlotChoice): Json {
    const { config } = this;
    const description = `${slot.summary.serviceType ?? 'GP appointment'} booked by ${config.organisationName}`.slice(0, AppointmentLimits.descriptionMaxLength);
    return {
      resourceType: 'Appointment',
      meta: { profile: [GpcProfile.appointment] },
      contained: [
        {
          resourceType: 'Organization',
          id: '1',
          meta: { profile: [GpcProfile.organization] },
          identifier: [{ system: System.odsOrganizationCode, value: config.ods }],
          ...(config.organisationType ? { type: [{ coding: [{ system: System.organisationType, code: config.organisationType }] }] } : {}),
          name: config.organisationName,
          telecom: [{ system: 'phone', value: config.organisationPhone, use: 'work' }],
        },
      ],
      extension: [{ url: GpcAppointmentExtension.bookingOrganisation, valueReference: { reference: '#1' } }],
      status: 'booked',
      description,
      start: slot.start,
      end: slot.end,
      slot: [{ reference: `Slot/${slot.id}` }],
      created: ukDateTime(this.now()),
      participant: [
        { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
        { actor: { reference: slot.location }, status: 'accepted' },
        ...(slot.practitioner ? [{ actor: { reference: slot.practitioner }, status: 'accepted' }] : []),
      ],
    };
  }

  private refusal(step: StepId, what: string, answer: SspAnswer, extra = ''): StepFailure {
    const { code, text } = readOutcome(answer.body);
    return new StepFailure(step, `${what} answered ${answer.status}${code ? ` ${code}` : ''}${text && text !== code ? `: ${text}` : ''}${extra}`, answer.status, code);
  }
}

// --------------------------------------------------------------------------------- helpers

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
