import { Given, Then, When } from '@cucumber/cucumber';
import { issueCertificate, createCertificateAuthority, keyPairFor } from '../src/spine/tls';
import { need } from '../src/actors/scenario-state';
import { exampleOperation } from '../src/actors/provider/requests';
import { senderAt, setHeader } from '../src/actors/provider/ssp-exchange';
import { answerPassedBack, forwardedDisclosed, forwardedOnce, forwardedTimes, forwardedUnmodified, nothingForwarded, queryKept, statusIs } from '../src/rules/ssp/forwarding';
import { preflightAnswered, rateLimitAnnounced } from '../src/rules/ssp/cors-and-throttling';
import { errorNeverCached, refusedWith } from '../src/rules/ssp/refusal';
import { providerSaw, receivedAtRoot } from '../src/rules/topology/routing';
import type { GpcWorld } from '../support/world';

Given('Spine in a box is running', function (this: GpcWorld) {
  if (!this.spine.urls.ssp) throw new Error('Spine in a box has no SSP address');
});

Given('Spine in a box is running over mutual TLS', function (this: GpcWorld) {
  if (!this.spine.tls || !this.spine.urls.ssp.startsWith('https:')) throw new Error('Spine in a box is not serving over TLS');
});

Given('a {string} request from ASID {string} to practice {string}', async function (this: GpcWorld, operation: string, asid: string, practice: string) {
  await this.ssp.prepare(exampleOperation(operation), asid, practice);
});

Given('a {string} request from organisation {string} to practice {string}', async function (this: GpcWorld, operation: string, ods: string, practice: string) {
  await this.ssp.prepare(exampleOperation(operation), senderAt(this.spine, ods), practice);
});

Given('the {string} header is missing', function (this: GpcWorld, name: string) {
  setHeader(this.ssp.request, name, undefined);
});

Given('the {string} header is {string}', function (this: GpcWorld, name: string, value: string) {
  setHeader(this.ssp.request, name, value);
});

Given('the Authorization header is {string}', function (this: GpcWorld, value: string) {
  setHeader(this.ssp.request, 'Authorization', value === '' ? undefined : value);
});

Given('the Authorization scheme is written {string}', function (this: GpcWorld, scheme: string) {
  const prepared = this.ssp.request;
  prepared.headers = prepared.headers.map(([n, v]) => [n, n.toLowerCase() === 'authorization' ? v.replace(/^\S+/, scheme) : v]);
});

Given('the {string} header is sent twice', function (this: GpcWorld, name: string) {
  const prepared = this.ssp.request;
  const existing = prepared.headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
  prepared.headers.push([name, existing ? existing[1].replace(/.$/, (c) => (c === '0' ? '1' : '0')) : 'x']);
});

Given('the header names are sent in lower case', function (this: GpcWorld) {
  const prepared = this.ssp.request;
  prepared.headers = prepared.headers.map(([n, v]) => [n.toLowerCase(), v]);
});

Given('the target URL is {string}', function (this: GpcWorld, target: string) {
  this.ssp.request.rawTarget = target;
});

Given('the path below the service root is {string}', function (this: GpcWorld, path: string) {
  this.ssp.request.relativeTarget = path;
});

Given('the service root is sent as {string}', function (this: GpcWorld, root: string) {
  this.ssp.request.serviceRoot = root;
});

Given('the method is {string}', function (this: GpcWorld, method: string) {
  this.ssp.request.method = method;
});

Given('the provider at practice {string} answers every request with status {int}', function (this: GpcWorld, ods: string, status: number) {
  this.spine.standIn?.setBehaviour(ods, { kind: 'status', status });
});

Given('the provider at practice {string} takes {int} milliseconds to answer', function (this: GpcWorld, ods: string, ms: number) {
  this.spine.standIn?.setBehaviour(ods, { kind: 'delay', ms });
});

Given('the provider at practice {string} cannot be reached', function (this: GpcWorld, ods: string) {
  this.spine.makeUnreachable(ods);
});

Given("the SSP's timeout is {int} milliseconds", function (this: GpcWorld, ms: number) {
  this.spine.sspSettings.timeoutMs = ms;
});

Given('the consumer presents the client certificate for {string}', function (this: GpcWorld, fqdn: string) {
  const issued = need(this.spine.tls, 'TLS material').clients[fqdn];
  if (!issued) throw new Error(`Spine in a box issued no client certificate for ${fqdn}`);
  this.ssp.clientCertificate = { cert: issued.certPem, key: issued.keyPem };
});

Given('the consumer presents no client certificate', function (this: GpcWorld) {
  this.ssp.clientCertificate = undefined;
});

Given('the consumer presents a client certificate for {string} from an untrusted CA', function (this: GpcWorld, fqdn: string) {
  const stranger = createCertificateAuthority({ commonName: 'A CA Spine does not trust', keyPair: keyPairFor('a CA Spine does not trust') });
  const issued = issueCertificate(stranger, { commonName: fqdn, dnsNames: [fqdn], usage: 'client', keyPair: keyPairFor(`untrusted client ${fqdn}`) });
  this.ssp.clientCertificate = { cert: issued.certPem, key: issued.keyPem };
});

Given('the SSP allows {int} requests a minute from each sender', function (this: GpcWorld, n: number) {
  this.spine.sspSettings.throttle = { ...this.spine.sspSettings.throttle, perSender: n, periodMs: 60_000 };
});

Given('the SSP allows {int} requests a minute to each provider', function (this: GpcWorld, n: number) {
  this.spine.sspSettings.throttle = { ...this.spine.sspSettings.throttle, perProvider: n, periodMs: 60_000 };
});

When('the request is sent through the SSP', async function (this: GpcWorld) {
  await this.ssp.send();
});

When('the request is sent through the SSP {int} times', async function (this: GpcWorld, times: number) {
  for (let i = 0; i < times; i++) await this.ssp.send();
});

Then('the provider learns from a Forwarded header who sent it', async function (this: GpcWorld) {
  this.judge('SSP-FORWARDED', forwardedDisclosed(await this.ssp.seen()));
});

Then('the SSP answers the preflight itself, allowing {string}', function (this: GpcWorld, methods: string) {
  this.judge('SSP-CORS', preflightAnswered(this.ssp.response, methods.split(',').map((m) => m.trim())));
});

Then("the SSP's answer carries the rate limit {int} with {int} remaining", function (this: GpcWorld, limit: number, remaining: number) {
  this.judge('SSP-RATE-LIMIT-HEADERS', rateLimitAnnounced(this.ssp.response, limit, remaining));
});

Then('the provider received the request {int} times', async function (this: GpcWorld, times: number) {
  this.judgeScenario(forwardedTimes(await this.ssp.seen(), times));
});

Then('the SSP forwards it to the provider unmodified', async function (this: GpcWorld) {
  const seen = await this.ssp.seen();
  this.judgeScenario(forwardedOnce(seen));
  this.judge('SSP-FORWARD', forwardedUnmodified(seen));
});

Then("the consumer receives the provider's answer unchanged", async function (this: GpcWorld) {
  this.judge('SSP-FORWARD', answerPassedBack(await this.ssp.seen()));
});

Then('the consumer receives status {int}', function (this: GpcWorld, status: number) {
  this.judgeScenario(statusIs(this.ssp.response, status));
});

Then('the SSP refuses it with status {int} and {string}', function (this: GpcWorld, status: number, reason: string) {
  this.judgeScenario(refusedWith(this.ssp.response, status, reason));
  this.judge('SSP-ERROR-NO-STORE', errorNeverCached(this.ssp.response));
});

Then('nothing reached the provider', async function (this: GpcWorld) {
  this.judgeScenario(nothingForwarded(await this.ssp.seen()));
});

Then('the query the provider received still reads {string}', async function (this: GpcWorld, fragment: string) {
  this.judge('SSP-FORWARD', queryKept(await this.ssp.seen(), fragment));
});

Then('the provider saw {string} as {string}', async function (this: GpcWorld, header: string, value: string) {
  this.judge('TOP-SSP-FROM-ORIGINATOR', providerSaw(await this.ssp.seen(), header, value));
});

Then('the provider received it at the service root of practice {string}', async function (this: GpcWorld, ods: string) {
  this.judge('TOP-PROVIDER-PER-PRACTICE', receivedAtRoot(await this.ssp.seen(), ods, this.ssp.rootPathOf(ods)));
});
