import { createHash } from 'node:crypto';
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
import { prettyXml } from '../fhir/xml';
import { attachmentFile } from './attachment-file';

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

function headerLines(headers: Record<string, string>, token?: string): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${token && name.toLowerCase() === Header.authorization.toLowerCase() ? value.replace(token, tokenReference(token)) : value}`)
    .join('\n');
}

/**
 * A bearer token longer than this (characters) is kept whole in the decoded JWT's attachment, which
 * the two legs of an exchange through the SSP share, and the exchange text names it there: a GP
 * Connect token is some 1.3 KB, repeated in every request of a scenario.
 */
export const TOKEN_INLINE_LIMIT = 256;

/** The token of the exchange's Authorization header when it has a decoded JWT and is long enough to keep apart. */
function movedToken(entry: JournalEntry): string | undefined {
  if (!entry.jwt) return undefined;
  const token = /^\S+\s+(\S+)$/.exec(headerValue(entry.requestHeaders, Header.authorization) ?? '')?.[1];
  return token && token.length > TOKEN_INLINE_LIMIT ? token : undefined;
}

/** What stands in the Authorization header for a token kept in the decoded JWT's attachment. */
export function tokenReference(token: string): string {
  // The sha256 of the token as the attachment holds it: with any secret cut out, as from every attachment.
  const kept = redacted(token);
  return `[token: ${kept.length} characters, sha256 ${createHash('sha256').update(kept).digest('hex')}, whole in "${JWT_ATTACHMENT}" beside this exchange]`;
}

/** A body larger than this (in bytes) is attached on its own, once per content, and the exchange text points at it. */
export const BODY_INLINE_LIMIT = 2 * 1024;

export const REQUEST_BODY_ATTACHMENT = 'Request body';
export const RESPONSE_BODY_ATTACHMENT = 'Response body';
/** An XML body indented for reading, beside the exchange text that holds it as it went over the wire. */
export const XML_BODY_SUFFIX = ' (XML, indented)';

/** A body attached beside its exchange: the bytes as they went over the wire (secrets cut out), and how the exchange text names them. */
export interface BodyAttachment extends ExchangeAttachment {
  name: typeof REQUEST_BODY_ATTACHMENT | typeof RESPONSE_BODY_ATTACHMENT;
  content: Buffer;
  sha256: string;
}

/** How a body attachment is shown: JSON and XML in Allure's code viewer, anything else as text. */
function attachmentType(headers: Record<string, string>): { contentType: string; fileExtension: string } {
  const declared = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  if (declared.includes('json')) return { contentType: 'application/json', fileExtension: '.json' };
  if (declared.includes('xml')) return { contentType: 'application/xml', fileExtension: '.xml' };
  return { contentType: 'text/plain', fileExtension: '.txt' };
}

/** The body when it is too large to read inline: attached on its own. */
function bodyAttachment(name: BodyAttachment['name'], body: string, headers: Record<string, string>): BodyAttachment | undefined {
  const content = Buffer.from(body, 'utf8');
  if (content.length <= BODY_INLINE_LIMIT) return undefined;
  return { name, content, sha256: createHash('sha256').update(content).digest('hex'), ...attachmentType(headers) };
}

/** What stands in the exchange text for a body attached on its own: enough to find it and check it is the same bytes. */
export function bodyReference(body: BodyAttachment): string {
  return `[${body.name.toLowerCase()}: ${body.content.length} bytes, sha256 ${body.sha256}, attached beside this exchange as "${body.name}"]`;
}

/**
 * The exchange as it went over the wire: request line, headers and body exactly as received
 * (bodies whole, up to the journal's limit), then the response the same way. A body passed in
 * `attached` is not repeated: a reference to its attachment (size, sha256) stands in its place; so
 * does a token passed in `attached.token`, in the Authorization header.
 */
export function exchangeText(entry: JournalEntry, attached: { request?: BodyAttachment; response?: BodyAttachment; token?: string } = {}): string {
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
    headerLines(entry.requestHeaders, attached.token),
    '',
    attached.request ? bodyReference(attached.request) : entry.requestBody,
    '',
    `HTTP/1.1 ${entry.status}`,
    headerLines(entry.responseHeaders),
    '',
    attached.response ? bodyReference(attached.response) : entry.responseBody,
  ].join('\n');
}

/** Values of secret-looking environment variables (API keys, passphrases): cut out of every attachment. */
const SECRETS = secretsFromEnvironment();

const redacted = (text: string): string => redactPrivateKeys(redactText(text, SECRETS));

/** One attachment of an exchange's sub-step, as it is written. */
export interface ExchangeAttachment {
  name: string;
  content: string | Buffer;
  contentType: string;
  fileExtension: string;
}

/**
 * What an exchange's sub-step holds: the exchange text, any large body as an attachment of its own
 * (the same bytes recur across exchanges and scenarios and are stored once:
 * src/pipeline/reports/allure-dedupe.ts), and the decoded JWT. Secrets are cut out of all of them.
 */
export function exchangeAttachments(entry: JournalEntry): ExchangeAttachment[] {
  const request = bodyAttachment(REQUEST_BODY_ATTACHMENT, redacted(entry.requestBody), entry.requestHeaders);
  const response = bodyAttachment(RESPONSE_BODY_ATTACHMENT, redacted(entry.responseBody), entry.responseHeaders);
  const token = movedToken(entry);
  return [
    { name: EXCHANGE_ATTACHMENT, content: redacted(exchangeText(entry, { request, response, token })), contentType: 'text/plain', fileExtension: '.txt' },
    ...[request, response].filter((body): body is BodyAttachment => body !== undefined),
    ...xmlBodyAttachments(entry),
    ...(entry.jwt ? [{ name: JWT_ATTACHMENT, content: redacted(jwtText(entry, token)), contentType: 'application/json', fileExtension: '.json' }] : []),
  ];
}

/**
 * A body in XML (Content-Type application/fhir+xml, or any XML type), indented one element a line and
 * attached as XML, so that a reader sees XML as XML: FHIR XML goes over the wire on one line. The
 * exchange text keeps the bytes as they went (src/fhir/xml.ts prettyXml leaves text that is not
 * well-formed as it was).
 */
function xmlBodyAttachments(entry: JournalEntry): ExchangeAttachment[] {
  const isXml = (headers: Record<string, string>) => /xml/i.test(headerValue(headers, 'content-type') ?? '');
  const bodies: Array<[string, string, Record<string, string>]> = [
    [REQUEST_BODY_ATTACHMENT, entry.requestBody, entry.requestHeaders],
    [RESPONSE_BODY_ATTACHMENT, entry.responseBody, entry.responseHeaders],
  ];
  return bodies
    .filter(([, body, headers]) => body.trim() !== '' && isXml(headers))
    .map(([name, body]) => ({ name: name + XML_BODY_SUFFIX, content: prettyXml(redacted(body)), contentType: 'application/xml', fileExtension: '.xml' }));
}

/** Attach exchanges to whatever is running now (a Gherkin step, or the scenario itself): one sub-step each. */
export async function attachExchanges(entries: JournalEntry[]): Promise<void> {
  const runtime = getGlobalTestRuntime();
  if (attachmentsDir && runtime instanceof MessageTestRuntime && entries.length > 0) {
    // The sub-steps and their attachments (written to files already) as one message: allure-cucumberjs's
    // reporter takes a list, and a message is a Cucumber attachment of its own, sent from a parallel
    // worker over IPC (five per exchange, one at a time, were some 30,000 messages a worker in a main job).
    const dir = attachmentsDir;
    const messages = entries.flatMap((entry) => {
      const start = Date.now();
      return [
        { type: 'step_start', data: { name: exchangeTitle(entry), start } },
        ...exchangeAttachments(entry).map((a) => attachmentPathMessage(dir, a)),
        { type: 'step_stop', data: { status: allure.Status.PASSED, stop: Date.now() } },
      ];
    });
    await runtime.sendMessage(messages as never);
    return;
  }
  for (const entry of entries) {
    await allure.step(exchangeTitle(entry), async () => {
      for (const a of exchangeAttachments(entry)) await attachHere(a.name, a.content, a.contentType, a.fileExtension);
    });
  }
}

/** The run's Allure results folder, when attachments are written there directly (writeAttachmentsInto). */
let attachmentsDir: string | undefined;

/**
 * Write attachments straight into the run's Allure results (`dir`), each file named by its content,
 * and send the reporter only where it is: without this, every attachment travels base64 inside a JSON
 * message, from a parallel worker through Cucumber's IPC to the process that writes the results (in
 * a main job, some 10 s of CPU spent encoding, sending and decoding). The same bytes again are the
 * same file, written once per run. Undefined: attachments travel in the messages.
 */
export function writeAttachmentsInto(dir: string | undefined): void {
  attachmentsDir = dir;
}

/** The runtime message for an attachment already written to its file in `dir` (attachment-file.ts). */
function attachmentPathMessage(dir: string, a: ExchangeAttachment) {
  const { name, contentType, fileExtension } = a;
  return { type: 'attachment_path' as const, data: { name, path: attachmentFile(dir, Buffer.from(a.content), fileExtension), contentType, fileExtension, wrapInStep: false } };
}

/**
 * An attachment on the running step itself. The facade's `allure.attachment` always wraps each
 * attachment in a step of its own, a click deeper than a reader should need to go.
 */
export async function attachHere(name: string, content: string | Buffer, contentType: string, fileExtension: string): Promise<void> {
  const runtime = getGlobalTestRuntime();
  if (!(runtime instanceof MessageTestRuntime)) return allure.attachment(name, content, contentType);
  if (attachmentsDir) return runtime.sendMessage(attachmentPathMessage(attachmentsDir, { name, content, contentType, fileExtension }));
  await runtime.sendMessage({ type: 'attachment_content', data: { name, content: Buffer.from(content).toString('base64'), encoding: 'base64', contentType, fileExtension, wrapInStep: false } });
}

/**
 * The decoded token, with what is wrong with its encoding when anything is (gpconnect-spec.md §4).
 * A long token (`token`) is here whole, exactly as sent, and the exchange text names it; a short one
 * stays in the exchange text's Authorization header and is not repeated.
 */
export function jwtText(entry: JournalEntry, token?: string): string {
  const jwt = entry.jwt!;
  const decoded = { header: jwt.header ?? null, payload: jwt.payload ?? null, signature: jwt.signature, problems: jwt.problems };
  return JSON.stringify(token ? { token, ...decoded } : decoded, null, 2);
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
  const { byId } = catalogue();
  const labels = [
    ...(role ? [{ name: allure.LabelName.EPIC, value: role }] : []),
    ...tagValues(tags, 'step').map((code) => ({ name: allure.LabelName.STORY, value: workedExampleStepName(code) })),
  ];
  const links = tagValues(tags, 'req').flatMap((id) => {
    const requirement = byId.get(id);
    return requirement ? [{ url: specLink(requirement), name: `${id}: ${requirement.title}`, type: 'requirement' }] : [];
  });
  const parameters = system ? [{ name: 'system under test', value: system.version ? `${system.name} ${system.version}` : system.name }] : [];
  if (labels.length + links.length + parameters.length === 0) return;
  // One message for all of them (a parallel worker sends each message to the process writing the results).
  const runtime = getGlobalTestRuntime();
  if (runtime instanceof MessageTestRuntime) return runtime.sendMessage({ type: 'metadata', data: { labels, links, parameters } });
  if (labels.length) await allure.labels(...labels);
  if (links.length) await allure.links(...links);
  for (const p of parameters) await allure.parameter(p.name, p.value);
}
