/**
 * The worked example's alternative paths, made to happen in Spine in a box for one scenario
 * (gpconnect-spec.md §1, §2.4, §5.6). Each is undone when Spine in a box resets before the next.
 */
import { Interaction } from '../../gpconnect/constants';
import type { SpineInABox } from '../../spine/spine';
import { addDays, ukToday } from '../../gpconnect/dates';

function practiceOf(spine: SpineInABox, ods: string) {
  const practice = spine.practice(ods);
  if (!practice) throw new Error(`Spine in a box serves no reference practice ${ods}`);
  return practice;
}

/** The patient is on PDS and registered at the practice: the scenario's test data is what it says. */
export function expectPatientAt(spine: SpineInABox, nhsNumber: string, ods: string): void {
  const patient = spine.patients.find((p) => p.nhsNumber === nhsNumber);
  if (!patient || patient.gp !== ods) throw new Error(`test data: PDS has ${nhsNumber} ${patient ? `registered at ${patient.gp ?? 'no practice'}` : 'nowhere'}, not at ${ods} (data/patients.yaml)`);
}

/** 4c: every slot for the next `days` days is taken, so a search of any window starting before then finds none. */
export function noFreeSlotsForDays(spine: SpineInABox, ods: string, days: number): void {
  const until = addDays(ukToday(), days);
  for (const slot of practiceOf(spine, ods).state.slots()) if (slot.start.slice(0, 10) <= until) slot.status = 'busy';
}

/** 6a: another consumer books the slot a moment before this one does: the provider answers 409. */
export function slotTakenBeforeBooking(spine: SpineInABox, ods: string): void {
  const practice = practiceOf(spine, ods);
  practice.interference = [...(practice.interference ?? []), { kind: 'slot-taken-before-booking' }];
}

/** The practice system fails with 500 on booking. */
export function practiceFailsBooking(spine: SpineInABox, ods: string): void {
  const practice = practiceOf(spine, ods);
  practice.interference = [...(practice.interference ?? []), { kind: 'fails', interaction: Interaction.createAppointment }];
}

/** The practice system answers bookings later than the SSP waits: the SSP answers 504. */
export function practiceTooSlowToBook(spine: SpineInABox, ods: string, sspTimeoutMs = 1000): void {
  const practice = practiceOf(spine, ods);
  spine.sspSettings.timeoutMs = sspTimeoutMs;
  practice.interference = [...(practice.interference ?? []), { kind: 'slow', interaction: Interaction.createAppointment, delayMs: sspTimeoutMs + 1000 }];
}

/** The practice system adds unknown extensions and elements, Bundle.entry.fullUrl and a searchset outcome entry to its answers (src/spine/provider/tolerance.ts). */
export function practiceAddsNoise(spine: SpineInABox, ods: string): void {
  const practice = practiceOf(spine, ods);
  practice.interference = [...(practice.interference ?? []), { kind: 'noise' }];
}

/** PDS answers the NHS number with the record that replaced it (data/patients.yaml supersededBy). */
export function expectSuperseded(spine: SpineInABox, nhsNumber: string, by: string): void {
  const patient = spine.patients.find((p) => p.nhsNumber === nhsNumber);
  if (patient?.supersededBy !== by) throw new Error(`test data: PDS has ${nhsNumber} ${patient ? `superseded by ${patient.supersededBy ?? 'nothing'}` : 'nowhere'}, not by ${by} (data/patients.yaml)`);
}

/** The SSP cannot reach the practice: 502. */
export function practiceUnreachable(spine: SpineInABox, ods: string): void {
  spine.makeUnreachable(ods);
}

/** No data sharing agreement between the organisations: the SSP refuses with 403 FOT_CHECK_FAILED. */
export function withdrawAgreement(spine: SpineInABox, consumerOds: string, practiceOds: string): void {
  spine.amendDirectory((data) => {
    data.agreements = data.agreements.filter((a) => !(a.organisations.includes(consumerOds) && a.organisations.includes(practiceOds)));
  });
}

/** The consumer's ASID is not accredited to send the interaction: the SSP refuses with 403 ASID_CHECK_FAILED_MESSAGESENDER. */
export function senderNotAuthorised(spine: SpineInABox, asid: string, interaction: string): void {
  spine.amendDirectory((data) => {
    for (const system of data.systems) if (system.asid === asid) system.sends = system.sends.filter((i) => i !== interaction);
  });
}

/** The consumer system's ASID is accredited to send the interaction too (its AS record lists it): an aggregator's AS record updated after accreditation for cancel, say. */
export function accreditToSend(spine: SpineInABox, asid: string, interaction: string): void {
  spine.amendDirectory((data) => {
    for (const system of data.systems) if (system.asid === asid && !system.sends.includes(interaction)) system.sends = [...system.sends, interaction];
  });
}

/** SDS holds no GP Connect endpoint for the practice. */
export function noEndpointFor(spine: SpineInABox, ods: string): void {
  spine.amendDirectory((data) => {
    for (const mhs of data.mhs) if (mhs.organisation === ods) mhs.interactions = [];
  });
}
