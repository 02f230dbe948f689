import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProviderProfile, ProfileError, type ProviderProfile } from '../../support/profiles/load';
import { verdictOf, type Verdict } from '../../support/run/verdict';
import { StartFailed, startSystem, type StartedSystem } from '../../support/sut/process';
import { assertAllowedHost, DEFAULT_START_SECONDS, withPort } from '../../support/sut/provider-system';
import { loadConsumerProfile } from '../../support/profiles/consumer';

export const RUN_USAGE = `  gpc-conform run --role provider|consumer --profile FILE [options]
                                         run the provider (or consumer) features against the system the profile describes
      --tags EXPR                        only the scenarios matching a Cucumber tag expression (e.g. "@req:PROV-BOOK")
      --out DIR                          where the results go (default reports/run-provider, reports/run-consumer)
      --allow-non-loopback               needed when the profile names a system not on a loopback address
      --faults LIST                      built-in reference systems only: deliberate mistakes (see the README)`;

const root = path.resolve(__dirname, '..', '..');
/** The Cucumber run in progress, so an interrupted run stops it too. */
const cucumber: { child?: ChildProcess } = {};

/**
 * Provider conformance from nothing but a profile: start the provider when the profile says how,
 * wait until it is ready, run the provider features against it (through the harness's SSP or
 * directly), stop it, and give the verdict as the exit code.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      profile: { type: 'string' },
      tags: { type: 'string' },
      out: { type: 'string' },
      'allow-non-loopback': { type: 'boolean', default: false },
      faults: { type: 'string' },
    },
    strict: true,
  });
  if (values.role !== 'provider' && values.role !== 'consumer') {
    console.error('gpc-conform run: give --role provider or --role consumer');
    return 2;
  }
  if (!values.profile) {
    console.error('gpc-conform run: give --profile FILE (see profiles/ for examples)');
    return 2;
  }
  if (values.role === 'consumer') return runConsumer(values as RunValues & { profile: string });
  const out = path.resolve(values.out ?? 'reports/run-provider');
  let profile: ProviderProfile;
  try {
    profile = loadProviderProfile(values.profile);
    if (values.faults && !profile.builtIn) throw new ProfileError(values.profile, ['--faults only applies to the built-in reference provider (builtIn: true)']);
    if (!profile.builtIn) profile = await withPort(profile);
    if (!profile.builtIn) assertAllowedHost(profile, values['allow-non-loopback']);
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let started: StartedSystem | undefined;
  const stopAll = async () => {
    if (cucumber.child && cucumber.child.exitCode === null) {
      cucumber.child.kill('SIGINT');
      const late = setTimeout(() => cucumber.child?.kill('SIGKILL'), 5_000);
      await new Promise((r) => cucumber.child!.once('close', r));
      clearTimeout(late);
    }
    await started?.stop();
    started = undefined;
  };
  const interrupted = () => void stopAll().then(() => process.exit(2));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (profile.start) {
      console.log(`Starting ${profile.name}: ${profile.start.command}`);
      try {
        started = await startSystem(profile.start, {
          label: `the provider under test (${profile.name})`,
          fallbackAddress: new URL(profile.baseUrl),
          logFile: path.join(out, 'provider-under-test.log'),
          timeoutSeconds: profile.start.ready?.timeoutSeconds ?? profile.timeouts?.startSeconds ?? DEFAULT_START_SECONDS,
        });
      } catch (error) {
        if (error instanceof StartFailed) {
          console.error(`gpc-conform run: ${error.message}`);
          return 2;
        }
        throw error;
      }
      console.log(`${profile.name} is ready at ${profile.baseUrl} (pid ${started.pid})`);
    }
    // The scenarios get the profile as resolved here: the port chosen, and nothing more to start.
    const resolvedFile = path.join(out, 'profile.resolved.json');
    writeFileSync(resolvedFile, JSON.stringify({ ...profile, start: undefined }, null, 2));
    const verdict = await runFeatures(out, 'features/provider', values, { GPC_PROVIDER_PROFILE: resolvedFile, GPC_PROVIDER_FAULTS: values.faults ?? '' });
    report('Provider', verdict, out);
    return verdict.exitCode;
  } finally {
    await stopAll();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

type RunValues = { tags?: string; faults?: string; out?: string; 'allow-non-loopback'?: boolean };

/**
 * Consumer conformance from nothing but a profile. The consumer is started inside the Cucumber run,
 * after Spine in a box, because its start command and environment are templated with Spine's URLs
 * (support/sut/consumer-system.ts); here the profile is checked first so a bad one stops the run
 * before anything starts.
 */
async function runConsumer(values: RunValues & { profile: string }): Promise<number> {
  const out = path.resolve(values.out ?? 'reports/run-consumer');
  try {
    const profile = loadConsumerProfile(values.profile);
    if (values.faults && !profile.builtIn) throw new ProfileError(values.profile, ['--faults only applies to the built-in reference consumer (builtIn: true)']);
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const interrupted = () => {
    cucumber.child?.kill('SIGINT');
    setTimeout(() => process.exit(2), 5_000).unref();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const verdict = await runFeatures(out, 'features/consumer', values, {
      GPC_CONSUMER_PROFILE: path.resolve(values.profile),
      GPC_CONSUMER_FAULTS: values.faults ?? '',
      GPC_REPORT_DIR: out,
    });
    report('Consumer', verdict, out);
    return verdict.exitCode;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

function runFeatures(out: string, features: string, values: RunValues, roleEnv: Record<string, string>): Promise<Verdict> {
  const messages = path.join(out, 'messages.ndjson');
  const args = [
    path.join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'),
    '--profile',
    'run',
    '--format',
    `message:${messages}`,
    '--format',
    `json:${path.join(out, 'cucumber.json')}`,
    '--format',
    `junit:${path.join(out, 'junit.xml')}`,
    ...(values.tags ? ['--tags', values.tags] : []),
    features,
  ];
  const env = { ...process.env, ...roleEnv, GPC_ALLOW_NON_LOOPBACK: values['allow-non-loopback'] ? '1' : '' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    cucumber.child = child;
    child.on('close', () => resolve(verdictOf(messages)));
    child.on('error', (error) => resolve({ ...verdictOf(messages), exitCode: 2, runError: `Cucumber could not be started: ${error.message}` }));
  });
}

function report(role: 'Provider' | 'Consumer', verdict: Verdict, out: string): void {
  const { counts } = verdict;
  const notPassed = verdict.scenarios.filter((s) => s.outcome !== 'passed' && s.outcome !== 'skipped');
  if (notPassed.length > 0) {
    console.log('\nWhat did not pass:');
    for (const s of notPassed) console.log(`  ${s.outcome.toUpperCase().padEnd(13)} ${s.uri}:${s.line ?? '?'} ${s.name}\n                ${s.reason ?? ''}`);
  }
  if (verdict.runError) console.log(`\nThe run itself: ${verdict.runError}`);
  console.log(`\n${role} conformance: ${counts.passed} passed, ${counts.failed} failed, ${counts.broken} broken, ${counts.skipped} skipped, ${counts['harness-error']} harness errors`);
  console.log(`Results: ${path.relative(process.cwd(), out) || '.'}/ (messages.ndjson, cucumber.json, junit.xml${role === 'Consumer' ? '; consumer-unmatched-requests.json when requests matched no scenario' : ''})`);
  const verdicts = ['conformant', 'non-conformance found', 'harness or configuration error'];
  console.log(`Verdict: ${verdicts[verdict.exitCode]} (exit code ${verdict.exitCode})`);
  console.log(`${counts.passed} passed, ${counts.failed + counts.broken + counts['harness-error']} failed`);
}
