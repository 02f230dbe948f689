import { existsSync } from 'node:fs';
import { slug, SYSTEM_UNDER_TEST_ERRORS, type Outcome, type ScenarioResult, type Verdict } from './outcome';
import { RULE_NOTE_MEDIA_TYPE, type RuleNote } from './rule-note';
import { readMessagesText } from './messages-file';

/** Errors that break a scenario as the system's doing (outcome.ts). */
const BROKEN_BY_THE_SYSTEM: ReadonlySet<string> = new Set(SYSTEM_UNDER_TEST_ERRORS);

/**
 * Read a Cucumber messages stream and judge the run. Assertion failures are non-conformance; a
 * system under test that could not be reached breaks its scenarios (also the system's doing); an
 * undefined or ambiguous step, or any other exception, is the harness's fault (exit code 2).
 */
export function verdictOf(messagesFile: string): Verdict {
  if (!existsSync(messagesFile)) return { scenarios: [], counts: emptyCounts(), warnings: 0, exitCode: 2, planned: 0, runError: `no results at ${messagesFile}: the run did not complete` };
  const messages: unknown[] = [];
  for (const line of readMessagesText(messagesFile).split('\n')) {
    if (!line.trim()) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // a line cut off by a crash: what came before still counts
    }
  }
  return verdictOfMessages(messages);
}

const emptyCounts = (): Record<Outcome, number> => ({ passed: 0, failed: 0, broken: 0, skipped: 0, 'harness-error': 0 });

/** The same judgement from the messages themselves (a run in this process, as its messages arrive). */
export function verdictOfMessages(messages: Iterable<unknown>): Verdict {
  const counts = emptyCounts();
  const pickles = new Map<string, { name: string; uri: string; tags: string[]; astNodeIds: string[] }>();
  const lines = new Map<string, number>();
  const testCases = new Map<string, string>();
  const started = new Map<string, string>();
  const worst = new Map<string, { outcome: Outcome; reason?: string; reasons?: string[] }>();
  /** A scenario has a result once it finished: one cut off by a crash is not a pass. */
  const finishedCases = new Set<string>();
  /** What the judges recorded (src/rules/rule.ts), per scenario attempt. */
  const notes = new Map<string, RuleNote[]>();
  let runError: string | undefined;
  let finished = false;
  for (const message of messages) {
    const m = message as any;
    if (m.gherkinDocument) collectLines(m.gherkinDocument.feature, lines);
    else if (m.pickle) pickles.set(m.pickle.id, { name: m.pickle.name, uri: m.pickle.uri, tags: m.pickle.tags.map((t: { name: string }) => t.name), astNodeIds: m.pickle.astNodeIds });
    else if (m.testCase) testCases.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testCaseStarted) started.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
    else if (m.testStepFinished) {
      const id = m.testStepFinished.testCaseStartedId;
      const step = judgeStep(m.testStepFinished.testStepResult);
      const before = worst.get(id);
      if (!before || RANK[step.outcome] > RANK[before.outcome]) worst.set(id, { ...step, reasons: before?.reasons });
      if (step.reason && RANK[step.outcome] >= RANK.failed) worst.get(id)!.reasons = [...(worst.get(id)!.reasons ?? []), step.reason];
    } else if (m.attachment?.mediaType === RULE_NOTE_MEDIA_TYPE && m.attachment.testCaseStartedId) {
      const note = readNote(m.attachment.body);
      if (note) notes.set(m.attachment.testCaseStartedId, [...(notes.get(m.attachment.testCaseStartedId) ?? []), note]);
    } else if (m.testCaseFinished?.willBeRetried) worst.delete(m.testCaseFinished.testCaseStartedId);
    else if (m.testCaseFinished) finishedCases.add(m.testCaseFinished.testCaseStartedId);
    else if (m.testRunFinished) {
      finished = true;
      if (m.testRunFinished.exception) runError = `${m.testRunFinished.exception.type}: ${m.testRunFinished.exception.message}`;
      else if (m.testRunFinished.message && !m.testRunFinished.success) runError = m.testRunFinished.message;
    }
  }
  // Cucumber emits every pickle of every file it loaded, in file order, whatever the filter (and a
  // merge of shards' streams has a file's pickles more than once: counted once, by uri and line).
  const lineOf = (pickle: { astNodeIds: string[] }) => lines.get(pickle.astNodeIds[pickle.astNodeIds.length - 1]);
  const placeOf = (id: string, pickle: { uri: string; astNodeIds: string[] }) => (lineOf(pickle) === undefined ? id : `${pickle.uri}:${lineOf(pickle)}`);
  const order = new Map<string, { index: number; occurrence: number }>();
  const sameName = new Map<string, number>();
  for (const [id, pickle] of pickles) {
    const at = placeOf(id, pickle);
    if (order.has(at)) continue;
    const key = `${pickle.uri}#${slug(pickle.name)}`;
    sameName.set(key, (sameName.get(key) ?? 0) + 1);
    order.set(at, { index: order.size, occurrence: sameName.get(key)! });
  }
  const scenarios: Array<ScenarioResult & { index: number }> = [];
  let warnings = 0;
  for (const [startedId, testCaseId] of started) {
    if (!finishedCases.has(startedId)) continue;
    const pickleId = testCases.get(testCaseId) ?? '';
    const pickle = pickles.get(pickleId);
    if (!pickle) continue;
    const { reasons, ...result } = worst.get(startedId) ?? { outcome: 'passed' as Outcome };
    const line = lineOf(pickle);
    const { index, occurrence } = order.get(placeOf(pickleId, pickle))!;
    const found = notes.get(startedId);
    const notReached = found?.find((n) => n.grade === 'not-reached');
    if (result.outcome === 'skipped' && notReached && !result.reason) result.reason = `not reached: ${notReached.finding}`;
    scenarios.push({ name: pickle.name, uri: pickle.uri, line, tags: pickle.tags, ...result, ...(reasons && reasons.length > 1 ? { reasons } : {}), ...(found ? { notes: found } : {}), occurrence, index });
    counts[result.outcome] += 1;
    warnings += found?.filter((n) => n.grade === 'warning').length ?? 0;
  }
  // In file order, as a serial run has them, whatever order parallel workers finished in.
  scenarios.sort((a, b) => a.index - b.index);
  for (const s of scenarios) delete (s as Partial<typeof s>).index;
  if (!finished) runError ??= 'the run stopped before it finished: the results above are what completed';
  if (scenarios.length === 0) runError ??= NOTHING_RAN;
  const exitCode = runError || counts['harness-error'] > 0 ? 2 : counts.failed + counts.broken > 0 ? 1 : 0;
  return { scenarios, counts, warnings, exitCode, runError, planned: testCases.size };
}

function readNote(body: unknown): RuleNote | undefined {
  try {
    const note = JSON.parse(String(body)) as RuleNote;
    return typeof note.requirement === 'string' && ['failure', 'warning', 'not-reached'].includes(note.grade) ? note : undefined;
  } catch {
    return undefined;
  }
}

/** A run that matched no scenario: an error on its own, but not for one part of a filtered run. */
export const NOTHING_RAN = 'no scenario ran (check the tags and the paths)';

const RANK: Record<Outcome, number> = { passed: 0, skipped: 1, failed: 2, broken: 3, 'harness-error': 4 };

function judgeStep(result: { status: string; message?: string; exception?: { type: string; message?: string } }): { outcome: Outcome; reason?: string } {
  const reason = (result.exception?.message ?? result.message ?? '').split('\n')[0] || undefined;
  switch (result.status) {
    case 'PASSED':
      return { outcome: 'passed' };
    case 'SKIPPED':
    case 'PENDING':
      return { outcome: 'skipped' };
    case 'UNDEFINED':
      return { outcome: 'harness-error', reason: 'a step has no definition' };
    case 'AMBIGUOUS':
      return { outcome: 'harness-error', reason: reason ?? 'a step matches more than one definition' };
    case 'FAILED': {
      const type = result.exception?.type ?? (result.message?.match(/^(\w+)(?: \[[^\]]*\])?:/)?.[1] ?? '');
      if (type === 'AssertionError' || type.startsWith('AssertionError')) return { outcome: 'failed', reason };
      if (BROKEN_BY_THE_SYSTEM.has(type)) return { outcome: 'broken', reason: `${type}: ${reason}` };
      return { outcome: 'harness-error', reason: `${type || 'Error'}: ${reason}` };
    }
    default:
      return { outcome: 'broken', reason: `${result.status}: ${reason ?? ''}` };
  }
}

function collectLines(node: any, lines: Map<string, number>): void {
  if (!node || typeof node !== 'object') return;
  if (typeof node.id === 'string' && node.location?.line) lines.set(node.id, node.location.line);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const v of value) collectLines(v, lines);
    else if (value && typeof value === 'object') collectLines(value, lines);
  }
}
