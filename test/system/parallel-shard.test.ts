import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { gpcConform, root } from '../support/gpc-conform';
import type { ConformanceSummary } from '../../src/pipeline/reports/summary';
import { parseShard, planParts, shareOf, plannedKey, type PlannedScenario } from '../../src/pipeline/shard';
import { checkShards, joinSuites, MergeError } from '../../src/pipeline/merge';
import { referenceRunningProfile, startReferenceProvider } from '../../bench/running-provider';

const work = mkdtempSync(path.join(tmpdir(), 'gpc-shard-'));
after(() => rmSync(work, { recursive: true, force: true }));

const summaryOf = (out: string) => JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as ConformanceSummary;
const outcomes = (s: ConformanceSummary) => Object.fromEntries(s.scenarios.map((x) => [x.id, x.outcome]));
const junitTotals = (file: string) => {
  const open = readFileSync(file, 'utf8').match(/<testsuites\b[^>]*>/)![0];
  return Object.fromEntries(['tests', 'failures', 'errors', 'skipped'].map((k) => [k, Number(open.match(new RegExp(` ${k}="(\\d+)"`))![1])]));
};
const allureResults = (out: string) => readdirSync(path.join(out, 'allure-results')).filter((f) => f.endsWith('-result.json'));

test('--shard I/N: every planned scenario is in exactly one shard, shares differ by one at most, whatever order they come in', () => {
  const planned: PlannedScenario[] = Array.from({ length: 23 }, (_, i) => ({ part: i % 3 ? 'reference' : 'consumer-http', uri: `features/f${i % 4}.feature`, line: 10 + i }));
  for (const count of [1, 2, 3, 5, 30]) {
    const shares = Array.from({ length: count }, (_, i) => shareOf(planned, { index: i + 1, count }).map(plannedKey));
    const all = shares.flat();
    assert.equal(all.length, planned.length, `${count} shards`);
    assert.deepEqual(new Set(all), new Set(planned.map(plannedKey)));
    const sizes = shares.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${sizes}`);
    assert.deepEqual(shareOf([...planned].reverse(), { index: 1, count }).map(plannedKey), shares[0], 'the same split from any order');
  }
});

test('the shards of the real suite cover its plan exactly once, by uri:line', async () => {
  const parts = [
    { name: 'reference', title: '', paths: ['features/ssp', 'features/topology', 'features/provider', 'features/consumer'], parameters: {} },
    { name: 'consumer-browser', title: '', paths: ['features/consumer'], tags: '@happy-path', parameters: {} },
  ];
  const planned = await planParts(parts, root);
  assert.ok(planned.length > 200, `${planned.length} planned`);
  const keys = planned.map(plannedKey);
  assert.equal(new Set(keys).size, keys.length, 'every planned scenario has its own part:uri:line');
  const shares = [1, 2, 3].map((index) => shareOf(planned, { index, count: 3 }).map(plannedKey));
  assert.deepEqual(shares.flat().sort(), [...keys].sort());
});

test('--shard must be I/N with 1 <= I <= N', () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0', '-1/2']) assert.throws(() => parseShard(bad), /--shard/, bad);
});

test("joinSuites: one part's shards become one testsuite with the totals summed; a shard without results is an error case", () => {
  const dir = path.join(work, 'junit');
  mkdirSync(dir, { recursive: true });
  const suite = (tests: number, failures: number, cases: string) => `<?xml version="1.0"?>\n<testsuite name="cucumber-js" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="1.5">\n${cases}\n</testsuite>\n`;
  writeFileSync(path.join(dir, 'a.xml'), suite(2, 1, '<testcase classname="F" name="a"/>\n<testcase classname="F" name="b"><failure/></testcase>'));
  writeFileSync(path.join(dir, 'b.xml'), suite(1, 0, '<testcase classname="F" name="c"/>'));
  const joined = joinSuites([
    { file: path.join(dir, 'a.xml'), label: 'shard 1/3' },
    { file: path.join(dir, 'b.xml'), label: 'shard 2/3' },
    { file: path.join(dir, 'missing.xml'), label: 'shard 3/3', runError: 'it crashed' },
  ]);
  assert.match(joined, /<testsuite name="cucumber-js" tests="4" failures="1" errors="1" skipped="0" time="3.000">/);
  assert.equal(joined.match(/<testcase /g)?.length, 4);
  assert.match(joined, /name="the run itself"><error message="it crashed"/);
  assert.equal(joined.match(/<testsuite\b/g)?.length, 1);
});

/** A shard's folder with only a summary, for the merge's checks. */
function fakeShard(name: string, index: number, count: number, planned: string[], ids: string[]): string {
  const dir = path.join(work, 'fake', name);
  mkdirSync(dir, { recursive: true });
  const summary = {
    harness: { name: 'gpc-conform', version: '0', commit: 'x', featuresHash: 'h' },
    run: { startedAt: '', finishedAt: '', durationSeconds: 0, command: 'node bin/gpc-conform conformance', partial: true, partialReasons: [`shard ${index}/${count}`], parts: [], shard: { index, count, selected: 4, planned } },
    scenarios: ids.map((id) => ({ id })),
  };
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

test('merge names a missing shard, a shard given twice, and refuses folders that are not shards of one run', () => {
  const one = fakeShard('one', 1, 3, ['p:a:1', 'p:a:4'], ['p:a#x', 'p:a#y']);
  const two = fakeShard('two', 2, 3, ['p:a:2'], ['p:a#z']);
  const twoAgain = fakeShard('two-again', 2, 3, ['p:a:2'], ['p:a#z']);
  const missing = checkShards([one, two]).problems.join('\n');
  assert.match(missing, /shard 3\/3 missing/);
  const overlapping = checkShards([one, two, twoAgain]).problems.join('\n');
  assert.match(overlapping, /shard 2\/3 given more than once \(.*two, .*two-again\)/);
  assert.match(overlapping, /shard 3\/3 missing/);
  const otherRun = fakeShard('other', 1, 2, ['p:a:1'], []);
  assert.throws(() => checkShards([one, otherRun]), MergeError);
  const notAShard = path.join(work, 'fake', 'whole');
  mkdirSync(notAShard, { recursive: true });
  writeFileSync(path.join(notAShard, 'summary.json'), JSON.stringify({ harness: {}, run: { parts: [], partialReasons: [] }, scenarios: [] }));
  assert.throws(() => checkShards([one, notAShard]), /is not a shard/);
  assert.throws(() => checkShards([path.join(work, 'nowhere')]), /no summary.json/);
});

// Eight provider scenarios, three of them an outline's rows sharing a name (IDs ~2, ~3), with a
// fault so that some fail: the outcomes to compare are not all the same.
// Results only: the merge writes the reports (the CI examples run their shards quick; the merge is the same).
const SUBSET = ['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--faults', 'book-without-location', '--requirement', 'PROV-SLOTS-STATUS', '--requirement', 'PROV-SLOTS-FILTER', '--requirement', 'PROV-BOOK', '--report', 'results'];

test('--parallel 2 gives the serial run\'s results; shards 1/2 and 2/2 cover the selection once, and their merge is the serial run', { timeout: 600_000 }, async () => {
  const out = (name: string) => path.join(work, name);
  const serial = await gpcConform([...SUBSET, '--out', out('serial')]);
  assert.equal(serial.code, 1, serial.output);
  const whole = summaryOf(out('serial'));
  assert.ok(whole.scenarios.length >= 8 && whole.counts.failed > 0 && whole.counts.passed > 0, JSON.stringify(whole.counts));
  assert.ok(whole.scenarios.some((s) => s.id.endsWith('~3')), 'the subset has repeated names');

  const parallel = await gpcConform([...SUBSET, '--out', out('parallel'), '--parallel', '2']);
  assert.equal(parallel.code, 1, parallel.output);
  assert.deepEqual(outcomes(summaryOf(out('parallel'))), outcomes(whole));
  assert.deepEqual(summaryOf(out('parallel')).scenarios.map((s) => s.id), whole.scenarios.map((s) => s.id), 'in the same order');
  assert.deepEqual(summaryOf(out('parallel')).requirements, whole.requirements);
  assert.equal(allureResults(out('parallel')).length, allureResults(out('serial')).length);

  const shards = [];
  for (const i of [1, 2]) {
    const r = await gpcConform([...SUBSET, '--out', out(`shard-${i}`), '--shard', `${i}/2`]);
    assert.ok(r.code === 0 || r.code === 1, r.output);
    shards.push(summaryOf(out(`shard-${i}`)));
  }
  const ids = shards.flatMap((s) => s.scenarios.map((x) => x.id));
  assert.deepEqual([...ids].sort(), whole.scenarios.map((s) => s.id).sort(), 'each scenario ran in exactly one shard');
  assert.ok(shards.every((s) => s.scenarios.length > 0 && s.run.partial && s.run.shard?.selected === whole.scenarios.length));

  const merged = await gpcConform(['merge', '--out', out('merged'), out('shard-1'), out('shard-2')]);
  assert.equal(merged.code, 1, merged.output);
  const joined = summaryOf(out('merged'));
  assert.deepEqual(outcomes(joined), outcomes(whole));
  assert.deepEqual(joined.counts, whole.counts);
  assert.deepEqual(joined.requirements, whole.requirements);
  assert.deepEqual(joined.run.partialReasons, whole.run.partialReasons, 'partial only for the selection, as the serial run');
  const totals = [1, 2].map((i) => junitTotals(path.join(out(`shard-${i}`), 'junit.xml')));
  assert.deepEqual(junitTotals(path.join(out('merged'), 'junit.xml')), Object.fromEntries(Object.keys(totals[0]).map((k) => [k, totals[0][k] + totals[1][k]])));
  assert.deepEqual(junitTotals(path.join(out('merged'), 'junit.xml')), junitTotals(path.join(out('serial'), 'junit.xml')));
  assert.equal(allureResults(out('merged')).length, allureResults(out('shard-1')).length + allureResults(out('shard-2')).length);
  assert.equal(allureResults(out('merged')).length, allureResults(out('serial')).length);
  assert.ok(readdirSync(out('merged')).includes('evidence-pack.tar.gz'), 'the merge writes it all, though the shards were quick');
  assert.ok(existsSync(path.join(out('merged'), 'allure-report', 'index.html')));
  assert.ok(!existsSync(path.join(out('shard-1'), 'evidence-pack.tar.gz')));
  // The merged re-run command runs what failed, whichever shard it was in, and reads the merged summary.
  assert.ok(joined.run.rerunCommand && !joined.run.rerunCommand.includes('--shard'), joined.run.rerunCommand);
  for (const s of joined.scenarios.filter((x) => x.outcome === 'failed')) assert.ok(joined.run.rerunCommand.includes(`--only ${s.location}`), joined.run.rerunCommand);

  // One shard alone: partial, naming the shard that is missing. Quick, then what it left out written afterwards.
  const half = await gpcConform(['merge', '--out', out('half'), out('shard-2'), '--report', 'quick']);
  assert.match(half.output, /shard 1\/2 missing/);
  assert.equal(summaryOf(out('half')).run.partial, true);
  assert.ok(!existsSync(path.join(out('half'), 'evidence-pack.tar.gz')));
  const rest = await gpcConform(['report', '--out', out('half'), '--report', 'full']);
  assert.ok(existsSync(path.join(out('half'), 'evidence-pack.tar.gz')) && existsSync(path.join(out('half'), 'allure-report', 'index.html')), rest.output);
  assert.equal(summaryOf(out('half')).run.partial, true);
});

test('--parallel 2 against one provider: the workers never book the same slot, so a conformant provider passes', { timeout: 120_000 }, async () => {
  // One provider process for the run, as a supplier's is; both workers book on it at once. Before each
  // worker kept to its lane of slots, both took the first free slot and one was refused 409 (PROV-BOOK failed).
  const out = path.join(work, 'one-provider');
  const run = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider-process.yaml', '--tags', '@capability:readAppointment', '--parallel', '2', '--out', out, '--report', 'results']);
  assert.equal(run.code, 0, run.output);
  const summary = summaryOf(out);
  assert.ok(summary.counts.passed >= 10, JSON.stringify(summary.counts));
  assert.equal(summary.counts.failed, 0);
});

test('shards run at once against one running provider book apart, and its merge passes', { timeout: 180_000 }, async () => {
  // A CI matrix against a supplier's one test instance: both shards book on it at the same time.
  const provider = await startReferenceProvider(root, path.join(work, 'shared-provider.log'));
  try {
    const profile = path.join(work, 'shared-provider.yaml');
    writeFileSync(profile, referenceRunningProfile(root, provider.baseUrl, 'the reference provider, one instance for both shards'));
    const shard = (i: number) => gpcConform(['run', '--role', 'provider', '--profile', profile, '--tags', '@capability:readAppointment', '--parallel', '2', '--shard', `${i}/2`, '--out', path.join(work, `shared-${i}`), '--report', 'results']);
    const runs = await Promise.all([shard(1), shard(2)]);
    for (const run of runs) assert.equal(run.code, 0, run.output);
    const merged = await gpcConform(['merge', '--out', path.join(work, 'shared-merged'), path.join(work, 'shared-1'), path.join(work, 'shared-2'), '--report', 'results']);
    assert.equal(merged.code, 0, merged.output);
    assert.equal(summaryOf(path.join(work, 'shared-merged')).counts.failed, 0);
  } finally {
    await provider.stop();
  }
});

test('a shard with nothing to run says so, exits 0 and leaves a summary for the merge', { timeout: 120_000 }, async () => {
  const out = path.join(work, 'empty');
  const r = await gpcConform(['run', '--role', 'provider', '--profile', 'profiles/reference-provider.yaml', '--requirement', 'PROV-METADATA', '--shard', '3/3', '--out', out]);
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /Nothing to run in shard 3\/3: the selection holds 1 scenario/);
  const s = summaryOf(out);
  assert.deepEqual([s.scenarios.length, s.run.shard?.index, s.run.shard?.planned], [0, 3, []]);
});

test('the CI examples are valid YAML and run only commands the CLI has', () => {
  const usage = spawnSync(process.execPath, [path.join(root, 'bin/gpc-conform'), '--help'], { cwd: root, encoding: 'utf8' }).stdout;
  const dir = path.join(root, 'docs/ci');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
  assert.deepEqual(files.sort(), ['github-actions-nightly.yml', 'gitlab-ci-nightly.yml']);
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const doc = parse(text);
    assert.ok(doc && typeof doc === 'object', file);
    const strings = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(strings) : []);
    const commands = strings(doc).filter((s) => s.includes('gpc-conform'));
    assert.ok(commands.length >= 2, file);
    const used = new Set(commands.map((c) => c.match(/gpc-conform (\w[\w-]*)/)![1]));
    assert.deepEqual([...used].sort(), ['merge', 'run'], file);
    for (const name of used) assert.match(usage, new RegExp(`gpc-conform ${name} `), `${file}: ${name} is in the usage`);
    for (const option of commands.flatMap((c) => c.match(/ --[a-z-]+/g) ?? [])) assert.ok(usage.includes(`${option.trim()} `), `${file}: ${option.trim()} is in the usage`);
    assert.doesNotMatch(text, /https?:\/\/(?!127\.0\.0\.1|localhost)[\w.]+/, `${file}: loopback addresses only`);
  }
  const github = parse(readFileSync(path.join(dir, 'github-actions-nightly.yml'), 'utf8'));
  assert.ok(github.on.schedule[0].cron);
  assert.deepEqual(github.jobs.merge.needs, 'shard');
  const gitlab = parse(readFileSync(path.join(dir, 'gitlab-ci-nightly.yml'), 'utf8'));
  assert.ok(gitlab.conformance.parallel.matrix[0].SHARD.length >= 2);
});
