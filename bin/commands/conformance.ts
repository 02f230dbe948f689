import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConsumerProfile } from '../../src/actors/profiles/consumer';
import { loadProviderProfile } from '../../src/actors/profiles/load';
import type { RunPart } from '../../src/results/outcome';
import { runConformance } from '../../src/pipeline/conformance-run';
import { outputsOf } from '../../src/pipeline/layout';
import { printRunResult } from '../../src/pipeline/print';
import { parallelOption, rerunArguments, selectParts, SELECTION_OPTIONS, SELECTION_USAGE } from '../../src/pipeline/selection';
import { applyShard, writeEmptyShard } from '../../src/pipeline/shard';
import { GPCONNECT_SPEC_VERSION } from '../../src/gpconnect/constants';
import { packagePath } from '../../src/package-root';
import { REPORT_LEVEL_OPTION, REPORT_LEVEL_USAGE, reportLevelOption } from '../../src/pipeline/report-level';

export const CONFORMANCE_USAGE = `  gpc-conform conformance [options]      the main job: every feature against the built-in reference systems,
                                         then the reference consumer as a process (HTTP hook) and in chromium
      --out DIR                          where everything goes (default reports/conformance)
${SELECTION_USAGE}
${REPORT_LEVEL_USAGE}
      --strict                           warnings fail: a SHOULD broken, or a status or code only the official tests or the demonstrator expect`;

const PROFILES = {
  provider: packagePath('profiles', 'reference-provider.yaml'),
  consumer: packagePath('profiles', 'reference-consumer.yaml'),
  consumerHttp: packagePath('profiles', 'reference-consumer-http.yaml'),
  consumerBrowser: packagePath('profiles', 'reference-consumer-browser.yaml'),
};

/** The full conformance run, part by part: each part is one Cucumber run against one set of systems. */
function builtInParts(): RunPart[] {
  const provider = loadProviderProfile(PROFILES.provider);
  const consumer = (file: string) => {
    const p = loadConsumerProfile(file);
    return { role: 'consumer' as const, name: p.name, version: p.version, profile: file };
  };
  return [
    {
      name: 'reference',
      title: 'Spine in a box with the built-in reference provider and consumer: SSP, topology, provider and consumer features',
      paths: ['features/ssp', 'features/topology', 'features/provider', 'features/consumer'],
      parameters: { providerProfile: PROFILES.provider, consumerProfile: PROFILES.consumer },
      // The longest part by far (790 scenarios, all CPU): two workers keep both cores busy once the
      // consumer parts are done, instead of one.
      parallel: 2,
      systemUnderTest: { role: 'provider', name: provider.name, version: provider.version, profile: PROFILES.provider },
    },
    {
      name: 'consumer-http',
      title: 'The reference consumer as a process, driven through its HTTP hook: consumer features',
      paths: ['features/consumer'],
      parameters: { consumerProfile: PROFILES.consumerHttp },
      // Most of its time is the consumer's own and the quiet wait after each booking (the late-request
      // rule): two workers, each with its own Spine in a box and consumer, wait side by side.
      parallel: 2,
      systemUnderTest: consumer(PROFILES.consumerHttp),
    },
    {
      name: 'consumer-browser',
      title: "The reference consumer's web UI driven in chromium: the happy path",
      paths: ['features/consumer'],
      tags: '@happy-path',
      parameters: { consumerProfile: PROFILES.consumerBrowser },
      systemUnderTest: consumer(PROFILES.consumerBrowser),
    },
  ];
}

export async function conformance(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { out: { type: 'string', default: 'reports/conformance' }, strict: { type: 'boolean', default: false }, ...SELECTION_OPTIONS, ...REPORT_LEVEL_OPTION }, strict: true }).values;
  } catch (error) {
    console.error(`gpc-conform conformance: ${(error as Error).message}`);
    return 2;
  }
  const out = path.resolve(values.out);
  let selected;
  let parallel;
  let level;
  try {
    level = reportLevelOption(values.report, Boolean(values.only?.length) || values['rerun-failed'] === true);
    parallel = parallelOption(values.parallel);
    selected = selectParts(builtInParts(), { tags: values.tags, requirement: values.requirement, step: values.step, only: values.only, rerunFailed: values['rerun-failed'] }, outputsOf(out).summary);
    selected = await applyShard(selected, values.shard);
  } catch (error) {
    console.error(`gpc-conform conformance: ${(error as Error).message}`);
    return 2;
  }
  const command = ['node bin/gpc-conform conformance', ...argv].join(' ');
  if (selected.parts.length === 0 && 'shard' in selected && selected.shard) return writeEmptyShard(out, selected.shard, command, selected.partialReasons);
  if (selected.parts.length === 0) {
    console.log('Nothing to run: the previous run had nothing that did not pass.');
    return 0;
  }
  // A part's own workers are for the whole part: a selection of a few scenarios would only pay their start.
  if (selected.partialReasons.length > 0) selected = { ...selected, parts: selected.parts.map(({ parallel: _whole, ...part }) => part) };
  if (values.strict) selected = { ...selected, parts: selected.parts.map((part) => ({ ...part, parameters: { ...part.parameters, strict: true } })) };
  const base = `node bin/gpc-conform conformance${values.out === 'reports/conformance' ? '' : ` --out ${values.out}`}${parallel ? ` --parallel ${parallel}` : ''}${values.strict ? ' --strict' : ''}`;
  const result = await runConformance({
    out,
    parts: selected.parts,
    command,
    rerunCommand: (failed) => `${base} ${rerunArguments(failed, true)}`,
    partialReasons: selected.partialReasons,
    parallel,
    shard: 'shard' in selected ? selected.shard : undefined,
    report: level,
    profiles: [PROFILES.provider, PROFILES.consumer, PROFILES.consumerHttp, PROFILES.consumerBrowser],
    environment: {
      'Systems under test': selected.parts.map((p) => `${p.systemUnderTest?.name} ${p.systemUnderTest?.version ?? ''}`.trim()).join('; '),
      'GP Connect version': GPCONNECT_SPEC_VERSION,
      Topology: 'topologies/default.yaml',
      Parts: selected.parts.map((p) => p.name).join(', '),
    },
  });
  printRunResult(result, out);
  return result.summary.verdict.exitCode;
}
