/**
 * One part of a conformance run, in a process of its own (src/pipeline/conformance-run.ts starts
 * it): the features through Cucumber's API, with the part's world parameters, writing the messages
 * stream, JUnit and Allure results, and progress lines on stdout. A process of its own so that a
 * crash in a part, or a system under test that takes the process down, still leaves the run to
 * report what completed; and so that parts run side by side.
 *
 *   node part-runner.js <job.json>
 */
// First, before Cucumber loads: its step matching on the native match indices (see the module).
import './native-match-indices';
import { readFileSync } from 'node:fs';
import type { Envelope } from '@cucumber/messages';
import { loadConsumerProfile } from '../actors/profiles/consumer';
import { loadProviderProfile } from '../actors/profiles/load';
import { HarnessRun, stepTimeoutMs } from '../actors/harness-run';
import { runParameters } from '../actors/run-parameters';
import { runFeatures } from './cucumber';
import { messagesWriter } from '../results/messages-file';

export interface PartJob {
  paths: string[];
  tags?: string;
  parameters: Record<string, unknown>;
  parallel?: number;
  messages: string;
  junit: string;
  allureResults: string;
}

/**
 * Allure's runtime messages ride on Cucumber attachments; the Allure results hold them, so the
 * messages stream leaves them out rather than carry every exchange twice.
 */
const ALLURE_RUNTIME_MEDIA_TYPE = 'application/vnd.allure.message+json';

export async function runPart(job: PartJob): Promise<boolean> {
  const parameters = runParameters(job.parameters);
  // Profiles and fault names checked before Cucumber starts: a mistake is named once, not per scenario.
  new HarnessRun(parameters);
  // The support code reads the step timeout when it loads (support/hooks.ts): from these profiles.
  process.env.GPC_STEP_TIMEOUT_MS ??= String(stepTimeoutMs(loadProviderProfile(parameters.providerProfile), loadConsumerProfile(parameters.consumerProfile)));
  const messages = messagesWriter(job.messages);
  const onMessage = (envelope: Envelope) => {
    if (envelope.attachment?.mediaType === ALLURE_RUNTIME_MEDIA_TYPE) return;
    messages.write(envelope);
  };
  try {
    const { success } = await runFeatures({ paths: job.paths, tags: job.tags, parameters: job.parameters, parallel: job.parallel, junit: job.junit, allureResults: job.allureResults, progress: true, onMessage });
    return success;
  } finally {
    await messages.end();
  }
}

if (require.main === module) {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as PartJob;
  runPart(job).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`gpc-conform: the part could not run: ${error.message}`);
      process.exit(2);
    },
  );
}
