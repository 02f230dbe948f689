/**
 * Where the Allure reporter writes a run's results: allure-js-commons' FileSystemWriter, less its
 * fsync of every file. A main job writes some four thousand result and attachment files, and the
 * fsyncs cost over two seconds of it. What the fsync guards against is a power cut, after which
 * the run is re-run anyway; each file is still written under a temporary name and renamed, so a run
 * that is killed never leaves a half-written result for `gpc-conform report` to read.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { propertiesText } from './allure-report';
import { noteLine, RULE_NOTE_MEDIA_TYPE, type RuleNote } from '../../results/rule-note';

export class AllureResultsWriter {
  private made = false;

  constructor(private readonly resultsDir: string) {}

  writeAttachment(name: string, content: Buffer): void {
    this.publish(name, (temp) => writeFileSync(temp, content));
  }

  writeAttachmentFromPath(name: string, from: string): void {
    this.publish(name, (temp) => copyFileSync(from, temp));
  }

  writeEnvironmentInfo(info: Record<string, string>): void {
    this.publish('environment.properties', (temp) => writeFileSync(temp, propertiesText(info), 'latin1'));
  }

  writeCategoriesDefinitions(categories: unknown): void {
    this.json('categories.json', categories);
  }

  writeGroup(result: { uuid: string }): void {
    this.json(`${result.uuid}-container.json`, result);
  }

  writeResult(result: { uuid: string }): void {
    this.json(`${result.uuid}-result.json`, this.withRuleNotes(result as AllureResult));
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
    this.publish(name, (temp) => writeFileSync(temp, JSON.stringify(data), 'utf8'));
  }

  private publish(name: string, write: (temp: string) => void): void {
    if (!this.made) {
      mkdirSync(this.resultsDir, { recursive: true });
      this.made = true;
    }
    const target = path.join(this.resultsDir, name);
    const temp = path.join(this.resultsDir, `.allure-write-${randomUUID()}.tmp`);
    try {
      write(temp);
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
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
