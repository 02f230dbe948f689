/**
 * What a scenario's tags say (DESIGN "Outcomes and evidence"): its role (`@provider`), its
 * worked-example steps (`@step:4a`) and requirements (`@req:PROV-BOOK`). Read here only.
 */
export const ROLES = ['consumer', 'provider', 'ssp', 'topology'] as const;
export type Role = (typeof ROLES)[number];

/** The values of `@name:value` tags, in order. */
export function tagValues(tags: readonly string[], name: string): string[] {
  return tags.flatMap((t) => (t.startsWith(`@${name}:`) ? [t.slice(name.length + 2)] : []));
}

/** The role a scenario's tags give it, if any. */
export function roleOf(tags: readonly string[]): Role | undefined {
  return ROLES.find((role) => tags.includes(`@${role}`));
}
