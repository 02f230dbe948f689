import path from 'node:path';
import { parseSdsFaults, type SdsFault } from '../spine/sds-faults';
import { parseSspFaults, type SspFault } from '../spine/ssp-faults';
import { parseProviderFaults, type ProviderFault } from '../spine/provider/faults';
import { parseProviderVariants } from '../spine/provider/variants';
import { SpineInABox } from '../spine/spine';
import { keepKeyPairsIn } from '../spine/tls';
import { DIRECTORY_RULE_IDS } from '../spine/directory/rules';
import { parseFaultList } from '../gpconnect/fault-list';
import { DECLARED_ONLY_CAPABILITIES, loadProviderProfile, type ProviderProfile } from './profiles/load';
import { actionsOf, CONSUMER_MAY_CAPABILITIES, loadConsumerProfile, withConsumerVariantDeclarations, type ConsumerProfile } from './profiles/consumer';
import { startProviderSystem, withVariantDeclarations, type ProviderSystem, DEFAULT_REQUEST_SECONDS } from './sut/provider-system';
import { DEFAULT_ACTION_SECONDS, startConsumerSystem, type ConsumerSystem } from './sut/consumer-system';
import { reportUnmatched } from './consumer/scenario-bounds';
import type { RunParameters } from './run-parameters';
import type { SystemUnderTest } from '../evidence/evidence';


/**
 * One Cucumber run's systems, from its parameters: the profiles (read at once, so a bad one stops the
 * run before any scenario with every problem named), and Spine in a box, the provider under test and
 * the consumer under test, each started on first use and stopped when the run ends. Under
 * `--parallel N` every worker is a process with a HarnessRun of its own on ephemeral ports; only
 * files need naming apart (`worker`).
 */
export class HarnessRun {
  readonly providerProfile: ProviderProfile;
  readonly consumerProfile: ConsumerProfile;
  private readonly sspFaults: ReadonlySet<SspFault>;
  private readonly sdsFaults: ReadonlySet<SdsFault>;
  private readonly providerFaults: ReadonlySet<ProviderFault>;
  private readonly spines: { plain?: Promise<SpineInABox>; mtls?: Promise<SpineInABox> } = {};
  private providerSystem: Promise<ProviderSystem> | undefined;
  private consumerSystem: Promise<ConsumerSystem> | undefined;
  /** Every Ssp-TraceID consumer scenarios of this run have seen: a trace ID is never reused (CONS-TRACE-ID). */
  readonly traceIdsSeen = new Set<string>();

  constructor(
    readonly parameters: RunParameters,
    /** CUCUMBER_WORKER_ID under --parallel. */
    readonly worker?: string,
  ) {
    // The reference provider's conformant variants are checked here, so an unknown name stops the run
    // before any scenario; each declares in the profile the capabilities its choice implies.
    this.providerProfile = withVariantDeclarations(loadProviderProfile(parameters.providerProfile), parseProviderVariants(parameters.variants.provider));
    this.consumerProfile = withConsumerVariantDeclarations(loadConsumerProfile(parameters.consumerProfile), parameters.variants.consumer);
    this.sspFaults = parseSspFaults(parameters.faults.ssp);
    this.sdsFaults = parseSdsFaults(parameters.faults.sds);
    this.providerFaults = parseProviderFaults(parameters.faults.provider);
    // The run's certificates are kept in its TLS folder: their keys too, for every process of the run.
    keepKeyPairsIn(parameters.tlsDir);
    this.skippedDirectoryRules = parseFaultList(parameters.faults.directory, Object.fromEntries(DIRECTORY_RULE_IDS.map((id) => [id, { breaks: id, what: `the directory does not check ${id}` }])), 'directory');
  }

  /** Directory rules the topology features' directory forgets to check (the harness's own proof). */
  readonly skippedDirectoryRules: ReadonlySet<string>;

  /** Whether warnings fail in a scenario with these tags: `--strict`, or `strict: true` in the profile of the system it tests. */
  strictFor(tags: readonly string[]): boolean {
    if (this.parameters.strict) return true;
    if (tags.includes('@provider')) return this.providerProfile.strict === true;
    if (tags.includes('@consumer')) return this.consumerProfile.strict === true;
    return false;
  }

  /** A file of this run's, named apart per worker. */
  perWorker(file: string): string {
    const full = path.join(this.parameters.reportDir, file);
    return this.worker === undefined ? full : full.replace(/(\.[^./]+)?$/, (ext) => `.worker-${this.worker}${ext}`);
  }

  /** The provider under test: started on first use (unless `gpc-conform run` already did), behind its own Spine in a box. */
  provider(): Promise<ProviderSystem> {
    return (this.providerSystem ??= startProviderSystem(this.providerProfile, {
      faults: this.providerFaults,
      variants: this.parameters.variants.provider,
      allowNonLoopback: this.parameters.allowNonLoopback,
      logFile: this.perWorker('provider-under-test.log'),
      shard: this.parameters.shard,
      probeLatitudes: this.parameters.probeLatitudes,
    }));
  }

  /** Spine in a box, then the consumer under test wired to it. */
  consumer(): Promise<ConsumerSystem> {
    return (this.consumerSystem ??= startConsumerSystem(this.consumerProfile, {
      faults: this.parameters.faults.consumer,
      variants: this.parameters.variants.consumer,
      allowNonLoopback: this.parameters.allowNonLoopback,
      logFile: this.perWorker('consumer-under-test.log'),
      tlsDir: this.parameters.tlsDir,
    }));
  }

  /** Spine in a box over plain HTTP, for the SSP and topology features. */
  plainSpine(): Promise<SpineInABox> {
    return (this.spines.plain ??= SpineInABox.start({ mode: 'sockets', sspFaults: this.sspFaults, sdsFaults: this.sdsFaults }));
  }

  /** Spine in a box over mutual TLS. */
  mtlsSpine(): Promise<SpineInABox> {
    return (this.spines.mtls ??= SpineInABox.start({ mode: 'sockets', sspFaults: this.sspFaults, sdsFaults: this.sdsFaults, tls: true, tlsDir: this.parameters.tlsDir }));
  }

  /**
   * Skipped, not failed: `@capability:<name>` scenarios for something the system's profile declares
   * it does not do, `@organisations` scenarios for a consumer that books for one organisation only,
   * and `@users` scenarios for a consumer that always acts as the one user its profile declares.
   */
  notApplicable(tags: readonly string[]): boolean {
    // The transport scenarios need the provider's own TLS listener: applicable where the profile gives `tls`.
    if (tags.includes('@provider') && tags.includes('@capability:servesTls') && !this.providerProfile.tls) return true;
    // A scenario that registers testData.registrablePatient needs a practice that does not hold it yet:
    // the built-in reference provider forgets it before each scenario, a supplier's is not reset, so
    // there only the one Register scenario registers it (the others would meet 409 in any order).
    if (tags.includes('@provider') && tags.includes('@registersAgain') && !this.providerProfile.builtIn) return true;
    if (tags.includes('@provider')) return declinedCapability(tags, this.providerProfile.capabilities, DECLARED_ONLY_CAPABILITIES) !== undefined;
    if (!tags.includes('@consumer')) return false;
    if (tags.includes('@organisations') && (this.consumerProfile.identity.organisations?.length ?? 0) < 2) return true;
    // A scenario in which the harness chooses the user (another user, one without a smartcard) cannot run where the profile fixes its one user.
    if (tags.includes('@users') && this.consumerProfile.identity.user) return true;
    // A scenario about an action the consumer does not declare (cancel, amend, retrieve) is not applicable.
    const declared = actionsOf(this.consumerProfile);
    if (tags.some((t) => t.startsWith('@action:') && !declared.includes(t.slice('@action:'.length) as never))) return true;
    return declinedCapability(tags, this.consumerProfile.capabilities, CONSUMER_MAY_CAPABILITIES) !== undefined;
  }

  systemUnderTest(role: string | undefined): SystemUnderTest | undefined {
    if (role === 'provider') return { role, name: this.providerProfile.name, version: this.providerProfile.version };
    if (role === 'consumer') return { role, name: this.consumerProfile.name, version: this.consumerProfile.version };
    return undefined;
  }

  /** Everything started is stopped; requests that reached the consumer's Spine between scenarios are reported. */
  async stop(): Promise<void> {
    if (this.consumerSystem) {
      const system = await this.consumerSystem.catch(() => undefined);
      if (system) reportUnmatched(system, this.worker === undefined ? this.parameters.reportDir : path.join(this.parameters.reportDir, `worker-${this.worker}`));
    }
    for (const started of [this.spines.plain, this.spines.mtls, this.providerSystem, this.consumerSystem]) {
      if (started) await (await started.catch(() => undefined))?.stop();
    }
  }
}

/** A capability the scenario needs and the profile declares absent: false, or not declared true for a MAY (MAY_CAPABILITIES, CONSUMER_MAY_CAPABILITIES). */
function declinedCapability(tags: readonly string[], declared: object | undefined, mays: ReadonlySet<string>): string | undefined {
  const capabilities = (declared ?? {}) as Record<string, boolean | undefined>;
  const declined = (name: string) => capabilities[name] === false || (mays.has(name) && capabilities[name] !== true);
  return tags.map((t) => t.match(/^@capability:(\w+)$/)?.[1]).find((name) => name !== undefined && declined(name));
}

/**
 * The longest a step may take for these profiles: above the provider's request timeout (twice, for a
 * step that asks twice) and the consumer's action timeout, so that those end a step with their own
 * message rather than Cucumber's. The runner sets it before the support code loads (GPC_STEP_TIMEOUT_MS).
 */
export function stepTimeoutMs(provider?: ProviderProfile, consumer?: ConsumerProfile): number {
  const requestSeconds = provider?.timeouts?.requestSeconds ?? DEFAULT_REQUEST_SECONDS;
  const actionSeconds = consumer?.timeouts?.actionSeconds ?? DEFAULT_ACTION_SECONDS;
  return Math.max(30_000, (requestSeconds + 5) * 2 * 1000, (actionSeconds + 10) * 1000);
}
