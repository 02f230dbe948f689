/**
 * Where the Allure reporter writes a run's results: allure-js-commons' FileSystemWriter, less its
 * fsync of every file. A main job writes some four thousand result and attachment files, and the
 * fsyncs cost over two seconds of it. What the fsync guards against is a power cut, after which
 * the run is re-run anyway; each file is still written under a temporary name and renamed, so a run
 * that is killed never leaves a half-written result for `gpc-conform report` to read.
 *
 * Identical attachments are written once per process: the same bytes again (the SSP leg's copy of
 * the provider leg's body, the same SDS answer in the next scenario) are held until the result
 * that references them is written, and that result points at the file already written. Over half
 * of a main job's attachments are such repeats. Only references that agree on name and type share
 * a file (Allure names a shared file after one of them: allure-dedupe.ts); a repeat referenced
 * under another name or type is written as a file of its own then. What repeats across processes
 * (parallel workers, parts) is still stored once afterwards by allure-dedupe.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { propertiesText } from './allure-report';
import { referencesIn } from './allure-dedupe';
import { CONTENT_NAMED_ATTACHMENT, contentDigest } from '../../evidence/attachment-file';
import { noteLine, RULE_NOTE_MEDIA_TYPE, type RuleNote } from '../../results/rule-note';
import { writeNewFileWith } from '../../evidence/spare-files';

export class AllureResultsWriter {
  private made = false;
  /** Each content written, by digest and extension, and by its file: the file, and the name and type its references give it. */
  private readonly written = new Map<string, Written>();
  private readonly writtenAs = new Map<string, Written>();
  /** Repeats not written: by the file name the reporter gave them, the file that holds their content, and how to write them apart. */
  private readonly repeats = new Map<string, { key: string; content: () => Buffer }>();

  constructor(private readonly resultsDir: string) {}

  writeAttachment(name: string, content: Buffer): void {
    const key = `${contentDigest(content)}${path.extname(name)}`;
    if (this.written.has(key)) {
      this.repeats.set(name, { key, content: () => content });
      return;
    }
    const written: Written = { source: name };
    this.written.set(key, written);
    this.writtenAs.set(name, written);
    this.publish(name, content);
  }

  /**
   * A file the scenario wrote into these results itself, named by its content
   * (src/evidence/evidence.ts attachmentFile), is not copied: references point at it, as at a repeat.
   * Any other file is copied in.
   */
  writeAttachmentFromPath(name: string, from: string): void {
    const content = () => readFileSync(from);
    if (path.dirname(path.resolve(from)) !== path.resolve(this.resultsDir) || !CONTENT_NAMED_ATTACHMENT.test(path.basename(from))) return this.publish(name, content());
    const key = path.basename(from);
    if (!this.written.has(key)) this.written.set(key, { source: key });
    this.repeats.set(name, { key, content });
  }

  writeEnvironmentInfo(info: Record<string, string>): void {
    this.publish('environment.properties', propertiesText(info), 'latin1');
  }

  writeCategoriesDefinitions(categories: unknown): void {
    this.json('categories.json', categories);
  }

  /**
   * A container holds a scenario's hooks as fixtures. One whose every fixture is empty (no name,
   * steps, attachments or parameters; passed, or skipped with its scenario) says nothing: it is not
   * written. That is two files of every scenario's three (a Before and an After hook with nothing to
   * show), which the report showed as a blank "Set up" and "Tear down".
   */
  writeGroup(result: { uuid: string; befores?: AllureFixture[]; afters?: AllureFixture[] }): void {
    if ([...(result.befores ?? []), ...(result.afters ?? [])].every(saysNothing)) return;
    this.json(`${result.uuid}-container.json`, this.withRepeatsResolved(result));
  }

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, this.withRuleNotes(this.withRepeatsResolved(result) as AllureResult));
  }

  /**
   * Each reference to a repeat pointed at the file holding its content, when the references agree on
   * name and type; otherwise the repeat is written under its own name after all. The references to
   * files written here claim their name and type first, so a file keeps the name its own reference gives it.
   */
  private withRepeatsResolved<T>(document: T): T {
    const refs = referencesIn(document) as Array<Written & { source: string }>;
    for (const ref of refs) {
      if (this.repeats.has(ref.source)) continue;
      const written = this.writtenAs.get(ref.source);
      if (written && written.name === undefined) Object.assign(written, { name: ref.name, type: ref.type });
    }
    const resolved = new Set<string>();
    for (const ref of refs) {
      const repeat = this.repeats.get(ref.source);
      if (!repeat) continue;
      resolved.add(ref.source);
      const written = this.written.get(repeat.key)!;
      if (written.name === undefined) Object.assign(written, { name: ref.name, type: ref.type });
      if (written.name === ref.name && written.type === ref.type) ref.source = written.source;
      else this.publish(ref.source, repeat.content());
    }
    // Held only until referenced: a run's repeats are not kept in memory to its end.
    for (const source of resolved) this.repeats.delete(source);
    return document;
  }

  /**
   * The judges' notes (src/rules/rule.ts) arrive as attachments, each wrapped in a step of its own:
   * that step is named after the note ("Warning: PROV-X (SHOULD): …"), the note is shown as JSON,
   * and a passed result with warnings carries them as its message, which puts it in the Warnings
   * category (src/pipeline/reports/allure-report.ts).
   */
  private withRuleNotes(result: AllureResult): AllureResult {
    const warnings: RuleNote[] = [];
    const visit = (step: AllureStep): void => {
      for (const child of step.steps ?? []) {
        const only = child.attachments?.length === 1 && !child.steps?.length ? child.attachments[0] : undefined;
        if (only?.type === RULE_NOTE_MEDIA_TYPE) {
          const note = this.readNote(only.source);
          only.type = 'application/json';
          only.name = 'rule note';
          if (note) {
            child.name = `${note.grade === 'warning' ? 'Warning' : 'Failed'}: ${noteLine(note)}`;
            if (note.grade === 'warning') warnings.push(note);
          }
        }
        visit(child);
      }
    };
    visit(result);
    if (warnings.length > 0 && result.status === 'passed') {
      result.statusDetails = { ...result.statusDetails, message: `Warning: ${warnings.map(noteLine).join('\n')}` };
      result.labels = [...(result.labels ?? []), { name: 'tag', value: 'warning' }];
    }
    return result;
  }

  private readNote(source: string): RuleNote | undefined {
    try {
      return JSON.parse(readFileSync(path.join(this.resultsDir, source), 'utf8')) as RuleNote;
    } catch {
      return undefined;
    }
  }

  writeGlobals(name: string, info: unknown): void {
    this.json(name, info);
  }

  private json(name: string, data: unknown): void {
    this.publish(name, JSON.stringify(data));
  }

  private publish(name: string, content: string | Buffer, encoding: BufferEncoding = 'utf8'): void {
    if (!this.made) {
      mkdirSync(this.resultsDir, { recursive: true });
      this.made = true;
    }
    const target = path.join(this.resultsDir, name);
    const temp = path.join(this.resultsDir, `.allure-write-${randomUUID()}.tmp`);
    try {
      writeNewFileWith(this.resultsDir, temp, content, encoding);
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}

interface AllureFixture extends AllureStep {
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  parameters?: unknown[];
}

function saysNothing(fixture: AllureFixture): boolean {
  return (
    (fixture.status === 'passed' || fixture.status === 'skipped') &&
    !fixture.name &&
    !fixture.steps?.length &&
    !fixture.attachments?.length &&
    !fixture.parameters?.length &&
    !fixture.statusDetails?.message &&
    !fixture.statusDetails?.trace
  );
}

interface Written {
  source: string;
  name?: string;
  type?: string;
}

interface AllureStep {
  name?: string;
  steps?: AllureStep[];
  attachments?: Array<{ name: string; source: string; type: string }>;
}

interface AllureResult extends AllureStep {
  uuid: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels?: Array<{ name: string; value: string }>;
}
