/**
 * The reference provider's in-memory practice state, seeded from data/practices/<ODS>.yaml
 * (schema: data/practice.schema.json). Slots are not stored in the file: they are generated from a
 * template over a rolling window from "now", in UK local time with the right offset for each date
 * (+00:00 GMT, +01:00 BST; gpconnect-spec.md §5.3), computed with Intl for Europe/London.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../../schema-validator';
import { yamlDocumentOnce } from '../../yaml-cache';
import { isValidNhsNumber } from '../../gpconnect/nhs-number';
import type {
  Appointment,
  Location,
  PracticeOrganisation,
  PlanningHorizon,
  PracticePatient,
  Practitioner,
  ProviderState,
  Schedule,
  Slot,
} from './context';
import schema from './practice.schema.json';
import { formatUk, londonParts, londonToInstant, pad } from '../../gpconnect/uk-time';
import { packagePath } from '../../package-root';

export { formatUk, londonOffsetMinutes, londonParts, londonToInstant, formatOffset } from '../../gpconnect/uk-time';

export const PRACTICE_DATA_DIR = packagePath('data', 'practices');

// ------------------------------------------------------------------------------------------ file

export interface Session {
  days: Weekday[];
  start: string;
  end: string;
}
export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';
const WEEKDAYS: Weekday[] = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface ScheduleData extends Omit<Schedule, 'bookableOdsCodes' | 'bookableOrgTypes'> {
  bookableOdsCodes?: string[];
  bookableOrgTypes?: string[];
  sessions: Session[];
}

/** One practice file as it is written (data/practice.schema.json). */
export interface PracticeData {
  organisation: PracticeOrganisation;
  practitioners: Practitioner[];
  locations: Location[];
  patients: PracticePatient[];
  slotTemplate: { days: number; slotMinutes: number; busyEvery: number };
  schedules: ScheduleData[];
}

export interface PracticeProblem {
  /** Which entry: `schedules[2] (id "5")`, a YAML line, or `(top level)`. */
  entry: string;
  /** Which field of it, e.g. `deliveryChannel` (empty for the entry as a whole). */
  field: string;
  message: string;
}

/** A practice file that cannot be used: every problem names the file, the entry and the field. */
export class PracticeDataError extends Error {
  constructor(
    readonly file: string,
    readonly problems: PracticeProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem(s) in the practice data\n` +
        problems.map((p) => `  - ${p.entry}${p.field ? `, field ${p.field}` : ''}: ${p.message}`).join('\n'),
    );
    this.name = 'PracticeDataError';
  }
}

/** Thrown by `book` when a slot is not free any more (→ 409 DUPLICATE_REJECTED, §5.6). */
export class SlotNotFreeError extends Error {
  constructor(readonly slotId: string) {
    super(`Slot/${slotId} is not free`);
    this.name = 'SlotNotFreeError';
  }
}

const validate = schemaValidator('src/spine/provider/practice.schema.json', schema);

export interface LoadOptions {
  /** "Now" for the rolling slot window (default: the current time). */
  now?: Date;
  /** The YAML file (default: data/practices/<ods>.yaml). */
  file?: string;
}

export function loadPracticeState(ods: string, options: LoadOptions = {}): ProviderState {
  if (!options.file && !/^[A-Z0-9]{3,10}$/.test(ods)) throw new PracticeDataError(`<${ods}>`, [{ entry: '(ODS code)', field: '', message: `${JSON.stringify(ods)} is not an ODS code` }]);
  const file = options.file ?? path.join(PRACTICE_DATA_DIR, `${ods}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PracticeDataError(file, [{ entry: '(file)', field: '', message: `cannot read the file: ${(error as Error).message}` }]);
  }
  const original = parsedOnce(text, file, ods);
  // PracticeState copies what it keeps: the parsed data, shared by every reset, is never changed.
  const window = slotWindow(original, options.now ?? new Date());
  return new PracticeState(original, window.map((slot) => ({ ...slot })), window);
}

/** The rolling window depends only on the day in London: generated once per practice and day, copied per state. */
const generated = new WeakMap<PracticeData, Map<string, Slot[]>>();

/** The day in London an instant falls on, as the slot window is keyed: a new day, a new window. */
export function slotWindowDay(now: Date): string {
  const today = londonParts(now);
  return `${today.year}-${today.month}-${today.day}`;
}

function slotWindow(data: PracticeData, now: Date): readonly Slot[] {
  const day = slotWindowDay(now);
  const byDay = generated.get(data) ?? new Map<string, Slot[]>();
  generated.set(data, byDay);
  let slots = byDay.get(day);
  if (!slots) {
    slots = generateSlots(data, now);
    byDay.set(day, slots);
  }
  return slots;
}

/**
 * Each schedule's planning horizon in a slot window (its first slot's start to its last slot's end),
 * worked out once per window: booking changes a slot's status, never its times, so every state
 * copied from the window has the same horizons.
 */
const horizons = new WeakMap<readonly Slot[], Map<string, PlanningHorizon | undefined>>();

function horizonIn(window: readonly Slot[], scheduleId: string): PlanningHorizon | undefined {
  let bySchedule = horizons.get(window);
  if (!bySchedule) {
    bySchedule = new Map();
    horizons.set(window, bySchedule);
  }
  if (!bySchedule.has(scheduleId)) bySchedule.set(scheduleId, horizonOf(window.filter((s) => s.scheduleId === scheduleId)));
  return bySchedule.get(scheduleId);
}

/** The horizon of a schedule's slots: the earliest start to the latest end, undefined for none. */
export function horizonOf(own: readonly Slot[]): PlanningHorizon | undefined {
  if (own.length === 0) return undefined;
  return {
    start: own.reduce((a, b) => (Date.parse(b.start) < Date.parse(a.start) ? b : a)).start,
    end: own.reduce((a, b) => (Date.parse(b.end) > Date.parse(a.end) ? b : a)).end,
  };
}

/** Parsed and checked data by file and text: a practice starts again before every scenario, and parsing is the slow part. */
const parsed = new Map<string, { text: string; data: PracticeData }>();

function parsedOnce(text: string, file: string, ods: string): PracticeData {
  const key = `${file}\u0000${ods}`;
  const cached = parsed.get(key);
  if (cached?.text === text) return cached.data;
  const data = parsePracticeData(text, file, ods);
  parsed.set(key, { text, data });
  return data;
}

export function parsePracticeData(text: string, file: string, ods: string): PracticeData {
  const doc = yamlDocumentOnce(text);
  if (doc.errors.length > 0) {
    throw new PracticeDataError(
      file,
      doc.errors.map((e) => ({ entry: `line ${e.linePos?.[0]?.line ?? '?'}`, field: '', message: e.message.split('\n')[0] })),
    );
  }
  const raw: unknown = doc.value;
  if (!validate(raw)) throw new PracticeDataError(file, (validate.errors ?? []).map((e) => schemaProblem(e, raw)));
  const data = raw as unknown as PracticeData;
  const problems = checkPracticeRules(data, ods);
  if (problems.length > 0) throw new PracticeDataError(file, problems);
  return data;
}

/** Turns an ajv error into "entry, field: message" (e.g. `schedules[2] (id "5")`, `deliveryChannel`). */
function schemaProblem(error: ErrorObject, raw: unknown): PracticeProblem {
  const parts = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let entry = '(top level)';
  let fieldParts = parts;
  if (parts.length >= 2 && /^[0-9]+$/.test(parts[1])) {
    const item = (raw as Record<string, unknown[]>)[parts[0]]?.[Number(parts[1])] as Record<string, unknown> | undefined;
    const id = item && typeof item === 'object' ? (item.id ?? item.nhsNumber) : undefined;
    entry = `${parts[0]}[${parts[1]}]${id !== undefined ? ` (id ${JSON.stringify(id)})` : ''}`;
    fieldParts = parts.slice(2);
  } else if (parts.length >= 1) {
    entry = parts[0];
    fieldParts = parts.slice(1);
  }
  const params = error.params as Record<string, unknown>;
  if (typeof params.missingProperty === 'string') fieldParts = [...fieldParts, params.missingProperty];
  if (typeof params.additionalProperty === 'string') fieldParts = [...fieldParts, params.additionalProperty];
  let message = error.message ?? 'is not valid';
  if (Array.isArray(params.allowedValues)) message += `: ${params.allowedValues.join(', ')}`;
  return { entry, field: fieldParts.join('.'), message };
}

/** What the schema cannot say: the ODS code, unique ids, references, NHS numbers, session times. */
export function checkPracticeRules(data: PracticeData, ods: string): PracticeProblem[] {
  const problems: PracticeProblem[] = [];
  if (data.organisation.ods !== ods) {
    problems.push({ entry: 'organisation', field: 'ods', message: `is ${data.organisation.ods}, but the file was loaded for ${ods}` });
  }
  const unique = (list: string, items: Array<{ id: string }>) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first !== undefined) problems.push({ entry: `${list}[${i}] (id "${item.id}")`, field: 'id', message: `duplicate id: also ${list}[${first}]` });
      else seen.set(item.id, i);
    });
  };
  unique('practitioners', data.practitioners);
  unique('locations', data.locations);
  unique('patients', data.patients);
  unique('schedules', data.schedules);
  const numbers = new Map<string, number>();
  data.patients.forEach((p, i) => {
    const entry = `patients[${i}] (id "${p.id}")`;
    if (!isValidNhsNumber(p.nhsNumber)) problems.push({ entry, field: 'nhsNumber', message: `${p.nhsNumber} fails the modulus-11 check` });
    const first = numbers.get(p.nhsNumber);
    if (first !== undefined) problems.push({ entry, field: 'nhsNumber', message: `duplicate NHS number: also patients[${first}]` });
    else numbers.set(p.nhsNumber, i);
  });
  data.schedules.forEach((s, i) => {
    const entry = `schedules[${i}] (id "${s.id}")`;
    if (!data.practitioners.some((p) => p.id === s.practitionerId)) problems.push({ entry, field: 'practitionerId', message: `no practitioner has id "${s.practitionerId}"` });
    if (!data.locations.some((l) => l.id === s.locationId)) problems.push({ entry, field: 'locationId', message: `no location has id "${s.locationId}"` });
    s.sessions.forEach((session, j) => {
      if (session.start >= session.end) problems.push({ entry, field: `sessions[${j}]`, message: `starts at ${session.start}, not before its end ${session.end}` });
    });
  });
  return problems;
}

// ------------------------------------------------------------------------------------------ slots

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The slots of every schedule for `slotTemplate.days` UK calendar days from the UK date of `now`
 * (today included, so some of today's may already have started: search and book leave those out).
 */
export function generateSlots(data: PracticeData, now: Date): Slot[] {
  const today = londonParts(now);
  const { days, slotMinutes, busyEvery } = data.slotTemplate;
  const slots: Slot[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + d));
    const [y, m, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const weekday = WEEKDAYS[date.getUTCDay()];
    const ymd = `${pad(y, 4)}${pad(m)}${pad(day)}`;
    for (const schedule of data.schedules) {
      for (const session of schedule.sessions) {
        if (!session.days.includes(weekday)) continue;
        const end = minutesOf(session.end);
        for (let start = minutesOf(session.start), k = 1; start + slotMinutes <= end; start += slotMinutes, k++) {
          const from = londonToInstant(y, m, day, Math.floor(start / 60), start % 60);
          const to = londonToInstant(y, m, day, Math.floor((start + slotMinutes) / 60), (start + slotMinutes) % 60);
          slots.push({
            id: `${schedule.id}-${ymd}${pad(Math.floor(start / 60))}${pad(start % 60)}`,
            scheduleId: schedule.id,
            start: formatUk(from),
            end: formatUk(to),
            status: busyEvery > 0 && k % busyEvery === 0 ? 'busy' : 'free',
          });
        }
      }
    }
  }
  return slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.scheduleId.localeCompare(b.scheduleId, 'en', { numeric: true }));
}

// ------------------------------------------------------------------------------------------ state

/**
 * A deep copy of parsed practice data (plain objects, arrays, strings, numbers, booleans, null): a
 * practice starts again for every scenario, and structuredClone took three times as long.
 */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key]);
  return copy as T;
}

class PracticeState implements ProviderState {
  readonly ods: string;
  readonly organisationName: string;
  readonly organisationId: string;
  readonly organisation: PracticeOrganisation;
  private readonly patientList: PracticePatient[];
  private readonly practitionerList: Practitioner[];
  private readonly locationList: Location[];
  private readonly scheduleList: Schedule[];
  private readonly slotList: Slot[];
  private readonly slotIndex = new Map<string, Slot>();
  private readonly appointments = new Map<string, Appointment>();
  private nextAppointmentId = 1;

  constructor(
    data: PracticeData,
    slots: Slot[],
    private readonly window: readonly Slot[],
  ) {
    this.ods = data.organisation.ods;
    this.organisationName = data.organisation.name;
    this.organisationId = data.organisation.id;
    this.organisation = clone(data.organisation);
    this.patientList = clone(data.patients);
    this.practitionerList = clone(data.practitioners);
    this.locationList = clone(data.locations);
    this.scheduleList = data.schedules.map(({ sessions: _sessions, ...s }) => ({
      ...clone(s),
      bookableOdsCodes: [...(s.bookableOdsCodes ?? [])],
      bookableOrgTypes: [...(s.bookableOrgTypes ?? [])],
    }));
    this.slotList = slots;
    for (const slot of slots) this.slotIndex.set(slot.id, slot);
  }

  patients(): PracticePatient[] {
    return this.patientList;
  }
  patientByNhsNumber(nhsNumber: string): PracticePatient | undefined {
    return this.patientList.find((p) => p.nhsNumber === nhsNumber);
  }
  patientById(id: string): PracticePatient | undefined {
    return this.patientList.find((p) => p.id === id);
  }

  /** A new temporary registration with a new id, or an inactive record re-activated as temporary (§5.5). */
  registerPatient(patient: Omit<PracticePatient, 'id' | 'versionId' | 'registrationType' | 'active'>): PracticePatient {
    const existing = this.patientByNhsNumber(patient.nhsNumber);
    if (existing) {
      if (existing.active) throw new Error(`patient ${patient.nhsNumber} is already registered and active`);
      Object.assign(existing, clone(patient), { active: true, registrationType: 'T', versionId: String(Number(existing.versionId) + 1) });
      return existing;
    }
    const id = String(Math.max(0, ...this.patientList.map((p) => Number(p.id)).filter(Number.isFinite)) + 1);
    const created: PracticePatient = { ...clone(patient), id, versionId: '1', registrationType: 'T', active: true };
    this.patientList.push(created);
    return created;
  }

  practitioners(): Practitioner[] {
    return this.practitionerList;
  }
  locations(): Location[] {
    return this.locationList;
  }
  schedules(): Schedule[] {
    return this.scheduleList;
  }
  slots(): Slot[] {
    return this.slotList;
  }
  planningHorizon(scheduleId: string): PlanningHorizon | undefined {
    return horizonIn(this.window, scheduleId);
  }
  slotById(id: string): Slot | undefined {
    return this.slotIndex.get(id);
  }

  /**
   * All or nothing: throws SlotNotFreeError (and changes nothing) if any slot is unknown or busy;
   * otherwise marks them busy and stores the appointment with a new id and versionId "1".
   */
  book(resource: Record<string, unknown>, slotIds: string[]): Appointment {
    for (const id of slotIds) {
      const slot = this.slotIndex.get(id);
      if (!slot || slot.status !== 'free') throw new SlotNotFreeError(id);
    }
    for (const id of slotIds) this.slotIndex.get(id)!.status = 'busy';
    const id = String(this.nextAppointmentId++);
    const versionId = '1';
    const meta = { ...((resource.meta as Record<string, unknown> | undefined) ?? {}), versionId };
    const stored = { resourceType: 'Appointment', id, meta, ...withoutKeys(clone(resource), ['resourceType', 'id', 'meta']) };
    const appointment: Appointment = { id, versionId, resource: stored };
    this.appointments.set(id, appointment);
    return appointment;
  }

  appointmentById(id: string): Appointment | undefined {
    return this.appointments.get(id);
  }

  /** Amend an appointment, Cancel an appointment: the stored resource replaced, its versionId the next one (throws for an id it does not have). */
  update(id: string, resource: Record<string, unknown>): Appointment {
    const current = this.appointments.get(id);
    if (!current) throw new Error(`no appointment has the id ${id}`);
    const versionId = String(Number(current.versionId) + 1);
    const meta = { ...((resource.meta as Record<string, unknown> | undefined) ?? {}), versionId };
    const stored = { resourceType: 'Appointment', id, meta, ...withoutKeys(clone(resource), ['resourceType', 'id', 'meta']) };
    const appointment: Appointment = { id, versionId, resource: stored };
    this.appointments.set(id, appointment);
    return appointment;
  }

  /** Cancel an appointment: its slots free again (appointments_use_case_cancel_an_appointment: the Slot "subsequently reflects the cancellation"). */
  freeSlots(slotIds: string[]): void {
    for (const id of slotIds) {
      const slot = this.slotIndex.get(id);
      if (slot) slot.status = 'free';
    }
  }

  /** Every appointment whose patient participant is Patient/{patientId}, as stored (Retrieve a patient's appointments). */
  appointmentsOf(patientId: string): Appointment[] {
    const patientOf = (a: Appointment) => (Array.isArray(a.resource.participant) ? (a.resource.participant as Array<{ actor?: { reference?: unknown } }>) : []).some((p) => p?.actor?.reference === `Patient/${patientId}`);
    return [...this.appointments.values()].filter(patientOf);
  }
}

function withoutKeys(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) out[k] = v;
  return out;
}
