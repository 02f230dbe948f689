import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { DEFAULT_TOPOLOGY } from './load';
import { yamlDocumentOnce } from '../../yaml-cache';
import type { AccreditedSystem, DirectoryData, MhsRecord } from './model';

/**
 * Named edits to a topology file, as a supplier modelling their deployment might get it wrong.
 * The features use them to prove that the directory refuses each broken rule.
 */
export class TopologyDraft {
  private readonly doc: Partial<DirectoryData> & { systems: AccreditedSystem[]; mhs: MhsRecord[] };

  constructor(text = readFileSync(DEFAULT_TOPOLOGY, 'utf8')) {
    // Parsed once per process (every topology scenario starts from the same file), a copy each;
    // text that does not parse is refused by yaml's own parse, with its message, as before.
    this.doc = (yamlDocumentOnce(text, 1000).value ?? parse(text, { maxAliasCount: 1000 })) as TopologyDraft['doc'];
  }

  toYaml(): string {
    return stringify(this.doc, { aliasDuplicateObjects: false });
  }

  /** The edited topology as data, a copy of its own (what toYaml would read back, without writing and parsing the YAML). */
  toData(): unknown {
    return structuredClone(this.doc);
  }

  system(predicate: (s: AccreditedSystem) => boolean, what: string): AccreditedSystem {
    const found = this.doc.systems.find(predicate);
    if (!found) throw new Error(`the topology has no system ${what}`);
    return found;
  }

  mhs(partyKey: string): MhsRecord {
    const found = this.doc.mhs.find((m) => m.partyKey === partyKey);
    if (!found) throw new Error(`the topology has no MHS record ${partyKey}`);
    return found;
  }

  giveAsidOf(targetOds: string, sourceOds: string): void {
    this.system((s) => s.organisation === targetOds, `at ${targetOds}`).asid = this.system((s) => s.organisation === sourceOds, `at ${sourceOds}`).asid;
  }

  addProvider(ods: string, asid: string): void {
    const existing = this.system((s) => s.role === 'provider' && s.organisation === ods, `providing at ${ods}`);
    this.doc.systems.push({ ...existing, asid, name: `Second provider system at ${ods}` });
    this.doc.cmaEndpoints = [...(this.doc.cmaEndpoints ?? []), { partyKey: existing.partyKey, asid }];
  }

  registerAsCma(asid: string): void {
    const s = this.system((x) => x.asid === asid, `with ASID ${asid}`);
    this.doc.cmaEndpoints = [...(this.doc.cmaEndpoints ?? []), { partyKey: s.partyKey, asid }];
  }

  allowConsumerCma(): void {
    this.doc.rules = { consumerCmaEndpoints: 'allow' };
  }

  addMhsInteraction(partyKey: string, interaction: string): void {
    const m = this.mhs(partyKey);
    m.interactions = [...(m.interactions ?? []), interaction];
  }

  removeCma(asid: string): void {
    this.doc.cmaEndpoints = (this.doc.cmaEndpoints ?? []).filter((c) => c.asid !== asid);
  }

  setPartyKey(asid: string, partyKey: string): void {
    this.system((s) => s.asid === asid, `with ASID ${asid}`).partyKey = partyKey;
    this.doc.cmaEndpoints = (this.doc.cmaEndpoints ?? []).map((c) => (c.asid === asid ? { ...c, partyKey } : c));
  }

  addReceivedInteraction(asid: string, interaction: string): void {
    const s = this.system((x) => x.asid === asid, `with ASID ${asid}`);
    s.receives = [...(s.receives ?? []), interaction];
  }

  /** The interactions a consumer system is accredited to send: exactly these (SSP-SENDER-ASID). */
  setSentInteractions(asid: string, interactions: readonly string[]): void {
    this.system((x) => x.asid === asid, `with ASID ${asid}`).sends = [...interactions];
  }

  setAddress(partyKey: string, address: string): void {
    this.mhs(partyKey).address = address;
  }

  setOrganisation(asid: string, ods: string): void {
    this.system((s) => s.asid === asid, `with ASID ${asid}`).organisation = ods;
  }

  /**
   * Put a supplier's provider under test into the topology as SDS would hold it once registered,
   * its real service root as the endpoint address (so the SSP forwards there, and `aud` names it):
   * at a practice already in the topology it takes over that practice's ASID and MHS record;
   * otherwise it gets its own organisation, MHS record, CMA endpoint and a sharing agreement with
   * the harness's consumer organisation.
   */
  registerProviderUnderTest(p: { ods: string; asid: string; name: string; address: string; sharesWith: string; receives: string[] }): void {
    const fqdn = new URL(p.address).hostname.replace(/^\[|\]$/g, '');
    const existing = this.doc.systems.find((s) => s.role === 'provider' && s.organisation === p.ods);
    if (existing) {
      this.doc.cmaEndpoints = (this.doc.cmaEndpoints ?? []).map((c) => (c.asid === existing.asid ? { ...c, asid: p.asid } : c));
      existing.asid = p.asid;
      existing.name = p.name;
      Object.assign(this.mhs(existing.partyKey), { fqdn, address: p.address });
      return;
    }
    const partyKey = `${p.ods}-900001`;
    this.doc.organisations = [...(this.doc.organisations ?? []), { ods: p.ods, name: p.name, type: 'gp-practice' }];
    this.doc.systems.push({ asid: p.asid, name: p.name, role: 'provider', organisation: p.ods, partyKey, manufacturer: p.ods, receives: p.receives } as AccreditedSystem);
    this.doc.mhs.push({ partyKey, organisation: p.ods, fqdn, address: p.address, interactions: p.receives } as MhsRecord);
    this.doc.cmaEndpoints = [...(this.doc.cmaEndpoints ?? []), { partyKey, asid: p.asid }];
    this.doc.agreements = [...(this.doc.agreements ?? []), { organisations: [p.sharesWith, p.ods] }];
  }

  /**
   * Put a supplier's consumer under test into the topology as SDS would hold it once registered
   * (integration_system_topologies.md): an AS record per originating organisation, each with its
   * own ASID, behind one MHS record (no CMA endpoint: SDS-2.1), and sharing agreements with the practices.
   */
  registerConsumerUnderTest(c: { name: string; hostingOds: string; systems: Array<{ ods: string; asid: string }>; sends: string[]; sharesWith: string[] }): void {
    const partyKey = `${c.hostingOds}-990001`;
    if (!this.doc.mhs.some((m) => m.partyKey === partyKey)) this.doc.mhs.push({ partyKey, organisation: c.hostingOds, fqdn: `consumer.${c.hostingOds.toLowerCase()}.under-test.test` } as MhsRecord);
    for (const { ods, asid } of c.systems) {
      if (!(this.doc.organisations ?? []).some((o) => o.ods === ods)) this.doc.organisations = [...(this.doc.organisations ?? []), { ods, name: `${c.name} at ${ods}`, type: 'urgent-care' }];
      this.doc.systems.push({ asid, name: `${c.name} at ${ods}`, role: 'consumer', organisation: ods, partyKey, manufacturer: c.hostingOds, sends: c.sends } as AccreditedSystem);
      for (const practice of c.sharesWith) this.doc.agreements = [...(this.doc.agreements ?? []), { organisations: [ods, practice] }];
    }
  }
}
