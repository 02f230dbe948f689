import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { AllureResultsWriter } from '../../src/pipeline/reports/allure-writer';
import { attachmentFile, CONTENT_NAMED_ATTACHMENT } from '../../src/evidence/attachment-file';
import { RULE_NOTE_MEDIA_TYPE, type RuleNote } from '../../src/results/rule-note';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-allure-writer-'));
after(() => rmSync(work, { recursive: true, force: true }));
const fresh = () => mkdtempSync(path.join(work, 'results-'));
const attachment = (name: string, source: string, type = 'application/json') => ({ name, source, type });
const step = (name: string, attachments: ReturnType<typeof attachment>[]) => ({ name, steps: [], attachments });
const read = (dir: string, uuid: string) => JSON.parse(readFileSync(path.join(dir, `${uuid}-result.json`), 'utf8'));
const sources = (result: { steps: Array<{ attachments: Array<{ source: string }> }> }) => result.steps.flatMap((s) => s.attachments.map((a) => a.source));
const attachmentFiles = (dir: string) => readdirSync(dir).filter((f) => f.includes('-attachment')).sort();

test('the same bytes under the same name and type are written once, and every reference points at that file', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  const body = Buffer.from('{"resourceType":"Bundle"}');
  writer.writeAttachment('a-attachment.json', body);
  writer.writeAttachment('b-attachment.json', Buffer.from(body));
  writer.writeResult({ uuid: 'r1', steps: [step('SSP GET', [attachment('Response body', 'a-attachment.json')]), step('PROVIDER GET', [attachment('Response body', 'b-attachment.json')])] } as never);
  assert.deepEqual(sources(read(dir, 'r1')), ['a-attachment.json', 'a-attachment.json']);
  assert.deepEqual(attachmentFiles(dir), ['a-attachment.json']);
  // A later scenario's repeat points at the same file.
  writer.writeAttachment('c-attachment.json', Buffer.from(body));
  writer.writeResult({ uuid: 'r2', steps: [step('SSP GET', [attachment('Response body', 'c-attachment.json')])] } as never);
  assert.deepEqual(sources(read(dir, 'r2')), ['a-attachment.json']);
  assert.deepEqual(attachmentFiles(dir), ['a-attachment.json']);
  assert.equal(readFileSync(path.join(dir, 'a-attachment.json'), 'utf8'), body.toString());
  // The repeats are let go once their results are written: a long run does not hold every repeat in memory.
  assert.equal((writer as unknown as { repeats: Map<string, unknown> }).repeats.size, 0);
});

test('the same bytes under another name or type get a file of their own, so Allure names each rightly', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  const body = Buffer.from('{"resourceType":"Appointment"}');
  for (const name of ['a', 'b', 'c']) writer.writeAttachment(`${name}-attachment.json`, Buffer.from(body));
  writer.writeResult({
    uuid: 'r1',
    steps: [
      step('PUT', [attachment('Request body', 'a-attachment.json'), attachment('Response body', 'b-attachment.json'), attachment('Request body', 'c-attachment.json', 'text/plain')]),
    ],
  } as never);
  assert.deepEqual(sources(read(dir, 'r1')), ['a-attachment.json', 'b-attachment.json', 'c-attachment.json']);
  assert.deepEqual(attachmentFiles(dir), ['a-attachment.json', 'b-attachment.json', 'c-attachment.json']);
  for (const f of attachmentFiles(dir)) assert.equal(readFileSync(path.join(dir, f), 'utf8'), body.toString());
});

test('a repeated rule note still names its step: the note is read from the file that holds it', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  const note: RuleNote = { requirement: 'R-SHOULD', level: 'SHOULD', grade: 'warning', title: 't', finding: 'no Last-Modified', source: 'https://spec.test/page.html', quote: 'q' };
  const noteStep = (source: string) => ({ name: 'Then x', steps: [{ name: 'rule-note.json', steps: [], attachments: [attachment('rule-note.json', source, RULE_NOTE_MEDIA_TYPE)] }], attachments: [] });
  writer.writeAttachment('n1-attachment.json', Buffer.from(JSON.stringify(note)));
  writer.writeResult({ uuid: 'r1', status: 'passed', steps: [noteStep('n1-attachment.json')] } as never);
  writer.writeAttachment('n2-attachment.json', Buffer.from(JSON.stringify(note)));
  writer.writeResult({ uuid: 'r2', status: 'passed', steps: [noteStep('n2-attachment.json')] } as never);
  const second = read(dir, 'r2');
  assert.equal(second.steps[0].steps[0].name, 'Warning: R-SHOULD (SHOULD, warning): no Last-Modified');
  assert.equal(second.steps[0].steps[0].attachments[0].source, 'n1-attachment.json');
  assert.ok(!existsSync(path.join(dir, 'n2-attachment.json')));
});

test('a container (a hook) resolves its repeats too', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  writer.writeAttachment('a-attachment.txt', Buffer.from('log'));
  writer.writeAttachment('b-attachment.txt', Buffer.from('log'));
  writer.writeResult({ uuid: 'r1', steps: [step('x', [attachment('log', 'a-attachment.txt', 'text/plain')])] } as never);
  writer.writeGroup({ uuid: 'g1', children: ['r1'], befores: [], afters: [{ name: 'After', steps: [], attachments: [attachment('log', 'b-attachment.txt', 'text/plain')] }] } as never);
  const group = JSON.parse(readFileSync(path.join(dir, 'g1-container.json'), 'utf8'));
  assert.equal(group.afters[0].attachments[0].source, 'a-attachment.txt');
  assert.deepEqual(attachmentFiles(dir), ['a-attachment.txt']);
});

test('a container whose hooks say nothing is not written; one with a failed hook, a named one or evidence is', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  const empty = (status: string) => ({ status, statusDetails: {}, stage: 'finished', steps: [], attachments: [], parameters: [], start: 1, stop: 1 });
  writer.writeGroup({ uuid: 'before', children: ['r1'], befores: [empty('passed')], afters: [] } as never);
  writer.writeGroup({ uuid: 'after', children: ['r1'], befores: [], afters: [empty('passed')] } as never);
  writer.writeGroup({ uuid: 'skipped', children: ['r2'], befores: [empty('skipped')], afters: [] } as never);
  writer.writeGroup({ uuid: 'failed', children: ['r3'], befores: [{ ...empty('failed'), statusDetails: { message: 'Spine in a box did not start' } }], afters: [] } as never);
  writer.writeGroup({ uuid: 'broken', children: ['r4'], befores: [], afters: [empty('broken')] } as never);
  writer.writeGroup({ uuid: 'named', children: ['r5'], befores: [{ ...empty('passed'), name: 'Before: start the practice' }], afters: [] } as never);
  writer.writeGroup({ uuid: 'evidence', children: ['r6'], befores: [], afters: [{ ...empty('passed'), attachments: [attachment('log', 'l-attachment.txt', 'text/plain')] }] } as never);
  const written = readdirSync(dir).filter((f) => f.endsWith('-container.json')).sort();
  assert.deepEqual(written, ['broken-container.json', 'evidence-container.json', 'failed-container.json', 'named-container.json']);
});

test('a file a scenario wrote into the results, named by its content, is not copied: references point at it, under one name and type', () => {
  const dir = fresh();
  const writer = new AllureResultsWriter(dir);
  const body = Buffer.from('{"resourceType":"Bundle","type":"searchset"}');
  // As two parallel workers leave it: one file for the same bytes.
  const file = attachmentFile(dir, body, '.json');
  assert.equal(attachmentFile(dir, Buffer.from(body), '.json'), file);
  assert.notEqual(attachmentFile(dir, Buffer.from('{}'), '.json'), file);
  assert.match(path.basename(file), CONTENT_NAMED_ATTACHMENT);
  writer.writeAttachmentFromPath('a-attachment.json', file);
  writer.writeAttachmentFromPath('b-attachment.json', file);
  writer.writeAttachmentFromPath('c-attachment.json', file);
  writer.writeResult({ uuid: 'r1', steps: [step('SSP GET', [attachment('Response body', 'a-attachment.json'), attachment('Response body', 'b-attachment.json'), attachment('Request body', 'c-attachment.json')])] } as never);
  const [a, b, c] = sources(read(dir, 'r1'));
  assert.equal(a, path.basename(file));
  assert.equal(b, a);
  // Under another name the same bytes get a file of their own, so that Allure names each rightly.
  assert.equal(c, 'c-attachment.json');
  assert.equal(readFileSync(path.join(dir, c), 'utf8'), body.toString());
  assert.deepEqual(attachmentFiles(dir), [path.basename(attachmentFile(dir, Buffer.from('{}'), '.json')), path.basename(file), 'c-attachment.json'].sort());
  // A file from anywhere else is copied in under the reporter's name.
  const elsewhere = path.join(fresh(), 'diagram.svg');
  writeFileSync(elsewhere, '<svg/>');
  writer.writeAttachmentFromPath('d-attachment.svg', elsewhere);
  assert.equal(readFileSync(path.join(dir, 'd-attachment.svg'), 'utf8'), '<svg/>');
});
