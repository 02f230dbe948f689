/**
 * Deliberate mistakes the built-in systems can be told to make, to prove the features catch them
 * (DESIGN.md "Proving the harness"). Each catalogue maps a fault name to the requirement it breaks.
 */
export interface FaultEntry {
  breaks: string;
  what: string;
}

/** Parse a comma-separated fault list (from an environment variable) against a catalogue, naming any unknown fault. */
export function parseFaultList<K extends string>(list: string | undefined, catalogue: Record<K, FaultEntry>, kind: string): Set<K> {
  return parseNameList(list, catalogue, `${kind} fault`);
}

/**
 * Parse a comma-separated list of names against a catalogue (faults, conformant variants): an unknown
 * name is an error naming every known one, so a typo never runs the reference system unchanged.
 */
export function parseNameList<K extends string>(list: string | undefined, catalogue: Record<K, unknown>, kind: string): Set<K> {
  const names = new Set<K>();
  for (const name of (list ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(name in catalogue)) throw new Error(`unknown ${kind} "${name}"; known: ${Object.keys(catalogue).join(', ')}`);
    names.add(name as K);
  }
  return names;
}
