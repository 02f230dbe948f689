/**
 * Judges of the directory: a topology loads, or is refused naming the entry and the rule it breaks
 * (integration_sds_registering_endpoints), and the systems of a shared topology share a party key
 * but not an ASID.
 */
import type { Directory } from '../../spine/directory/directory';
import type { DirectoryError } from '../../spine/directory/load';

export interface Loaded {
  directory?: Directory;
  error?: Pick<DirectoryError, 'problems' | 'message'>;
}

/**
 * What the directory refused in a topology that should load, by the rule each problem breaks: a
 * rule among the scenario's requirements is judged under its own name, any other under the first.
 */
export function refusals(loaded: Loaded, requirements: readonly string[]): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const p of loaded.error?.problems ?? []) {
    const own = requirements.includes(p.rule);
    const key = own ? p.rule : requirements[0] ?? p.rule;
    byRule.set(key, [...(byRule.get(key) ?? []), `expected the topology to load, the directory refused ${p.entry}: ${own ? '' : `[${p.rule}] `}${p.message}`]);
  }
  return byRule;
}

/** The loaded topology has every kind of topology the design describes. */
export function everyTopology(loaded: Loaded, kinds: readonly string[]): string[] {
  if (!loaded.directory) return [];
  const have = new Set(loaded.directory.data.topologies.map((t) => t.kind));
  return kinds.filter((k) => !have.has(k as never)).map((k) => `expected the topology to describe a ${k} topology, it has none`);
}

/** The directory refused the topology with a problem of this rule naming this entry, and said so. */
export function refusedNaming(loaded: Loaded, entry: string, rule: string): string[] {
  if (!loaded.error) return [`expected the directory to refuse the topology naming ${entry}, it loaded it`];
  const hit = loaded.error.problems.find((p) => p.rule === rule && p.entry.includes(entry));
  if (!hit) {
    const found = loaded.error.problems.map((p) => `${p.entry} [${p.rule}]`).join('; ');
    return [`expected the directory to refuse the topology naming ${entry} under this rule, it named ${found || 'nothing'}`];
  }
  if (!loaded.error.message.includes(entry) || !loaded.error.message.includes(rule)) return [`expected the refusal's message to name ${entry} and the rule, it read: ${loaded.error.message}`];
  return [];
}

/** Every system of the topology is behind this party key. */
export function sharePartyKey(directory: Directory, topology: string, partyKey: string): string[] {
  const described = directory.topology(topology);
  if (!described) return [`expected a topology ${topology} in the directory, there is none`];
  return described.systems
    .map((asid) => [asid, directory.systemByAsid(asid)?.partyKey] as const)
    .filter(([, key]) => key !== partyKey)
    .map(([asid, key]) => `expected the system ${asid} to be behind ${partyKey}, it is behind ${key ?? 'no party key'}`);
}

/** Each of these systems serves one organisation, and no ASID is registered twice. */
export function ownAsids(directory: Directory, asids: readonly string[]): string[] {
  const findings: string[] = [];
  const organisations = asids.map((asid) => directory.systemByAsid(asid)?.organisation ?? `(ASID ${asid} not registered)`);
  if (new Set(organisations).size !== organisations.length) findings.push(`expected each system to serve one organisation under its own ASID, one organisation has two of them: ${organisations.join(', ')}`);
  for (const asid of asids) {
    const n = directory.data.systems.filter((s) => s.asid === asid).length;
    if (n !== 1) findings.push(`expected the ASID ${asid} to be registered once, it is registered ${n} times`);
  }
  return findings;
}
