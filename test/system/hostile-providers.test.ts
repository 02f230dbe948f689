import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { AssertionError } from 'node:assert';
import { ExchangeFailed, sendRaw } from '../../src/http/raw-client';
import { ProviderUnreachable } from '../../src/actors/provider/provider-under-test';
import { findAPatient, getCapabilityStatement } from '../../src/gpconnect/operations';
import { loadProviderProfile } from '../../src/actors/profiles/load';
import type { ConformanceSummary } from '../../src/pipeline/reports/summary';
import { createCertificateAuthority } from '../../src/spine/tls';
import { startProviderSystem } from '../../src/actors/sut/provider-system';
import { HOSTILE_BEHAVIOURS, HOSTILE_REQUEST_SECONDS, behaviour, hostileProfile, startHostileProvider, type HostileBehaviour } from '../fixtures/hostile-providers';
import { runProvider } from '../support/gpc-conform';

/**
 * Issue 6 item 1: a catalogue of hostile and broken providers (test/fixtures/hostile-providers.ts).
 * Each ends in a precise failed or broken outcome naming the behaviour, within the profile's bound
 * (timeouts.requestSeconds, limits.responseBytes), with the other scenarios of the run passing and
 * the report written; first at the level of the harness's client (no cucumber), then as a user runs it.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-hostile-'));
const ca = createCertificateAuthority({ commonName: 'Hostile providers test CA' });
const caFile = path.join(work, 'ca.pem');
writeFileSync(caFile, ca.certPem);
const closers: Array<() => Promise<void>> = [];

after(async () => {
  await Promise.all(closers.map((c) => c()));
  rmSync(work, { recursive: true, force: true });
});

async function hostile(b: HostileBehaviour) {
  const running = await startHostileProvider(b, ca);
  closers.push(running.close);
  return running;
}

function writeProfile(b: HostileBehaviour, baseUrl: string, via: 'ssp' | 'direct'): string {
  const file = path.join(work, `${b.name}-${via}.yaml`);
  writeFileSync(file, hostileProfile(b, baseUrl, via, b.tls ? caFile : undefined));
  return file;
}

/** Generous: the bound is the profile's, this only stops a hung test. */
const GUARD_MS = HOSTILE_REQUEST_SECONDS * 1000 + 20_000;

describe('the harness client, directly', () => {
  for (const name of ['hang', 'trickle', 'close-mid-body', 'chunked-garbage']) {
    test(`${name}: sendRaw ends within the deadline, naming it`, async () => {
      const b = behaviour(name);
      const { baseUrl } = await hostile(b);
      const url = new URL(baseUrl);
      const started = Date.now();
      await assert.rejects(sendRaw({ origin: url.origin, target: `${url.pathname}/metadata`, method: 'GET', headers: [], timeoutMs: HOSTILE_REQUEST_SECONDS * 1000 }), (e: Error) => {
        assert.ok(e instanceof ExchangeFailed, e.message);
        assert.match(e.message, b.reason.direct);
        return true;
      });
      assert.ok(Date.now() - started < GUARD_MS);
    });
  }

  test('enormous-body: sendRaw stops reading at the limit and names it', async () => {
    const { baseUrl } = await hostile(behaviour('enormous-body'));
    const url = new URL(baseUrl);
    await assert.rejects(sendRaw({ origin: url.origin, target: `${url.pathname}/metadata`, method: 'GET', headers: [], maxBodyBytes: 1024 * 1024 }), /is larger than the 1 MiB limit \(limits\.responseBytes\): stopped reading after \d+ bytes/);
  });

  test('a Content-Length over the limit is refused before the body is read', async () => {
    const b: HostileBehaviour = { ...behaviour('enormous-body'), misbehave: (_req, res) => res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) }).write('{') };
    const { baseUrl } = await hostile(b);
    const url = new URL(baseUrl);
    await assert.rejects(sendRaw({ origin: url.origin, target: `${url.pathname}/metadata`, method: 'GET', headers: [], maxBodyBytes: 1024 * 1024 }), /announces 67108864 bytes \(Content-Length\), over the 1 MiB limit \(limits\.responseBytes\): not read/);
  });

  test('a redirect is not followed: the 302 and its Location come back as they are', async () => {
    const { baseUrl } = await hostile(behaviour('redirect-loop'));
    const url = new URL(baseUrl);
    const answer = await sendRaw({ origin: url.origin, target: `${url.pathname}/metadata`, method: 'GET', headers: [], timeoutMs: HOSTILE_REQUEST_SECONDS * 1000 });
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.location, `${baseUrl}/metadata`);
  });

  for (const name of ['tls-wrong-host', 'tls-expired']) {
    test(`${name}: the handshake is refused, naming the certificate's fault`, async () => {
      const b = behaviour(name);
      const { baseUrl } = await hostile(b);
      const url = new URL(baseUrl);
      await assert.rejects(sendRaw({ origin: url.origin, target: `${url.pathname}/metadata`, method: 'GET', headers: [], tls: { ca: ca.certPem }, timeoutMs: HOSTILE_REQUEST_SECONDS * 1000 }), b.reason.direct);
    });
  }
});

/**
 * The provider under test as the steps talk to it, by both routes (`via`), without cucumber:
 * Spine in a box and its SSP in this process, the hostile provider at the profile's baseUrl.
 */
for (const via of ['direct', 'ssp'] as const) {
  describe(`the provider under test, ${via === 'ssp' ? 'through the SSP' : 'directly'}`, () => {
    for (const b of HOSTILE_BEHAVIOURS.filter((x) => x.spoils === 'PROV-METADATA')) {
      test(`${b.name}: the capability statement request ends ${b.outcome}, naming the behaviour; finding a patient still works`, async () => {
        const { baseUrl } = await hostile(b);
        const system = await startProviderSystem(loadProviderProfile(writeProfile(b, baseUrl, via)));
        try {
          const started = Date.now();
          await assert.rejects(system.provider.ask(getCapabilityStatement()), (e: Error) => {
            assert.ok(b.outcome === 'broken' ? e instanceof ProviderUnreachable : e instanceof AssertionError, `${e.name}: ${e.message}`);
            assert.match(e.message, b.reason[via]);
            return true;
          });
          assert.ok(Date.now() - started < GUARD_MS, `took ${Date.now() - started} ms`);
          if (b.tls) return;
          const found = await system.provider.ask(findAPatient('9693632109'));
          assert.equal(found.response.status, 200, found.response.body);
          assert.equal(found.body?.resourceType, 'Bundle');
        } finally {
          await system.stop();
        }
      });
    }
  });
}

/**
 * As a user runs it: `gpc-conform run` with the spoiled scenario and one the behaviour leaves alone.
 * One run per behaviour, because each costs a cucumber start-up and an Allure report; the routes
 * alternate, the body-level behaviours (where the routes differ) through the SSP, and the tests
 * above cover every behaviour by both routes.
 */
const RUNS: Array<[string, 'ssp' | 'direct']> = [
  ['hang', 'direct'],
  ['trickle', 'ssp'],
  ['close-mid-body', 'ssp'],
  ['enormous-body', 'ssp'],
  ['invalid-json', 'direct'],
  ['wrong-content-type', 'ssp'],
  ['redirect-loop', 'direct'],
  ['chunked-garbage', 'ssp'],
  ['tls-wrong-host', 'ssp'],
  ['tls-expired', 'direct'],
];

describe('gpc-conform run against each hostile provider', { concurrency: 2 }, () => {
  test('every behaviour in the catalogue is run at least once', () => {
    assert.deepEqual(new Set(RUNS.map(([name]) => name)), new Set(HOSTILE_BEHAVIOURS.map((b) => b.name)));
  });

  for (const [name, via] of RUNS) {
    test(`${name} (${via}): ${behaviour(name).outcome} naming it, the rest passed, the report written`, async () => {
      const b = behaviour(name);
      const { baseUrl } = await hostile(b);
      const out = path.join(work, `out-${name}-${via}`);
      const started = Date.now();
      const { code, output } = await runProvider(writeProfile(b, baseUrl, via), out, ['--tags', b.tags, '--report', 'results']);
      const took = Date.now() - started;
      // Two scenarios, each bounded by requestSeconds, plus cucumber start-up and the Allure report on a
      // loaded machine: a guard against a run that hangs, not a measurement.
      assert.ok(took < HOSTILE_REQUEST_SECONDS * 1000 * 2 + 90_000, `the run took ${took} ms`);
      assert.equal(code, 1, output);
      assert.match(output, /Verdict: non-conformance found/);

      const summaryFile = path.join(out, 'summary.json');
      assert.ok(existsSync(summaryFile), `no summary.json in ${out}\n${output}`);
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as ConformanceSummary;
      assert.equal(summary.verdict.exitCode, 1);
      const spoiled = summary.scenarios.filter((s) => s.requirements.includes(b.spoils));
      const others = summary.scenarios.filter((s) => !s.requirements.includes(b.spoils));
      assert.ok(spoiled.length > 0 && others.length > 0, `expected both kinds of scenario: ${summary.scenarios.map((s) => s.name).join(', ')}`);
      for (const s of spoiled) {
        assert.equal(s.outcome, b.outcome, `${s.name}: ${s.reason}`);
        assert.match(s.reason ?? '', b.reason[via]);
      }
      // A scenario the profile gives no data for is skipped before any exchange: unaffected too.
      for (const s of others.filter((o) => o.outcome !== 'skipped')) {
        if (b.tls) assert.match(s.reason ?? '', b.reason[via], `${s.name}: a certificate spoils every exchange`);
        else assert.equal(s.outcome, 'passed', `${s.name} should be unaffected: ${s.reason}`);
      }
      // The run's own output says the same as the report.
      assert.match(output, new RegExp(`${b.outcome.toUpperCase()} .*${spoiled[0].location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    });
  }
});
