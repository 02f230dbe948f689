/**
 * What one SSP scenario saw, as the SSP and topology judges read it: what the harness, playing a
 * consumer, sent; where the provider should have received it; the SSP's answer; and every exchange
 * that reached the provider behind it.
 */
import type { JournalEntry } from '../../gpconnect/exchange';
import type { RawResponse } from '../../http/raw-client';

export interface SspSeen {
  sent: { method: string; headers: ReadonlyArray<readonly [string, string]>; body?: string };
  /** The path and query the provider should receive: its service root's path and the relative target. */
  expectedTarget: string;
  response: RawResponse;
  received: ReadonlyArray<JournalEntry>;
}

/** The SSP's answer, short, for a finding. */
export function answered(response: RawResponse): string {
  const body = response.body.length > 300 ? `${response.body.slice(0, 300)}…` : response.body;
  return `${response.status}${body ? ` ${body}` : ''}`;
}
