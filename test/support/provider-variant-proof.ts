import assert from 'node:assert/strict';
import path from 'node:path';
import { PROVIDER_VARIANTS } from '../../src/spine/provider/variants';
import { proofWork, proveRun } from './proof';

/**
 * The provider variant proof (DESIGN.md "Proving the harness", the mirror of the fault proof): the
 * reference provider, made to take each latitude the standard gives it (src/spine/provider/variants.ts),
 * passes every provider feature. A failed or broken scenario means a rule demands what the standard
 * does not; skipped ones are the MAYs the variant declares absent. Its runs are spread over several
 * test files (test/system/provider-variant-proof*.test.ts) so that `npm test` runs them side by side.
 */
export const VARIANT_NAMES = Object.keys(PROVIDER_VARIANTS);


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
export function reachOf(name: string): string[] {
  const reaches = (PROVIDER_VARIANTS as Record<string, { reaches?: readonly string[] }>)[name].reaches;
  return reaches ? reaches.map((f) => `features/provider/${f}.feature`) : ['features/provider'];
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
  return VARIANT_NAMES.flatMap((name, index) => {
    if (index % parts !== part - 1) return [];
    const paths = reachOf(name);
    const which = paths.length === 1 && paths[0] === 'features/provider' ? 'the provider features' : paths.map((p) => path.basename(p)).join(', ');
    return [{ title: `${which} pass the conformant variant ${name}, in a random order (seed ${index + 1})`, prove: (t) => provePasses(common, name, index + 1, t, paths) }];
  });
}
