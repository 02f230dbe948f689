import { parseArgs } from 'node:util';
import { configFromEnv, ConsumerConfigError } from '../../reference/consumer/config';
import { ReferenceConsumer } from '../../reference/consumer/consumer';
import { CONSUMER_FAULTS } from '../../reference/consumer/faults';
import { startConsumerServer } from '../../reference/consumer/server';
import { checkedHost, portOption, UsageError, waitForStop, exitOnceClosed } from './common';

export const SERVE_CONSUMER_USAGE = `  gpc-conform serve-consumer [options]   serve the reference consumer: POST /book, /cancel, /amend, /retrieve hooks and a web UI at /
      --pds-url URL --sds-url URL --ssp-url URL   Spine (else GPC_CONSUMER_PDS_URL, _SDS_URL, _SSP_URL)
      --asid ASID --ods CODE                       the consumer (else GPC_CONSUMER_ASID, GPC_CONSUMER_ODS)
      --organisation-name NAME                     (else GPC_CONSUMER_ORG_NAME); other settings: GPC_CONSUMER_* (reference/consumer/config.ts)
      --organisations JSON               other organisations booked from (else GPC_CONSUMER_ORGANISATIONS)
      --faults LIST                      comma-separated deliberate mistakes (else GPC_CONSUMER_FAULTS)
      --list-faults                      print the fault catalogue (name, requirement, mistake) and exit
      --hook-key-env NAME                the POST hooks need X-Api-Key equal to the variable NAME's value
      --host HOST --port N               where to listen (default 127.0.0.1, an ephemeral port)
      --allow-non-loopback               needed to bind anything but loopback`;

/** Flags that stand in for GPC_CONSUMER_* variables. */
const FLAG_ENV: Record<string, string> = {
  'pds-url': 'GPC_CONSUMER_PDS_URL',
  'sds-url': 'GPC_CONSUMER_SDS_URL',
  'ssp-url': 'GPC_CONSUMER_SSP_URL',
  asid: 'GPC_CONSUMER_ASID',
  ods: 'GPC_CONSUMER_ODS',
  'organisation-name': 'GPC_CONSUMER_ORG_NAME',
  organisations: 'GPC_CONSUMER_ORGANISATIONS',
  faults: 'GPC_CONSUMER_FAULTS',
};

/** The reference consumer as a process of its own, configured only from outside (flags and GPC_CONSUMER_*). */
export async function serveConsumer(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'allow-non-loopback': { type: 'boolean', default: false },
      'list-faults': { type: 'boolean', default: false },
      'hook-key-env': { type: 'string' },
      ...Object.fromEntries(Object.keys(FLAG_ENV).map((flag) => [flag, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (values['list-faults']) {
    for (const f of CONSUMER_FAULTS) console.log(`${f.name.padEnd(28)} ${f.requirement.padEnd(24)} ${f.description}`);
    return 0;
  }
  let host: string;
  let port: number;
  try {
    host = checkedHost(values.host as string, values['allow-non-loopback']);
    port = portOption('port', String(values.port));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`gpc-conform: ${error.message}`);
    return 2;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of Object.entries(FLAG_ENV)) {
    const value = (values as Record<string, unknown>)[flag];
    if (typeof value === 'string') env[name] = value;
  }
  let consumer: ReferenceConsumer;
  try {
    consumer = new ReferenceConsumer(configFromEnv(env));
  } catch (error) {
    console.error(`gpc-conform: ${error instanceof ConsumerConfigError ? error.message : (error as Error).message}`);
    return 2;
  }
  const hookKeyEnv = values['hook-key-env'] as string | undefined;
  const hookKey = hookKeyEnv === undefined ? undefined : process.env[hookKeyEnv];
  if (hookKeyEnv !== undefined && !hookKey) {
    console.error(`gpc-conform: --hook-key-env ${hookKeyEnv}: the environment variable is not set`);
    return 2;
  }
  let server;
  try {
    server = await startConsumerServer({ consumer, host, port, hookKey });
  } catch (error) {
    console.error(`gpc-conform: the reference consumer could not listen on ${host}:${port}: ${(error as Error).message}`);
    return 2;
  }
  console.log(`reference consumer listening at ${server.origin}`);
  await waitForStop();
  await server.close();
  return exitOnceClosed(0);
}
