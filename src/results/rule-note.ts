/**
 * What a judge said about one rule in one scenario, as every report shows it: the rule, its level
 * in the standard's words, what was expected and seen, the source quoted with its link, and whether
 * it failed the scenario or only warns. Judges record one per finding (src/rules/rule.ts); the
 * verdict collects them from the run's messages (src/results/verdict.ts).
 */
export type Level = 'SHALL' | 'SHOULD' | 'MAY';

/**
 * failure: a SHALL broken (or any rule under --strict). warning: a SHOULD broken, or an expectation
 * only the official tests or the demonstrator have. not-reached: the situation the rule is about
 * never arose because the system stopped earlier (the step is skipped, naming why).
 */
export type Grade = 'failure' | 'warning' | 'not-reached';

export interface RuleNote {
  requirement: string;
  level: Level;
  grade: Grade;
  /** The requirement's title in the catalogue. */
  title: string;
  /** What was expected and what was seen, in one sentence. */
  finding: string;
  /** The page of the standard it comes from (a link). */
  source: string;
  quote?: string;
  /** Where the exact status, code or value comes from when the spec does not give it (the official tests, the demonstrator, the harness). */
  exactFrom?: string;
}

/** The media type of the attachment a note travels in, from the step that made it to the reports. */
export const RULE_NOTE_MEDIA_TYPE = 'application/vnd.gpc-conform.rule-note+json';

/** One line: "PROV-X (SHOULD, warning): finding". */
export function noteLine(note: RuleNote): string {
  const grade = note.grade === 'failure' ? '' : `, ${note.grade}`;
  return `${note.requirement} (${note.level}${grade}): ${note.finding}`;
}

/** The note in full, as a report's text shows it. */
export function noteText(note: RuleNote): string {
  const lines = [noteLine(note), `  rule: ${note.title}`, `  source: ${note.source}${note.quote ? ` — "${note.quote}"` : ''}`];
  if (note.exactFrom) lines.push(`  the exact value comes from ${note.exactFrom}, not the standard`);
  return lines.join('\n');
}
