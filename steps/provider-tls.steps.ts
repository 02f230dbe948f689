/**
 * The provider's TLS listener (features/provider/transport-security.feature): the probing is
 * src/actors/provider/tls-probe.ts, the judges src/rules/provider/transport.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import type { SecureVersion } from 'node:tls';
import { probeTls, type TlsAttempt } from '../src/actors/provider/tls-probe';
import { acceptedTls, refusedTls, type TlsOutcome } from '../src/rules/provider';
import type { GpcWorld } from '../support/world';

type TlsWorld = GpcWorld & { tlsAttempt?: { what: string; outcome: TlsOutcome } };

async function attempt(world: TlsWorld, what: string, how: TlsAttempt): Promise<void> {
  world.tlsAttempt = { what, outcome: await probeTls(world.provider.underTest, how) };
}

const attempted = (world: TlsWorld) => {
  if (!world.tlsAttempt) throw new Error('no TLS connection was attempted in this scenario');
  return world.tlsAttempt;
};

When('the harness connects to the provider as the SSP over {string}', async function (this: TlsWorld, version: string) {
  await attempt(this, `a connection over ${version}`, { minVersion: version as SecureVersion, maxVersion: version as SecureVersion });
});

When('the harness connects to the provider as the SSP offering only the cipher suite {string}', async function (this: TlsWorld, cipher: string) {
  await attempt(this, `a TLS 1.2 connection offering only ${cipher}`, { ciphers: cipher });
});

When('the harness connects to the provider with the SSP\'s client certificate', async function (this: TlsWorld) {
  await attempt(this, "the SSP's client certificate", { client: 'ssp' });
});

When('the harness connects to the provider without a client certificate', async function (this: TlsWorld) {
  await attempt(this, 'a client without a certificate', { client: 'none' });
});

When('the harness connects to the provider with a client certificate from a CA it does not trust', async function (this: TlsWorld) {
  await attempt(this, 'a client certificate from a CA outside its chain of trust', { client: 'other-ca' });
});

Then('the provider answers the capability statement request over {string}', function (this: TlsWorld, version: string) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(acceptedTls(outcome, what, version));
});

Then('the provider answers the capability statement request over TLS', function (this: TlsWorld) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(acceptedTls(outcome, what));
});

Then('the provider refuses the connection', function (this: TlsWorld) {
  const { what, outcome } = attempted(this);
  this.judgeScenario(refusedTls(outcome, what));
});
