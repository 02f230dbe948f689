import { Interaction } from '../../gpconnect/constants';
import { DEFAULT_RESPONSE_BYTES } from '../../http/raw-client';
import { HARNESS_CONSUMER_ASID, ProviderUnderTest } from '../provider/provider-under-test';
import type { ProviderProfile } from '../profiles/load';
import { ProfileError } from '../profiles/load';
import { TopologyDraft } from '../../spine/directory/edits';
import { directoryOf } from '../../spine/directory/load';
import { SpineInABox } from '../../spine/spine';
import type { ProviderFault } from '../../spine/provider/faults';
import { parseProviderVariants, variantDeclarations, type ProviderVariant } from '../../spine/provider/variants';
import { startSystem, type StartedSystem } from './process';
import { secretEnvNamesIn } from '../../evidence/redact';
import { journalSink } from '../../evidence/sink';
import { FHIR_XML_CODEC } from '../../fhir/xml';
import { bookingLane } from '../provider/booking';

export { DEFAULT_REQUEST_SECONDS, DEFAULT_START_SECONDS, LOOPBACK_HOSTS } from './provider-settings';
import { assertAllowedHost, DEFAULT_REQUEST_SECONDS, DEFAULT_START_SECONDS, readTls, withPort } from './provider-settings';

/** What the provider features need: Spine in a box wired to the provider under test, and a way to stop both. */
export interface ProviderSystem {
  spine: SpineInABox;
  provider: ProviderUnderTest;
  started?: StartedSystem;
  stop(): Promise<void>;
}

export interface ProviderSystemOptions {
  /** Deliberate mistakes for the built-in reference provider (the harness's own proof). */
  faults?: ReadonlySet<ProviderFault>;
  /** The built-in reference provider's conformant variants, as a comma-separated list (src/spine/provider/variants.ts). */
  variants?: string;
  /** Calling a provider anywhere but loopback needs this, said explicitly (never real NHS services). */
  allowNonLoopback?: boolean;
  /** Where a started provider's output goes. */
  logFile?: string;
  /** The run's shard, `I/N`, empty or absent for none: with the worker, which slots this process books. */
  shard?: string;
  /** Note which answer-only variants the built-in reference provider's answers meet (RunParameters.probeLatitudes). */
  probeLatitudes?: boolean;
}

/**
 * Bring up what a profile describes. A built-in profile is served by Spine in a box's own reference
 * provider. Any other provider is the supplier's: started by its command when the profile has one,
 * put into the topology as SDS would hold it once registered, and reached through the harness's SSP
 * or directly, with its TLS material.
 */
export async function startProviderSystem(profile: ProviderProfile, options: ProviderSystemOptions = {}): Promise<ProviderSystem> {
  const timeoutMs = (profile.timeouts?.requestSeconds ?? DEFAULT_REQUEST_SECONDS) * 1000;
  const maxResponseBytes = profile.limits?.responseBytes ?? DEFAULT_RESPONSE_BYTES;
  const via = profile.via ?? 'ssp';
  if (profile.builtIn) {
    const referenceProvider = { faults: options.faults, variants: parseProviderVariants(options.variants), xml: FHIR_XML_CODEC, probeLatitudes: options.probeLatitudes };
    const spine = await SpineInABox.start({ mode: 'sockets', referenceProvider, sspTimeoutMs: timeoutMs });
    const liveRoot = spine.urls.providers[profile.ods];
    if (!liveRoot) {
      await spine.stop();
      throw new ProfileError('<profile>', [`ods: the built-in reference provider has no practice ${profile.ods}`]);
    }
    return { spine, provider: new ProviderUnderTest(spine, profile, { via, liveRoot, timeoutMs, maxResponseBytes }, journalSink(spine.journal)), stop: () => spine.stop() };
  }

  const resolved = await withPort(profile);
  assertAllowedHost(resolved, options.allowNonLoopback);
  const tls = readTls(resolved);
  let started: StartedSystem | undefined;
  if (resolved.start) {
    started = await startSystem(resolved.start, {
      label: `the provider under test (${resolved.name})`,
      fallbackAddress: new URL(resolved.baseUrl),
      logFile: options.logFile,
      timeoutSeconds: resolved.start.ready?.timeoutSeconds ?? resolved.timeouts?.startSeconds ?? DEFAULT_START_SECONDS,
      secretEnvNames: secretEnvNamesIn(resolved),
    });
  }
  try {
    const spine = await SpineInABox.start({
      mode: 'sockets',
      directory: topologyWith(resolved),
      sspTimeoutMs: timeoutMs,
      externalProviders: { [resolved.ods]: { liveRoot: resolved.baseUrl, tls } },
    });
    const lane = bookingLane(options.shard);
    const provider = new ProviderUnderTest(spine, resolved, { via, liveRoot: resolved.baseUrl, tls, timeoutMs, maxResponseBytes, recordsDirect: true, lane }, journalSink(spine.journal));
    return {
      spine,
      provider,
      started,
      stop: async () => {
        await spine.stop();
        await started?.stop();
      },
    };
  } catch (error) {
    await started?.stop();
    throw error;
  }
}

/**
 * The profile as a supplier making the variants' choices would write it: the capabilities each
 * choice implies (a MAY left out is declared false). Variants are the built-in reference provider's only.
 */
export function withVariantDeclarations(profile: ProviderProfile, variants: ReadonlySet<ProviderVariant>): ProviderProfile {
  if (variants.size === 0) return profile;
  if (!profile.builtIn) throw new ProfileError('<profile>', [`provider variants (${[...variants].join(', ')}) are choices of the built-in reference provider; ${profile.name} is not built in`]);
  return { ...profile, capabilities: { ...profile.capabilities, ...variantDeclarations(variants) } };
}

/** The default topology with the provider under test registered at its practice (TopologyDraft.registerProviderUnderTest). */
function topologyWith(profile: ProviderProfile) {
  const draft = new TopologyDraft();
  const receives = [
    Interaction.readMetadata,
    Interaction.searchSlot,
    Interaction.searchPatient,
    Interaction.readPatient,
    Interaction.registerPatient,
    Interaction.createAppointment,
    Interaction.readAppointment,
    Interaction.readOrganization,
    Interaction.readPractitioner,
    Interaction.readLocation,
    Interaction.updateAppointment,
    Interaction.cancelAppointment,
  ];
  const sharesWith = draft.system((s) => s.asid === HARNESS_CONSUMER_ASID, `with ASID ${HARNESS_CONSUMER_ASID}`).organisation;
  draft.registerProviderUnderTest({ ods: profile.ods, asid: profile.asid, name: profile.name, address: profile.baseUrl, sharesWith, receives });
  // A supplier's test base URL need not have the live form https://[FQDN]/[ODS]/STU3/1/[segment]
  // (SDS-3.4): judging the provider's answers does not depend on it.
  return directoryOf(draft.toData(), `the default topology with ${profile.name} at ${profile.ods}`, { skipRules: new Set(['SDS-3.4-SERVICE-ROOT']) });
}
