import type { AccreditedSystem, DirectoryData, MhsRecord, Organisation, TopologyDescription } from './model';

/** Read-only queries over a validated directory: what SDS answers and what the SSP filters on. */
export class Directory {
  private changes = 0;

  constructor(readonly data: DirectoryData) {}

  /** How many times the data has been changed in place (Spine in a box's amendDirectory and reset): answers kept from before a change are stale. */
  get revision(): number {
    return this.changes;
  }

  /** Say that `data` was just changed in place. */
  changed(): void {
    this.changes += 1;
  }

  organisation(ods: string): Organisation | undefined {
    return this.data.organisations.find((o) => o.ods === ods);
  }

  systemByAsid(asid: string): AccreditedSystem | undefined {
    return this.data.systems.find((s) => s.asid === asid);
  }

  mhsByPartyKey(partyKey: string): MhsRecord | undefined {
    return this.data.mhs.find((m) => m.partyKey === partyKey);
  }

  topology(id: string): TopologyDescription | undefined {
    return this.data.topologies.find((t) => t.id === id);
  }

  /** SDS `/Endpoint`: MHS records matching every criterion given (the MHS lookup, spec §3 step 1). */
  findMhs(query: { organisation?: string; interaction?: string; partyKey?: string }): MhsRecord[] {
    return this.data.mhs.filter(
      (m) =>
        (query.organisation === undefined || m.organisation === query.organisation) &&
        (query.interaction === undefined || m.interactions.includes(query.interaction)) &&
        (query.partyKey === undefined || m.partyKey === query.partyKey),
    );
  }

  /** SDS `/Device`: AS records matching every criterion given (the AS lookup, spec §3 step 2). */
  findSystems(query: { organisation?: string; interaction?: string; partyKey?: string; manufacturer?: string }): AccreditedSystem[] {
    return this.data.systems.filter(
      (s) =>
        (query.organisation === undefined || s.organisation === query.organisation) &&
        (query.interaction === undefined || interactionsOf(s).includes(query.interaction)) &&
        (query.partyKey === undefined || s.partyKey === query.partyKey) &&
        (query.manufacturer === undefined || s.manufacturer === query.manufacturer),
    );
  }

  isCmaEndpoint(partyKey: string, asid: string): boolean {
    return this.data.cmaEndpoints.some((c) => c.partyKey === partyKey && c.asid === asid);
  }

  /** A mutual data sharing agreement between two organisations covering the interaction. */
  hasAgreement(odsA: string, odsB: string, interaction: string): boolean {
    return this.data.agreements.some(
      (a) =>
        a.organisations.includes(odsA) &&
        a.organisations.includes(odsB) &&
        (a.interactions === undefined || a.interactions.includes(interaction)),
    );
  }

  /** The provider system registered for a practice (at most one: SDS guidance §1.3). */
  providerFor(ods: string): AccreditedSystem | undefined {
    return this.data.systems.find((s) => s.role === 'provider' && s.organisation === ods);
  }

  /** The provider's registered FHIR service root (nhsMhsEndPoint), via its AS record's party key. */
  serviceRootOf(system: AccreditedSystem): string | undefined {
    return this.mhsByPartyKey(system.partyKey)?.address;
  }

  consumers(): AccreditedSystem[] {
    return this.data.systems.filter((s) => s.role === 'consumer');
  }

  providers(): AccreditedSystem[] {
    return this.data.systems.filter((s) => s.role === 'provider');
  }
}

/** Everything an AS record is accredited for (nhsAsSvcIA): what it may send and what it may receive. */
export function interactionsOf(system: AccreditedSystem): string[] {
  return [...new Set([...system.sends, ...system.receives])];
}
