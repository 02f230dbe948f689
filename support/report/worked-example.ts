/**
 * The Spine worked example (gpconnect-spec.md §1, pds-sds.md §2.2) as the reports name its steps,
 * and which step a journalled exchange performs. The step names are the ones the consumer judges
 * use in their messages (support/consumer/judges-common.ts), so a diagram and a failure read alike.
 */
import { Header, Interaction } from '../constants';
import { headerValue, type JournalEntry } from '../spine/journal';

/** The step an SSP request (or its provider hop) performs, by its Ssp-InteractionID. */
export const STEP_FOR_INTERACTION: Readonly<Record<string, string>> = {
  [Interaction.readMetadata]: '3a Get the capability statement',
  [Interaction.searchSlot]: '4a Search for free slots',
  [Interaction.searchPatient]: '5a Find a patient',
  // Register a patient is step 5's alternative path (no record at the practice): its own request
  // through the SSP, so leg a like Find a patient (the letters are legs, not alternatives).
  [Interaction.registerPatient]: '5a Register a patient',
  [Interaction.createAppointment]: '6a Book an appointment',
  [Interaction.readAppointment]: '6 Read an appointment',
  [Interaction.readPatient]: '5a Read a patient',
};

export const PDS_TRACE_STEP = '1a PDS trace';
export const SDS_ENDPOINT_STEP = '2a SDS endpoint lookup';
export const SDS_ASID_STEP = '2c SDS ASID lookup';

/** The steps a booking consumer is expected to take, in order: the diagram's side panel. */
export const WORKED_EXAMPLE_STEPS: ReadonlyArray<{ code: string; title: string }> = [
  { code: '1a', title: 'PDS trace' },
  { code: '2a', title: 'SDS endpoint lookup' },
  { code: '2c', title: 'SDS ASID lookup' },
  { code: '3a', title: 'Get the capability statement' },
  { code: '4a', title: 'Search for free slots' },
  { code: '5a', title: 'Find a patient' },
  { code: '5a', title: 'Register a patient' },
  { code: '6a', title: 'Book an appointment' },
];

/** "4a Search for free slots" → "4a". */
export function stepCode(step: string): string {
  return step.split(' ')[0];
}

function pathOf(entry: JournalEntry): string {
  return entry.target.split('?')[0];
}

/** The worked-example step an exchange performs, e.g. "2c SDS ASID lookup", or undefined. */
export function workedExampleStep(entry: JournalEntry): string | undefined {
  const path = pathOf(entry);
  switch (entry.service) {
    case 'pds':
      return entry.method === 'GET' && /\/Patient\/[^/]+$/.test(path) ? PDS_TRACE_STEP : undefined;
    case 'sds':
      if (path.endsWith('/Endpoint')) return SDS_ENDPOINT_STEP;
      return path.endsWith('/Device') ? SDS_ASID_STEP : undefined;
    default:
      return stepFor(headerValue(entry.requestHeaders, Header.sspInteractionId));
  }
}

/** The step an interaction ID performs; own keys only, so a header such as "constructor" finds nothing. */
export function stepFor(interaction: string | undefined): string | undefined {
  return interaction !== undefined && Object.hasOwn(STEP_FOR_INTERACTION, interaction) ? STEP_FOR_INTERACTION[interaction] : undefined;
}
