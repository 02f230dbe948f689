/** What a Given step should have given the scenario: the value, or an error naming what is missing. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the scenario has no ${what} yet: a Given step is missing`);
  return value;
}
