/**
 * Shared shapes of the reference GP Connect provider (issue 3). The provider is MSW handlers like
 * the rest of Spine in a box; its modules share this context so each can be written and tested alone.
 *
 *   guard.ts         provider-side checks of Ssp-* headers, the JWT, content negotiation
 *   foundations.ts   GET /metadata, Find a patient, Register a patient
 *   state.ts         in-memory practice state seeded from data/practices/*.yaml
 *   slots.ts         Search for free slots
 *   appointments.ts  Book an appointment, Read an appointment
 */
import type { PdsPatient } from '../directory/model';
import type { Interference } from './interference';

/** A patient record the practice holds (CareConnect-GPC-Patient-1 facts). */
export interface PracticePatient {
  /** Logical id, e.g. "2". */
  id: string;
  nhsNumber: string;
  family: string;
  given: string[];
  prefix?: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  /** 'R' patients are sensitive: omitted from Find a patient (foundations_use_case_find_a_patient). */
  sensitive?: boolean;
  deceased?: boolean;
  active: boolean;
  /** GMS (registered) or T (temporary, from Register a patient). */
  registrationType: 'R' | 'T';
  versionId: string;
  address?: { line: string[]; city?: string; postalCode: string };
  phone?: string;
}

export interface Practitioner {
  id: string;
  sdsUserId: string;
  family: string;
  given: string[];
  prefix?: string;
  gender?: string;
  /** SDS job role code, e.g. R0260 "General Medical Practitioner". */
  roleCode: string;
  roleDisplay: string;
}

export interface Location {
  id: string;
  name: string;
  odsSiteCode?: string;
  address: { line: string[]; city?: string; postalCode: string };
  /** Work phone number (optional, added for Location.telecom). */
  phone?: string;
}

/** The practice organisation's details (Organization resource, booking checks). Added for state.ts. */
export interface PracticeOrganisation {
  ods: string;
  name: string;
  id: string;
  phone: string;
  address: { line: string[]; city?: string; district?: string; postalCode: string };
}

export interface Schedule {
  id: string;
  practitionerId: string;
  locationId: string;
  serviceCategory: string;
  serviceType: string;
  /** Delivery channel: In-person | Telephone | Video. */
  deliveryChannel: 'In-person' | 'Telephone' | 'Video';
  /** Organisations (ODS codes) and org types the slots of this schedule are offered to; empty = everyone. */
  bookableOdsCodes: string[];
  bookableOrgTypes: string[];
}

export interface Slot {
  id: string;
  scheduleId: string;
  /** yyyy-mm-ddThh:mm:ss+hh:mm in UK local time. */
  start: string;
  end: string;
  status: 'free' | 'busy';
}

/** Schedule.planningHorizon: a Period, in the slots' UK local form. */
export interface PlanningHorizon {
  start: string;
  end: string;
}

export interface Appointment {
  id: string;
  versionId: string;
  /** The Appointment resource as stored (the booked body with id, meta and server-set fields). */
  resource: Record<string, unknown>;
}

/** What the practice holds and how it changes. Implemented by state.ts. */
export interface ProviderState {
  readonly ods: string;
  readonly organisationName: string;
  readonly organisationId: string;
  /** Telecom and address of the practice (optional so that small test doubles need not carry it). */
  readonly organisation?: PracticeOrganisation;
  patients(): PracticePatient[];
  patientByNhsNumber(nhsNumber: string): PracticePatient | undefined;
  patientById(id: string): PracticePatient | undefined;
  /** Adds a temporary registration (or re-activates an inactive record as temporary). */
  registerPatient(patient: Omit<PracticePatient, 'id' | 'versionId' | 'registrationType' | 'active'>): PracticePatient;
  practitioners(): Practitioner[];
  locations(): Location[];
  schedules(): Schedule[];
  slots(): Slot[];
  /** A schedule's first slot's start to its last slot's end. Optional so that small test doubles need not carry it: worked out from slots() then. */
  planningHorizon?(scheduleId: string): PlanningHorizon | undefined;
  slotById(id: string): Slot | undefined;
  /** Marks the slots busy and stores the appointment; returns it with id and versionId. */
  book(resource: Record<string, unknown>, slotIds: string[]): Appointment;
  appointmentById(id: string): Appointment | undefined;
  /** Replaces a stored appointment (amended or cancelled) with the next versionId; returns it. Optional so that small test doubles need not carry it. */
  update?(id: string, resource: Record<string, unknown>): Appointment;
  /** Marks the slots free (a cancelled appointment's). Optional, as update. */
  freeSlots?(slotIds: string[]): void;
  /** Every appointment of the patient with this logical id (Retrieve a patient's appointments). */
  appointmentsOf(patientId: string): Appointment[];
}

/**
 * Lawful choices a route makes differently from the reference provider's default: set by its
 * conformant variants (variants.ts), each where the standard leaves the choice to the supplier.
 */
export interface ProviderChoices {
  /** Read a slot search bound written with Z or another offset as the instant it names (search page: the UK offset is a consumer SHALL). */
  acceptAnyOffset?: boolean;
  /** Read a slot search bound without its ge/le prefix as if it had it (search page: the prefixes are a consumer SHALL). */
  acceptMissingPrefix?: boolean;
  /** Store a booking description longer than 100 characters whole (book page: providers support at least 100, and SHALL NOT truncate). */
  storeLongDescriptions?: boolean;
  /** Read a repeated identifier in Find a patient as FHIR does, all must match, rather than refuse it (PTEST's 400; the find page is silent). */
  repeatedIdentifiersAsAnd?: boolean;
  /** Answer a booking with the whole Appointment whatever Prefer asks (general API guidance: honouring Prefer is a SHOULD; the default, representation, a SHALL). */
  ignorePrefer?: boolean;
  /** Keep a cancelled appointment's slots busy (cancel page: the Slot changes "in line with any internal integrity constraints"). */
  keepSlotsOnCancel?: boolean;
  /** Store an amended description and comment in one field, description, with a delimiter (amend page: providers MAY concatenate them). */
  concatenateAmendedText?: boolean;
}

/** Everything a route handler needs. */
export interface ProviderContext {
  /** The provider's FHIR service root as registered in SDS (no trailing slash). */
  serviceRoot: string;
  ods: string;
  asid: string;
  state: ProviderState;
  /** PDS as the practice sees it (for Register a patient's PDS checks). */
  pds: PdsPatient[];
  /** The clock, so tests and rolling slot windows can fix "now". */
  now: () => Date;
  /** The lawful choices of this run's conformant variants (none: the reference provider's own). */
  choices?: ProviderChoices;
  /** What the harness does to the practice for one consumer scenario (interference.ts). */
  interference?: Interference[];
  /** Serves application/fhir+xml as well as JSON (server.ts sets it from its XML codec): the CapabilityStatement's formats say so. */
  servesXml?: boolean;
}
