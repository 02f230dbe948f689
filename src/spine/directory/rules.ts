import { GPCONNECT_INTERACTION_PREFIX } from '../../gpconnect/constants';
import type { AccreditedSystem, DirectoryData, MhsRecord } from './model';

/** Every rule checkDirectoryRules checks, by requirement ID: the names a run may tell it to skip (the harness's own proof). */
export const DIRECTORY_RULE_IDS = [
  'DIR-REFERENCES',
  'DIR-UNIQUE-ODS',
  'DIR-UNIQUE-PARTY-KEY',
  'SDS-1.1-UNIQUE-ASID',
  'SDS-1.3-ONE-PROVIDER',
  'SDS-2.1-CONSUMER-NOT-CMA',
  'SDS-2.2-CONSUMER-AS-INTERACTIONS',
  'SDS-2.2-CONSUMER-MHS-INTERACTIONS',
  'SDS-3.1-CMA',
  'SDS-3.2-PROVIDER-INTERACTIONS',
  'SDS-3.4-SERVICE-ROOT',
  'SDS-3.5-ROOT-ONLY',
] as const;
export type DirectoryRuleId = (typeof DIRECTORY_RULE_IDS)[number];

/** One broken MUST rule, naming the entry that breaks it. */
export interface RuleViolation {
  /** Requirement ID from requirements/catalogue.yaml. */
  rule: string;
  /** Where in the file, e.g. `systems[3] (ASID 200000000401)`. */
  entry: string;
  message: string;
}

const sys = (data: DirectoryData, s: AccreditedSystem) => `systems[${data.systems.indexOf(s)}] (ASID ${s.asid}, ${s.name})`;
const mhsName = (data: DirectoryData, m: MhsRecord) => `mhs[${data.mhs.indexOf(m)}] (party key ${m.partyKey})`;
const isGpc = (interaction: string) => interaction.startsWith(GPCONNECT_INTERACTION_PREFIX);

/** FHIR resource types and operations that do not belong at the end of a service root (SDS guidance §3.5). */
const NOT_A_SERVICE_ROOT_TAIL = /\/(metadata|Patient|Slot|Appointment|Schedule|Organization|Practitioner|Location|\$[A-Za-z.]+)$/;

/**
 * The MUST rules of "Registering GP Connect systems in SDS" (integration_sds_registering_endpoints.md)
 * and the service root format (development_general_api_guidance.md), checked on a schema-valid file.
 */
export function checkDirectoryRules(data: DirectoryData): RuleViolation[] {
  const v: RuleViolation[] = [];
  const add = (rule: DirectoryRuleId, entry: string, message: string) => v.push({ rule, entry, message });
  const orgs = new Set(data.organisations.map((o) => o.ods));

  duplicates(data.organisations.map((o) => o.ods)).forEach((ods) =>
    add('DIR-UNIQUE-ODS', `organisations (ODS ${ods})`, `ODS code ${ods} is listed more than once`),
  );
  duplicates(data.mhs.map((m) => m.partyKey)).forEach((pk) =>
    add('DIR-UNIQUE-PARTY-KEY', `mhs (party key ${pk})`, `party key ${pk} names more than one MHS record`),
  );

  for (const s of data.systems) {
    if (!orgs.has(s.organisation)) add('DIR-REFERENCES', sys(data, s), `organisation ${s.organisation} is not in organisations`);
    if (!data.mhs.some((m) => m.partyKey === s.partyKey)) add('DIR-REFERENCES', sys(data, s), `party key ${s.partyKey} has no MHS record`);
  }
  for (const m of data.mhs) {
    if (!orgs.has(m.organisation)) add('DIR-REFERENCES', mhsName(data, m), `organisation ${m.organisation} is not in organisations`);
  }

  // §1.1: a unique ASID for each organisation using a system.
  for (const asid of duplicates(data.systems.map((s) => s.asid))) {
    const users = data.systems.filter((s) => s.asid === asid);
    add('SDS-1.1-UNIQUE-ASID', sys(data, users[1]), `ASID ${asid} is shared by ${users.map((u) => `${u.name} at ${u.organisation}`).join(' and ')}: every organisation using a system needs its own ASID`);
  }
  // §1.3: at most one provider system per organisation.
  for (const ods of duplicates(data.systems.filter((s) => s.role === 'provider').map((s) => s.organisation))) {
    add('SDS-1.3-ONE-PROVIDER', `systems (organisation ${ods})`, `organisation ${ods} has more than one provider system`);
  }

  for (const s of data.systems.filter((x) => x.role === 'consumer')) checkConsumer(data, s, add);
  for (const s of data.systems.filter((x) => x.role === 'provider')) checkProvider(data, s, add);

  for (const [i, c] of data.cmaEndpoints.entries()) {
    const as = data.systems.find((s) => s.asid === c.asid);
    if (!as) add('DIR-REFERENCES', `cmaEndpoints[${i}] (ASID ${c.asid})`, `ASID ${c.asid} has no AS record`);
    else if (as.partyKey !== c.partyKey) add('SDS-3.1-CMA', `cmaEndpoints[${i}] (ASID ${c.asid})`, `AS record ${c.asid} uses party key ${as.partyKey}, not ${c.partyKey}`);
  }
  for (const [i, a] of data.agreements.entries()) {
    for (const ods of a.organisations.filter((o) => !orgs.has(o))) add('DIR-REFERENCES', `agreements[${i}]`, `organisation ${ods} is not in organisations`);
  }
  for (const t of data.topologies) {
    for (const asid of t.systems.filter((a) => !data.systems.some((s) => s.asid === a))) {
      add('DIR-REFERENCES', `topologies[${data.topologies.indexOf(t)}] (${t.id})`, `ASID ${asid} has no AS record`);
    }
  }
  return v;
}

type Add = (rule: DirectoryRuleId, entry: string, message: string) => void;

function checkConsumer(data: DirectoryData, s: AccreditedSystem, add: Add): void {
  const cma = data.cmaEndpoints.some((c) => c.asid === s.asid);
  if (cma && data.rules.consumerCmaEndpoints === 'forbid') {
    add('SDS-2.1-CONSUMER-NOT-CMA', sys(data, s), 'a consumer is registered as a CMA endpoint; consumers MUST use separate MHS and AS records');
  }
  // §2.2: GP Connect interactions on the consumer's AS record, never on its MHS record.
  if (!s.sends.some(isGpc)) add('SDS-2.2-CONSUMER-AS-INTERACTIONS', sys(data, s), 'a consumer AS record lists no GP Connect interaction it may send');
  const mhs = data.mhs.find((m) => m.partyKey === s.partyKey);
  const providerUsesIt = data.systems.some((p) => p.role === 'provider' && p.partyKey === s.partyKey);
  if (mhs && !providerUsesIt && mhs.interactions.some(isGpc) && !cma) {
    add('SDS-2.2-CONSUMER-MHS-INTERACTIONS', mhsName(data, mhs), `the MHS record of consumer ${s.asid} carries GP Connect interactions, which marks it as a provider`);
  }
}

function checkProvider(data: DirectoryData, s: AccreditedSystem, add: Add): void {
  // §3.1: a unique party key and ASID per practice, registered as a CMA endpoint (1:1 AS and MHS).
  if (!data.cmaEndpoints.some((c) => c.asid === s.asid && c.partyKey === s.partyKey)) {
    add('SDS-3.1-CMA', sys(data, s), `provider party key ${s.partyKey} and ASID ${s.asid} are not registered as a CMA endpoint`);
  }
  const sharers = data.systems.filter((o) => o.partyKey === s.partyKey && o.asid !== s.asid);
  if (sharers.length > 0) {
    add('SDS-3.1-CMA', sys(data, s), `provider party key ${s.partyKey} is shared with ASID ${sharers.map((o) => o.asid).join(', ')}: a CMA endpoint maps one AS record to one MHS record`);
  }
  const mhs = data.mhs.find((m) => m.partyKey === s.partyKey);
  if (!mhs) return;
  // §3.2: the interactions on both the MHS and the AS record.
  const onMhs = new Set(mhs.interactions.filter(isGpc));
  const onAs = new Set(s.receives.filter(isGpc));
  if (onAs.size === 0) add('SDS-3.2-PROVIDER-INTERACTIONS', sys(data, s), 'a provider AS record lists no GP Connect interaction it receives');
  for (const i of onAs) if (!onMhs.has(i)) add('SDS-3.2-PROVIDER-INTERACTIONS', mhsName(data, mhs), `${i} is on the AS record ${s.asid} but not on its MHS record`);
  for (const i of onMhs) if (!onAs.has(i)) add('SDS-3.2-PROVIDER-INTERACTIONS', sys(data, s), `${i} is on the MHS record but not on the AS record`);
  checkServiceRoot(data, s, mhs, add);
}

/** §3.4/§3.5 and development_general_api_guidance "Service root URL": https://[FQDN]/[ODS]/STU3/[major]/[segment]. */
function checkServiceRoot(data: DirectoryData, s: AccreditedSystem, mhs: MhsRecord, add: Add): void {
  const where = mhsName(data, mhs);
  if (!mhs.address) {
    add('SDS-3.4-SERVICE-ROOT', where, `provider ${s.asid} has no endpoint address (nhsMhsEndPoint)`);
    return;
  }
  const problems = serviceRootProblems(mhs.address, mhs.organisation, mhs.fqdn);
  for (const p of problems) add('SDS-3.4-SERVICE-ROOT', where, p);
  if (NOT_A_SERVICE_ROOT_TAIL.test(mhs.address)) add('SDS-3.5-ROOT-ONLY', where, `address ${mhs.address} names a resource or operation: nhsMhsEndPoint holds the service root only`);
  if (s.organisation !== mhs.organisation) add('SDS-3.4-SERVICE-ROOT', sys(data, s), `AS record organisation ${s.organisation} differs from its MHS record's ${mhs.organisation}`);
}

export function serviceRootProblems(address: string, ods: string, fqdn?: string): string[] {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return [`address ${JSON.stringify(address)} is not a URL`];
  }
  const problems: string[] = [];
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) problems.push(`address ${address} is not https`);
  if (address.endsWith('/')) problems.push(`address ${address} ends with "/": a service root has no trailing slash`);
  if (url.search || url.hash) problems.push(`address ${address} has a query or fragment`);
  if (fqdn && !loopback && url.hostname.toLowerCase() !== fqdn.toLowerCase()) problems.push(`address host ${url.hostname} is not the MHS FQDN ${fqdn}`);
  const segments = url.pathname.split('/').filter(Boolean);
  const odsAt = segments.indexOf(ods);
  if (odsAt < 0) problems.push(`address ${address} does not carry the practice ODS code ${ods}`);
  else if (segments[odsAt + 1] !== 'STU3' || !/^[0-9]+$/.test(segments[odsAt + 2] ?? '')) {
    problems.push(`address ${address} is not in the form https://[FQDN]/[ODS]/STU3/[major version]/[routing segment]`);
  }
  return problems;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const x of values) (seen.has(x) ? twice : seen).add(x);
  return [...twice];
}
