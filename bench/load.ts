/**
 * The machine's load average around each measurement: the machine is shared, and a figure taken
 * under load says so beside it.
 */
import os from 'node:os';

export interface LoadSpan {
  /** os.loadavg() (1, 5 and 15 minutes) before and after. */
  before: number[];
  after: number[];
}

export async function withLoad<T>(measure: () => Promise<T>): Promise<{ result: T; load: LoadSpan }> {
  const before = os.loadavg();
  const result = await measure();
  return { result, load: { before, after: os.loadavg() } };
}

/** "load 2.10 -> 3.45 (1-min average, 2 CPUs)" */
export function loadText(load: LoadSpan, cpus = os.availableParallelism()): string {
  return `load ${load.before[0].toFixed(2)} -> ${load.after[0].toFixed(2)} (1-min average, ${cpus} CPUs)`;
}
