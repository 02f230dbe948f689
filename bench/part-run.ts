/**
 * One part of a run in a process of its own, exactly as `gpc-conform run` starts it
 * (src/pipeline/part-runner.ts: the features through Cucumber's API, writing the messages stream,
 * JUnit, Allure results and progress lines), without the command around it or the reports after
 * it: where `--parallel` makes its difference. Its wall time, peak memory and message stream.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { messagesPath, readMessagesText } from '../src/results/messages-file';
import path from 'node:path';
import type { PartJob } from '../src/pipeline/part-runner';
import { ROOT } from './cucumber-run';
import type { GpcRun } from './gpc-run';
import { parseMessages } from './messages';
import { runMeasured } from './proc';

/** The part runner as gpc-conform starts it: compiled, or its source through ts-node. */
function partRunnerArgs(): string[] {
  const runner = require.resolve('../src/pipeline/part-runner');
  return runner.endsWith('.ts') ? ['--require', 'ts-node/register/transpile-only', runner] : [runner];
}

export async function runPartProcess(label: string, dir: string, job: Omit<PartJob, 'messages' | 'junit' | 'allureResults'>): Promise<GpcRun> {
  mkdirSync(dir, { recursive: true });
  const full: PartJob = { ...job, messages: messagesPath(dir), junit: path.join(dir, 'junit.xml'), allureResults: path.join(dir, 'allure-results') };
  const jobFile = path.join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(full, null, 2));
  const measured = await runMeasured(process.execPath, [...partRunnerArgs(), jobFile], { cwd: ROOT, env: process.env });
  let timings;
  try {
    timings = parseMessages(readMessagesText(full.messages));
  } catch {
    return { ...measured, label, parts: [] };
  }
  return { ...measured, label, parts: [{ name: path.basename(dir), timings }] };
}
