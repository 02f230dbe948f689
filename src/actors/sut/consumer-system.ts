import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { browserDriver } from '../drivers/browser-driver';
import { commandDriver } from '../drivers/command-driver';
import { DriverFailed, outcomeFrom, type ConsumerDriver } from '../drivers/driver';
import { type BookingRequest, type DriverOutcome } from '../../rules/consumer/judge-context';
import { httpDriver } from '../drivers/http-driver';
import { moduleDriver } from '../drivers/module-driver';
import { fillEach, fillTemplate } from '../drivers/template';
import type { ConsumerProfile } from '../profiles/consumer';
import { ProfileError } from '../profiles/load';
import { SpineInABox } from '../../spine/spine';
import { startSystem, type StartedSystem } from './process';
import { freeLoopbackPort } from '../../http/ports';
import { consumerTopology, originatingOrganisations } from './consumer-topology';
import { LOOPBACK_HOSTS } from './provider-settings';
import { secretEnvNamesIn } from '../../evidence/redact';
import { FHIR_XML_CODEC } from '../../fhir/xml';

export const DEFAULT_ACTION_SECONDS = 60;
export const DEFAULT_CONSUMER_START_SECONDS = 60;

/** What the consumer features need: Spine in a box, the consumer wired to it, the driver that makes it act. */
export interface ConsumerSystem {
  spine: SpineInABox;
  profile: ConsumerProfile;
  driver: ConsumerDriver;
  /** The placeholders' values: Spine's URLs, the consumer's identity, its port. */
  values: Record<string, string>;
  started?: StartedSystem;
  stop(): Promise<void>;
}

export interface ConsumerSystemOptions {
  /** Deliberate mistakes for the built-in reference consumer (the harness's own proof), handed over as the {faults} placeholder. */
  faults?: string;
  /** The reference consumer's conformant variants, as a comma-separated list (reference/consumer/variants.ts). */
  variants?: string;
  allowNonLoopback?: boolean;
  /** Where a started consumer's output goes. */
  logFile?: string;
  /** Where files the profile asks for are written when it has no start.cwd. */
  workDir?: string;
  /** Where Spine in a box's TLS material goes, when the profile asks for mutual TLS. */
  tlsDir?: string;
}

/**
 * Spine in a box first (the consumer must be told where PDS, SDS and the SSP are), with the
 * consumer in its directory; then the consumer, started from its profile with every placeholder
 * filled; then its driver.
 */
export async function startConsumerSystem(profile: ConsumerProfile, options: ConsumerSystemOptions = {}): Promise<ConsumerSystem> {
  const actionMs = (profile.timeouts?.actionSeconds ?? DEFAULT_ACTION_SECONDS) * 1000;
  const spine = await SpineInABox.start({
    mode: 'sockets',
    directory: consumerTopology(profile),
    referenceProvider: { xml: FHIR_XML_CODEC },
    tls: profile.mutualTls === true,
    tlsDir: options.tlsDir ?? 'reports/tls',
  });
  let started: StartedSystem | undefined;
  try {
    const values = await placeholderValues(spine, profile, options.faults, options.variants);
    const resolved = JSON.parse(JSON.stringify(profile)) as ConsumerProfile;
    assertLoopbackDriver(resolved, values, options.allowNonLoopback);
    if (resolved.start) {
      const cwd = resolved.start.cwd ?? options.workDir ?? process.cwd();
      for (const file of resolved.start.files ?? []) {
        const target = path.resolve(cwd, fillTemplate(file.path, values, { where: 'start.files.path' }));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, fillTemplate(file.content, values, { where: `start.files ${file.path}` }));
      }
      started = await startSystem(
        { command: fillTemplate(resolved.start.command, values, { where: 'start.command' }), cwd, env: fillEach(resolved.start.env, values, 'start.env'), ready: resolved.start.ready && { ...resolved.start.ready, url: resolved.start.ready.url && fillTemplate(resolved.start.ready.url, values, { where: 'start.ready.url' }) } },
        {
          label: `the consumer under test (${resolved.name})`,
          fallbackAddress: new URL(`http://127.0.0.1:${values.port}`),
          logFile: options.logFile,
          timeoutSeconds: resolved.start.ready?.timeoutSeconds ?? resolved.timeouts?.startSeconds ?? DEFAULT_CONSUMER_START_SECONDS,
          secretEnvNames: secretEnvNamesIn(resolved),
        },
      );
    }
    const driver = driverFor(resolved, values, actionMs);
    const running = started;
    return {
      spine,
      profile,
      driver,
      values,
      started,
      stop: async () => {
        await driver.close?.();
        await running?.stop();
        await spine.stop();
      },
    };
  } catch (error) {
    await started?.stop();
    await spine.stop();
    throw error;
  }
}

/** Everything a profile may name in braces (consumer.schema.json lists them). */
async function placeholderValues(spine: SpineInABox, profile: ConsumerProfile, faults = '', variants = ''): Promise<Record<string, string>> {
  const tls = spine.tls;
  const values: Record<string, string> = {
    pdsUrl: spine.urls.pds,
    sdsUrl: spine.urls.sds,
    sspUrl: spine.urls.ssp,
    asid: profile.identity.asid,
    ods: profile.identity.ods,
    organisationsJson: JSON.stringify(originatingOrganisations(spine.directory, profile)),
    port: String(await freeLoopbackPort()),
    faults,
    variants,
  };
  if (tls) {
    const fqdn = spine.directory.mhsByPartyKey(spine.directory.systemByAsid(profile.identity.asid)?.partyKey ?? '')?.fqdn ?? '';
    const client = tls.clients[fqdn];
    if (client) Object.assign(values, { caFile: tls.ca.certPath, clientCertFile: client.certPath, clientKeyFile: client.keyPath });
  }
  return values;
}

function assertLoopbackDriver(profile: ConsumerProfile, values: Record<string, string>, allowNonLoopback = false): void {
  const url = profile.driver.url;
  if (!url || allowNonLoopback) return;
  const host = new URL(fillTemplate(url, { ...values, nhsNumber: '', start: '', end: '', session: '', organisation: '', practice: '' }, { where: 'driver.url' })).hostname;
  if (!LOOPBACK_HOSTS.has(host)) throw new ProfileError('<profile>', [`driver.url: ${host} is not a loopback address; driving a consumer elsewhere needs --allow-non-loopback`]);
}

function driverFor(profile: ConsumerProfile, values: Record<string, string>, actionMs: number): ConsumerDriver {
  switch (profile.driver.kind) {
    case 'http':
      return httpDriver(profile.driver, values, actionMs);
    case 'command':
      return commandDriver(profile.driver, values, actionMs, profile.start?.cwd);
    case 'module':
      return moduleDriver(profile.driver, values, actionMs);
    case 'browser':
      return browserDriver(profile.driver, values, actionMs);
  }
}
