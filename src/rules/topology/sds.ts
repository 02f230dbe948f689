/** Judges of SDS's answers to worked example 2a–2d: the endpoint and the ASID of a practice, and none for a consumer (pds-sds.md §2.2; SDS registration §2.2). */

/** What SDS answered about an organisation: the provider's address, or why there is none. */
export interface SdsAnswer {
  provider?: { serviceRoot: string; partyKey: string; asid: string };
  error?: Error;
}

/** SDS offered no GP Connect endpoint for the organisation. */
export function noEndpoint(answer: SdsAnswer): string[] {
  if (answer.provider) return [`expected SDS to offer no GP Connect endpoint, it offered ${answer.provider.serviceRoot} (party key ${answer.provider.partyKey}, ASID ${answer.provider.asid})`];
  if (!/has no GP Connect endpoint/.test(answer.error?.message ?? '')) return [`expected SDS to answer that there is no GP Connect endpoint, the lookup failed otherwise: ${answer.error?.message}`];
  return [];
}

/** SDS gave this service root under this party key (2a/2b). */
export function endpointGiven(answer: SdsAnswer, serviceRoot: string, partyKey: string): string[] {
  const { provider, error } = answer;
  if (!provider) return [`expected SDS to give the service root ${serviceRoot}, the lookup failed: ${error?.message}`];
  const findings: string[] = [];
  if (provider.serviceRoot !== serviceRoot) findings.push(`expected SDS to give the service root ${serviceRoot}, it gave ${provider.serviceRoot}`);
  if (provider.partyKey !== partyKey) findings.push(`expected SDS to give the party key ${partyKey}, it gave ${provider.partyKey}`);
  return findings;
}

/** SDS gave this ASID for the party key (2c/2d). */
export function asidGiven(answer: SdsAnswer, asid: string): string[] {
  const got = answer.provider?.asid;
  return got === asid ? [] : [`expected SDS to give the ASID ${asid} for the party key, it gave ${got ?? `none (${answer.error?.message})`}`];
}
