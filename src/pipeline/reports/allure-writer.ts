/**
 * Where the Allure reporter writes a run's results: allure-js-commons' FileSystemWriter, less its
 * fsync of every file. A main job writes some four thousand result and attachment files, and the
 * fsyncs cost over two seconds of it. What the fsync guards against is a power cut, after which
 * the run is re-run anyway; each file is still written under a temporary name and renamed, so a run
 * that is killed never leaves a half-written result for `gpc-conform report` to read.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { propertiesText } from './allure-report';

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
    this.json(`${result.uuid}-result.json`, result);
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
