/**
 * The provider at the HTTP level, over every interaction it serves: caching, content negotiation,
 * gzip, the Prefer header on a booking and the error for a request no route serves
 * (development_general_api_guidance, development_fhir_error_handling_guidance; PTEST Http.feature,
 * FHIR.feature, AppointmentBook.feature). The interactions by name are in
 * src/actors/provider/interactions.ts, the judges in src/rules/provider/http.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import { bookAnAppointment, withFormat } from '../src/gpconnect/operations';
import { Header } from '../src/gpconnect/constants';
import { capabilityStatementAs, interactionOperation, operationAs } from '../src/actors/provider/interactions';
import { emptyBody, gzipEncoded, httpError, locationOfNewAppointment, parseRefusals, status as statusIs } from '../src/rules/provider';
import { judgeRefusal } from './provider-judging';
import type { GpcWorld } from '../support/world';

When('the consumer makes the {string} request', async function (this: GpcWorld, interaction: string) {
  await this.provider.ask(await interactionOperation(this.provider.underTest, interaction));
});

When('the consumer makes the {string} request directly with {string} set to {string}', async function (this: GpcWorld, interaction: string, header: string, value: string) {
  await this.provider.askDirectly(await interactionOperation(this.provider.underTest, interaction), { setHeader: [header, value] });
});

When('the consumer makes the {string} request directly with _format {string}', async function (this: GpcWorld, interaction: string, format: string) {
  await this.provider.askDirectly(withFormat(await interactionOperation(this.provider.underTest, interaction), format));
});

When('the consumer makes the {string} request directly with _format {string} and {string} set to {string}', async function (this: GpcWorld, interaction: string, format: string, header: string, value: string) {
  await this.provider.askDirectly(withFormat(await interactionOperation(this.provider.underTest, interaction), format), { setHeader: [header, value] });
});

Then('the answer is gzip-encoded', function (this: GpcWorld) {
  this.judge('PROV-GZIP', gzipEncoded(this.provider.answer));
});

When('the capability statement request is sent directly as {string}', async function (this: GpcWorld, requestLine: string) {
  await this.provider.askDirectly(capabilityStatementAs(requestLine));
});

When('the {string} request is sent directly as {string}', async function (this: GpcWorld, interaction: string, requestLine: string) {
  await this.provider.askDirectly(operationAs(await interactionOperation(this.provider.underTest, interaction), requestLine));
});

Then('the provider answers with an error and an OperationOutcome, the error page giving {string}', function (this: GpcWorld, codes: string) {
  judgeRefusal(this, httpError(this.provider.answer, parseRefusals(codes)));
});

When('the booking is sent with the Prefer header {string}', async function (this: GpcWorld, prefer: string) {
  await this.provider.askDirectly(bookAnAppointment(this.provider.booking), { setHeader: [Header.prefer, prefer] });
});

Then('the provider books it, naming the new appointment in its Location header', function (this: GpcWorld) {
  this.judge('PROV-BOOK', [...statusIs(this.provider.answer, 201), ...locationOfNewAppointment(this.provider.answer)]);
});

Then('the answer has no body', function (this: GpcWorld) {
  this.judgeScenario(emptyBody(this.provider.answer));
});
