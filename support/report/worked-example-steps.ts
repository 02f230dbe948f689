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
