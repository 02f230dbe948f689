/**
 * The SSP's judges of what it answers for itself beyond refusals: a CORS preflight (CORE
 * ssp_implementation_guide; PTEST SSP.feature "SSP - CORS") and the rate-limit headers of throttling.
 */
import type { RawResponse } from '../../http/raw-client';
import { answered } from './seen';

const methodsIn = (value: string | undefined) => new Set((value ?? '').split(',').map((m) => m.trim().toUpperCase()).filter(Boolean));

/**
 * The preflight succeeded and named these methods: in Access-Control-Request-Method, where PTEST
 * reads them, and Access-Control-Allow-Methods, the W3C response header; with an allowed origin.
 */
export function preflightAnswered(response: RawResponse, methods: string[]): string[] {
  if (response.status < 200 || response.status > 299) return [`expected the SSP to answer the CORS preflight with success, it answered ${answered(response)}`];
  const findings: string[] = [];
  for (const header of ['access-control-request-method', 'access-control-allow-methods']) {
    const got = methodsIn(response.headers[header]);
    const missing = methods.filter((m) => !got.has(m.toUpperCase()));
    if (missing.length) findings.push(`expected the SSP's preflight answer to name ${methods.join(', ')} in ${header}, it ${response.headers[header] === undefined ? 'had no such header' : `named ${response.headers[header]}`}`);
  }
  if (!response.headers['access-control-allow-origin']) findings.push("expected the SSP's preflight answer to carry Access-Control-Allow-Origin, it had none");
  return findings;
}

/** The answer tells the consumer its allowance (CORE "Proxy": X-Rate-Limit-Limit, -Remaining, -Reset). */
export function rateLimitAnnounced(response: RawResponse, limit: number, remaining: number): string[] {
  const findings: string[] = [];
  const expect = (header: string, want: string | RegExp) => {
    const got = response.headers[header];
    const ok = got !== undefined && (typeof want === 'string' ? got === want : want.test(got));
    if (!ok) findings.push(`expected the SSP's ${response.status} to carry ${header}: ${typeof want === 'string' ? want : 'a number of seconds'}, it carried ${got === undefined ? 'none' : got}`);
  };
  expect('x-rate-limit-limit', String(limit));
  expect('x-rate-limit-remaining', String(remaining));
  expect('x-rate-limit-reset', /^\d+$/);
  return findings;
}
