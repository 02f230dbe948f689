import { parseArgs } from 'node:util';
import type { SpineInABox as SpineBox } from '../src/spine/spine';
import { exitOnceClosed, LOOPBACK_HOSTS, portOption, waitForStop } from './commands/common';

/**
 * Each command's module, loaded only when it is the one asked for: a re-run does not wait for
 * Spine in a box, the report writers or Cucumber to load for commands it does not run.
 */
const COMMANDS = {
  conformance: async () => { const m = await import('./commands/conformance'); return { main: m.conformance, usage: m.CONFORMANCE_USAGE }; },
  run: async () => { const m = await import('./commands/run'); return { main: m.run, usage: m.RUN_USAGE }; },
  report: async () => { const m = await import('./commands/report'); return { main: m.report, usage: m.REPORT_USAGE }; },
  merge: async () => { const m = await import('./commands/merge'); return { main: m.merge, usage: m.MERGE_USAGE }; },
  coverage: async () => { const m = await import('./commands/coverage'); return { main: m.coverage, usage: m.COVERAGE_USAGE }; },
  'serve-provider': async () => { const m = await import('./commands/serve-provider'); return { main: m.serveProvider, usage: m.SERVE_PROVIDER_USAGE }; },
  'serve-consumer': async () => { const m = await import('./commands/serve-consumer'); return { main: m.serveConsumer, usage: m.SERVE_CONSUMER_USAGE }; },
} satisfies Record<string, () => Promise<{ main: (argv: string[]) => Promise<number | void> | number | void; usage: string }>>;

type CommandName = keyof typeof COMMANDS;
const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

async function usage(): Promise<string> {
  const [conformanceUsage, runUsage, reportUsage, mergeUsage, coverageUsage, serveProviderUsage, serveConsumerUsage] = await Promise.all(
    (['conformance', 'run', 'report', 'merge', 'coverage', 'serve-provider', 'serve-consumer'] as const).map(async (name) => (await COMMANDS[name]()).usage),
  );
  return `gpc-conform — GP Connect conformance harness

Usage:
  gpc-conform spine [options]            start Spine in a box (PDS, SDS, SSP, stand-in provider)
      --topology FILE                    topology YAML (default: topologies/default.yaml)
      --patients FILE                    PDS patient list YAML (default: data/patients.yaml)
      --tls                              serve HTTPS with mutual TLS (certificates in --tls-dir)
      --tls-dir DIR                      where the generated CA and certificates go (default: .spine/tls)
      --host HOST                        address to bind (default 127.0.0.1)
      --allow-non-loopback               needed to bind anything but 127.0.0.1 or ::1
      --pds-port N --sds-port N --ssp-port N --provider-port N   fixed ports (default: ephemeral)
      --ssp-timeout MS                   SSP's provider timeout before 504 (default 30000)
      --ssp-throttle N                   SSP answers 429 past N requests a minute from one sender (default: off)
      --ssp-provider-throttle N          SSP answers 503 past N requests a minute to one provider (default: off)
      --journal FILE                     append every exchange to FILE as JSON lines
  gpc-conform check-topology [FILE]      validate a topology file against the SDS registration rules
${conformanceUsage}
${runUsage}
${reportUsage}
${mergeUsage}
${coverageUsage}
${serveProviderUsage}
${serveConsumerUsage}

Exit codes: 0 success, 1 non-conformance found, 2 harness or configuration error.`;
}

export async function main(argv: string[]): Promise<number | void> {
  const [command, ...rest] = argv;
  if (command === 'spine') return spine(rest);
  if (command === 'check-topology') return checkTopology(rest[0]);
  if (command !== undefined && isCommand(command)) return (await COMMANDS[command]()).main(rest);
  if (command === undefined || ['-h', '--help', 'help'].includes(command)) {
    console.log(await usage());
    return 0;
  }
  console.error(`gpc-conform: unknown command "${command}"\n\n${await usage()}`);
  return 2;
}

async function checkTopology(file?: string): Promise<number> {
  const { DirectoryError, loadDirectory } = await import('../src/spine/directory/load');
  try {
    const directory = loadDirectory(file);
    console.log(`${file ?? 'default topology'}: valid — ${directory.data.organisations.length} organisations, ${directory.data.systems.length} systems, ${directory.data.mhs.length} MHS records, ${directory.data.agreements.length} agreements`);
    return 0;
  } catch (error) {
    if (error instanceof DirectoryError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

async function spine(argv: string[]): Promise<number> {
  const { SpineInABox } = await import('../src/spine/spine');
  const { describeSpine } = await import('../src/spine/describe');
  const { values } = parseArgs({
    args: argv,
    options: {
      topology: { type: 'string' },
      patients: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'tls-dir': { type: 'string', default: '.spine/tls' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-non-loopback': { type: 'boolean', default: false },
      'pds-port': { type: 'string' },
      'sds-port': { type: 'string' },
      'ssp-port': { type: 'string' },
      'provider-port': { type: 'string' },
      'ssp-timeout': { type: 'string' },
      'ssp-throttle': { type: 'string' },
      'ssp-provider-throttle': { type: 'string' },
      journal: { type: 'string' },
    },
    strict: true,
  });
  const host = values.host!;
  if (!LOOPBACK_HOSTS.has(host) && !values['allow-non-loopback']) {
    console.error(`gpc-conform: refusing to bind ${host}: Spine in a box binds loopback only unless --allow-non-loopback is given`);
    return 2;
  }
  const port = (name: string, v?: string) => (v === undefined ? undefined : portOption(name, v));
  let box: SpineBox;
  try {
    box = await SpineInABox.start({
      mode: 'sockets',
      directory: values.topology,
      patients: values.patients,
      tls: values.tls,
      tlsDir: values['tls-dir'],
      host,
      ports: { pds: port('pds-port', values['pds-port']), sds: port('sds-port', values['sds-port']), ssp: port('ssp-port', values['ssp-port']), provider: port('provider-port', values['provider-port']) },
      sspTimeoutMs: values['ssp-timeout'] ? Number(values['ssp-timeout']) : undefined,
      sspThrottle:
        values['ssp-throttle'] || values['ssp-provider-throttle']
          ? { perSender: values['ssp-throttle'] ? Number(values['ssp-throttle']) : undefined, perProvider: values['ssp-provider-throttle'] ? Number(values['ssp-provider-throttle']) : undefined, periodMs: 60_000 }
          : undefined,
      journalFile: values.journal,
    });
  } catch (error) {
    console.error(`gpc-conform: Spine in a box did not start: ${(error as Error).message}`);
    return 2;
  }
  console.log(describeSpine(box, { tlsDir: values.tls ? values['tls-dir'] : undefined, host }));
  box.journal.on('entry', (e) => console.log(`${e.time} ${e.service.padEnd(8)} ${e.method} ${e.url} -> ${e.status}${e.fault ? ` (fault: ${e.fault})` : ''}`));
  await waitForStop();
  console.log('\nStopping Spine in a box…');
  await box.stop();
  console.log(`Stopped. ${box.journal.size} exchanges were journalled.`);
  return exitOnceClosed(0);
}
