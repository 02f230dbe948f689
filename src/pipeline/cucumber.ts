// First, before Cucumber loads: its step matching on the native match indices (see the module).
import './native-match-indices';
import { AllureResultsWriter } from './reports/allure-writer';
import { devNull } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { PACKAGE_ROOT } from '../package-root';
import type { RunParameters } from '../actors/run-parameters';

/** True when this code runs compiled (dist/): the support code it loads is then the compiled one too. */
const COMPILED = __filename.endsWith('.js');

/** Where the Cucumber glue and the steps are, compiled or as TypeScript sources, and what loads them. */
export const SUPPORT_CODE = COMPILED
  ? { requireModule: [] as string[], require: [path.join(PACKAGE_ROOT, 'dist/support/**/*.js'), path.join(PACKAGE_ROOT, 'dist/steps/**/*.js')] }
  : { requireModule: ['ts-node/register/transpile-only'], require: [path.join(PACKAGE_ROOT, 'support/**/*.ts'), path.join(PACKAGE_ROOT, 'steps/**/*.ts')] };

/** The progress formatter (one line per feature file and per scenario that did not pass), beside this file. */
const PROGRESS_FORMATTER = path.join(__dirname, 'progress-formatter.js');

/** Tags become Allure labels; the rest of the labels come from src/evidence/evidence.ts. */
const ALLURE_LABELS = [
  { pattern: [/@severity:(.*)/], name: 'severity' },
  { pattern: [/@req:(.*)/], name: 'requirement' },
];

export interface FeatureRun {
  /** Feature files or folders, or `uri:line` locations, relative to the harness's folder. */
  paths: string[];
  /** A Cucumber tag expression. */
  tags?: string;
  /** What the run is about: the systems under test, deliberate faults, where its files go. */
  parameters: Partial<RunParameters>;
  /** Cucumber worker processes (`--parallel`); each has its own Spine in a box. */
  parallel?: number;
  /** `random:<seed>` or `defined` (the default). */
  order?: string;
  /** Stop at the first scenario that does not pass; Cucumber skips the rest. */
  failFast?: boolean;
  /** Outputs: the Cucumber messages stream, JUnit XML, Allure results, progress lines on stdout. */
  messages?: string;
  junit?: string;
  allureResults?: string;
  progress?: boolean;
  /** Every Cucumber message as it happens (the proofs judge a run from these, with no file). */
  onMessage?: (envelope: Envelope) => void;
  /** Nothing on stdout (Cucumber prints its progress there when no other output is asked for). */
  quiet?: boolean;
}

/** The support code, loaded once per process and reused by every run in it. */
let support: Promise<ISupportCodeLibrary> | undefined;

/**
 * Run the features through Cucumber's API in this process. The support code loads on the first run
 * only: a process that runs the features many times (a run's part, the proofs) pays for it once.
 */
export async function runFeatures(run: FeatureRun): Promise<{ success: boolean }> {
  const format: Array<string | [string, string?]> = [];
  if (run.messages) format.push(['message', run.messages]);
  if (run.junit) format.push(['junit', run.junit]);
  if (run.allureResults) format.push([require.resolve('allure-cucumberjs/reporter'), devNull]);
  if (run.progress) format.push(PROGRESS_FORMATTER);
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: run.paths,
        tags: run.tags ?? '',
        parallel: run.parallel && run.parallel > 1 ? run.parallel : 0,
        order: (run.order ?? 'defined') as 'defined',
        failFast: run.failFast ?? false,
        format,
        // The formatters run in this process (never in parallel workers), so the labels' patterns may be RegExps.
        formatOptions: {
          snippetInterface: 'async-await',
          // The reporter takes a writer in its options (it replaces its default one): ours, without an fsync per file.
          ...(run.allureResults ? { resultsDir: run.allureResults, labels: ALLURE_LABELS as unknown as string[], writer: new AllureResultsWriter(run.allureResults) as unknown as string } : {}),
        },
        // Attachments are written straight into the results, wherever the scenario runs (a parallel worker too).
        worldParameters: (run.allureResults ? { attachmentsDir: path.resolve(run.allureResults), ...run.parameters } : run.parameters) as Record<string, never>,
        strict: true,
        ...SUPPORT_CODE,
      },
    },
    { cwd: PACKAGE_ROOT },
  );
  const stdout = run.quiet ? new Writable({ write: (_chunk, _encoding, done) => done() }) : process.stdout;
  const environment = { cwd: PACKAGE_ROOT, stdout, stderr: process.stderr, env: process.env };
  support ??= loadSupport(runConfiguration, environment);
  const options: IRunOptions = { ...runConfiguration, support: await support };
  return runCucumber(options, environment, run.onMessage);
}
