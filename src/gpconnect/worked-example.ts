/**
 * The Spine worked example (gpconnect-spec.md §1, pds-sds.md §2.2) as the reports name its steps,
 * and which step a journalled exchange performs. The step names are the ones the consumer judges
 * use in their messages (src/rules/consumer/judges-common.ts), so a diagram and a failure read alike.
 */
import { Header, Interaction } from './constants';
import { headerValue, type JournalEntry } from './exchange';

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

/**
 * The Spine worked example's steps as scenarios tag them (`@step:4c`), in words for the report
 * (gpconnect-spec.md §1, SPEC integration_illustrated). In steps 3 to 6 the letters are the legs of
 * one request through the SSP: a consumer → SSP, b SSP → provider, c the provider answers,
 * d SSP → consumer.
 */
const STEPS: Record<string, string> = {
  '1': 'PDS trace',
  '2': 'SDS endpoint and ASID lookup',
  '3': 'Get the capability statement',
  '4': 'Search for free slots',
  '5': 'Find a patient',
  '6': 'Book an appointment',
};

const LEGS: Record<string, Record<string, string>> = {
  '1': { a: 'the consumer asks PDS', b: 'PDS answers' },
  '2': { a: 'the consumer asks SDS for the endpoint', b: 'SDS gives the service root and party key', c: 'the consumer asks SDS for the ASID', d: 'SDS gives the ASID' },
  via: { a: 'the consumer sends it to the SSP', b: 'the SSP checks and forwards it', c: 'the provider answers', d: 'the SSP passes the answer back' },
};

/** "4c Search for free slots: the provider answers"; an unknown code is returned as it is. */
export function workedExampleStepName(code: string): string {
  const match = code.match(/^([1-6])([a-d])?$/);
  if (!match) return code;
  const [, step, leg] = match;
  const legs = LEGS[step] ?? LEGS.via;
  return leg && legs[leg] ? `${code} ${STEPS[step]}: ${legs[leg]}` : `${code} ${STEPS[step]}`;
}
