/**
 * Cucumber's step matching on the native match indices (src/pipeline/native-match-indices.ts): the
 * same arguments at the same positions as the polyfill it replaces, for every step of the features
 * against every step definition; and in place, before Cucumber loads, in the processes that run it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { execWithIndices, NATIVE_MATCH_INDICES, polyfillPath } from '../../src/pipeline/native-match-indices';
import { partRunnerCommand } from '../../src/pipeline/conformance-run';
import { SUPPORT_CODE } from '../../src/pipeline/cucumber';
import { PACKAGE_ROOT } from '../../src/package-root';

type Exec = (this: RegExp, text: string) => RegExpExecArray | null;
/** The polyfill's own function, loaded from its implementation file (which nothing replaces). */
const polyfilled: Exec = require(path.join(path.dirname(polyfillPath()!), 'implementation.js'));

/** What Cucumber reads of a match: the values, and where each group starts and ends. */
function seen(match: RegExpExecArray | null): unknown {
  if (match === null) return null;
  const indices = match.indices!;
  return { values: [...match], indices: [...indices].map((pair) => (pair ? [...pair] : undefined)), groups: indices.groups ? { ...indices.groups } : undefined };
}

function featureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? featureFiles(path.join(dir, entry.name)) : entry.name.endsWith('.feature') ? [path.join(dir, entry.name)] : [],
  );
}

/** Every step text Cucumber matches: each pickle's steps, outlines' rows filled in. */
function pickleStepTexts(): Set<string> {
  const texts = new Set<string>();
  for (const file of featureFiles(path.join(PACKAGE_ROOT, 'features'))) {
    const envelopes = generateMessages(readFileSync(file, 'utf8'), file, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includePickles: true,
      newId: IdGenerator.incrementing(),
    });
    for (const envelope of envelopes) for (const step of envelope.pickle?.steps ?? []) texts.add(step.text);
  }
  return texts;
}

test('every step against every step definition: the same match, values and positions as the polyfill gives', async () => {
  const { runConfiguration } = await loadConfiguration({ file: false, provided: { paths: [], ...SUPPORT_CODE } }, { cwd: PACKAGE_ROOT });
  // The API gives the library opaque; its step definitions are what Cucumber matches against.
  const library = (await loadSupport(runConfiguration, { cwd: PACKAGE_ROOT })) as unknown as { stepDefinitions: Array<{ expression: { regexp: RegExp } }> };
  const regexps = library.stepDefinitions.map((definition) => definition.expression.regexp);
  const texts = pickleStepTexts();
  assert.ok(regexps.length > 100 && texts.size > 500, `${regexps.length} step definitions, ${texts.size} step texts`);
  let matches = 0;
  let withArguments = 0;
  for (const regexp of regexps) {
    for (const text of texts) {
      const expected = seen(polyfilled.call(regexp, text));
      const actual = seen(execWithIndices(regexp, text));
      assert.deepEqual(actual, expected, `${regexp} on "${text}"`);
      if (expected !== null) {
        matches += 1;
        if ((expected as { values: unknown[] }).values.length > 1) withArguments += 1;
      }
    }
  }
  assert.ok(matches >= texts.size && withArguments > 100, `${matches} matches, ${withArguments} with arguments`);
});

test('positions where groups nest, are optional and missing, named, and after a sticky or global search', () => {
  const cases: Array<[RegExp, string]> = [
    [/^a (b(c)?)? (\d+) "([^"]*)"$/, 'a b 12 "x y"'],
    [/^a (b(c)?)? (\d+) "([^"]*)"$/, 'a  12 ""'],
    [/(?<word>\w+) (?:and) (?<other>\w+)?/u, 'left and right'],
    [/x(\d)/g, 'x1 x2 x3'],
    [/x(\d)/y, 'x1x2'],
    [/^é (\S+)$/u, 'é ünïcode'],
  ];
  for (const [regexp, text] of cases) {
    const twin = new RegExp(regexp.source, regexp.flags);
    for (let round = 0; round < 3; round += 1) {
      assert.deepEqual(seen(execWithIndices(regexp, text)), seen(polyfilled.call(twin, text)), `${regexp} on "${text}", round ${round}`);
      assert.equal(regexp.lastIndex, twin.lastIndex, `${regexp}: lastIndex after round ${round}`);
    }
  }
});

test('in place before Cucumber loads: in a process that loads the pipeline, and in one started as a part is (whose Cucumber workers inherit its options)', () => {
  const check = `const m = require(${JSON.stringify(NATIVE_MATCH_INDICES)}); require('@cucumber/cucumber');
    process.stdout.write(String(require.cache[m.polyfillPath()].exports === m.execWithIndices));`;
  const pipeline = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist/src/pipeline/cucumber.js'))}); ${check}`], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  assert.equal(pipeline.stdout, 'true', pipeline.stderr);

  const command = partRunnerCommand('job.json');
  const nodeOptions = command.slice(0, command.indexOf(command.find((arg) => arg.includes('part-runner'))!));
  const part = spawnSync(process.execPath, [...nodeOptions, '-e', `require('@cucumber/cucumber'); ${check}`], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  assert.equal(part.stdout, 'true', part.stderr);

  const without = spawnSync(process.execPath, ['-e', `require('@cucumber/cucumber'); ${check}`], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  assert.equal(without.stdout, 'false', 'loaded after Cucumber, the polyfill stays (and the check can tell)');
});
