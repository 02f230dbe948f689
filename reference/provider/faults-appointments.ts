import type { FaultDefinition } from './fault-kit';

/** Reference-provider faults for Search for free slots, Book and Read an appointment (see faults.ts for how they are used and proven). */
export const APPOINTMENT_FAULTS = {} as const satisfies Record<string, FaultDefinition>;
