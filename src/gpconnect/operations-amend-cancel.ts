/**
 * Amend an appointment and Cancel an appointment as they go on the wire
 * (appointments_use_case_amend_an_appointment, appointments_use_case_cancel_an_appointment): both are
 * `PUT [base]/Appointment/[id]` with the whole Appointment, told apart only by Ssp-InteractionID. The
 * Appointment sent is the one read back, changed in place as the pages recommend; `If-Match` carries
 * the version the consumer read (development_general_api_guidance "Managing resource contention").
 */
import { GpcAppointmentExtension, Header, Interaction } from './constants';
import type { GpcOperation } from './operations';

type Json = Record<string, any>;

/** A request header the operation needs beyond those every GP Connect request carries. */
export type ExtraHeader = readonly [name: string, value: string];

/** An amendment or a cancellation, and the If-Match it is sent with (none: the header is left out). */
export interface AppointmentUpdate {
  operation: GpcOperation;
  ifMatch?: string;
}

const segment = encodeURIComponent;

/** Amend an appointment: `PUT /Appointment/[id]` with the Appointment as amended (interaction update:appointment-1). */
export function amendAnAppointment(appointment: Json, id: string = appointment.id): GpcOperation {
  return { name: 'Amend an appointment', interaction: Interaction.updateAppointment, method: 'PUT', path: `/Appointment/${segment(id)}`, query: [], body: appointment };
}

/** Cancel an appointment: `PUT /Appointment/[id]` with the Appointment as cancelled (interaction cancel:appointment-1). */
export function cancelAnAppointment(appointment: Json, id: string = appointment.id): GpcOperation {
  return { name: 'Cancel an appointment', interaction: Interaction.cancelAppointment, method: 'PUT', path: `/Appointment/${segment(id)}`, query: [], body: appointment };
}

/** The weak ETag of a version, as If-Match quotes it: `W/"23"`. */
export function weakEtag(versionId: string): string {
  return `W/"${versionId}"`;
}

/** The If-Match header for a version, or none. */
export function ifMatchHeader(ifMatch: string | undefined): ExtraHeader | undefined {
  return ifMatch === undefined ? undefined : [Header.ifMatch, ifMatch];
}

/** The cancellation reason extension (Extension-GPConnect-AppointmentCancellationReason-1, a valueString). */
export function cancellationReason(reason: string, url: string = GpcAppointmentExtension.cancellationReason): Json {
  return { url, valueString: reason };
}

/** The Appointment read back, cancelled: status cancelled and the cancellation reason extension, nothing else changed. */
export function cancelled(appointment: Json, reason: string, url?: string): Json {
  const extension = (appointment.extension ?? []).filter((e: Json) => e?.url !== GpcAppointmentExtension.cancellationReason);
  return { ...structuredClone(appointment), status: 'cancelled', extension: [...structuredClone(extension), cancellationReason(reason, url)] };
}
