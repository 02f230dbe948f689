/**
 * The profiles' invariants (ElementDefinition.constraint.expression), evaluated by fhirpath.js — HL7's
 * FHIRPath engine (FHIR/fhirpath.js, MIT) — with its STU3 model. Each expression is compiled once.
 */
// fhirpath ships no types for its STU3 model entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fhirpath = require('fhirpath') as { compile: (expr: unknown, model?: unknown, options?: Record<string, unknown>) => (resource: unknown, vars?: Record<string, unknown>) => unknown[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stu3Model = require('fhirpath/fhir-context/stu3') as unknown;

type Compiled = (resource: unknown, vars?: Record<string, unknown>) => unknown[];

const compiled = new Map<string, Compiled | null>();

function compile(expression: string, base: string): Compiled | null {
  const key = `${base}\u0000${expression}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, fhirpath.compile({ base, expression }, stu3Model, { traceFn: () => undefined }));
    } catch {
      // An expression this engine cannot parse is not held against the instance.
      compiled.set(key, null);
    }
  }
  return compiled.get(key) ?? null;
}

/**
 * Whether the invariant holds on `node` (found at `base`, e.g. `Appointment.participant.actor`, in
 * `resource`): true, false, or undefined when it cannot be evaluated here (an unsupported function,
 * a reference to resolve, a terminology call).
 */
export function invariantHolds(expression: string, base: string, node: unknown, resource: unknown): boolean | undefined {
  const fn = compile(expression, base);
  if (!fn) return undefined;
  try {
    const result = fn(node, { resource, rootResource: resource });
    if (result.length === 0) return true;
    return result.every((r) => r === true);
  } catch {
    return undefined;
  }
}
