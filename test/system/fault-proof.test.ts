import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root';
import { conformantRun, CONFORMANT_RUNS, featuresTagged, proofWork, proveRun } from '../support/proof';
import { FAULTS, proveFaults } from '../support/fault-proof';

/**
 * Proving the harness (DESIGN.md; test/support/fault-proof.ts): here the conformant systems, the SSP,
 * directory and SDS faults, and the catalogue's coverage; the provider faults in
 * fault-proof-provider-{1,2}.test.ts and the consumer faults in fault-proof-consumer.test.ts.
 */
const common = proofWork();

/** Every requirement a fault of this file made fail or warn. */
const provenHere = new Set<string>();

test('the conformant SSP, directory, reference provider and reference consumer pass every scenario, in a random order too', async () => {
  // npm test's features stage runs them in the order written; here in another (a fixed seed), so a
  // scenario that leans on another's side effects shows (issue 15 item 5).
  const runs = await Promise.all(CONFORMANT_RUNS.map((area) => conformantRun(common, area)));
  assert.deepEqual(runs.flatMap((run) => run.failedScenarios), []);
  for (const run of runs) assert.equal(run.verdict.exitCode, 0);
  const scenarios = runs.reduce((n, run) => n + run.verdict.scenarios.length, 0);
  assert.ok(scenarios > 250, `only ${scenarios} scenarios ran`);
});

test('each SSP fault fails the run, and a failing scenario names the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(common, 'ssp', FAULTS.ssp, (breaks) => featuresTagged(breaks, 'features/ssp', 'features/topology'), provenHere), []);
});

test('each directory rule left unchecked fails the run, and a failing scenario names that rule', async () => {
  assert.deepEqual(await proveFaults(common, 'directory', FAULTS.directory, ['features/topology/directory-rules.feature'], provenHere), []);
});

test('each SDS fault fails the topology features, naming the rule it breaks', async () => {
  assert.deepEqual(await proveFaults(common, 'sds', FAULTS.sds, ['features/topology'], provenHere), []);
});

/**
 * Requirements no fault can break, each with the reason. SDS-2.3 is a MAY (consumers may share a
 * party key): its scenario describes the default topology, whose ASID half is SDS-1.1, proven above.
 */
const NOT_BREAKABLE: Record<string, string> = {
  'SDS-2.3-SHARED-PARTY-KEY': 'a MAY, describing the default topology',
  // The provider's own TLS listener: the built-in profile here is plain HTTP, where these do not apply.
  'PROV-TLS-VERSION': 'proven over mutual TLS by test/system/provider-tls.test.ts (fault accepts-tls-1.0)',
  'PROV-TLS-CIPHERS': 'proven over mutual TLS by test/system/provider-tls.test.ts (fault accepts-any-cipher)',
  'PROV-TLS-CLIENT-CERT': 'proven over mutual TLS by test/system/provider-tls.test.ts (fault accepts-any-client-certificate)',
  'PROV-TLS-ONLY': 'proven over mutual TLS by test/system/provider-tls.test.ts (fault serves-plain-http)',
  'PROV-TLS-CLIENT-VALID': 'proven over mutual TLS by test/system/provider-tls.test.ts (faults accepts-expired-certificate, ignores-revocation)',
  'PROV-TLS-SSP-FQDN': 'proven over mutual TLS by test/system/provider-tls.test.ts (fault accepts-any-ssp-fqdn)',
};

// The provider and consumer faults run in files of their own, where each fault's test fails unless its run
// fails (or warns) naming the requirement it breaks: those requirements are proven when those tests pass.
test('every requirement in the catalogue failed, or was warned about, under at least one fault', () => {
  const catalogue = parse(readFileSync(path.join(PACKAGE_ROOT, 'requirements/catalogue.yaml'), 'utf8')) as { requirements: Array<{ id: string }> };
  const provenElsewhere = new Set([...FAULTS.provider, ...FAULTS.consumer].map(([, breaks]) => breaks));
  const unproven = catalogue.requirements.map((r) => r.id).filter((id) => !provenHere.has(id) && !provenElsewhere.has(id) && !(id in NOT_BREAKABLE));
  assert.deepEqual(unproven, [], 'requirements that no fault made fail or warn: their scenarios might pass a broken system');
});
