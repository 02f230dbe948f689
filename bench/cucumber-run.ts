/**
 * One Cucumber process for the bench, run straight from Cucumber's own bin (not through
 * `gpc-conform conformance`, so the bench measures Cucumber's --parallel as it is and depends on no
 * command of ours), with a profile of bench/cucumber.bench.js writing its message stream into the
 * bench's temp dir. Its wall time, the peak memory of its process tree, and its scenarios' timings.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/package-root';
import { parseMessages, type RunTimings } from './messages';
import { runMeasured, type MeasuredRun } from './proc';

/** The harness's folder, whether the bench runs compiled (dist/bench/) or from its sources. */
export const ROOT = PACKAGE_ROOT;
const CUCUMBER = path.join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js');

export interface CucumberRun extends MeasuredRun {
  label: string;
  timings: RunTimings;
  /** spawn -> testRunStarted: Node, Cucumber, the config and all support code loaded. */
  startupMs?: number;
}

export async function runCucumber(label: string, profile: string, args: string[], tmpDir: string): Promise<CucumberRun> {
  const messages = path.join(tmpDir, `${label.replace(/\W+/g, '-')}.ndjson`);
  const env = {
    ...process.env,
    BENCH_MESSAGES: messages,
    // What the harness's hooks write goes to the temp dir too (support/hooks.ts).
    GPC_REPORT_DIR: tmpDir,
    GPC_TLS_DIR: path.join(tmpDir, 'tls'),
    // The Allure results of the profiles that write them (the harness side of the overhead comparison).
    BENCH_ALLURE_RESULTS: path.join(tmpDir, `${label.replace(/\W+/g, '-')}-allure-results`),
  };
  const measured = await runMeasured(process.execPath, [CUCUMBER, '--config', 'bench/cucumber.bench.js', '--profile', profile, ...args], { cwd: ROOT, env });
  if (!existsSync(messages)) throw new Error(`${label}: Cucumber wrote no messages (exit ${measured.exitCode ?? measured.signal}):\n${measured.outputTail}`);
  const timings = parseMessages(readFileSync(messages, 'utf8'));
  const startupMs = timings.runStartedMs === undefined ? undefined : timings.runStartedMs - measured.spawnedAtMs;
  return { ...measured, label, timings, startupMs };
}
