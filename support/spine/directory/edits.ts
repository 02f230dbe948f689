import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { DEFAULT_TOPOLOGY } from './load';
import type { AccreditedSystem, DirectoryData, MhsRecord } from './model';

/**
 * Named edits to a topology file, as a supplier modelling their deployment might get it wrong.
 * The features use them to prove that the directory refuses each broken rule.
 */
export class TopologyDraft {
  private readonly doc: Partial<DirectoryData> & { systems: AccreditedSystem[]; mhs: MhsRecord[] };

  constructor(text = readFileSync(DEFAULT_TOPOLOGY, 'utf8')) {
    this.doc = parse(text, { maxAliasCount: 1000 });
  }

  toYaml(): string {
    return stringify(this.doc, { aliasDuplicateObjects: false });
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

  setAddress(partyKey: string, address: string): void {
    this.mhs(partyKey).address = address;
  }

  setOrganisation(asid: string, ods: string): void {
    this.system((s) => s.asid === asid, `with ASID ${asid}`).organisation = ods;
  }
}
