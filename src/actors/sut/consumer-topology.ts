import { TopologyDraft } from '../../spine/directory/edits';
import type { Directory } from '../../spine/directory/directory';
import { directoryOf, loadDirectory } from '../../spine/directory/load';
import { sendsOf, type ConsumerProfile } from '../profiles/consumer';
import { ProfileError } from '../profiles/load';

/** The practices the reference provider serves: a consumer under test gets sharing agreements with each. */
export const REFERENCE_PRACTICES = ['A20047', 'B82617', 'B82618'];

/** An originating organisation as the consumer is told about it: its ODS code, its own ASID, name and telephone. */
export interface OriginatingOrganisation {
  ods: string;
  asid: string;
  name: string;
  phone: string;
  type?: string;
}

/**
 * The default topology, with the consumer under test in it as SDS would hold it once registered
 * (integration_system_topologies.md): a consumer ASID already in the topology must be at the
 * profile's ODS code; an ASID the topology does not know gets an AS record of its own (no CMA
 * endpoint: SDS-2.1), its organisation, an MHS record and sharing agreements with the practices.
 * Each of its ASIDs is accredited to send exactly what the profile declares (sendsOf): the AS
 * record lists the interactions a consumer may send (integration_sds_registering_endpoints.md §2.2).
 */
export function consumerTopology(profile: ConsumerProfile): Directory {
  const known = loadDirectory();
  const wanted = [{ ods: profile.identity.ods, asid: profile.identity.asid }, ...(profile.identity.organisations ?? [])];
  const problems: string[] = [];
  const missing = wanted.filter(({ ods, asid }) => {
    const system = known.systemByAsid(asid);
    if (system && (system.role !== 'consumer' || system.organisation !== ods)) problems.push(`identity: ASID ${asid} is registered to ${system.role} ${system.name} at ${system.organisation}, not a consumer at ${ods}`);
    return !system;
  });
  if (problems.length > 0) throw new ProfileError('<profile>', problems);

  const draft = new TopologyDraft();
  const sends = [...sendsOf(profile)];
  for (const { asid } of wanted.filter((w) => !missing.includes(w))) draft.setSentInteractions(asid, sends);
  if (missing.length > 0) draft.registerConsumerUnderTest({ name: profile.name, hostingOds: profile.identity.ods, systems: missing, sends, sharesWith: REFERENCE_PRACTICES });
  return directoryOf(draft.toData(), `the default topology with ${profile.name}`);
}

/** The organisations a consumer books from, with what it needs to say about each (the hosting one first). */
export function originatingOrganisations(directory: Directory, profile: ConsumerProfile): OriginatingOrganisation[] {
  const all = [{ ods: profile.identity.ods, asid: profile.identity.asid }, ...(profile.identity.organisations ?? [])];
  return all.map(({ ods, asid }, i) => {
    const organisation = directory.organisation(ods);
    // Ofcom drama numbers (01632 960000-960999): synthetic, never a real line.
    return { ods, asid, name: organisation?.name ?? ods, phone: `01632 960${String(100 + i).padStart(3, '0')}`, ...(organisation?.type ? { type: organisation.type } : {}) };
  });
}

/** The organisation a booking is made from when a scenario does not say: the first originating one (a portal's hosting organisation has no sharing agreements of its own). */
export function defaultOrganisation(profile: ConsumerProfile): string {
  return profile.identity.organisations?.[0]?.ods ?? profile.identity.ods;
}
