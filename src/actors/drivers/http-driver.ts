import { ExchangeFailed, sendRaw } from '../../http/raw-client';
import type { ConsumerProfile } from '../profiles/consumer';
import { actionOutcomeFrom, actionReportIn, actionValues, DriverFailed, noActionTemplate, outcomeFrom, reportIn, requestValues, type ConsumerDriver } from './driver';
import { type ActionOutcome, type ActionRequest, type BookingRequest, type DriverOutcome } from '../../rules/consumer/judge-context';
import { fillTemplate } from './template';

/** `http`: send the profile's JSON body template to the supplier's hook and read the outcome from the JSON answer. */
export function httpDriver(driver: ConsumerProfile['driver'], values: Record<string, string>, timeoutMs: number): ConsumerDriver {
  // Read when the driver is made: the profile loader has already checked each variable is set.
  const secretHeaders = Object.entries(driver.headersFromEnv ?? {}).map(([header, name]): [string, string] => [header, process.env[name] ?? '']);
  /** POST (or the template's method) the filled body to the filled URL; the JSON answer, with the report read from it when it carries one. */
  async function call<T>(urlTemplate: string, bodyTemplate: string, method: string, all: Record<string, string>, where: string, reportOf: (answer: unknown) => T | undefined, read: (answer: unknown) => T): Promise<T> {
    const url = new URL(fillTemplate(urlTemplate, all, { where: `${where}.url` }));
    const body = fillTemplate(bodyTemplate, all, { json: true, where: `${where}.body` });
    let response;
    try {
      response = await sendRaw({ origin: url.origin, target: url.pathname + url.search, method, headers: [['Content-Type', 'application/json'], ['Accept', 'application/json'], ...secretHeaders], body, timeoutMs });
    } catch (error) {
      if (error instanceof ExchangeFailed) throw new DriverFailed(`the consumer's hook ${url.href}: ${error.message}`);
      throw error;
    }
    let answer: unknown;
    try {
      answer = JSON.parse(response.body);
    } catch {
      answer = undefined;
    }
    // An answer that carries the outcome is the consumer's report, whatever its status (a 502
    // because the practice refused is a report to judge); only one the harness cannot read, or a
    // refusal of the harness itself, breaks the scenario.
    const report = reportOf(answer);
    if (report) return report;
    if (response.status === 401 || response.status === 403) throw new DriverFailed(`the consumer's hook ${url.href} refused the harness (${response.status}): does it need a key the profile's driver.headersFromEnv should send?`);
    if (response.status >= 400) throw new DriverFailed(`the consumer's hook ${url.href} answered ${response.status} without an outcome: ${response.body.slice(0, 200)}`);
    if (answer === undefined) throw new DriverFailed(`the consumer's hook ${url.href} answered ${response.status} with something that is not JSON: ${response.body.slice(0, 200)}`);
    return read(answer);
  }
  return {
    book(request: BookingRequest): Promise<DriverOutcome> {
      return call(driver.url!, driver.body!, driver.method ?? 'POST', requestValues(request, values), 'driver', (a) => reportIn(a, driver.outcome), (a) => outcomeFrom(a, driver.outcome));
    },
    act(request: ActionRequest): Promise<ActionOutcome> {
      const spec = driver[request.action];
      if (!spec?.url) throw noActionTemplate(request.action, 'url');
      if (spec.body === undefined) throw noActionTemplate(request.action, 'body');
      return call(spec.url, spec.body, spec.method ?? 'POST', actionValues(request, values), `driver.${request.action}`, (a) => actionReportIn(a, request.action, driver), (a) => actionOutcomeFrom(a, request.action, driver));
    },
  };
}
