import * as allure from 'allure-js-commons';
// An "exports" subpath: tsconfig.json maps it for the type checker (moduleResolution "node" predates exports).
import { getGlobalTestRuntime, MessageTestRuntime } from 'allure-js-commons/sdk/runtime';
import { headerValue, type JournalEntry } from '../gpconnect/exchange';
import { Header } from '../gpconnect/constants';
import { catalogue, specLink } from '../rules/catalogue';
import { workedExampleStepName } from '../gpconnect/worked-example';
import { tagValues } from './tags';
import { sequenceDiagram } from './sequence-diagram';
import { redactPrivateKeys, redactText, secretsFromEnvironment } from './redact';

/** The sub-step and attachment names the report and its test rely on (test/allure-report.test.ts). */
export const EXCHANGE_ATTACHMENT = 'HTTP exchange';
export const JWT_ATTACHMENT = 'JWT (decoded)';

const MAX_TITLE_PATH = 120;

/** "SSP GET /A20047-821870/STU3/1/gpconnect/metadata → 200": what a reader scans the step list for. */
export function exchangeTitle(entry: JournalEntry): string {
  const path = entry.target.split('?')[0];
  const shown = path.length > MAX_TITLE_PATH ? `${path.slice(0, MAX_TITLE_PATH - 1)}…` : path;
  return `${entry.service.toUpperCase()} ${entry.method} ${shown} → ${entry.status}`;
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/**
 * The exchange as it went over the wire: request line, headers and body exactly as received
 * (bodies whole, up to the journal's limit), then the response the same way.
 */
export function exchangeText(entry: JournalEntry): string {
  const about = [
    `# ${entry.service.toUpperCase()} exchange ${entry.seq}, arrived ${entry.time}, answered in ${entry.durationMs} ms`,
    headerValue(entry.requestHeaders, Header.sspTraceId) ? `# Ssp-TraceID ${headerValue(entry.requestHeaders, Header.sspTraceId)}` : '',
    entry.clientCertificateCn ? `# client certificate CN ${entry.clientCertificateCn}` : '',
    entry.fault ? `# fault inside the simulator: ${entry.fault}` : '',
  ].filter(Boolean);
  return [
    ...about,
    '',
    `${entry.method} ${entry.target} HTTP/1.1`,
    headerLines(entry.requestHeaders),
    '',
    entry.requestBody,
    '',
    `HTTP/1.1 ${entry.status}`,
    headerLines(entry.responseHeaders),
    '',
    entry.responseBody,
  ].join('\n');
}

/** Values of secret-looking environment variables (API keys, passphrases): cut out of every attachment. */
const SECRETS = secretsFromEnvironment();

/** Attach exchanges to whatever is running now (a Gherkin step, or the scenario itself): one sub-step each. */
export async function attachExchanges(entries: JournalEntry[]): Promise<void> {
  for (const entry of entries) {
    await allure.step(exchangeTitle(entry), async () => {
      await attachHere(EXCHANGE_ATTACHMENT, redactPrivateKeys(redactText(exchangeText(entry), SECRETS)), 'text/plain', '.txt');
      if (entry.jwt) await attachHere(JWT_ATTACHMENT, jwtText(entry), 'application/json', '.json');
    });
  }
}

/**
 * An attachment on the running step itself. The facade's `allure.attachment` always wraps each
 * attachment in a step of its own, a click deeper than a reader should need to go.
 */
export async function attachHere(name: string, content: string, contentType: string, fileExtension: string): Promise<void> {
  const runtime = getGlobalTestRuntime();
  if (!(runtime instanceof MessageTestRuntime)) return allure.attachment(name, content, contentType);
  await runtime.sendMessage({ type: 'attachment_content', data: { name, content: Buffer.from(content).toString('base64'), encoding: 'base64', contentType, fileExtension, wrapInStep: false } });
}

/** The decoded token, with what is wrong with its encoding when anything is (gpconnect-spec.md §4). */
function jwtText(entry: JournalEntry): string {
  const jwt = entry.jwt!;
  return JSON.stringify({ header: jwt.header ?? null, payload: jwt.payload ?? null, signature: jwt.signature, problems: jwt.problems, token: jwt.raw }, null, 2);
}

export const SEQUENCE_DIAGRAM_ATTACHMENT = 'Sequence diagram';

/** The traffic a consumer scenario actually produced, drawn against the worked example (src/evidence/sequence-diagram.ts). */
export async function attachSequenceDiagram(entries: JournalEntry[], consumer: string): Promise<void> {
  const svg = sequenceDiagram(entries, { title: `What the consumer sent: ${entries.length} exchanges`, consumer });
  await attachHere(SEQUENCE_DIAGRAM_ATTACHMENT, svg, 'image/svg+xml', '.svg');
}

/** Who is being tested in a scenario, as the report's parameters show it. */
export interface SystemUnderTest {
  role: 'provider' | 'consumer';
  name: string;
  version?: string;
}

/**
 * Labels and links the tags alone cannot give: the worked-example step in words (story), each
 * requirement as a link to its spec section, the role (epic) and the system under test (parameters,
 * so the same scenario run against two systems are two results, not retries).
 */
export async function labelScenario(tags: string[], role: string | undefined, system: SystemUnderTest | undefined): Promise<void> {
  if (role) await allure.epic(role);
  for (const code of tagValues(tags, 'step')) await allure.story(workedExampleStepName(code));
  const { byId } = catalogue();
  for (const id of tagValues(tags, 'req')) {
    const requirement = byId.get(id);
    if (requirement) await allure.link(specLink(requirement), `${id}: ${requirement.title}`, 'requirement');
  }
  if (system) {
    await allure.parameter('system under test', system.version ? `${system.name} ${system.version}` : system.name);
  }
}
