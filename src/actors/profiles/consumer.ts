import { CONSUMER_ACTIONS, FOLLOW_UP_ACTIONS, type ConsumerAction, type ConsumerIdentity, type FollowUpAction } from '../../rules/consumer/judge-context';
import path from 'node:path';
import { schemaValidator } from '../../schema-validator';
import { GPCONNECT_INTERACTION_PREFIX, Interaction, INTERACTION_NAMES, interactionNamed, WORKED_EXAMPLE_INTERACTIONS } from '../../gpconnect/constants';
import { parseAgainstSchema, ProfileError, readProfileFile } from './load';
import consumerSchema from './consumer.schema.json';

/** A consumer under test, as its profile describes it (src/actors/profiles/consumer.schema.json). */
export interface ConsumerProfile {
  role: 'consumer';
  name: string;
  version?: string;
  /** Warnings fail, as `--strict` (src/rules/rule.ts). */
  strict?: boolean;
  identity: ConsumerIdentity;
  start?: { command: string; cwd?: string; env?: Record<string, string>; files?: Array<{ path: string; content: string }>; ready?: { url?: string; logLine?: string; timeoutSeconds?: number } };
  driver: {
    kind: 'http' | 'command' | 'module' | 'browser';
    url?: string;
    method?: 'POST' | 'PUT' | 'GET';
    /** http: header name -> the environment variable holding its secret value (an API key). */
    headersFromEnv?: Record<string, string>;
    body?: string;
    command?: string;
    module?: string;
    export?: string;
    create?: string;
    outcome?: { bookedPath?: string; bookedValue?: string | boolean; appointmentIdPath?: string; errorPath?: string };
    /** How to make it cancel, amend and retrieve (each action the profile declares besides book). */
    cancel?: ActionDriverSpec;
    amend?: ActionDriverSpec;
    retrieve?: ActionDriverSpec;
  };
  /** What the consumer can be asked to do (default ["book"]); scenarios tagged @action:<name> for the others are not applicable. */
  actions?: ConsumerAction[];
  mutualTls?: boolean;
  /** The interactions it sends, as full interaction IDs once parsed (short names resolved); absent: sendsOf gives the default. */
  sends?: string[];
  capabilities?: ConsumerCapabilities;
  timeouts?: { actionSeconds?: number; startSeconds?: number; quietSeconds?: number };
}

/** The driver template of one action besides booking: as the booking's, with its own outcome value. */
export interface ActionDriverSpec {
  url?: string;
  method?: 'POST' | 'PUT' | 'GET';
  body?: string;
  command?: string;
  export?: string;
  outcome?: { donePath?: string; doneValue?: string | boolean; errorPath?: string; appointmentIdsPath?: string };
}

/**
 * What a consumer declares it does (`@capability:<name>` scenarios). `cachesPdsTrace` and
 * `booksIntoOtherPractices` are tested unless declared false; the CONSUMER_MAY_CAPABILITIES are what
 * the catalogue grades MAY, so their scenarios run only where the profile declares them true.
 */
export interface ConsumerCapabilities {
  cachesPdsTrace?: boolean;
  booksIntoOtherPractices?: boolean;
  /** Registers a patient the practice has no record of, then books (CONS-REGISTER, a MAY: a consumer may instead tell the user the patient is not registered there). */
  registersPatients?: boolean;
  /** Searches again with another date range when a search finds no free slot (CONS-SLOTS-NEXT-WINDOW, a MAY). */
  retriesWithAnotherWindow?: boolean;
}

/** Consumer capabilities tested only where the profile declares them true: the MAYs of the catalogue. */
export const CONSUMER_MAY_CAPABILITIES: ReadonlySet<string> = new Set(['registersPatients', 'retriesWithAnotherWindow']);

/**
 * The reference consumer's conformant variants that leave out a MAY (reference/consumer/variants.ts
 * `declares`): a run with one declares the capability false, so its scenario is not applicable.
 */
export const CONSUMER_VARIANT_DECLARATIONS: Readonly<Record<string, ConsumerCapabilities>> = {
  'single-search-window': { retriesWithAnotherWindow: false },
  'does-not-register': { registersPatients: false },
};

/** The profile as a run with these reference consumer variants (comma-separated) uses it: the MAYs they leave out declared false. */
export function withConsumerVariantDeclarations(profile: ConsumerProfile, variants: string | undefined): ConsumerProfile {
  const declared = (variants ?? '').split(',').map((v) => v.trim()).flatMap((v) => (CONSUMER_VARIANT_DECLARATIONS[v] ? [CONSUMER_VARIANT_DECLARATIONS[v]] : []));
  if (declared.length === 0) return profile;
  return { ...profile, capabilities: Object.assign({}, profile.capabilities, ...declared) };
}

const validateConsumer = schemaValidator('src/actors/profiles/consumer.schema.json', consumerSchema);

/** What each driver kind cannot do without. */
const DRIVER_NEEDS: Record<ConsumerProfile['driver']['kind'], Array<keyof ConsumerProfile['driver']>> = {
  http: ['url', 'body'],
  command: ['command'],
  module: ['module'],
  browser: ['url', 'module'],
};

export function loadConsumerProfile(file: string, env: NodeJS.ProcessEnv = process.env): ConsumerProfile {
  const profile = parseConsumerProfile(readProfileFile(file), file);
  const unset = Object.entries(profile.driver.headersFromEnv ?? {}).filter(([, name]) => env[name] === undefined);
  if (unset.length > 0) throw new ProfileError(file, unset.map(([header, name]) => `driver.headersFromEnv.${header}: the environment variable ${name} is not set`));
  const dir = path.dirname(path.resolve(file));
  const at = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  return JSON.parse(JSON.stringify({ ...profile, driver: { ...profile.driver, module: at(profile.driver.module) }, start: profile.start && { ...profile.start, cwd: at(profile.start.cwd ?? '.') } })) as ConsumerProfile;
}

export function parseConsumerProfile(text: string, file = '<profile>'): ConsumerProfile {
  const profile = parseAgainstSchema(text, file, validateConsumer) as ConsumerProfile;
  const problems: string[] = [];
  for (const field of DRIVER_NEEDS[profile.driver.kind]) {
    if (profile.driver[field] === undefined) problems.push(`driver.${field}: required for a ${profile.driver.kind} driver, missing`);
  }
  for (const action of FOLLOW_UP_ACTIONS.filter((a) => profile.actions?.includes(a))) {
    const spec = profile.driver[action];
    const needs: Array<keyof ActionDriverSpec> = profile.driver.kind === 'http' ? ['url', 'body'] : profile.driver.kind === 'command' ? ['command'] : [];
    for (const field of needs) if (spec?.[field] === undefined) problems.push(`driver.${action}.${field}: required for a ${profile.driver.kind} driver of a consumer that declares the action ${action}, missing`);
  }
  if (profile.actions && !profile.actions.includes('book')) problems.push('actions: every consumer the harness tests books (the worked example): "book" is missing');
  const asids = [profile.identity.asid, ...(profile.identity.organisations ?? []).map((o) => o.asid)];
  if (new Set(asids).size !== asids.length) problems.push('identity: each originating organisation has an ASID of its own (SDS-1.1): an ASID is listed twice');
  const sends = (profile.sends ?? []).map((given, i) => {
    const id = interactionNamed(given);
    if (!id) problems.push(`sends.${i}: "${given}" is not an interaction the harness knows: give a full interaction ID (${GPCONNECT_INTERACTION_PREFIX}fhir:…) or one of ${INTERACTION_NAMES.join(', ')}`);
    return id;
  });
  if (problems.length > 0) throw new ProfileError(file, problems);
  return profile.sends === undefined ? profile : { ...profile, sends: [...new Set(sends as string[])] };
}

/** The interactions each action besides booking sends (cancel and amend read the appointment first, in the worked example's six). */
export const ACTION_INTERACTIONS: Readonly<Record<FollowUpAction, string>> = {
  cancel: Interaction.cancelAppointment,
  amend: Interaction.updateAppointment,
  retrieve: Interaction.searchPatientAppointments,
};

/** The actions the consumer declares: `actions`, else booking alone. */
export function actionsOf(profile: ConsumerProfile): readonly ConsumerAction[] {
  return profile.actions ?? ['book'];
}

/**
 * The interactions the consumer's ASIDs are accredited to send: those its profile declares, else the
 * worked example's six and those of the actions it declares.
 */
export function sendsOf(profile: ConsumerProfile): readonly string[] {
  if (profile.sends) return profile.sends;
  const more = FOLLOW_UP_ACTIONS.filter((a) => actionsOf(profile).includes(a)).map((a) => ACTION_INTERACTIONS[a]);
  return more.length === 0 ? WORKED_EXAMPLE_INTERACTIONS : [...WORKED_EXAMPLE_INTERACTIONS, ...more];
}

export { CONSUMER_ACTIONS };
