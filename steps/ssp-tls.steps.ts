/**
 * The SSP's transport security as a consumer meets it (features/ssp/transport-security.feature): the
 * connection is made by src/actors/provider/ssp-scenario.ts, judged by src/rules/ssp/transport.ts.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { plainHttpNotServed, sspAnswered, sspRefusedCertificate, sspRefusedConnection, type SspTransportOutcome } from '../src/rules/ssp/transport';
import type { GpcWorld } from '../support/world';

type TransportWorld = GpcWorld & { sspAttempt?: { what: string; outcome: SspTransportOutcome } };

const attempted = (world: TransportWorld) => {
  if (!world.sspAttempt) throw new Error('no connection to the SSP was attempted in this scenario');
  return world.sspAttempt;
};

Given('the consumer presents a client certificate for {string} that is {word}', function (this: TransportWorld, fqdn: string, state: string) {
  if (state !== 'expired' && state !== 'revoked') throw new Error(`"${state}" is neither expired nor revoked`);
  const issued = this.spine.issueClientCertificate(fqdn, state);
  this.ssp.clientCertificate = { cert: issued.certPem, key: issued.keyPem };
});

When('the consumer sends the request to the SSP over plain HTTP', async function (this: TransportWorld) {
  this.sspAttempt = { what: 'plain HTTP', outcome: await this.ssp.attempt({ plain: true }) };
});

When('the consumer connects to the SSP offering only the cipher suite {string}', async function (this: TransportWorld, cipher: string) {
  this.sspAttempt = { what: `a TLS 1.2 connection offering only ${cipher}`, outcome: await this.ssp.attempt({ ciphers: cipher }) };
});

When('the request is sent to the SSP over that certificate', async function (this: TransportWorld) {
  this.sspAttempt = { what: 'the client certificate', outcome: await this.ssp.attempt({}) };
});

Then('the SSP does not serve the request unencrypted', function (this: TransportWorld) {
  this.judgeScenario(plainHttpNotServed(attempted(this).outcome));
});

Then('the SSP answers the request over that connection', function (this: TransportWorld) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(sspAnswered(outcome, what));
});

Then('the SSP refuses the connection', function (this: TransportWorld) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(sspRefusedConnection(outcome, what));
});

Then('the SSP refuses the client certificate', function (this: TransportWorld) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(sspRefusedCertificate(outcome, what));
});
