import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gpcConform, type CliRun } from '../support/gpc-conform';
import { scratchFolder } from '../support/scratch';
import type { ConformanceSummary } from '../../src/pipeline/reports/summary';
import type { RunRecord } from '../../src/pipeline/run-record';
import { PACKAGE_ROOT } from '../../src/package-root';

// Crash safety with real processes: the harness killed outright (kill -9) or interrupted (Ctrl-C)
// mid-run, a run that finishes and one whose system under test fails to start. Every process a run
// starts carries a marker in its environment (GPC_CRASH_MARK, inherited by all it starts), so what
// is left afterwards is found in /proc whoever started it; the ports they listened on are read from
// /proc/net/tcp while the run is under way, and must all be closed afterwards.

const scratch = scratchFolder('gpc-crash-');
const MARK = 'GPC_CRASH_MARK';
const hasProc = existsSync('/proc/self/environ') && existsSync('/proc/net/tcp');
/** Generous: a lifeline stops what it holds within a few seconds (SIGTERM, then SIGKILL after 5 s), even under load. */
const GONE_WITHIN_MS = 30_000;

interface Marked {
  pid: number;
  command: string;
}

/** Live processes (zombies have no environment to read) carrying the marker. */
function processesMarked(mark: string): Marked[] {
  const found: Marked[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`${MARK}=${mark}`)) continue;
      found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Every TCP socket in the listening state: its port and inode. */
function listeningSockets(): Array<{ port: number; inode: string }> {
  return ['/proc/net/tcp', '/proc/net/tcp6'].filter(existsSync).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A')
      .map((cols) => ({ port: parseInt(cols[1].split(':')[1], 16), inode: cols[9] })),
  );
}

/** The ports these processes listen on: their sockets' inodes matched against /proc/net/tcp. */
function portsOf(pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)?.[1];
        if (inode) inodes.add(inode);
      } catch {
        // closed meanwhile
      }
    }
  }
  return [...new Set(listeningSockets().filter((s) => inodes.has(s.inode)).map((s) => s.port))];
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/** What a run has started, seen while it runs. */
interface Snapshot {
  processes: Marked[];
  ports: number[];
}

function snapshot(mark: string): Snapshot {
  const processes = processesMarked(mark);
  return { processes, ports: portsOf(processes.map((p) => p.pid)) };
}

const marks: string[] = [];
function newMark(): string {
  const mark = randomUUID();
  marks.push(mark);
  return mark;
}
// Should a test fail, what its run left behind does not outlive the test file.
after(() => {
  for (const mark of marks) for (const p of processesMarked(mark)) if (p.pid !== process.pid) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
});

/** Nothing the run started is left: no process, and none of the ports they listened on. */
async function assertNothingLeft(mark: string, seen: Snapshot | undefined, output: string): Promise<void> {
  const gone = await until(() => processesMarked(mark).length === 0, GONE_WITHIN_MS);
  assert.ok(gone, `processes the run started are still there:\n${processesMarked(mark).map((p) => `  ${p.pid} ${p.command}`).join('\n')}\n--- run output ---\n${output}`);
  if (!seen) return;
  const open = listeningSockets().filter((s) => seen.ports.includes(s.port));
  assert.deepEqual(open.map((s) => s.port), [], `ports the run listened on are still open (seen: ${seen.ports.join(', ')})`);
}

/** The first progress line of a part: some scenarios are done, many are not. */
const someDone = (text: string) => /^ {2}\[\d+\/\d+\] /m.test(text);

/** A run, with what it started seen at its first progress line, then (when `signal` is given) sent that signal. */
async function runSeen(args: string[], mark: string, signal?: NodeJS.Signals): Promise<CliRun & { seen?: Snapshot }> {
  let seen: Snapshot | undefined;
  const run = await gpcConform(args, {
    env: { [MARK]: mark },
    onOutput: (text, kill) => {
      if (seen || !someDone(text)) return;
      seen = snapshot(mark);
      if (signal) kill(signal);
    },
  });
  return { ...run, seen };
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('crash safety', { skip: hasProc ? false : 'needs Linux /proc to see the processes and ports a run leaves' }, () => {
  for (const { label, args, sut } of [
    { label: 'a consumer started inside the Cucumber run', args: ['run', '--role', 'consumer', '--profile', 'profiles/reference-consumer-http.yaml'], sut: /serve-consumer/ },
    { label: 'a provider started by the harness itself', args: ['run', '--role', 'provider', '--profile', 'profiles/reference-provider-process.yaml'], sut: /serve-provider/ },
  ]) {
    test(`kill -9 of the harness mid-run (${label}): nothing it started lives on, and \`report\` writes the evidence from what was done, marked incomplete`, async () => {
      const mark = newMark();
      const out = scratch.fresh('killed');
      const run = await runSeen([...args, '--out', out], mark, 'SIGKILL');
      assert.equal(run.code, null, `the harness was to be killed mid-run:\n${run.output}`);
      assert.ok(run.seen, run.output);
      // What the run had started, seen before the kill: the Cucumber run, the system under test, their ports.
      const commands = run.seen.processes.map((p) => p.command).join('\n');
      assert.match(commands, /part-runner/);
      assert.match(commands, sut);
      assert.ok(run.seen.ports.length >= 4, `Spine in a box and the system under test listen: ${run.seen.ports.join(', ')}`);
      await assertNothingLeft(mark, run.seen, run.output);

      // The run's record still says running; its process is gone.
      assert.equal(readJson<RunRecord>(path.join(out, 'run.json')).state, 'running');
      const report = await gpcConform(['report', '--out', out]);
      assert.equal(report.code, 2, report.output);
      const summary = readJson<ConformanceSummary>(path.join(out, 'summary.json'));
      const [, part, have, planned] = summary.run.incomplete?.match(/^the run was killed before it finished \(.*\): part (\S+) had not finished \((\d+) of (\d+) scenarios have results\)$/) ?? [];
      assert.ok(part, `incomplete: ${summary.run.incomplete}`);
      assert.ok(Number(have) > 0 && Number(have) < Number(planned), summary.run.incomplete);
      assert.equal(summary.run.partial, true);
      assert.ok(summary.run.partialReasons.includes(summary.run.incomplete!));
      assert.equal(summary.scenarios.length, Number(have), 'the scenarios that finished, and only those');
      assert.ok(summary.counts.passed > 0);
      assert.equal(summary.verdict.exitCode, 2);
      assert.match(report.output, /did not finish: the run was killed before it finished/);
      // The JUnit file has what finished and says the run did not complete; Allure and the evidence pack are written.
      const junit = readFileSync(path.join(out, 'junit.xml'), 'utf8');
      assert.match(junit, /<testcase classname="[^"]*" name="the run itself"><error message="[^"]*stopped before it finished/);
      assert.ok(existsSync(path.join(out, 'allure-report', 'index.html')) || /the Allure report was not generated/.test(report.output), report.output);
      assert.ok(readdirSync(path.join(out, 'allure-results')).filter((f) => f.endsWith('-result.json')).length >= Number(have));
      assert.ok(existsSync(path.join(out, 'evidence-pack.tar.gz')), report.output);
      assert.equal(readJson<RunRecord>(path.join(out, 'run.json')).state, 'killed');
      // Reported again, it says the same.
      const again = await gpcConform(['report', '--out', out]);
      assert.equal(readJson<ConformanceSummary>(path.join(out, 'summary.json')).run.incomplete, summary.run.incomplete, again.output);
    });
  }

  test('Ctrl-C mid-run: exit 2, the evidence is written and says what had not finished, nothing the run started is left', async () => {
    const mark = newMark();
    const out = scratch.fresh('interrupted');
    const run = await runSeen(['run', '--role', 'consumer', '--profile', 'profiles/reference-consumer-http.yaml', '--out', out], mark, 'SIGINT');
    assert.equal(run.code, 2, run.output);
    assert.ok(run.seen && run.seen.ports.length >= 4, run.output);
    assert.match(run.seen.processes.map((p) => p.command).join('\n'), /serve-consumer/);
    await assertNothingLeft(mark, run.seen, run.output);
    const summary = readJson<ConformanceSummary>(path.join(out, 'summary.json'));
    assert.match(summary.run.incomplete ?? '', /^interrupted by SIGINT: part consumer had not finished \(\d+ of \d+ scenarios have results\)$/);
    assert.equal(summary.run.partial, true);
    assert.ok(summary.scenarios.length > 0);
    assert.match(run.output, /This is a partial run: .*interrupted by SIGINT/);
    assert.equal(readJson<RunRecord>(path.join(out, 'run.json')).state, 'finished');
    assert.ok(existsSync(path.join(out, 'evidence-pack.tar.gz')));
  });

  test('a run that finishes leaves nothing behind: no process, no port', async () => {
    const mark = newMark();
    const out = scratch.fresh('finished');
    // A few scenarios are enough for a run that starts the provider, Spine in a box and a part, and ends.
    const run = await runSeen(['run', '--role', 'provider', '--profile', 'profiles/reference-provider-process.yaml', '--out', out, '--report', 'results', '--step', '3'], mark);
    assert.equal(run.code, 0, run.output);
    assert.ok(run.seen && run.seen.ports.length >= 4, `the provider and Spine in a box listened: ${run.seen?.ports}`);
    await assertNothingLeft(mark, run.seen, run.output);
    const record = readJson<RunRecord>(path.join(out, 'run.json'));
    assert.deepEqual([record.state, record.partsDone], ['finished', ['provider']]);
    assert.equal(readJson<ConformanceSummary>(path.join(out, 'summary.json')).run.incomplete, undefined);
  });

  test('a start command that fails, leaving a server it started in the background: the server is stopped too (exit 2)', async () => {
    const mark = newMark();
    const dir = scratch.fresh('failing-start');
    const reference = readFileSync(path.join(PACKAGE_ROOT, 'profiles', 'reference-provider-process.yaml'), 'utf8');
    const server = `require('net').createServer().listen({port}, '127.0.0.1', () => console.log('stray listening on {port}'))`;
    const start = `start:\n  command: node -e "${server}" & sleep 2; exit 3\n  ready:\n    logLine: never said\n    timeoutSeconds: 30\n`;
    const profile = path.join(dir, 'failing-start.yaml');
    writeFileSync(profile, reference.replace(/^start:\n(?: {2}.*\n| {4}.*\n)+/m, start));
    const run = await gpcConform(['run', '--role', 'provider', '--profile', profile, '--out', path.join(dir, 'out')], { env: { [MARK]: mark } });
    assert.equal(run.code, 2, run.output);
    assert.match(run.output, /exited with code 3 before it was ready/);
    const port = Number(run.output.match(/stray listening on (\d+)/)?.[1]);
    assert.ok(port > 0, run.output);
    await assertNothingLeft(mark, { processes: [], ports: [port] }, run.output);
  });
});

test('`report` on a folder with no run in it says so (exit 2)', async () => {
  const empty = scratch.fresh('no-run');
  const { code, output } = await gpcConform(['report', '--out', empty]);
  assert.equal(code, 2);
  assert.match(output, /no run in .* \(it has no run\.json; a run writes one as it starts\)/);
  assert.match((await gpcConform(['report'])).output, /give --out DIR/);
});
