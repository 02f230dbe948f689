import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { HarnessRun } from '../../src/actors/harness-run';
import { runParameters } from '../../src/actors/run-parameters';
import { PROVIDER_VARIANTS, parseProviderVariants } from '../../src/spine/provider/variants';
import providerSchema from '../../src/actors/profiles/provider.schema.json';
import { proveRun } from '../support/proof';
import { PACKAGE_ROOT } from '../../src/package-root';

/**
 * Proving the harness's specificity (DESIGN.md "Proving the harness", the mirror of
 * fault-proof.test.ts): the reference provider, made to take each latitude the standard gives it
 * (src/spine/provider/variants.ts), passes every provider feature. A failed or broken scenario means
 * a rule demands what the standard does not; skipped ones are the MAYs the variant declares absent.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-variant-proof-'));
after(() => rmSync(work, { recursive: true, force: true }));
const common = { tlsDir: path.join(work, 'tls'), reportDir: work };

/**
 * Each run in a random order of its own, from a fixed seed (the same on every machine): no scenario
 * may depend on another's side effects (issue 15 item 5: a negative probe that really registered the
 * registrable patient failed the Register scenario after it), and a failure names the seed.
 */
async function provePasses(variants: string, seed: number, t?: { diagnostic: (message: string) => void }, paths: string[] = ['features/provider']): Promise<void> {
  const order = `random:${seed}`;
  const run = await proveRun(paths, { ...common, variants: { provider: variants } }, undefined, order);
  // Warnings are allowed (a SHOULD, or a code the spec leaves open): each is named.
  for (const warning of run.warnings) t?.diagnostic(`warning: ${warning}`);
  assert.deepEqual(run.failedScenarios, [], `with the variant ${variants}, in the order ${order}, scenarios failed: the rule is wrong, not strict, or a scenario depends on another`);
  assert.equal(run.verdict.exitCode, 0);
  const passed = run.verdict.scenarios.filter((s) => s.outcome === 'passed').length;
  assert.ok(passed > (paths.length === 1 && paths[0] === 'features/provider' ? 50 : 3), `with the variant ${variants} only ${passed} scenarios passed`);
}

/**
 * The features a variant's choice can change (`reaches`, for a choice confined to one interaction's
 * answers), else every provider feature. The run of every variant at once covers all of them, so a
 * choice that reaches further than declared still meets every scenario there.
 */
function reachOf(name: string): string[] {
  const reaches = (PROVIDER_VARIANTS as Record<string, { reaches?: readonly string[] }>)[name].reaches;
  return reaches ? reaches.map((f) => `features/provider/${f}.feature`) : ['features/provider'];
}

test('the catalogue holds at least eight variants, each saying what the standard allows and where', () => {
  const entries = Object.entries(PROVIDER_VARIANTS);
  assert.ok(entries.length >= 8, `only ${entries.length} variants`);
  const capabilities = Object.keys(providerSchema.properties.capabilities.properties);
  for (const [name, v] of entries) {
    assert.ok(v.latitude && v.source, `${name} lacks its latitude or source`);
    for (const declared of Object.keys((v as { declares?: object }).declares ?? {})) assert.ok(capabilities.includes(declared), `${name} declares ${declared}, which no provider profile has`);
  }
});

Object.keys(PROVIDER_VARIANTS).forEach((name, index) => {
  const paths = reachOf(name);
  const which = paths.length === 1 && paths[0] === 'features/provider' ? 'the provider features' : paths.map((p) => path.basename(p)).join(', ');
  test(`${which} pass the conformant variant ${name}, in a random order (seed ${index + 1})`, (t) => provePasses(name, index + 1, t, paths));
});

test('every feature a variant declares it reaches exists', () => {
  const missing = Object.keys(PROVIDER_VARIANTS).flatMap((name) => reachOf(name).filter((p) => !existsSync(path.join(PACKAGE_ROOT, p))).map((p) => `${name}: ${p}`));
  assert.deepEqual(missing, []);
});

test('the provider features pass every conformant variant at once, in a random order (seed 1000)', () => provePasses(Object.keys(PROVIDER_VARIANTS).join(','), 1000));

// Every variant at once declares xml: false (json-only), so the XML scenarios are skipped there: here every other
// variant's answers, written in XML after the variants act (src/spine/provider/xml.ts), pass them.
test('the XML feature passes every conformant variant but json-only at once, in a random order (seed 1001)', (t) =>
  provePasses(Object.keys(PROVIDER_VARIANTS).filter((v) => v !== 'json-only').join(','), 1001, t, ['features/provider/xml.feature']));

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
  const known = Object.keys(PROVIDER_VARIANTS);
  const namesThemAll = (error: unknown) => {
    const message = (error as Error).message;
    assert.match(message, /unknown provider variant "no-such-variant"/);
    for (const name of known) assert.ok(message.includes(name), `the error does not name ${name}: ${message}`);
    return true;
  };
  assert.throws(() => parseProviderVariants('cache-control-no-cache-no-store, no-such-variant'), namesThemAll);
  // And before any scenario runs: the run's systems are built from its parameters.
  assert.throws(() => new HarnessRun(runParameters({ ...common, variants: { provider: 'no-such-variant' } })), namesThemAll);
});
