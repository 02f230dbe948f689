/**
 * `npm test`'s stage times, as scripts/test-all.js last wrote them to reports/test-stages.json
 * (build, tests, features, total, with the commit and the date), for the bench to print beside the
 * target; with BENCH_TESTS=1 the bench runs `npm test` itself first, so the figures are this run's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface TestStagesRecord {
  date: string;
  commit: string;
  dirty?: boolean;
  loadAverageAtStart?: number[];
  loadAverageAtEnd?: number[];
  /** `beside`: the stage ran at the same time as that one (its time is not added to the total). */
  stages: Array<{ label: string; seconds: number; beside?: string }>;
  totalSeconds: number;
  passed?: number;
  failed?: number;
  skipped?: number;
}

export interface TestStagesFigures extends TestStagesRecord {
  /** Where it was read from. */
  file: string;
  /** Written by `npm test` run by this bench (BENCH_TESTS=1), or found from an earlier run. */
  ranByThisBench: boolean;
  /** How long before this bench run it was taken. */
  ageHours: number;
}

/** The record as written, checked enough to print: undefined when it is not one. */
export function parseTestStages(text: string): TestStagesRecord | undefined {
  let record: Partial<TestStagesRecord>;
  try {
    record = JSON.parse(text) as Partial<TestStagesRecord>;
  } catch {
    return undefined;
  }
  const stagesOk = Array.isArray(record.stages) && record.stages.every((s) => typeof s?.label === 'string' && typeof s?.seconds === 'number');
  if (!stagesOk || typeof record.totalSeconds !== 'number' || typeof record.date !== 'string' || typeof record.commit !== 'string') return undefined;
  return record as TestStagesRecord;
}

export function readTestStages(root: string, now: Date, ranByThisBench: boolean): TestStagesFigures | undefined {
  const file = path.join(root, 'reports', 'test-stages.json');
  if (!existsSync(file)) return undefined;
  const record = parseTestStages(readFileSync(file, 'utf8'));
  if (!record) return undefined;
  return { ...record, file, ranByThisBench, ageHours: (now.getTime() - new Date(record.date).getTime()) / 3_600_000 };
}

/** `npm test`, its output to this process's stderr (stdout is the bench's figures); resolves with its exit code. */
export function runNpmTest(root: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['test'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}
