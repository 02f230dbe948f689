/**
 * What issue 14 asks of the harness on a 2-core machine, for the bench to print each figure beside.
 * The bench never asserts them: it says how far each figure is from its target.
 */
import { fmt, ratio } from './stats';

export const TARGETS = {
  /** `npm test`, end to end. */
  npmTestSeconds: 5 * 60,
  /** `gpc-conform conformance`, warm. */
  mainJobSeconds: 15,
  /** One `gpc-conform run --only <scenario>` against a provider that answers at once. */
  rerunSeconds: 3,
  /** Everything the main job writes into its --out folder. */
  outputsMb: 32,
  /** The single-file Allure report. */
  singleFileMb: 10,
  /** Each Cucumber worker's extra start-up: "well under a second". */
  workerStartupSeconds: 1,
} as const;

/** "met (0.80 of 15)" or "not met (4.27 x 15)": a figure against a target it must not exceed. */
export function againstTarget(value: number, target: number, unit: string): string {
  const r = ratio(value, target);
  if (Number.isNaN(r)) return `n/a (target ${target} ${unit})`;
  return `${r <= 1 ? 'met' : 'not met'}: ${fmt(r, 2)} x the ${target} ${unit} target`;
}
