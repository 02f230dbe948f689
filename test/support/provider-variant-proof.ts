import assert from 'node:assert/strict';
import path from 'node:path';
import { answerOnlyVariant, PROVIDER_VARIANTS, type ProviderVariant } from '../../src/spine/provider/variants';
import { conformantRun, proofWork, proveRun, scenariosNamed, scenariosOf } from './proof';

/**
 * The provider variant proof (DESIGN.md "Proving the harness", the mirror of the fault proof): the
 * reference provider, made to take each latitude the standard gives it (src/spine/provider/variants.ts),
 * passes every provider scenario the latitude can change (docs/proving-the-harness.md). A failed or broken scenario means a rule demands what the standard
 * does not; skipped ones are the MAYs the variant declares absent. Its runs are spread over several
 * test files (test/system/provider-variant-proof*.test.ts) so that `npm test` runs them side by side.
 */
export const VARIANT_NAMES = Object.keys(PROVIDER_VARIANTS) as ProviderVariant[];


/**
 * Each run in a random order of its own, from a fixed seed (the same on every machine): no scenario
 * may depend on another's side effects (issue 15 item 5: a negative probe that really registered the
 * registrable patient failed the Register scenario after it), and a failure names the seed.
 */
export async function provePasses(
  common: { tlsDir: string; reportDir: string },
  variants: string,
  seed: number,
  t?: { diagnostic: (message: string) => void },
  paths: string[] = ['features/provider'],
): Promise<void> {
  const order = `random:${seed}`;
  const run = await proveRun(paths, { ...common, variants: { provider: variants } }, { order });
  // Warnings are allowed (a SHOULD, or a code the spec leaves open): each is named.
  for (const warning of run.warnings) t?.diagnostic(`warning: ${warning}`);
  assert.deepEqual(run.failedScenarios, [], `with the variant ${variants}, in the order ${order}, scenarios failed: the rule is wrong, not strict, or a scenario depends on another`);
  assert.equal(run.verdict.exitCode, 0);
  const passed = run.verdict.scenarios.filter((s) => s.outcome === 'passed').length;
  const named = scenariosNamed(paths);
  if (named !== undefined) assert.equal(run.verdict.scenarios.length, named, `with the variant ${variants} the run did not take exactly the ${named} scenarios the probe named`);
  const least = named !== undefined ? 0 : paths.length === 1 && paths[0] === 'features/provider' ? 50 : 3;
  assert.ok(passed > least, `with the variant ${variants} only ${passed} scenarios passed`);
}

/**
 * The features a variant's guard options or route choices can change (`reaches`), else every provider
 * feature. The run of every variant at once covers all of them, so a choice that reaches further than
 * declared still meets every scenario there. (An answer-only variant runs where the probe says, below.)
 */
export function reachOf(name: string): string[] {
  const reaches = (PROVIDER_VARIANTS as Record<string, { reaches?: readonly string[] }>)[name].reaches;
  return reaches ? reaches.map((f) => `features/provider/${f}.feature`) : ['features/provider'];
}

/**
 * The probe, from the conformant run (test/support/proof.ts conformantRun): for each provider scenario,
 * the answer-only variants that would have answered any of its requests otherwise
 * (src/spine/provider/variants.ts latitudesMet). A scenario none of a variant's answers differ in runs
 * the same with it as without it, so that variant's run takes only the scenarios the probe names.
 */
export function probeLatitudes(common: { tlsDir: string; reportDir: string }): Promise<Record<string, string[]>> {
  return conformantRun(common, 'provider').then((run) => {
    assert.deepEqual(run.failedScenarios, [], 'the probe of the reference provider as it is failed');
    return run.latitudesMet;
  });
}

/** Where a variant's run goes: an answer-only variant's scenarios from the probe (`uri:line`, by file), else its reach. */
export async function pathsOf(name: ProviderVariant, probe: Promise<Record<string, string[]>>): Promise<string[]> {
  return answerOnlyVariant(name) ? scenariosOf(name, await probe, ['features/provider']) : reachOf(name);
}

/** One proof run: what the test is called, and the run. */
export interface ProofCase {
  title: string;
  prove: (t: { diagnostic: (message: string) => void }) => Promise<void>;
}

/**
 * The runs of one variant at a time, share `part` of `parts`: the variants whose place in the
 * catalogue is `part` modulo `parts`, each with the seed it has always had (its place, from 1). The
 * test file makes each a test, so that `npm test` times it as that file's.
 */
export function eachVariant(part: number, parts: number): ProofCase[] {
  const common = proofWork('gpc-variant-proof-');
  const mine = VARIANT_NAMES.map((name, index) => ({ name, index })).filter(({ index }) => index % parts === part - 1);
  // The probe asked for now, so that it runs while the variants acting through the guard or the routes,
  // which do not need it, run first.
  const probe = probeLatitudes(common);
  probe.catch(() => undefined); // its failure is each answer-only variant's test's, when it awaits it
  mine.sort((a, b) => Number(answerOnlyVariant(a.name)) - Number(answerOnlyVariant(b.name)) || a.index - b.index);
  return mine.map(({ name, index }) => {
    const paths = reachOf(name);
    const which = answerOnlyVariant(name)
      ? 'the provider scenarios where its answers differ'
      : paths.length === 1 && paths[0] === 'features/provider'
        ? 'the provider features'
        : paths.map((p) => path.basename(p)).join(', ');
    const title = `${which} pass the conformant variant ${name}, in a random order (seed ${index + 1})`;
    return { title, prove: async (t: { diagnostic: (message: string) => void }) => provePasses(common, name, index + 1, t, await pathsOf(name, probe)) };
  });
}
