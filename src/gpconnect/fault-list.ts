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
  const faults = new Set<K>();
  for (const name of (list ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(name in catalogue)) throw new Error(`unknown ${kind} fault "${name}"; known: ${Object.keys(catalogue).join(', ')}`);
    faults.add(name as K);
  }
  return faults;
}
