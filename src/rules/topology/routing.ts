/** Judges of how a topology's requests travel: each organisation's own ASID, each practice's own service root (integration_sds_registering_endpoints §1.1, §3.4). */
import { headerValue } from '../../gpconnect/exchange';
import type { SspSeen } from '../ssp/seen';

/** The provider saw this header with this value (Ssp-From: the originating organisation's ASID). */
export function providerSaw(seen: SspSeen, header: string, value: string): string[] {
  const got = seen.received[0];
  if (!got) return [`expected the provider to see ${header} as ${value}, nothing reached it`];
  const saw = headerValue(got.requestHeaders, header);
  return saw === value ? [] : [`expected the provider to see ${header} as ${value}, it saw ${saw === undefined ? 'none' : saw}`];
}

/** The request arrived under the practice's own service root (its path on the provider's host). */
export function receivedAtRoot(seen: SspSeen, practice: string, rootPath: string): string[] {
  const got = seen.received[0];
  if (got?.target.startsWith(rootPath + '/')) return [];
  return [`expected the request for ${practice} to arrive under ${rootPath}, it arrived at ${got ? got.target : 'nothing (it did not reach the provider)'}`];
}
