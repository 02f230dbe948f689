import { londonParts, pad } from './uk-time';

/** Today's date in the UK (Europe/London), yyyy-mm-dd: slot windows are UK dates (§5.3). */
export function ukToday(now = new Date()): string {
  const p = londonParts(now);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** A yyyy-mm-dd date moved by whole days (calendar arithmetic, no clock). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The UK date `days` after today (the one clock slot windows and their bounds are written on, §5.3). */
export function ukDateAhead(days: number, now = new Date()): string {
  return addDays(ukToday(now), days);
}
