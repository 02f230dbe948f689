import { parseArgs } from 'node:util';
import { DirectoryError, loadDirectory } from '../src/spine/directory/load';
import { describeSpine } from '../src/spine/describe';
import { SpineInABox } from '../src/spine/spine';
import { run, RUN_USAGE } from './commands/run';
import { conformance, CONFORMANCE_USAGE } from './commands/conformance';
import { coverage, COVERAGE_USAGE } from './commands/coverage';
import { report, REPORT_USAGE } from './commands/report';
import { merge, MERGE_USAGE } from './commands/merge';
import { serveProvider, SERVE_PROVIDER_USAGE } from './commands/serve-provider';
import { serveConsumer, SERVE_CONSUMER_USAGE } from './commands/serve-consumer';
import { LOOPBACK_HOSTS, portOption, waitForStop } from './commands/common';

const USAGE = `gpc-conform — GP Connect conformance harness

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
      --journal FILE                     append every exchange to FILE as JSON lines
  gpc-conform check-topology [FILE]      validate a topology file against the SDS registration rules
${CONFORMANCE_USAGE}
${RUN_USAGE}
${REPORT_USAGE}
${MERGE_USAGE}
${COVERAGE_USAGE}
${SERVE_PROVIDER_USAGE}
${SERVE_CONSUMER_USAGE}

Exit codes: 0 success, 1 non-conformance found, 2 harness or configuration error.`;

export async function main(argv: string[]): Promise<number | void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'spine':
      return spine(rest);
    case 'check-topology':
      return checkTopology(rest[0]);
    case 'conformance':
      return conformance(rest);
    case 'run':
      return run(rest);
    case 'report':
      return report(rest);
    case 'merge':
      return merge(rest);
    case 'coverage':
      return coverage(rest);
    case 'serve-provider':
      return serveProvider(rest);
    case 'serve-consumer':
      return serveConsumer(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(`gpc-conform: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function checkTopology(file?: string): number {
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
  let box: SpineInABox;
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
  return 0;
}
