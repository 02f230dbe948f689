/**
 * Run in a fresh process by bench/fhir-validation.ts: loads a validator (ours, or a baseline build's
 * `dist/src/fhir/validate.js` given as argv[2]) and times its start-up, its first validation and
 * repeated validations of a 14-day free-slots Bundle and a booking. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { quantile } from './stats';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'shared', 'spec', 'gpconnect-examples');

/** The spec's free-slots example grown to 14 days of 24 slots (336 Slots), each a distinct slot of the one Schedule. */
export function fourteenDaySlots(example: J): J {
  const slot = example.entry.find((e: J) => e.resource.resourceType === 'Slot');
  const others = example.entry.filter((e: J) => e.resource.resourceType !== 'Slot');
  const entry: J[] = [];
  const base = Date.UTC(2030, 0, 7, 8, 0, 0);
  for (let day = 0; day < 14; day++) {
    for (let n = 0; n < 24; n++) {
      const start = new Date(base + day * 86_400_000 + n * 15 * 60_000);
      const end = new Date(start.getTime() + 15 * 60_000);
      const iso = (d: Date) => d.toISOString().replace('.000Z', '+00:00');
      entry.push({ ...slot, resource: { ...slot.resource, id: `${day * 24 + n + 1}`, start: iso(start), end: iso(end) } });
    }
  }
  return { ...example, entry: [...entry, ...others] };
}

function main(): void {
  const t0 = performance.now();
  const modulePath = process.argv[2] ?? path.join(__dirname, '..', 'src', 'fhir', 'validate.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateResource } = require(modulePath) as { validateResource: (r: unknown, p?: string) => unknown[] };
  const requireMs = performance.now() - t0;
  const example = JSON.parse(readFileSync(path.join(EXAMPLES, 'appointments_search_free_slots_response.json'), 'utf8'));
  const booking = JSON.parse(readFileSync(path.join(EXAMPLES, 'appointments_book_request.json'), 'utf8'));
  const bundle = fourteenDaySlots(example);
  const t1 = performance.now();
  const firstIssues = validateResource(booking, 'GPConnect-Appointment-1#book-request').length;
  const firstMs = performance.now() - t1;
  const time = (subject: unknown, profile: string | undefined, rounds: number) => {
    const ms: number[] = [];
    let issues = 0;
    for (let i = 0; i < rounds; i++) {
      const copy = JSON.parse(JSON.stringify(subject));
      const s = performance.now();
      issues = validateResource(copy, profile).length;
      ms.push(performance.now() - s);
    }
    return { medianMs: quantile(ms, 0.5), p90Ms: quantile(ms, 0.9), issues };
  };
  const slots = time(bundle, 'GPConnect-Searchset-Bundle-1#free-slots', 15);
  const book = time(booking, 'GPConnect-Appointment-1#book-request', 200);
  console.log(JSON.stringify({
    module: modulePath, requireMs, firstValidationMs: firstMs, firstIssues,
    slotsInBundle: bundle.entry.length - example.entry.filter((e: J) => e.resource.resourceType !== 'Slot').length,
    freeSlots14Days: slots, booking: book, rssMb: process.memoryUsage().rss / 1048576,
  }));
}

if (require.main === module) main();
