/**
 * UK local time, the form GP Connect dates take on the wire: `yyyy-mm-ddThh:mm:ss+hh:mm` with +00:00
 * in GMT and +01:00 in BST (gpconnect-spec.md §5.3). Intl's Europe/London zone, no libraries.
 */

/** Made on first use: making it loads the time zone data, ~15 ms of every process that loads this module. */
let london: Intl.DateTimeFormat | undefined;
const LONDON = () =>
  (london ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }));

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in London at an instant, as Intl gives it. */
function intlParts(instant: Date): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of LONDON().formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

function intlOffsetMinutes(instant: Date): number {
  const p = intlParts(instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

const HOUR_MS = 3_600_000;
/**
 * London's offset by UTC hour. It changes only on the hour (01:00 UTC, the last Sundays of March
 * and October), so one Intl look-up serves the whole hour; an hour whose two ends disagree is not
 * kept, and each instant in it is looked up. Intl's formatToParts was ~10 µs a call, and a
 * practice's slot window alone made ~8,000 calls (0.1 s of every process's start).
 */
const offsetByHour = new Map<number, number | null>();

/** London's offset from UTC at an instant, in minutes (0 in GMT, 60 in BST). */
export function londonOffsetMinutes(instant: Date): number {
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const first = intlOffsetMinutes(new Date(hour * HOUR_MS));
    offset = first === intlOffsetMinutes(new Date((hour + 1) * HOUR_MS - 1000)) ? first : null;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset ?? intlOffsetMinutes(instant);
}

/** The wall-clock time in London at an instant: UTC moved by London's offset. */
export function londonParts(instant: Date): LocalParts {
  const t = Math.floor(instant.getTime() / 1000) * 1000 + londonOffsetMinutes(instant) * 60000;
  const d = new Date(t);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** For the tests: Intl's own reading, which londonParts and londonOffsetMinutes must always agree with. */
export const intlLondon = { parts: intlParts, offsetMinutes: intlOffsetMinutes };

/** The instant a London wall-clock time names (for the hour skipped in spring: the later reading). */
export function londonToInstant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = londonOffsetMinutes(new Date(naive));
  let t = naive - first * 60000;
  const second_ = londonOffsetMinutes(new Date(t));
  if (second_ !== first) t = naive - second_ * 60000;
  return new Date(t);
}

export const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `+hh:mm` / `-hh:mm` for an offset in minutes. */
export function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** `yyyy-mm-ddThh:mm:ss+hh:mm` in UK local time (the form §5.3 mandates for Slot and Schedule times). */
export function formatUk(instant: Date): string {
  const p = londonParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(londonOffsetMinutes(instant))}`;
}

