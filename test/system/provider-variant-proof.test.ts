import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HarnessRun } from '../../src/actors/harness-run';
import { runParameters } from '../../src/actors/run-parameters';
import { PROVIDER_VARIANTS, parseProviderVariants } from '../../src/spine/provider/variants';
import providerSchema from '../../src/actors/profiles/provider.schema.json';
import { proofWork, proveRun } from '../support/proof';
import { provePasses, reachOf, VARIANT_NAMES } from '../support/provider-variant-proof';
import { PACKAGE_ROOT } from '../../src/package-root';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness", the mirror of
 * fault-proof.test.ts): the reference provider, made to take each latitude the standard gives it,
 * passes every provider feature (test/support/provider-variant-proof.ts). Here: the catalogue, every
 * variant at once, and the warnings; one variant at a time in provider-variant-proof-{1,2,3}.test.ts.
 */
const common = proofWork('gpc-variant-proof-');

test('the catalogue holds at least eight variants, each saying what the standard allows and where', () => {
  const entries = Object.entries(PROVIDER_VARIANTS);
  assert.ok(entries.length >= 8, `only ${entries.length} variants`);
  const capabilities = Object.keys(providerSchema.properties.capabilities.properties);
  for (const [name, v] of entries) {
    assert.ok(v.latitude && v.source, `${name} lacks its latitude or source`);
    for (const declared of Object.keys((v as { declares?: object }).declares ?? {})) assert.ok(capabilities.includes(declared), `${name} declares ${declared}, which no provider profile has`);
  }
});

test('every feature a variant declares it reaches exists', () => {
  const missing = VARIANT_NAMES.flatMap((name) => reachOf(name).filter((p) => !existsSync(path.join(PACKAGE_ROOT, p))).map((p) => `${name}: ${p}`));
  assert.deepEqual(missing, []);
});

test('the provider features pass every conformant variant at once, in a random order (seed 1000)', () => provePasses(common, VARIANT_NAMES.join(','), 1000));

// Every variant at once declares xml: false (json-only), so the XML scenarios are skipped there: here every other
// variant's answers, written in XML after the variants act (src/spine/provider/xml.ts), pass them.
test('the XML feature passes every conformant variant but json-only at once, in a random order (seed 1001)', (t) =>
  provePasses(common, VARIANT_NAMES.filter((v) => v !== 'json-only').join(','), 1001, t, ['features/provider/xml.feature']));

test('a variant that takes a code the spec leaves open (RFC 6750\'s 401) passes with warnings naming the rule; under --strict the warnings fail', async () => {
  const lenient = await proveRun(['features/provider/headers-and-jwt.feature'], { ...common, variants: { provider: 'bearer-token-errors-as-401' } });
  assert.equal(lenient.verdict.exitCode, 0, lenient.failedScenarios.join('; '));
  assert.deepEqual([...lenient.warnedRequirements].sort(), ['PROV-JWT-EXPIRY', 'PROV-JWT-UNSIGNED']);
  assert.ok(lenient.warnings.every((w) => /refused 401 with BAD_REQUEST; expected 400 BAD_REQUEST/.test(w)), lenient.warnings.join('\n'));
  const strict = await proveRun(['features/provider/headers-and-jwt.feature'], { ...common, strict: true, variants: { provider: 'bearer-token-errors-as-401' } });
  assert.equal(strict.verdict.exitCode, 1);
  assert.deepEqual([...strict.failedRequirements].filter((r) => r.startsWith('PROV-JWT-EXPIRY') || r.startsWith('PROV-JWT-UNSIGNED')).sort(), ['PROV-JWT-EXPIRY', 'PROV-JWT-UNSIGNED']);
  assert.equal(strict.verdict.scenarios.filter((s) => s.outcome === 'failed').length, lenient.warnings.length, 'each warned scenario fails under --strict, no other');
});

test('an unknown variant name is refused, naming every known one', () => {
  const namesThemAll = (error: unknown) => {
    const message = (error as Error).message;
    assert.match(message, /unknown provider variant "no-such-variant"/);
    for (const name of VARIANT_NAMES) assert.ok(message.includes(name), `the error does not name ${name}: ${message}`);
    return true;
  };
  assert.throws(() => parseProviderVariants('cache-control-no-cache-no-store, no-such-variant'), namesThemAll);
  // And before any scenario runs: the run's systems are built from its parameters.
  assert.throws(() => new HarnessRun(runParameters({ ...common, variants: { provider: 'no-such-variant' } })), namesThemAll);
});
