/**
 * The provider's TLS listener (features/provider/transport-security.feature): the probing is
 * src/actors/provider/tls-probe.ts, the judges src/rules/provider/transport.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import type { SecureVersion } from 'node:tls';
import { probePlainHttp, probeTls, refusedClientCertificate, type TlsAttempt } from '../src/actors/provider/tls-probe';
import { acceptedTls, plainHttpDropped, refusedTls, type PlainOutcome, type TlsOutcome } from '../src/rules/provider';
import type { RefusedClient } from '../src/actors/profiles/load';
import type { GpcWorld } from '../support/world';

type TlsWorld = GpcWorld & { tlsAttempt?: { what: string; outcome: TlsOutcome }; plainOutcome?: PlainOutcome };

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

const REFUSED: Record<string, RefusedClient> = { expired: 'expired', revoked: 'revoked', 'for another FQDN than the SSP\'s': 'otherFqdn' };

When('the harness connects to the provider with a client certificate from its CA that is {}', async function (this: TlsWorld, state: string) {
  const kind = REFUSED[state];
  if (!kind) throw new Error(`no refused client certificate "${state}" (known: ${Object.keys(REFUSED).join('; ')})`);
  const client = refusedClientCertificate(this.provider.underTest, kind);
  if (!client) {
    await this.attach(`Skipped: the profile gives no tls.refusedClients.${kind} (a client certificate from the CA the provider trusts that is ${state}); only the holder of that CA can issue one.`, 'text/plain');
    return 'skipped';
  }
  await attempt(this, `a client certificate that is ${state}`, { client });
});

When('the harness sends the capability statement request to the provider in plain HTTP', async function (this: TlsWorld) {
  this.plainOutcome = await probePlainHttp(this.provider.underTest);
});

Then('the provider drops the connection', function (this: TlsWorld) {
  if (!this.plainOutcome) throw new Error('no plain HTTP request was sent in this scenario');
  this.judgeScenario(plainHttpDropped(this.plainOutcome));
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
