import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Interaction } from '../../src/gpconnect/constants';
import { TopologyDraft } from '../../src/spine/directory/edits';
import { DirectoryError, loadDirectory, parseDirectory } from '../../src/spine/directory/load';
import { serviceRootProblems } from '../../src/spine/directory/rules';

const problemsOf = (text: string) => {
  try {
    parseDirectory(text, 'test.yaml');
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `expected a DirectoryError, got ${error}`);
    return error;
  }
  assert.fail('the topology was accepted');
};

test('the default topology loads and holds every topology of the design', () => {
  const d = loadDirectory();
  assert.equal(d.data.topologies.length, 8);
  assert.equal(d.providers().length, 4);
  assert.ok(d.consumers().length >= 10);
});

test('SDS-style queries: MHS by ODS and interaction, AS by party key', () => {
  const d = loadDirectory();
  const [mhs] = d.findMhs({ organisation: 'B82617', interaction: Interaction.searchSlot });
  assert.equal(mhs.address, 'https://gpc.pcs01.datacentre.test/B82617/STU3/1/gpconnect');
  assert.deepEqual(d.findSystems({ organisation: 'B82617', partyKey: mhs.partyKey, interaction: Interaction.searchSlot }).map((s) => s.asid), ['918999198738']);
  assert.deepEqual(d.findMhs({ organisation: 'UCC01', interaction: Interaction.readMetadata }), [], 'a consumer MHS is not a GP Connect endpoint');
  assert.ok(d.hasAgreement('A20047', 'UCC01', Interaction.searchSlot));
  assert.ok(!d.hasAgreement('AGG01', 'A20047', Interaction.searchSlot));
});

test('an unreadable file is named', () => {
  assert.throws(() => loadDirectory('/nonexistent/topology.yaml'), /\/nonexistent\/topology.yaml: .*cannot read the file/s);
});

test('YAML syntax errors name the line', () => {
  const e = problemsOf('organisations: [\n  - ods: A\n');
  assert.equal(e.problems[0].rule, 'DIR-YAML');
  assert.match(e.message, /line \d+/);
});

test('schema errors name the entry and the field', () => {
  const draft = new TopologyDraft();
  const text = draft.toYaml().replace('asid: "200000000359"', 'asid: "20000000035X"').replace(/asid: '200000000359'/, "asid: '20000000035X'");
  const e = problemsOf(text);
  const p = e.problems.find((x) => x.rule === 'DIR-SCHEMA');
  assert.ok(p, e.message);
  assert.match(p.entry, /^systems\[\d+\] \(ASID 20000000035X\)\.asid$/);
  assert.match(p.message, /pattern/);
});

test('unknown fields are refused by name', () => {
  const e = problemsOf('organisations: []\nsystems: []\nmhs: []\nfirewall: true\n');
  assert.match(e.message, /unknown field "firewall"/);
});

test('every rule violation names its rule, entry and reason together', () => {
  const draft = new TopologyDraft();
  draft.registerAsCma('200000000401');
  draft.setAddress('A20047-821870', 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/');
  const e = problemsOf(draft.toYaml());
  assert.match(e.message, /mhs\[0\] \(party key A20047-821870\): \[SDS-3\.4-SERVICE-ROOT\] .*trailing slash/);
  assert.match(e.message, /systems\[\d+\] \(ASID 200000000401, .*\): \[SDS-2\.1-CONSUMER-NOT-CMA\]/);
});

test('service root form', () => {
  assert.deepEqual(serviceRootProblems('https://h.test/A1/STU3/1/gpconnect', 'A1', 'h.test'), []);
  assert.deepEqual(serviceRootProblems('https://h.test/A1/STU3/1', 'A1', 'h.test'), []);
  assert.deepEqual(serviceRootProblems('http://127.0.0.1:8080/A1/STU3/1/gpconnect', 'A1', 'h.test'), [], 'a supplier provider on loopback over plain http is allowed');
  assert.equal(serviceRootProblems('https://h.test/A1/STU3/x/gpconnect', 'A1', 'h.test').length, 1);
  assert.equal(serviceRootProblems('not a url', 'A1').length, 1);
  assert.equal(serviceRootProblems('https://h.test/A1/STU3/1?x=1', 'A1').length, 1);
});

test('a topology file of the supplier\'s own loads from disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'topology-'));
  const file = path.join(dir, 'mine.yaml');
  writeFileSync(file, new TopologyDraft().toYaml());
  try {
    assert.equal(loadDirectory(file).data.systems.length, loadDirectory().data.systems.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
