import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProviderProfile, ProfileError, type ProviderProfile } from '../../src/actors/profiles/load';
import { StartFailed, startSystem, type StartedSystem } from '../../src/actors/sut/process';
import { assertAllowedHost, DEFAULT_START_SECONDS, readTls, withPort } from '../../src/actors/sut/provider-settings';
import { parseProviderFaults } from '../../src/spine/provider/faults';
import { CONSUMER_FAULTS } from '../../reference/consumer/faults';
import { packagePath } from '../../src/package-root';
import { locateProfile } from '../../src/actors/profiles/locate';
import type { ConsumerProfile } from '../../src/actors/profiles/consumer';
import { loadConsumerProfile } from '../../src/actors/profiles/consumer';
import { runConformance } from '../../src/pipeline/conformance-run';
import { outputsOf, prepareOutput } from '../../src/pipeline/layout';
import { removeSpares } from '../../src/evidence/spare-files';
import { printRunResult } from '../../src/pipeline/print';
import { parallelOption, rerunArguments, selectParts, SELECTION_OPTIONS, SELECTION_USAGE } from '../../src/pipeline/selection';
import { applyShard, writeEmptyShard } from '../../src/pipeline/shard';
import type { RunPart } from '../../src/results/outcome';
import { GPCONNECT_SPEC_VERSION } from '../../src/gpconnect/constants';
import { secretEnvNamesIn } from '../../src/evidence/redact';
import { REPORT_LEVEL_OPTION, REPORT_LEVEL_USAGE, reportLevelOption, type ReportLevel } from '../../src/pipeline/report-level';

export const RUN_USAGE = `  gpc-conform run --role provider|consumer --profile FILE [options]
                                         run the provider (or consumer) features against the system the profile describes
      --out DIR                          where everything goes (default reports/run-provider, reports/run-consumer)
${SELECTION_USAGE}
${REPORT_LEVEL_USAGE}
      --strict                           warnings fail: a SHOULD broken, or a status or code only the official tests or the demonstrator expect
                                         (as strict: true in the profile)
      --allow-non-loopback               needed when the profile names a system not on a loopback address
      --faults LIST                      built-in reference systems only: deliberate mistakes (see the README)`;

type RunValues = { strict?: boolean; role?: string; profile?: string; out?: string; faults?: string; 'allow-non-loopback'?: boolean; tags?: string; requirement?: string[]; step?: string[]; only?: string[]; 'rerun-failed'?: boolean; parallel?: string; shard?: string; report?: string };

/**
 * Conformance of a supplier's system from nothing but a profile: (a provider is started here when
 * the profile says how, and waited for), the role's features run against it with every report
 * written (src/pipeline/conformance-run.ts), it is stopped, and the verdict is the exit code.
 */
export async function run(argv: string[]): Promise<number> {
  let values: RunValues & { level: ReportLevel };
  try {
    const parsed = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, profile: { type: 'string' }, out: { type: 'string' }, 'allow-non-loopback': { type: 'boolean', default: false }, strict: { type: 'boolean', default: false }, faults: { type: 'string' }, ...SELECTION_OPTIONS, ...REPORT_LEVEL_OPTION },
      strict: true,
    }).values;
    values = { ...parsed, level: reportLevelOption(parsed.report, Boolean(parsed.only?.length) || parsed['rerun-failed'] === true) };
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }
  if (values.role !== 'provider' && values.role !== 'consumer') {
    console.error('gpc-conform run: give --role provider or --role consumer');
    return 2;
  }
  if (!values.profile) {
    console.error('gpc-conform run: give --profile FILE (see profiles/ for examples)');
    return 2;
  }
  const profile = locateProfile(values.profile);
  return values.role === 'consumer' ? runConsumer(values, profile, argv) : runProvider(values, profile, argv);
}

async function runProvider(values: RunValues & { level: ReportLevel }, profileFile: string, argv: string[]): Promise<number> {
  const out = path.resolve(values.out ?? 'reports/run-provider');
  let profile: ProviderProfile;
  try {
    profile = loadProviderProfile(profileFile);
    if (values.faults && !profile.builtIn) throw new ProfileError(profileFile, ['--faults only applies to the built-in reference provider (builtIn: true)']);
    parseProviderFaults(values.faults);
    readTls(profile);
    if (!profile.builtIn) profile = await withPort(profile);
    if (!profile.builtIn) assertAllowedHost(profile, values['allow-non-loopback']);
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }
  const selection = await select(values, out, { name: 'provider', title: `Provider conformance: ${profile.name}`, paths: ['features/provider'], parameters: {}, systemUnderTest: { role: 'provider', name: profile.name, version: profile.version, profile: profileFile } });
  if (typeof selection === 'number') return selection;
  if (selection.parts.length === 0 && selection.shard) return writeEmptyShard(out, selection.shard, ['node bin/gpc-conform run', ...argv].join(' '), selection.partialReasons);

  let started: StartedSystem | undefined;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    prepareOutput(out, [], { spares: true });
    if (profile.start) {
      console.log(`Starting ${profile.name}: ${profile.start.command}`);
      try {
        started = await startSystem(profile.start, {
          label: `the provider under test (${profile.name})`,
          fallbackAddress: new URL(profile.baseUrl),
          logFile: path.join(out, 'provider-under-test.log'),
          timeoutSeconds: profile.start.ready?.timeoutSeconds ?? profile.timeouts?.startSeconds ?? DEFAULT_START_SECONDS,
          secretEnvNames: secretEnvNamesIn(profile),
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
    if (interrupted) return 2;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // The scenarios get the profile as resolved here: the port chosen, and nothing more to start.
    const resolvedFile = path.join(out, 'profile.resolved.json');
    mkdirSync(out, { recursive: true });
    writeFileSync(resolvedFile, JSON.stringify({ ...profile, start: undefined }, null, 2));
    const parameters = { providerProfile: resolvedFile, faults: { provider: values.faults }, allowNonLoopback: values['allow-non-loopback'] === true, strict: values.strict === true };
    return await runAndReport(values, out, argv, selection, parameters, profileFile, { 'System under test': `${profile.name} ${profile.version ?? ''}`.trim(), 'Base URL': profile.baseUrl, Topology: `one practice, ${profile.ods} (ASID ${profile.asid})` }, ['provider-under-test.log', 'profile.resolved.json']);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await started?.stop();
    // Where the run never started (its start failed), the last run's results set aside go now.
    removeSpares(outputsOf(out).allureResults);
  }
}

/**
 * Consumer conformance from nothing but a profile. The consumer is started inside the Cucumber run,
 * after Spine in a box, because its start command and environment are templated with Spine's URLs
 * (src/actors/sut/consumer-system.ts); here the profile is checked first so a bad one stops the run
 * before anything starts.
 */
async function runConsumer(values: RunValues & { level: ReportLevel }, profileFile: string, argv: string[]): Promise<number> {
  const out = path.resolve(values.out ?? 'reports/run-consumer');
  let profile;
  try {
    profile = loadConsumerProfile(profileFile);
    if (values.faults && !takesFaults(profile)) throw new ProfileError(profileFile, ['--faults only applies to the reference consumer: a profile that hands them over as the {faults} placeholder, or its own module driver']);
    const unknown = (values.faults ?? '').split(',').map((f) => f.trim()).filter((f) => f && !CONSUMER_FAULTS.some((known) => known.name === f));
    if (unknown.length > 0) throw new ProfileError(profileFile, [`--faults: unknown reference consumer fault(s) ${unknown.join(', ')} (gpc-conform serve-consumer --list-faults lists them)`]);
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }
  const selection = await select(values, out, { name: 'consumer', title: `Consumer conformance: ${profile.name}`, paths: ['features/consumer'], parameters: {}, systemUnderTest: { role: 'consumer', name: profile.name, version: profile.version, profile: profileFile } });
  if (typeof selection === 'number') return selection;
  const parameters = { consumerProfile: path.resolve(profileFile), faults: { consumer: values.faults }, allowNonLoopback: values['allow-non-loopback'] === true, strict: values.strict === true };
  return runAndReport(values, out, argv, selection, parameters, profileFile, { 'System under test': `${profile.name} ${profile.version ?? ''}`.trim(), 'Consumer ASID': profile.identity.asid, Topology: 'topologies/default.yaml, with the consumer under test registered' });
}

type Selected = Awaited<ReturnType<typeof applyShard>> & { parallel?: number };

/** The one part of a supplier run, narrowed by the selection options and `--shard`; a number is the exit code of a bad selection. */
async function select(values: RunValues, out: string, part: RunPart): Promise<Selected | number> {
  try {
    const parallel = parallelOption(values.parallel);
    const selected = selectParts([part], { tags: values.tags, requirement: values.requirement, step: values.step, only: values.only, rerunFailed: values['rerun-failed'] }, outputsOf(out).summary);
    return { ...(await applyShard(selected, values.shard)), parallel };
  } catch (error) {
    console.error(`gpc-conform run: ${(error as Error).message}`);
    return 2;
  }
}

async function runAndReport(
  values: RunValues & { level: ReportLevel },
  out: string,
  argv: string[],
  selection: Selected,
  parameters: Record<string, unknown>,
  profileFile: string,
  environment: Record<string, string>,
  keep: string[] = [],
): Promise<number> {
  if (selection.parts.length === 0 && selection.shard) return writeEmptyShard(out, selection.shard, ['node bin/gpc-conform run', ...argv].join(' '), selection.partialReasons);
  if (selection.parts.length === 0) {
    console.log('Nothing to run: the previous run had nothing that did not pass.');
    return 0;
  }
  // The re-run runs what did not pass, whichever shard it was in.
  const again = argv.filter((a, i) => !['--only', '--rerun-failed', '--tags', '--requirement', '--step', '--shard'].includes(a) && !['--only', '--tags', '--requirement', '--step', '--shard'].includes(argv[i - 1]));
  const base = ['node bin/gpc-conform run', ...again].join(' ');
  const result = await runConformance({
    out,
    parts: selection.parts.map((p) => ({ ...p, parameters: { ...p.parameters, ...parameters } })),
    command: ['node bin/gpc-conform run', ...argv].join(' '),
    rerunCommand: (failed) => `${base} ${rerunArguments(failed, false)}`,
    partialReasons: selection.partialReasons,
    profiles: [profileFile],
    environment: { ...environment, 'GP Connect version': GPCONNECT_SPEC_VERSION, Role: values.role ?? '' },
    keep,
    parallel: selection.parallel,
    shard: selection.shard,
    report: values.level,
  });
  printRunResult(result, out);
  return result.summary.verdict.exitCode;
}

/** The reference consumer takes deliberate mistakes: through the {faults} placeholder (as a process), or as the module the harness loads. */
function takesFaults(profile: ConsumerProfile): boolean {
  if (JSON.stringify(profile).includes('{faults}')) return true;
  return profile.driver.kind === 'module' && profile.driver.module !== undefined && !path.relative(packagePath('reference'), profile.driver.module).startsWith('..');
}
