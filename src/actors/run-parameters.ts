import path from 'node:path';
import { packagePath } from '../package-root';

/**
 * What one Cucumber run of the harness is about, handed to it as Cucumber's world parameters (never
 * read from the environment when the support code loads, so one process can run the features many
 * times over: the proofs, a run's parts). `gpc-conform run` and `conformance` build them; cucumber.js
 * builds them from GPC_* variables for someone running cucumber-js by hand.
 */
export interface RunParameters {
  /** The provider under test's profile (the built-in reference provider by default). */
  providerProfile: string;
  /** The consumer under test's profile (the built-in reference consumer by default). */
  consumerProfile: string;
  /** Deliberate mistakes, for the harness's own proof: each a comma-separated list of names. */
  faults: RunFaults;
  /**
   * Conformant variants of the reference systems: each a choice the standard leaves to a supplier,
   * for the harness's proof that it fails no one for what the standard does not demand.
   */
  variants: RunVariants;
  /** Where this run's logs and unmatched requests go. */
  reportDir: string;
  /** Where Spine in a box's generated TLS material goes (shared by runs: written under a lock). */
  tlsDir: string;
  /** A system under test may be somewhere other than loopback (said explicitly; never real NHS services). */
  allowNonLoopback: boolean;
  /** Attach every exchange to the report (Allure); off for runs nobody reads the report of (the proofs). */
  evidence: boolean;
  /** The run's Allure results folder, where attachments are written directly (src/evidence/evidence.ts writeAttachmentsInto); empty: none. */
  attachmentsDir: string;
  /** Warnings fail (`--strict`): a SHOULD broken, or an exact value only the official tests or the demonstrator expect (src/rules/rule.ts). */
  strict: boolean;
  /**
   * This run's shard, `I/N` (`--shard`), empty for none: shards may run at once against one provider,
   * so each books only its own share of the slots (src/actors/provider/booking.ts).
   */
  shard: string;
  /**
   * Note, per scenario, the reference provider's answer-only variants that would have answered it
   * otherwise, attached to the scenario as LATITUDES_MET_MEDIA_TYPE (the variant proof's probe: a run
   * of a variant can change only those scenarios). Off in every run but that one.
   */
  probeLatitudes: boolean;
}

/** The media type of a scenario's attachment listing the latitudes it met (`probeLatitudes`). */
export const LATITUDES_MET_MEDIA_TYPE = 'application/vnd.gpc-conform.latitudes-met+json';

export interface RunFaults {
  /** The built-in reference provider's (src/spine/provider/faults.ts). */
  provider?: string;
  /** The reference consumer's, handed to it as the {faults} placeholder (reference/consumer/faults.ts). */
  consumer?: string;
  /** Spine in a box's SSP (src/spine/ssp-faults.ts) and SDS (src/spine/sds-faults.ts). */
  ssp?: string;
  sds?: string;
  /** Directory rules left unchecked (src/spine/directory/rules.ts). */
  directory?: string;
}

export interface RunVariants {
  /** The built-in reference provider's (src/spine/provider/variants.ts). */
  provider?: string;
  /** The reference consumer's (reference/consumer/variants.ts). */
  consumer?: string;
}

export const DEFAULT_RUN_PARAMETERS: RunParameters = {
  providerProfile: packagePath('profiles', 'reference-provider.yaml'),
  consumerProfile: packagePath('profiles', 'reference-consumer.yaml'),
  faults: {},
  variants: {},
  reportDir: 'reports',
  tlsDir: path.join('reports', 'tls'),
  allowNonLoopback: false,
  evidence: true,
  attachmentsDir: '',
  strict: false,
  shard: '',
  probeLatitudes: false,
};

const KNOWN = new Set(Object.keys(DEFAULT_RUN_PARAMETERS));
const KNOWN_FAULTS = new Set(['provider', 'consumer', 'ssp', 'sds', 'directory']);
const KNOWN_VARIANTS = new Set(['provider', 'consumer']);

export class RunParametersError extends Error {}

/** Cucumber's world parameters as this run's: defaults filled in, anything unknown or mistyped named. */
export function runParameters(raw: unknown): RunParameters {
  const given = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(given)) if (!KNOWN.has(key)) problems.push(`unknown world parameter "${key}" (known: ${[...KNOWN].join(', ')})`);
  const text = (key: 'providerProfile' | 'consumerProfile' | 'reportDir' | 'tlsDir' | 'attachmentsDir'): string => {
    const value = given[key];
    if (value === undefined || value === '') return DEFAULT_RUN_PARAMETERS[key];
    if (typeof value !== 'string') problems.push(`world parameter "${key}" must be a string`);
    return String(value);
  };
  const faults = (given.faults ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(faults)) {
    if (!KNOWN_FAULTS.has(key)) problems.push(`unknown fault list "faults.${key}" (known: ${[...KNOWN_FAULTS].join(', ')})`);
    else if (value !== undefined && typeof value !== 'string') problems.push(`"faults.${key}" must be a comma-separated string`);
  }
  const variants = (given.variants ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(variants)) {
    if (!KNOWN_VARIANTS.has(key)) problems.push(`unknown variant list "variants.${key}" (known: ${[...KNOWN_VARIANTS].join(', ')})`);
    else if (value !== undefined && typeof value !== 'string') problems.push(`"variants.${key}" must be a comma-separated string`);
  }
  const parameters: RunParameters = {
    providerProfile: text('providerProfile'),
    consumerProfile: text('consumerProfile'),
    faults: faults as RunFaults,
    variants: variants as RunVariants,
    reportDir: text('reportDir'),
    tlsDir: text('tlsDir'),
    allowNonLoopback: given.allowNonLoopback === true || given.allowNonLoopback === '1',
    evidence: given.evidence !== false,
    attachmentsDir: text('attachmentsDir'),
    strict: given.strict === true || given.strict === '1',
    shard: given.shard === undefined ? '' : String(given.shard),
    probeLatitudes: given.probeLatitudes === true,
  };
  const [shardIndex, shardCount] = parameters.shard.split('/').map(Number);
  if (parameters.shard !== '' && !(/^[1-9]\d*\/[1-9]\d*$/.test(parameters.shard) && shardIndex <= shardCount)) {
    problems.push(`world parameter "shard" must be I/N with 1 <= I <= N (e.g. 2/4), not ${JSON.stringify(given.shard)}`);
  }
  if (problems.length > 0) throw new RunParametersError(`the run's parameters are wrong: ${problems.join('; ')}`);
  return parameters;
}
