import type { FaultDefinition } from './fault-kit';

/** Reference-provider faults for Register a patient, and the provider-side Ssp-* header and JWT checks (see faults.ts for how they are used and proven). */
export const FOUNDATION_AND_GUARD_FAULTS = {} as const satisfies Record<string, FaultDefinition>;
