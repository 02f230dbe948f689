/**
 * FHIR validation (issue 17): the validator against the official StructureDefinitions, each measured in a
 * fresh process (so start-up — loading and indexing data/fhir/ — is in the figure): its start-up, its first
 * validation, a 14-day free-slots Bundle and a booking. BENCH_BASELINE_VALIDATOR names another build's
 * `dist/src/fhir/validate.js` (for example the hand-written transcription it replaced, built from git
 * history) to measure beside it in the same run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fmt, table } from './stats';

export interface ValidationFigures {
  module: string;
  requireMs: number;
  firstValidationMs: number;
  firstIssues: number;
  slotsInBundle: number;
  freeSlots14Days: { medianMs: number; p90Ms: number; issues: number };
  booking: { medianMs: number; p90Ms: number; issues: number };
  rssMb: number;
}

function measure(module?: string): ValidationFigures {
  const child = path.join(__dirname, 'fhir-validation-child.js');
  const out = execFileSync(process.execPath, [child, ...(module ? [module] : [])], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as ValidationFigures;
}

export function measureValidation(baseline = process.env.BENCH_BASELINE_VALIDATOR): { ours: ValidationFigures; baseline?: ValidationFigures } {
  return { ours: measure(), baseline: baseline ? measure(path.resolve(baseline)) : undefined };
}

export function validationTable(f: { ours: ValidationFigures; baseline?: ValidationFigures }): string {
  const row = (name: string, v: ValidationFigures) => [
    name, fmt(v.requireMs, 0), fmt(v.firstValidationMs, 0), `${fmt(v.freeSlots14Days.medianMs, 1)} (${v.freeSlots14Days.issues})`,
    `${fmt(v.booking.medianMs, 2)} (${v.booking.issues})`, fmt(v.rssMb, 0),
  ];
  return [
    `FHIR validation, each validator in a fresh process; ${f.ours.slotsInBundle} Slots over 14 days in the Bundle; (issues found)`,
    table([
      ['validator', 'load ms', 'first validation ms', 'free-slots Bundle median ms', 'booking median ms', 'RSS MB'],
      row('StructureDefinitions (data/fhir)', f.ours),
      ...(f.baseline ? [row(`baseline ${f.baseline.module}`, f.baseline)] : []),
    ]),
  ].join('\n');
}
