/**
 * The rule model every party shares: a judge is a pure function from what was recorded to findings
 * (src/rules/provider/, src/rules/consumer/, src/rules/ssp/); a RuleBook grades each finding by its
 * requirement's level in the catalogue and records it. A SHALL broken fails the scenario; a SHOULD
 * broken, or an exact value only the official tests or the demonstrator demand, is a warning and
 * the scenario passes; `strict` makes every finding a failure. The requirement's id, level and source
 * are written into the messages here, once: no judge or step spells them.
 */
import { AssertionError } from 'node:assert';
import { catalogue, levelOf, sourceLink, type Catalogue, type Requirement } from './catalogue';
import { noteLine, noteText, type Grade, type RuleNote } from '../results/rule-note';

/** What a judge found wrong: one sentence naming what was expected and what was seen. */
export interface Finding {
  text: string;
  /**
   * Only the exact status, code or value is at odds (the provider did refuse, with another code): a
   * warning when the requirement takes that value from outside the spec (its `exact`).
   */
  exactOnly?: boolean;
}

export type Findings = ReadonlyArray<string | Finding>;

/** A finding about the exact value only. */
export const exactOnly = (text: string): Finding => ({ text, exactOnly: true });

/** How one finding counts. */
export function gradeOf(requirement: Requirement, finding: Finding, strict: boolean): Grade {
  if (strict) return 'failure';
  if (levelOf(requirement) === 'SHOULD') return 'warning';
  if (finding.exactOnly && requirement.exact) return 'warning';
  return 'failure';
}

export interface RuleBookOptions {
  /** Every finding fails (`--strict`, or `strict: true` in the profile). */
  strict: boolean;
  /** Where each note goes: the scenario's attachments, for the reports. */
  record: (note: RuleNote) => void;
  catalogue?: Catalogue;
}

/** One scenario's rules: judge, grade, record, and fail the step when a finding is a failure. */
export class RuleBook {
  private readonly cat: Catalogue;

  constructor(private readonly options: RuleBookOptions) {
    this.cat = options.catalogue ?? catalogue();
  }

  requirement(id: string): Requirement {
    const requirement = this.cat.byId.get(id);
    if (!requirement) throw new Error(`no requirement ${id} in requirements/catalogue.yaml`);
    return requirement;
  }

  /** The notes for these findings, graded. */
  notes(id: string, findings: Findings): RuleNote[] {
    const requirement = this.requirement(id);
    return findings.map((f) => (typeof f === 'string' ? { text: f } : f)).map((finding) => ({
      requirement: id,
      level: levelOf(requirement),
      grade: gradeOf(requirement, finding, this.options.strict),
      title: requirement.title,
      finding: finding.text,
      source: sourceLink(requirement, this.cat.specBase),
      ...(requirement.quote ? { quote: requirement.quote } : {}),
      ...(requirement.exact && finding.exactOnly ? { exactFrom: `${requirement.exact.from === 'ptest' ? 'the official provider tests' : requirement.exact.from === 'demo' ? 'the demonstrator' : 'the harness'} (${requirement.exact.where})` } : {}),
    }));
  }

  /**
   * The rule's situation never arose, because the system stopped before it (one mistake, one
   * failure: the rule actually broken fails elsewhere). Recorded; the step is to be skipped.
   */
  notReached(id: string, why: string): 'skipped' {
    const [note] = this.notes(id, [why]);
    this.options.record({ ...note!, grade: 'not-reached' });
    return 'skipped';
  }

  /** Judge one requirement: nothing found, it holds; warnings are recorded; failures are recorded and fail the step. */
  judge(id: string, findings: Findings): void {
    const notes = this.notes(id, findings);
    for (const note of notes) this.options.record(note);
    const failures = notes.filter((n) => n.grade === 'failure');
    if (failures.length > 0) throw ruleBroken(failures);
  }
}

/** The failure a step ends with: the first line names the rule, its level and the first finding (what summaries show). */
export function ruleBroken(failures: RuleNote[]): AssertionError {
  const first = noteLine(failures[0]!);
  const rest = failures.map(noteText).join('\n');
  return new AssertionError({ message: `${first}\n${rest}` });
}
