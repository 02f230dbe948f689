import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { PACKAGE_ROOT } from '../../src/package-root';
import type { RunParameters } from '../../src/actors/run-parameters';
import { runFeatures } from '../../src/pipeline/cucumber';
import { verdictOfMessages } from '../../src/results/verdict';
import type { Verdict } from '../../src/results/outcome';
import { noteLine } from '../../src/results/rule-note';

export interface ProofRun {
  verdict: Verdict;
  /** Requirements (`@req:` tags) of the scenarios that did not pass. */
  failedRequirements: Set<string>;
  /** Names of the scenarios that did not pass, with why. */
  failedScenarios: string[];
  /** Requirements the judges warned about (src/rules/rule.ts): a SHOULD broken, or an exact code from outside the spec. */
  warnedRequirements: Set<string>;
  /** Each warning, named: "scenario: PROV-X (SHOULD, warning): finding". */
  warnings: string[];
}

/**
 * The features in this process, through Cucumber's API: the support code loads on the first run
 * only, so a proof of a hundred faults costs a hundred runs of the scenarios concerned, not a
 * hundred Cucumber start-ups. Runs follow each other (one Spine in a box at a time per run).
 * `order` is Cucumber's (`defined`, or `random:<seed>`: scenarios must not depend on each other).
 */
export async function proveRun(paths: string[], parameters: Partial<RunParameters>, tags?: string, order?: string): Promise<ProofRun> {
  const messages: Envelope[] = [];
  await runFeatures({ paths, tags, order, parameters: { evidence: false, ...parameters }, quiet: true, onMessage: (e) => messages.push(e) });
  const verdict = verdictOfMessages(messages);
  const failed = verdict.scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  return {
    verdict,
    failedRequirements: new Set(failed.flatMap((s) => s.tags.filter((t) => t.startsWith('@req:')).map((t) => t.slice(5)))),
    failedScenarios: failed.map((s) => `${s.name} (${s.outcome}: ${s.reason ?? ''})`),
    warnedRequirements: new Set(verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => n.requirement))),
    warnings: verdict.scenarios.flatMap((s) => (s.notes ?? []).filter((n) => n.grade === 'warning').map((n) => `${s.name}: ${noteLine(n)}`)),
  };
}

/** The feature files under `dirs` with a scenario tagged with the requirement: where its fault must show. */
export function featuresTagged(requirement: string, ...dirs: string[]): string[] {
  const tag = new RegExp(`@req:${requirement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm');
  const files = dirs
    .flatMap((dir) => readdirSync(path.join(PACKAGE_ROOT, dir)).filter((f) => f.endsWith('.feature')).map((f) => path.join(dir, f)))
    .filter((f) => tag.test(readFileSync(path.join(PACKAGE_ROOT, f), 'utf8')));
  assert.ok(files.length > 0, `no feature under ${dirs.join(', ')} has a scenario tagged @req:${requirement}`);
  return files;
}

/**
 * A folder for one test file's reports, removed when the file ends. The TLS material (certificates
 * and kept key pairs) is the one every `gpc-conform` run from the harness's folder uses: made once,
 * not once per proof file.
 */
export function proofWork(prefix = 'gpc-proof-'): { tlsDir: string; reportDir: string } {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => rmSync(work, { recursive: true, force: true }));
  return { tlsDir: path.join(PACKAGE_ROOT, 'reports', 'tls'), reportDir: work };
}
