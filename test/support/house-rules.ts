/**
 * The rooms of the house and which way the arrows go (docs/architecture.md). A room may import its
 * own files and any room on a floor below it; the floors are listed top down. The bottom floor's
 * rooms (gpconnect, http, results, the package root, the schema validators and the YAML cache) import
 * none of the others, but for the validators' and the cache's use of the package root.
 */
export type Room =
  | 'support' | 'steps' | 'bin' | 'reference'
  | 'pipeline' | 'actors' | 'evidence' | 'rules' | 'fhir' | 'spine'
  | 'gpconnect' | 'http' | 'results' | 'package-root' | 'schema-validator' | 'yaml-cache';

const FLOORS: Room[][] = [
  ['support', 'steps', 'bin'],
  ['pipeline'],
  ['actors'],
  ['evidence'],
  ['rules'],
  ['fhir'],
  ['spine'],
  ['gpconnect', 'http', 'results', 'schema-validator', 'yaml-cache'],
  ['package-root'],
];

const floorOf = (room: Room) => FLOORS.findIndex((f) => f.includes(room));

/** The room a repository path belongs to, or undefined when it is outside the house (tests, bench, node_modules). */
export function roomOf(file: string): Room | undefined {
  const [top, second] = file.split('/');
  if (top === 'src') {
    if (second === 'package-root' || second === 'package-root.ts') return 'package-root';
    if (second === 'schema-validator' || second === 'schema-validator.ts') return 'schema-validator';
    if (second === 'yaml-cache' || second === 'yaml-cache.ts') return 'yaml-cache';
    return (['pipeline', 'actors', 'evidence', 'rules', 'fhir', 'spine', 'gpconnect', 'http', 'results'] as const).find((r) => r === second);
  }
  return (['support', 'steps', 'bin', 'reference'] as const).find((r) => r === top);
}

export const HOUSE_RULES = {
  mayImport(from: Room, to: Room): boolean {
    if (from === to) return true;
    // The reference consumer is a system under test: it may use the spec's names, nothing else of the harness.
    if (from === 'reference') return to === 'gpconnect';
    // Steps use the World the glue defines; the command line serves the reference consumer (serve-consumer).
    if (from === 'steps' && to === 'support') return true;
    if (from === 'bin' && to === 'reference') return true;
    if (to === 'reference' || to === 'support' || to === 'steps' || to === 'bin') return false;
    return floorOf(to) > floorOf(from);
  },
  why(from: Room, to: Room): string {
    if (from === 'reference') return 'a reference system is independent of the harness: only the spec names in src/gpconnect/';
    if (floorOf(to) === floorOf(from)) return `${from} and ${to} are on the same floor and independent of each other`;
    return `${to} is above ${from}: the arrow would run back up`;
  },
  /** What Spine in a box may use besides its own rooms: node's built-ins and these libraries. */
  spineLibraries: new Set(['node:', 'msw', 'node-forge', 'yaml', 'ajv']),
};
