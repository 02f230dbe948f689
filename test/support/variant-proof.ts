import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { PROVIDER_VARIANTS } from '../../src/spine/provider/variants';
import type { RunParameters } from '../../src/actors/run-parameters';
import { proveRun } from './proof';

/**
 * The provider variant proof's parts (test/system/provider-variant-proof.test.ts and
 * provider-variant-proof-whole.test.ts, two files so that they run side by side): a work folder per
 * file, and the run that proves a variant passes.
 */
export function variantProofWork(): Pick<RunParameters, 'tlsDir' | 'reportDir'> {
  const work = mkdtempSync(path.join(tmpdir(), 'gpc-variant-proof-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  return { tlsDir: path.join(work, 'tls'), reportDir: work };
}

/**
 * Each run in a random order of its own, from a fixed seed (the same on every machine): no scenario
 * may depend on another's side effects (issue 15 item 5: a negative probe that really registered the
 * registrable patient failed the Register scenario after it), and a failure names the seed.
 */
export async function provePasses(
  common: Pick<RunParameters, 'tlsDir' | 'reportDir'>,
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

/** Whether a variant is proven over every provider feature (it declares no reach). */
export const reachesEverything = (name: string): boolean => (PROVIDER_VARIANTS as Record<string, { reaches?: readonly string[] }>)[name].reaches === undefined;

/** Each variant's seed: its place in the catalogue, so a variant keeps its order whichever file runs it. */
export const seedOf = (name: string): number => Object.keys(PROVIDER_VARIANTS).indexOf(name) + 1;
