/**
 * Throttling, off by default (CORE ssp_implementation_guide "Functional Requirements"): once a
 * sender has used its allowance in the period, 429 Too Many Requests (RFC 6585); once a provider has
 * had its global allowance from all senders together, 503 Service Unavailable. Every answer, the
 * refusals and the forwarded ones, carries X-Rate-Limit-Limit, -Remaining and -Reset ("Proxy"
 * responsibilities). Counts start afresh whenever the setting is replaced.
 */
export interface ThrottleSettings {
  /** Requests one sending ASID may make in a period; beyond it, 429. */
  perSender?: number;
  /** Requests one receiving ASID may be sent in a period, by all senders together; beyond it, 503. */
  perProvider?: number;
  /** The period, in milliseconds. */
  periodMs: number;
}

interface Counts {
  senders: Map<string, number[]>;
  receivers: Map<string, number[]>;
}

const counters = new WeakMap<ThrottleSettings, Counts>();

export type ThrottleVerdict = { kind: 'pass' | 'sender' | 'provider'; headers: Record<string, string> };

/** Count a request from `sender` to `receiver` unless it is over a limit, and say which limit it is over. */
export function throttle(settings: ThrottleSettings, sender: string, receiver: string, now = Date.now()): ThrottleVerdict {
  let counts = counters.get(settings);
  if (!counts) counters.set(settings, (counts = { senders: new Map(), receivers: new Map() }));
  const recent = (map: Map<string, number[]>, key: string) => {
    const kept = (map.get(key) ?? []).filter((t) => now - t < settings.periodMs);
    map.set(key, kept);
    return kept;
  };
  const fromSender = recent(counts.senders, sender);
  const toReceiver = recent(counts.receivers, receiver);
  const resetSeconds = (times: number[]) => String(times.length ? Math.max(0, Math.ceil((times[0]! + settings.periodMs - now) / 1000)) : Math.ceil(settings.periodMs / 1000));
  const headers = (used: number): Record<string, string> => {
    if (settings.perSender === undefined) return {};
    return { 'X-Rate-Limit-Limit': String(settings.perSender), 'X-Rate-Limit-Remaining': String(Math.max(0, settings.perSender - used)), 'X-Rate-Limit-Reset': resetSeconds(fromSender) };
  };
  if (settings.perSender !== undefined && fromSender.length >= settings.perSender) return { kind: 'sender', headers: { ...headers(fromSender.length), 'Retry-After': resetSeconds(fromSender) } };
  if (settings.perProvider !== undefined && toReceiver.length >= settings.perProvider) return { kind: 'provider', headers: { ...headers(fromSender.length), 'Retry-After': resetSeconds(toReceiver) } };
  fromSender.push(now);
  toReceiver.push(now);
  return { kind: 'pass', headers: headers(fromSender.length) };
}
