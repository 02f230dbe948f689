import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PartResult, RunPart } from '../results/outcome';
import type { ShardInfo } from './shard';
import type { ReportLevel } from './report-level';

/**
 * `<out>/run.json`: what a run is doing, written when it starts and after each part, and marked
 * finished once every report is written. `gpc-conform report` rebuilds the reports from it and from
 * what the parts wrote, and tells a run that was killed (still "running", its process gone) from one
 * that finished.
 */
export interface RunRecord {
  state: 'running' | 'finished' | 'killed';
  /** The gpc-conform process that wrote it. */
  pid: number;
  command: string;
  /** The command that re-runs part of it, without a selection: `--rerun-failed` is added to it. */
  rerunBase: string;
  startedAt: string;
  finishedAt?: string;
  /** The parts to run, in order (without their parameters). */
  parts: Array<Omit<RunPart, 'parameters'>>;
  /** Parts whose Cucumber run has ended. */
  partsDone: string[];
  /** Why it is not the whole suite by choice (a filter, a re-run), as the command said. */
  partialReasons: string[];
  /** Set when Ctrl-C or SIGTERM cut the run short (the run still wrote its reports). */
  interrupted?: string;
  /** Set by `gpc-conform report` when it found the run killed. */
  killed?: string;
  profiles: string[];
  environment: Record<string, string>;
  shard?: ShardInfo;
  /** What the run was asked to write (`--report`); absent in a record from before the option: full. */
  report?: ReportLevel;
}

export const RUN_RECORD = 'run.json';

export function runRecordFile(out: string): string {
  return path.join(out, RUN_RECORD);
}

/** Written whole or not at all (a kill mid-write leaves the previous version). */
export function writeRunRecord(out: string, record: RunRecord): void {
  const file = runRecordFile(out);
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export function readRunRecord(out: string): RunRecord | undefined {
  const file = runRecordFile(out);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
}

/** The record of a run starting now. */
export function newRunRecord(input: Omit<RunRecord, 'state' | 'pid' | 'partsDone' | 'parts'> & { parts: RunPart[] }): RunRecord {
  return {
    state: 'running',
    pid: process.pid,
    ...input,
    parts: input.parts.map(({ parameters: _parameters, ...part }) => part),
    partsDone: [],
  };
}

/** Is the process that wrote a "running" record still at it? (Its pid alive, and a gpc-conform process where that can be seen.) */
export function stillRunning(record: RunRecord): boolean {
  if (record.state !== 'running' || record.pid === process.pid) return false;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes('gpc-conform');
  } catch {
    return !existsSync('/proc/self');
  }
}

/** Which parts had not finished and how many of their scenarios have results, which had not started. `results` are the parts that wrote something. */
export function unfinishedParts(record: RunRecord, results: PartResult[]): string[] {
  const said: string[] = [];
  for (const part of record.parts) {
    if (record.partsDone.includes(part.name)) continue;
    const result = results.find((r) => r.part.name === part.name);
    if (!result) said.push(`part ${part.name} had not started`);
    else {
      const planned = result.verdict.planned;
      const have = result.verdict.scenarios.length;
      said.push(`part ${part.name} had not finished (${planned ? `${have} of ${planned}` : have} scenarios have results)`);
    }
  }
  return said;
}

/** Why a run that was killed is incomplete: what had not finished. */
export function killedReason(record: RunRecord, results: PartResult[]): string {
  const said = unfinishedParts(record, results);
  const since = `started ${record.startedAt}, pid ${record.pid}`;
  if (said.length === 0) return `the run was killed while writing its reports, after every part had finished (${since})`;
  return `the run was killed before it finished (${since}): ${said.join('; ')}`;
}
