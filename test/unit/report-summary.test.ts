import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scratchFolder } from '../support/scratch';
import { after, describe, test } from 'node:test';
import { buildSummary, scenarioSummaries, writeSummary } from '../../src/pipeline/reports/summary';
import { type PartResult, type RunPart, type ScenarioSummary } from '../../src/results/outcome';
import { mergeJunit } from '../../src/pipeline/reports/junit';
import { coverageMarkdown, coverageMatrix, scenariosIn, uncovered, worstOutcome, type WrittenScenario } from '../../src/pipeline/reports/coverage';
import type { Catalogue } from '../../src/rules/catalogue';
import { rerunArguments, selectParts, SelectionError, type Selection } from '../../src/pipeline/selection';
import type { Outcome, ScenarioResult, Verdict } from '../../src/results/outcome';
import { PACKAGE_ROOT } from '../../src/package-root';

const root = PACKAGE_ROOT;
const { root: scratch, fresh: freshDir } = scratchFolder('gpc-report-summary-');

// ---------------------------------------------------------------------------------------------
// Building blocks: parts, scenarios and verdicts written by hand.

const OUTCOMES: Outcome[] = ['passed', 'failed', 'broken', 'skipped', 'harness-error'];

function scenario(uri: string, line: number, name: string, tags: string, outcome: Outcome, reason?: string): ScenarioResult {
  return { name, uri, line, tags: tags.split(/\s+/).filter(Boolean), outcome, ...(reason ? { reason } : {}) };
}

function verdict(scenarios: ScenarioResult[], runError?: string): Verdict {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const s of scenarios) counts[s.outcome] += 1;
  const exitCode = runError || counts['harness-error'] ? 2 : counts.failed + counts.broken ? 1 : 0;
  return { scenarios, counts, warnings: scenarios.flatMap((s) => s.notes ?? []).filter((n) => n.grade === 'warning').length, exitCode, ...(runError ? { runError } : {}) };
}

function part(name: string, paths: string[], extra: Partial<RunPart> = {}): RunPart {
  return { name, title: `The ${name} part`, paths, parameters: {}, ...extra };
}

const result = (p: RunPart, v: Verdict): PartResult => ({ part: p, verdict: v, dir: path.join('/runs', p.name) });

const FWD_CAPABILITY = 'The capability statement request reaches the provider as the consumer sent it';
const FWD_SLOTS = 'A slot search keeps its percent-encoded query on the way through';
const MTLS_OK = 'A consumer presenting the certificate for its registered FQDN is accepted';
const NO_AGREEMENT = 'Organisations without a data sharing agreement cannot exchange requests';
const BOOK_FREE = 'Booking a free slot for the registered patient';

/** A reference part over the SSP features and a provider part, with every outcome somewhere. */
function twoParts(): PartResult[] {
  const reference = part('reference', ['features/ssp']);
  const provider = part('provider', ['features/provider'], { systemUnderTest: { role: 'provider', name: 'Acme', version: '2.1', profile: 'profiles/acme.yaml' } });
  return [
    result(
      reference,
      verdict([
        scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @step:3b @step:3d @req:SSP-FORWARD @req:SSP-URL-FORM @severity:critical', 'passed'),
        scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp @step:4b @step:4d @req:SSP-FORWARD @severity:critical', 'failed', 'the query was re-encoded'),
        scenario('features/ssp/mutual-tls.feature', 12, MTLS_OK, '@ssp @mtls @step:3b @req:SSP-CLIENT-CERT-FQDN @req:SSP-FORWARD @severity:critical', 'skipped'),
        scenario('features/ssp/filtering.feature', 53, NO_AGREEMENT, '@ssp @step:4b @req:SSP-DATA-SHARING @severity:critical', 'broken', 'ProviderUnreachable: connection refused'),
      ]),
    ),
    result(
      provider,
      verdict([
        scenario('features/provider/book-an-appointment.feature', 15, BOOK_FREE, '@provider @step:6c @req:PROV-BOOK @severity:critical', 'passed'),
        scenario('features/provider/book-an-appointment.feature', 33, 'Booking two slots', '@provider @step:6c @req:PROV-BOOK @severity:critical', 'skipped'),
        scenario('features/provider/book-an-appointment.feature', 22, 'Booking the same slot twice', '@provider @step:6c @req:PROV-BOOK-DUPLICATE @req:PROV-ERROR-SYSTEM', 'harness-error', 'TypeError: x is undefined'),
        scenario('features/provider/book-an-appointment.feature', 28, 'A booked slot', '@step:6c @req:PROV-BOOK-SLOT-TAKEN @req:PROV-BOOK-DUPLICATE', 'broken'),
      ]),
    ),
  ];
}

function summaryOf(results: PartResult[], extra: { partialReasons?: string[]; rerun?: (failed: ScenarioSummary[]) => string | undefined } = {}) {
  return buildSummary({
    results,
    root,
    harness: { name: 'gpc-conform', version: '0.1.0', commit: 'abc123' },
    startedAt: new Date('2026-03-01T09:00:00.000Z'),
    finishedAt: new Date('2026-03-01T09:01:30.260Z'),
    command: 'node bin/gpc-conform conformance',
    rerunCommand: extra.rerun,
    partialReasons: extra.partialReasons ?? [],
  });
}

/** Requirement IDs tagged on some scenario of a feature file under one of the directories, read from the Gherkin text. */
function requirementsWrittenUnder(dirs: string[]): Set<string> {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.feature') ? [p] : [];
    });
  const ids = new Set<string>();
  for (const dir of dirs) for (const file of files(path.join(root, dir))) for (const m of readFileSync(file, 'utf8').matchAll(/@req:(\S+)/g)) ids.add(m[1]);
  return ids;
}

// ---------------------------------------------------------------------------------------------

describe('scenarioSummaries', () => {
  test('IDs are part:feature-path-without-extension#slugged-name; location, role, steps and requirements come from the result', () => {
    const [first, second, third, fourth] = scenarioSummaries(twoParts());
    assert.equal(first.id, 'reference:features/ssp/forwarding#the-capability-statement-request-reaches-the-provider-as-the-consumer-sent-it');
    assert.equal(first.part, 'reference');
    assert.equal(first.name, FWD_CAPABILITY);
    assert.equal(first.uri, 'features/ssp/forwarding.feature');
    assert.equal(first.line, 11);
    assert.equal(first.location, 'features/ssp/forwarding.feature:11');
    assert.equal(first.role, 'ssp');
    assert.deepEqual(first.steps, ['3b', '3d']);
    assert.deepEqual(first.requirements, ['SSP-FORWARD', 'SSP-URL-FORM']);
    assert.equal(first.outcome, 'passed');
    assert.equal(first.reason, undefined);

    assert.equal(second.id, 'reference:features/ssp/forwarding#a-slot-search-keeps-its-percent-encoded-query-on-the-way-through');
    assert.equal(second.outcome, 'failed');
    assert.equal(second.reason, 'the query was re-encoded');
    // @mtls is a tag, not a role; the role is the one tag that names one.
    assert.equal(third.role, 'ssp');
    assert.deepEqual(third.requirements, ['SSP-CLIENT-CERT-FQDN', 'SSP-FORWARD']);
    assert.deepEqual(third.steps, ['3b']);
    assert.equal(fourth.location, 'features/ssp/filtering.feature:53');
  });

  test('punctuation and outline placeholders slug to single hyphens with none at either end', () => {
    const [s] = scenarioSummaries([
      result(part('provider', ['features/provider']), verdict([scenario('features/provider/headers-and-jwt.feature', 40, '  A request without the <Ssp-TraceID> header (v1.2) is refused! ', '@provider', 'passed')])),
    ]);
    assert.equal(s.id, 'provider:features/provider/headers-and-jwt#a-request-without-the-ssp-traceid-header-v1-2-is-refused');
  });

  test('a repeated name in one part gets ~2, ~3; the same name in another file or another part does not', () => {
    const rows = [
      scenario('features/provider/headers-and-jwt.feature', 36, 'A JWT without the <claim> claim is refused', '@provider', 'passed'),
      scenario('features/provider/headers-and-jwt.feature', 37, 'A JWT without the <claim> claim is refused', '@provider', 'failed'),
      scenario('features/provider/headers-and-jwt.feature', 38, 'A JWT without the <claim> claim is refused', '@provider', 'passed'),
      scenario('features/provider/other.feature', 5, 'A JWT without the <claim> claim is refused', '@provider', 'passed'),
    ];
    const ids = scenarioSummaries([result(part('provider', ['features/provider']), verdict(rows))]).map((s) => s.id);
    assert.deepEqual(ids, [
      'provider:features/provider/headers-and-jwt#a-jwt-without-the-claim-claim-is-refused',
      'provider:features/provider/headers-and-jwt#a-jwt-without-the-claim-claim-is-refused~2',
      'provider:features/provider/headers-and-jwt#a-jwt-without-the-claim-claim-is-refused~3',
      'provider:features/provider/other#a-jwt-without-the-claim-claim-is-refused',
    ]);

    const same = scenario('features/consumer/book-an-appointment.feature', 12, 'The consumer books a free slot', '@consumer @happy-path @step:6a @req:CONS-VIA-SSP', 'passed');
    const twoPartIds = scenarioSummaries([
      result(part('consumer-http', ['features/consumer']), verdict([same])),
      result(part('consumer-browser', ['features/consumer'], { tags: '@happy-path' }), verdict([same])),
    ]).map((s) => s.id);
    assert.deepEqual(twoPartIds, ['consumer-http:features/consumer/book-an-appointment#the-consumer-books-a-free-slot', 'consumer-browser:features/consumer/book-an-appointment#the-consumer-books-a-free-slot']);
  });

  test('IDs are the same from one run to the next (nothing in them depends on order across parts or on time)', () => {
    const a = scenarioSummaries(twoParts()).map((s) => s.id);
    const b = scenarioSummaries(twoParts()).map((s) => s.id);
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, a.length, 'IDs within one run are unique');
  });
});

describe('worstOutcome (the order a requirement outcome follows)', () => {
  test('harness error, then broken, then failed, then passed, then skipped; nothing is "not run"', () => {
    assert.equal(worstOutcome(['passed', 'skipped', 'failed', 'broken', 'harness-error']), 'harness-error');
    assert.equal(worstOutcome(['failed', 'broken', 'passed']), 'broken');
    assert.equal(worstOutcome(['passed', 'failed', 'skipped']), 'failed');
    assert.equal(worstOutcome(['skipped', 'passed']), 'passed');
    assert.equal(worstOutcome(['skipped', 'skipped']), 'skipped');
    assert.equal(worstOutcome([]), 'not run');
  });
});

describe('buildSummary', () => {
  test('counts per outcome and per role (a scenario with no role tag counts under "other")', () => {
    const s = summaryOf(twoParts());
    assert.deepEqual(s.counts, { passed: 2, failed: 1, broken: 2, skipped: 2, 'harness-error': 1 });
    assert.deepEqual(s.roles, {
      ssp: { passed: 1, failed: 1, broken: 1, skipped: 1, 'harness-error': 0 },
      provider: { passed: 1, failed: 0, broken: 0, skipped: 1, 'harness-error': 1 },
      other: { passed: 0, failed: 0, broken: 1, skipped: 0, 'harness-error': 0 },
    });
    assert.equal(s.scenarios.length, 8);
    assert.deepEqual(s.scenarios, scenarioSummaries(twoParts()));
  });

  test('a requirement comes out as the worst of its scenarios, with the IDs of those that ran', () => {
    const s = summaryOf(twoParts());
    const byId = new Map(s.requirements.map((r) => [r.id, r]));
    const forward = byId.get('SSP-FORWARD');
    assert.ok(forward, 'SSP-FORWARD is in scope');
    assert.equal(forward.outcome, 'failed', 'passed + failed + skipped is failed');
    assert.deepEqual(forward.scenarios, [
      'reference:features/ssp/forwarding#the-capability-statement-request-reaches-the-provider-as-the-consumer-sent-it',
      'reference:features/ssp/forwarding#a-slot-search-keeps-its-percent-encoded-query-on-the-way-through',
      'reference:features/ssp/mutual-tls#a-consumer-presenting-the-certificate-for-its-registered-fqdn-is-accepted',
    ]);
    assert.equal(forward.title.length > 0, true);
    assert.match(forward.link, /^https?:\/\//);
    assert.equal(byId.get('SSP-URL-FORM')?.outcome, 'passed');
    assert.equal(byId.get('SSP-CLIENT-CERT-FQDN')?.outcome, 'skipped', 'only skipped scenarios: skipped');
    assert.equal(byId.get('SSP-DATA-SHARING')?.outcome, 'broken');
    assert.equal(byId.get('PROV-BOOK')?.outcome, 'passed', 'passed + skipped is passed (skipped is the mildest)');
    assert.equal(byId.get('PROV-BOOK-DUPLICATE')?.outcome, 'harness-error', 'harness error + broken is a harness error');
    assert.deepEqual(byId.get('PROV-BOOK-DUPLICATE')?.scenarios, ['provider:features/provider/book-an-appointment#booking-the-same-slot-twice', 'provider:features/provider/book-an-appointment#a-booked-slot']);
    assert.equal(byId.get('PROV-BOOK-SLOT-TAKEN')?.outcome, 'broken');
    // In scope (a scenario for it is written under features/ssp) but none of its scenarios ran.
    assert.equal(byId.get('SSP-HEADERS')?.outcome, 'not run');
    assert.deepEqual(byId.get('SSP-HEADERS')?.scenarios, []);
  });

  test('requirements are those with a scenario written under the parts\u2019 feature paths, in catalogue order; others are left out', () => {
    const s = summaryOf(twoParts());
    const ids = s.requirements.map((r) => r.id);
    const expected = requirementsWrittenUnder(['features/ssp', 'features/provider']);
    assert.deepEqual(new Set(ids), expected);
    const catalogueOrder = readFileSync(path.join(root, 'requirements/catalogue.yaml'), 'utf8').match(/^\s*- id: (\S+)/gm)!.map((l) => l.replace(/^\s*- id: /, ''));
    assert.deepEqual(ids, catalogueOrder.filter((id) => expected.has(id)));
    for (const outside of ['CONS-PDS-TRACE', 'CONS-VIA-SSP', 'TOP-PROVIDER-PER-PRACTICE'])
      assert.equal(ids.includes(outside) && !expected.has(outside), false, `${outside} is only written outside features/ssp and features/provider`);
    assert.equal(ids.includes('CONS-PDS-TRACE'), false);
  });

  test('a re-run part (paths narrowed to uri:line locations) keeps the requirements of its whole scope', () => {
    const rerun = part('reference', ['features/ssp/forwarding.feature:18'], { scope: ['features/ssp'] });
    const s = summaryOf([result(rerun, verdict([scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp @step:4b @req:SSP-FORWARD', 'passed')]))]);
    const ids = s.requirements.map((r) => r.id);
    assert.deepEqual(new Set(ids), requirementsWrittenUnder(['features/ssp']));
    assert.equal(s.requirements.find((r) => r.id === 'SSP-FORWARD')?.outcome, 'passed');
    assert.equal(s.requirements.find((r) => r.id === 'SSP-DATA-SHARING')?.outcome, 'not run');
    assert.ok(!ids.includes('PROV-BOOK'));

    // A scope of one feature file: only the requirements written in it.
    const narrow = summaryOf([result({ ...rerun, scope: ['features/ssp/forwarding.feature'] }, verdict([scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp @req:SSP-FORWARD', 'passed')]))]);
    const inForwarding = new Set([...readFileSync(path.join(root, 'features/ssp/forwarding.feature'), 'utf8').matchAll(/@req:(\S+)/g)].map((m) => m[1]));
    assert.deepEqual(new Set(narrow.requirements.map((r) => r.id)), inForwarding);
    assert.ok(!narrow.requirements.some((r) => r.id === 'SSP-DATA-SHARING'), 'written in filtering.feature only');
  });

  test('partial reasons: the ones given, then each part\u2019s run error, named by part', () => {
    const [reference, provider] = twoParts();
    const crashed = result(provider.part, verdict(provider.verdict.scenarios, 'the run stopped before it finished: the results above are what completed'));
    const s = summaryOf([reference, crashed], { partialReasons: ['tags @ssp or @provider'] });
    assert.equal(s.run.partial, true);
    assert.deepEqual(s.run.partialReasons, ['tags @ssp or @provider', 'provider: the run stopped before it finished: the results above are what completed']);
    assert.equal(s.run.parts[1].runError, 'the run stopped before it finished: the results above are what completed');
    assert.equal(s.run.parts[0].runError, undefined);

    const whole = summaryOf([result(part('reference', ['features/ssp']), verdict([scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @req:SSP-FORWARD', 'passed')]))]);
    assert.equal(whole.run.partial, false);
    assert.deepEqual(whole.run.partialReasons, []);
  });

  test('the verdict is the worst part\u2019s exit code, with its meaning', () => {
    const ok = (name: string) => result(part(name, ['features/ssp']), verdict([scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @req:SSP-FORWARD', 'passed')]));
    const bad = (name: string) => result(part(name, ['features/ssp']), verdict([scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @req:SSP-FORWARD', 'failed')]));
    const dead = (name: string) => result(part(name, ['features/ssp']), verdict([], 'no results at x: the run did not complete'));
    assert.deepEqual(summaryOf([ok('a'), ok('b')]).verdict, { exitCode: 0, meaning: 'conformant' });
    assert.deepEqual(summaryOf([ok('a'), bad('b')]).verdict, { exitCode: 1, meaning: 'non-conformance found' });
    assert.deepEqual(summaryOf([bad('a'), ok('b')]).verdict, { exitCode: 1, meaning: 'non-conformance found' });
    assert.deepEqual(summaryOf([dead('a'), bad('b')]).verdict, { exitCode: 2, meaning: 'harness or configuration error' });
    assert.deepEqual(summaryOf([ok('a'), dead('b')]).verdict, { exitCode: 2, meaning: 'harness or configuration error' });
    assert.deepEqual(
      summaryOf(twoParts()).run.parts.map((p) => p.exitCode),
      [1, 2],
    );
  });

  test('the re-run command is asked for with exactly what did not pass, and only when something did not pass', () => {
    const asked: ScenarioSummary[][] = [];
    const rerun = (failed: ScenarioSummary[]) => {
      asked.push(failed);
      return `node bin/gpc-conform conformance ${rerunArguments(failed, true)}`;
    };
    const s = summaryOf(twoParts(), { rerun });
    assert.equal(asked.length, 1);
    assert.deepEqual(
      asked[0].map((f) => [f.location, f.outcome]),
      [
        ['features/ssp/forwarding.feature:18', 'failed'],
        ['features/ssp/filtering.feature:53', 'broken'],
        ['features/provider/book-an-appointment.feature:22', 'harness-error'],
        ['features/provider/book-an-appointment.feature:28', 'broken'],
      ],
    );
    assert.equal(
      s.run.rerunCommand,
      'node bin/gpc-conform conformance --only reference:features/ssp/forwarding.feature:18 --only reference:features/ssp/filtering.feature:53 --only provider:features/provider/book-an-appointment.feature:22 --only provider:features/provider/book-an-appointment.feature:28',
    );

    const calm = summaryOf(
      [result(part('reference', ['features/ssp']), verdict([scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @req:SSP-FORWARD', 'passed'), scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp @req:SSP-FORWARD', 'skipped')]))],
      { rerun },
    );
    assert.equal(calm.run.rerunCommand, undefined);
    assert.equal(asked.length, 1, 'not asked when everything passed or was skipped');
  });

  test('run details: times, duration, command, and each part with its messages file', () => {
    const s = summaryOf(twoParts());
    assert.equal(s.run.startedAt, '2026-03-01T09:00:00.000Z');
    assert.equal(s.run.finishedAt, '2026-03-01T09:01:30.260Z');
    assert.equal(s.run.durationSeconds, 90.3);
    assert.equal(s.run.command, 'node bin/gpc-conform conformance');
    assert.deepEqual(s.harness, { name: 'gpc-conform', version: '0.1.0', commit: 'abc123' });
    assert.deepEqual(
      s.run.parts.map((p) => [p.name, p.title, p.paths, p.messages, p.systemUnderTest?.name]),
      [
        ['reference', 'The reference part', ['features/ssp'], path.join('/runs/reference', 'messages.ndjson.gz'), undefined],
        ['provider', 'The provider part', ['features/provider'], path.join('/runs/provider', 'messages.ndjson.gz'), 'Acme'],
      ],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A small XML well-formedness checker: elements balanced, one root, attributes quoted and unique,
// no raw `<` in attribute values, every `&` an entity; CDATA, comments and the declaration allowed.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function checkAmpersands(text: string, where: string): void {
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) assert.match(text.slice(i, i + 12), ENTITY, `a bare & ${where}: ${text.slice(Math.max(0, i - 20), i + 20)}`);
}

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );
}

function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = xml.match(/^<\?xml[^?]*\?>/);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.trim()) {
      assert.ok(stack.length > 0, `text outside the root element: ${text.trim().slice(0, 40)}`);
      checkAmpersands(text, 'in text');
    }
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      assert.ok(end !== -1 && stack.length > 0, 'an unterminated or misplaced CDATA section');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      assert.ok(end !== -1, 'an unterminated comment');
      i = end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    assert.ok(m, `not a well-formed tag at ${lt}: ${xml.slice(lt, lt + 80)}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    if (closing) {
      assert.equal(attrText, '', `a closing tag with attributes: ${whole}`);
      assert.equal(selfClosing, '', `a closing tag that closes itself: ${whole}`);
      const open = stack.pop();
      assert.ok(open, `</${name}> with nothing open`);
      assert.equal(name, open.name, `</${name}> closes <${open.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*"([^"]*)"/g)) {
        assert.ok(!(a[1] in attrs), `attribute ${a[1]} twice in ${whole}`);
        assert.ok(!a[2].includes('<'), `a raw < in attribute ${a[1]}`);
        checkAmpersands(a[2], `in attribute ${a[1]}`);
        attrs[a[1]] = unescape(a[2]);
      }
      const element: XmlElement = { name, attrs, children: [] };
      if (stack.length) stack[stack.length - 1].children.push(element);
      else {
        assert.equal(root, undefined, 'more than one root element');
        root = element;
      }
      if (!selfClosing) stack.push(element);
    }
    i = lt + whole.length;
  }
  assert.deepEqual(
    stack.map((e) => e.name),
    [],
    'elements left open',
  );
  assert.ok(root, 'no root element');
  return root;
}

describe('the XML checker itself', () => {
  test('accepts what is well formed and refuses what is not', () => {
    assert.equal(parseXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/><c><![CDATA[<not a tag> & ]]></c></a>\n').children.length, 2);
    for (const bad of ['<a><b></a></b>', '<a>', '<a x="1 & 2"/>', '<a x="<"/>', '<a/><b/>', '<a x="1" x="2"/>', '<a>fish & chips</a>', '<a x="y"z"/>'])
      assert.throws(() => parseXml(bad), assert.AssertionError, bad);
  });
});

describe('mergeJunit', () => {
  const cucumberJunit = (time: string, cases: string[], counts: { tests: number; failures: number; skipped: number }) =>
    `<?xml version="1.0"?>\n<testsuite name="Cucumber" time="${time}" tests="${counts.tests}" skipped="${counts.skipped}" failures="${counts.failures}" errors="0" timestamp="2026-03-01T09:00:00.000Z">\n${cases.join('\n')}\n</testsuite>`;

  function writeParts() {
    const dir = freshDir('junit');
    const a = path.join(dir, 'reference.xml');
    const b = path.join(dir, 'consumer-http.xml');
    writeFileSync(
      a,
      cucumberJunit(
        '1.5',
        [
          `  <testcase classname="The SSP forwards accepted requests" name="A slot search keeps its query" time="0.1">\n    <failure type="AssertionError" message="expected 200 &quot;OK&quot;&#xA;got 500"><![CDATA[AssertionError [ERR_ASSERTION]\n    at <anonymous> & more]]></failure>\n  </testcase>`,
          `  <testcase classname="The SSP forwards accepted requests" name="A booking reaches the provider" time="0.2">\n    <system-out><![CDATA[Given Spine in a box is running....passed]]></system-out>\n  </testcase>`,
        ],
        { tests: 2, failures: 1, skipped: 0 },
      ),
    );
    writeFileSync(
      b,
      cucumberJunit(
        '0.25',
        [
          `  <testcase classname="Book &amp; cancel an appointment" name="The consumer books a free slot" time="0.1"/>`,
          `  <testcase classname="Book &amp; cancel an appointment" name="The consumer cancels" time="0.1">\n    <skipped/>\n  </testcase>`,
          `  <testcase classname="Sessions" name="A session ends" time="0.05"/>`,
        ],
        { tests: 3, failures: 0, skipped: 1 },
      ),
    );
    return { dir, a, b };
  }

  test('totals on <testsuites>, one suite per part named after its title, class names prefixed with the part', () => {
    const { a, b } = writeParts();
    const xml = mergeJunit([
      { name: 'reference', title: 'Spine in a box & the reference systems', file: a },
      { name: 'consumer-http', title: 'The consumer, "driven" over HTTP <hook>', file: b },
    ]);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
    assert.equal(xml.match(/<\?xml/g)?.length, 1, 'the parts\u2019 own XML declarations are dropped');
    const doc = parseXml(xml);
    assert.equal(doc.name, 'testsuites');
    assert.deepEqual(doc.attrs, { name: 'GP Connect conformance', tests: '5', failures: '1', errors: '0', skipped: '1', time: '1.750' });
    assert.deepEqual(
      doc.children.map((s) => [s.name, s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.timestamp]),
      [
        ['testsuite', 'Spine in a box & the reference systems', '2', '1', '2026-03-01T09:00:00.000Z'],
        ['testsuite', 'The consumer, "driven" over HTTP <hook>', '3', '0', '2026-03-01T09:00:00.000Z'],
      ],
    );
    assert.ok(xml.includes('name="Spine in a box &amp; the reference systems"'));
    assert.ok(xml.includes('name="The consumer, &quot;driven&quot; over HTTP &lt;hook&gt;"'));
    assert.deepEqual(
      doc.children.map((s) => s.children.map((c) => [c.attrs.classname, c.attrs.name, c.children.map((k) => k.name).join(',')])),
      [
        [
          ['reference.The SSP forwards accepted requests', 'A slot search keeps its query', 'failure'],
          ['reference.The SSP forwards accepted requests', 'A booking reaches the provider', 'system-out'],
        ],
        [
          ['consumer-http.Book & cancel an appointment', 'The consumer books a free slot', ''],
          ['consumer-http.Book & cancel an appointment', 'The consumer cancels', 'skipped'],
          ['consumer-http.Sessions', 'A session ends', ''],
        ],
      ],
    );
    assert.ok(!xml.includes('&amp;amp;'), 'what the part file already escaped is not escaped again');
    assert.equal(doc.children[0].children[0].children[0].attrs.message, 'expected 200 "OK"\ngot 500');
    assert.equal(doc.attrs.name, 'GP Connect conformance');
    assert.equal(parseXml(mergeJunit([{ name: 'p', title: 't', file: a }], 'Acme & "co" run')).attrs.name, 'Acme & "co" run');
  });

  test('the same scenario run by two parts stays two rows', () => {
    const { b } = writeParts();
    const doc = parseXml(
      mergeJunit([
        { name: 'consumer-http', title: 'HTTP', file: b },
        { name: 'consumer-browser', title: 'Browser', file: b },
      ]),
    );
    const classes = doc.children.flatMap((s) => s.children.map((c) => `${c.attrs.classname}/${c.attrs.name}`));
    assert.equal(new Set(classes).size, 6);
    assert.equal(doc.attrs.tests, '6');
  });

  test('a part that wrote no JUnit becomes a suite with one error carrying its run error', () => {
    const { dir, a } = writeParts();
    const missing = path.join(dir, 'never-written.xml');
    const empty = path.join(dir, 'empty.xml');
    writeFileSync(empty, '');
    const xml = mergeJunit([
      { name: 'reference', title: 'Reference', file: a },
      { name: 'consumer-browser', title: 'Browser & "UI"', file: missing, runError: 'Error: chromium <exited> & "died"' },
      { name: 'provider', title: 'Provider', file: empty },
    ]);
    const doc = parseXml(xml);
    assert.deepEqual(
      { tests: doc.attrs.tests, failures: doc.attrs.failures, errors: doc.attrs.errors, skipped: doc.attrs.skipped, time: doc.attrs.time },
      { tests: '4', failures: '1', errors: '2', skipped: '0', time: '1.500' },
    );
    const [, browser, provider] = doc.children;
    assert.deepEqual(browser.attrs, { name: 'Browser & "UI"', tests: '1', failures: '0', errors: '1', skipped: '0', time: '0' });
    assert.equal(browser.children.length, 1);
    const [run] = browser.children;
    assert.equal(run.attrs.classname, 'consumer-browser');
    assert.equal(run.attrs.name, 'the run itself');
    assert.deepEqual(
      run.children.map((c) => [c.name, c.attrs.message]),
      [['error', 'Error: chromium <exited> & "died"']],
    );
    // No run error given: the message still says what is missing.
    assert.equal(provider.children[0].children[0].name, 'error');
    assert.match(provider.children[0].children[0].attrs.message, new RegExp(`no complete JUnit results at ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test('a JUnit file cut off mid-write (a crash) becomes an error suite, never malformed XML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'junit-cut-'));
    const cut = path.join(dir, 'junit.xml');
    writeFileSync(cut, '<?xml version="1.0"?>\n<testsuite name="Cucumber" time="1" tests="3" skipped="0" failures="0" errors="0">\n  <testcase classname="F" name="one" time="0.1">\n    <system-out><![CDATA[Given');
    const doc = parseXml(mergeJunit([{ name: 'provider', title: 'Provider', file: cut }]));
    assert.equal(doc.attrs.errors, '1');
    assert.match(doc.children[0].children[0].children[0].attrs.message, /no complete JUnit results/);
  });

  test('a title with $ replacement patterns is written as it is', () => {
    const { a } = writeParts();
    const title = "Acme $& $1 $` $' $$ system";
    const doc = parseXml(mergeJunit([{ name: 'provider', title, file: a }]));
    assert.equal(doc.children[0].attrs.name, title);
  });
});

// ---------------------------------------------------------------------------------------------

describe('coverage: scenariosIn', () => {
  const text = [
    '# language: en',
    '@consumer @area:booking',
    '# a comment between feature tags',
    '@severity:critical',
    'Feature: Book an appointment',
    '  Some description that mentions @not-a-tag and Scenario: in passing.',
    '',
    '  Background:',
    '    Given something',
    '',
    '  @step:6a',
    '  @req:A-ONE @req:A-TWO',
    '  # why this matters',
    '  Scenario: The consumer books | a slot',
    '    Given x',
    '    Then y',
    '  Scenario: Untagged, straight after a step line',
    '    Given y',
    '',
    '  @req:A-TWO',
    '  Scenario Outline: A request without <header>',
    '    Given <header>',
    '',
    '    @examples-tag',
    '    Examples:',
    '      | header |',
    '      | Ssp-To |',
    '',
  ].join('\n');

  test('feature tags are inherited; tags over several lines and comments between them count; outlines are scenarios', () => {
    assert.deepEqual(scenariosIn('features/consumer/book.feature', text), [
      { uri: 'features/consumer/book.feature', line: 14, name: 'The consumer books | a slot', tags: ['@consumer', '@area:booking', '@severity:critical', '@step:6a', '@req:A-ONE', '@req:A-TWO'] },
      { uri: 'features/consumer/book.feature', line: 17, name: 'Untagged, straight after a step line', tags: ['@consumer', '@area:booking', '@severity:critical'] },
      { uri: 'features/consumer/book.feature', line: 21, name: 'A request without <header>', tags: ['@consumer', '@area:booking', '@severity:critical', '@req:A-TWO'] },
    ]);
  });

  test('CRLF line endings read the same', () => {
    assert.deepEqual(scenariosIn('f.feature', text.replace(/\n/g, '\r\n')), scenariosIn('f.feature', text));
  });

  test('a feature without tags gives scenarios only their own', () => {
    assert.deepEqual(scenariosIn('f.feature', 'Feature: F\n\n  @req:X\n  Scenario: S\n    Given x\n'), [{ uri: 'f.feature', line: 4, name: 'S', tags: ['@req:X'] }]);
  });
});

describe('coverage: matrix, gaps and Markdown', () => {
  const cat: Catalogue = (() => {
    const requirements = [
      { id: 'A-ONE', title: 'Books | cancels a slot', section: 'appointments.html#book', source: 'spec' },
      { id: 'A-TWO', title: 'Refuses a request without a header', section: 'errors.html', source: 'spec' },
      { id: 'A-THREE', title: 'Something nobody checks', section: 'other.html#x', source: 'spec' },
    ];
    return { specBase: 'https://developer.example.org/gpconnect/', requirements, byId: new Map(requirements.map((r) => [r.id, r])) };
  })();
  const written: WrittenScenario[] = [
    { uri: 'features/consumer/book.feature', line: 14, name: 'Books', tags: ['@consumer', '@step:6a', '@step:6c', '@req:A-ONE', '@req:A-TWO'] },
    { uri: 'features/provider/book.feature', line: 9, name: 'Books too', tags: ['@provider', '@step:6c', '@req:A-ONE'] },
    { uri: 'features/provider/book.feature', line: 20, name: 'Another', tags: ['@provider', '@step:3b', '@req:A-ONE-EXTRA'] },
  ];

  test('each requirement with its link, scenarios written, roles and steps; one with none is uncovered', () => {
    const rows = coverageMatrix(cat, written);
    assert.deepEqual(
      rows.map((r) => [r.requirement.id, r.link, r.written.map((w) => w.line), r.roles, r.steps, r.outcome, r.ran]),
      [
        ['A-ONE', 'https://developer.example.org/gpconnect/appointments.html#book', [14, 9], ['consumer', 'provider'], ['6a', '6c'], undefined, undefined],
        ['A-TWO', 'https://developer.example.org/gpconnect/errors.html', [14], ['consumer'], ['6a', '6c'], undefined, undefined],
        ['A-THREE', 'https://developer.example.org/gpconnect/other.html#x', [], [], [], undefined, undefined],
      ],
    );
    assert.deepEqual(uncovered(rows), ['A-THREE']);
    assert.deepEqual(uncovered(coverageMatrix({ ...cat, requirements: cat.requirements.slice(0, 2) }, written)), []);
  });

  const cells = (line: string) => line.replace(/^\|\s?|\s?\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());

  test('Markdown without results: no outcome column, | escaped, the uncovered named in the closing line', () => {
    const md = coverageMarkdown(coverageMatrix(cat, written));
    const lines = md.trimEnd().split('\n');
    assert.deepEqual(cells(lines[0]), ['Requirement', 'What is checked', 'Role', 'Worked-example steps', 'Scenarios']);
    assert.equal(lines[1], '|---|---|---|---|---|');
    assert.deepEqual(cells(lines[2]), ['[A-ONE](https://developer.example.org/gpconnect/appointments.html#book)', 'Books \\| cancels a slot', 'consumer, provider', '6a 6c', '2']);
    assert.deepEqual(cells(lines[4]), ['[A-THREE](https://developer.example.org/gpconnect/other.html#x)', 'Something nobody checks', '', '', '0']);
    for (const line of lines.slice(0, 5)) assert.equal(cells(line).length, 5, `five cells in ${line}`);
    assert.equal(lines[5], '');
    assert.equal(lines[6], '3 requirements, 2 with scenarios; no scenario: A-THREE.');
    assert.ok(md.endsWith('\n'));
    assert.ok(!md.includes('Outcome'));

    const full = coverageMarkdown(coverageMatrix({ ...cat, requirements: cat.requirements.slice(0, 2) }, written));
    assert.equal(full.trimEnd().split('\n').pop(), '2 requirements, 2 with scenarios.');
  });

  test('Markdown with results: the outcome column gives the worst outcome and how many scenarios ran', () => {
    const rows = coverageMatrix(cat, written, [
      { id: 'consumer:features/consumer/book#books', uri: 'features/consumer/book.feature', requirements: ['A-ONE', 'A-TWO'], outcome: 'passed' },
      { id: 'provider:features/provider/book#books-too', uri: 'features/provider/book.feature', requirements: ['A-ONE'], outcome: 'failed' },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.outcome, r.ran]),
      [
        ['failed', ['consumer:features/consumer/book#books', 'provider:features/provider/book#books-too']],
        ['passed', ['consumer:features/consumer/book#books']],
        ['not run', []],
      ],
    );
    const lines = coverageMarkdown(rows).trimEnd().split('\n');
    assert.deepEqual(cells(lines[0]), ['Requirement', 'What is checked', 'Role', 'Worked-example steps', 'Scenarios', 'Outcome (scenarios run)']);
    assert.equal(lines[1], '|---|---|---|---|---|---|');
    assert.deepEqual(
      lines.slice(2, 5).map((l) => cells(l)[5]),
      ['failed (2)', 'passed (1)', 'not run (0)'],
    );
    for (const line of lines.slice(0, 5)) assert.equal(cells(line).length, 6);
    assert.equal(lines[6], '3 requirements, 2 with scenarios; no scenario: A-THREE.');
  });
});

// ---------------------------------------------------------------------------------------------

describe('selection: selectParts', () => {
  const parts = (): RunPart[] => [
    part('reference', ['features/ssp', 'features/topology', 'features/provider', 'features/consumer']),
    part('consumer-http', ['features/consumer']),
    part('consumer-browser', ['features/consumer'], { tags: '@happy-path' }),
  ];
  const noSummary = path.join(scratch, 'no-such-run', 'summary.json');
  const select = (selection: Selection, previous = noSummary) => selectParts(parts(), selection, previous);
  const shape = (r: ReturnType<typeof selectParts>) => r.parts.map((p) => [p.name, p.paths, p.tags]);

  test('no selection: every part as it is, not partial', () => {
    const r = select({});
    assert.deepEqual(shape(r), [
      ['reference', ['features/ssp', 'features/topology', 'features/provider', 'features/consumer'], undefined],
      ['consumer-http', ['features/consumer'], undefined],
      ['consumer-browser', ['features/consumer'], '(@happy-path)'],
    ]);
    assert.deepEqual(r.partialReasons, []);
    assert.deepEqual(r.parts[2].parameters, {}, 'the rest of the part is kept');
    assert.equal(r.parts[2].title, 'The consumer-browser part');
  });

  test('tags, requirements and steps are ANDed with each other and with a part\u2019s own tags', () => {
    const r = select({ tags: '@consumer or @provider', requirement: ['PROV-BOOK', 'SSP-FORWARD'], step: ['4', '6c'] });
    const steps = '(@step:4a or @step:4b or @step:4c or @step:4d or @step:6c)';
    assert.deepEqual(
      r.parts.map((p) => p.tags),
      [
        `(@consumer or @provider) and (@req:PROV-BOOK or @req:SSP-FORWARD) and ${steps}`,
        `(@consumer or @provider) and (@req:PROV-BOOK or @req:SSP-FORWARD) and ${steps}`,
        `(@happy-path) and (@consumer or @provider) and (@req:PROV-BOOK or @req:SSP-FORWARD) and ${steps}`,
      ],
    );
    assert.deepEqual(
      r.parts.map((p) => p.paths),
      parts().map((p) => p.paths),
      'filters do not change the paths',
    );
    assert.deepEqual(r.partialReasons, ['tags @consumer or @provider', 'requirements PROV-BOOK, SSP-FORWARD', 'worked-example steps 4, 6c']);
  });

  test('one requirement, one step: a single tag, no parentheses', () => {
    assert.deepEqual(
      select({ requirement: ['PROV-BOOK'] }).parts.map((p) => p.tags),
      ['@req:PROV-BOOK', '@req:PROV-BOOK', '(@happy-path) and @req:PROV-BOOK'],
    );
    assert.deepEqual(
      select({ step: ['3b'] }).parts.map((p) => p.tags),
      ['@step:3b', '@step:3b', '(@happy-path) and @step:3b'],
    );
    assert.equal(select({ step: ['4'] }).parts[0].tags, '(@step:4a or @step:4b or @step:4c or @step:4d)');
  });

  test('a bad step is refused, naming it', () => {
    for (const bad of ['7', '0', '4e', '44', 'a', '4A', ' 4', '4a '])
      assert.throws(
        () => select({ step: ['3b', bad] }),
        (e: unknown) => e instanceof SelectionError && e.message.startsWith(`--step ${bad}:`) && /1 to 6/.test(e.message),
        `--step ${JSON.stringify(bad)}`,
      );
  });

  test('an unknown requirement ID is refused, naming every unknown one and no known one', () => {
    assert.throws(
      () => select({ requirement: ['PROV-BOOK', 'NOPE-1', 'prov-book'] }),
      (e: unknown) => e instanceof SelectionError && e.message.includes('NOPE-1') && e.message.includes('prov-book') && !e.message.includes('PROV-BOOK') && e.message.includes('requirements/catalogue.yaml'),
    );
  });

  test('--only FILE:LINE picks every part whose paths hold that file, with the location as its only path', () => {
    const r = select({ only: ['features/consumer/x.feature:3'] });
    assert.deepEqual(shape(r), [
      ['reference', ['features/consumer/x.feature:3'], undefined],
      ['consumer-http', ['features/consumer/x.feature:3'], undefined],
      ['consumer-browser', ['features/consumer/x.feature:3'], '(@happy-path)'],
    ]);
    assert.deepEqual(r.partialReasons, ['only features/consumer/x.feature:3']);
    assert.deepEqual(
      r.parts.map((p) => p.scope),
      parts().map((p) => p.paths),
      'the whole paths stay the scope of the summary',
    );
    assert.deepEqual(shape(select({ only: ['features/ssp/forwarding.feature:10'] })), [['reference', ['features/ssp/forwarding.feature:10'], undefined]]);
  });

  test('--only PART:FILE:LINE picks that part alone; several accumulate per part', () => {
    assert.deepEqual(shape(select({ only: ['consumer-http:features/consumer/x.feature:3'] })), [['consumer-http', ['features/consumer/x.feature:3'], undefined]]);
    const r = select({ only: ['consumer-browser:features/consumer/a.feature:3', 'features/ssp/b.feature:9', 'consumer-browser:features/consumer/c.feature:12'], tags: '@smoke' });
    assert.deepEqual(shape(r), [
      ['reference', ['features/ssp/b.feature:9'], '(@smoke)'],
      ['consumer-browser', ['features/consumer/a.feature:3', 'features/consumer/c.feature:12'], '(@happy-path) and (@smoke)'],
    ]);
    assert.deepEqual(r.partialReasons, ['tags @smoke', 'only consumer-browser:features/consumer/a.feature:3 features/ssp/b.feature:9 consumer-browser:features/consumer/c.feature:12']);
  });

  test('a malformed --only is refused, naming it', () => {
    for (const bad of ['features/consumer/x.feature', 'features/consumer/x.feature:', 'features/consumer/x.feature:abc', 'features/consumer/x.feature:3:4', 'features/consumer/x.txt:3', 'consumer-http:'])
      assert.throws(
        () => select({ only: ['features/ssp/a.feature:1', bad] }),
        (e: unknown) => e instanceof SelectionError && e.message.startsWith(`--only ${bad}:`) && e.message.includes('FILE:LINE'),
        bad,
      );
  });

  test('--only naming an unknown part, or a file no part runs, is refused, naming what is wrong', () => {
    assert.throws(
      () => select({ only: ['provider:features/provider/book-an-appointment.feature:14'] }),
      (e: unknown) => e instanceof SelectionError && e.message.includes('provider:features/provider/book-an-appointment.feature:14') && e.message.includes('called provider') && e.message.includes('reference, consumer-http, consumer-browser'),
    );
    for (const file of ['features/other/x.feature:3', 'features/consumerx/x.feature:3', 'features/consumer.feature:3'])
      assert.throws(
        () => select({ only: [file] }),
        (e: unknown) => e instanceof SelectionError && e.message.startsWith(`--only ${file}:`) && e.message.includes('runs that file'),
        file,
      );
  });

  function previousRun(results: PartResult[]): string {
    const file = path.join(freshDir('previous'), 'summary.json');
    writeSummary(file, summaryOf(results));
    return file;
  }

  test('--rerun-failed keeps only the parts and locations that did not pass in the previous summary', () => {
    const previous = previousRun([
      result(
        part('reference', ['features/ssp']),
        verdict([
          scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp @req:SSP-FORWARD', 'passed'),
          scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp @req:SSP-FORWARD', 'failed', 'query re-encoded'),
          scenario('features/ssp/filtering.feature', 53, NO_AGREEMENT, '@ssp @req:SSP-DATA-SHARING', 'harness-error', 'TypeError'),
        ]),
      ),
      result(
        part('consumer-browser', ['features/consumer'], { tags: '@happy-path' }),
        verdict([
          scenario('features/consumer/book-an-appointment.feature', 12, 'The consumer books a free slot', '@consumer @happy-path @req:CONS-VIA-SSP', 'broken', 'DriverFailed: chromium died'),
          scenario('features/consumer/book-an-appointment.feature', 30, 'The consumer sees the booking', '@consumer @happy-path @req:CONS-VIA-SSP', 'skipped'),
        ]),
      ),
      result(part('consumer-http', ['features/consumer']), verdict([scenario('features/consumer/book-an-appointment.feature', 12, 'The consumer books a free slot', '@consumer @req:CONS-VIA-SSP', 'passed')])),
    ]);
    const r = select({ rerunFailed: true }, previous);
    assert.deepEqual(shape(r), [
      ['reference', ['features/ssp/forwarding.feature:18', 'features/ssp/filtering.feature:53'], undefined],
      ['consumer-browser', ['features/consumer/book-an-appointment.feature:12'], '(@happy-path)'],
    ]);
    assert.deepEqual(r.partialReasons, ['re-run of what did not pass in the previous run (3 scenarios)']);
    assert.deepEqual(
      r.parts.map((p) => p.scope),
      [['features/ssp', 'features/topology', 'features/provider', 'features/consumer'], ['features/consumer']],
      'the whole paths stay the scope of the summary',
    );
    // --only is not applied on top of a re-run; filters still are.
    assert.deepEqual(shape(select({ rerunFailed: true, only: ['consumer-http:features/consumer/x.feature:1'], requirement: ['SSP-FORWARD'] }, previous)), [
      ['reference', ['features/ssp/forwarding.feature:18', 'features/ssp/filtering.feature:53'], '@req:SSP-FORWARD'],
      ['consumer-browser', ['features/consumer/book-an-appointment.feature:12'], '(@happy-path) and @req:SSP-FORWARD'],
    ]);
  });

  test('--rerun-failed after a run where everything passed or was skipped: nothing to run', () => {
    const previous = previousRun([result(part('reference', ['features/ssp']), verdict([scenario('features/ssp/forwarding.feature', 11, FWD_CAPABILITY, '@ssp', 'passed'), scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp', 'skipped')]))]);
    const r = select({ rerunFailed: true }, previous);
    assert.deepEqual(r.parts, []);
    assert.deepEqual(r.partialReasons, ['re-run of what did not pass in the previous run (0 scenarios)']);
  });

  test('--rerun-failed with no previous summary says so, naming where it looked', () => {
    assert.throws(
      () => select({ rerunFailed: true }),
      (e: unknown) => e instanceof Error && e.message.includes('--rerun-failed') && e.message.includes(noSummary) && /no previous run/.test(e.message),
    );
  });
});

describe('selection: rerunArguments', () => {
  const failed = (n: number, partName = 'reference') =>
    scenarioSummaries([
      result(
        part(partName, ['features/ssp']),
        verdict(Array.from({ length: n }, (_, i) => scenario('features/ssp/forwarding.feature', 10 + i, `Scenario ${i}`, '@ssp', 'failed'))),
      ),
    ]);

  test('one --only per scenario, with the part prefix when the run has several parts', () => {
    const two = [...failed(1), ...failed(1, 'consumer-http')];
    assert.equal(rerunArguments(two, true), '--only reference:features/ssp/forwarding.feature:10 --only consumer-http:features/ssp/forwarding.feature:10');
    assert.equal(rerunArguments(failed(2), false), '--only features/ssp/forwarding.feature:10 --only features/ssp/forwarding.feature:11');
  });

  test('above the limit, --rerun-failed instead', () => {
    assert.equal(rerunArguments(failed(15), true).split(' --only ').length, 15);
    assert.equal(rerunArguments(failed(16), true), '--rerun-failed');
    assert.equal(rerunArguments(failed(3), false, 2), '--rerun-failed');
    assert.equal(rerunArguments(failed(2), false, 2), '--only features/ssp/forwarding.feature:10 --only features/ssp/forwarding.feature:11');
  });

  test('what it prints, given back as --only, selects those scenarios again', () => {
    const all = [part('reference', ['features/ssp', 'features/consumer']), part('consumer-http', ['features/consumer'])];
    const was = scenarioSummaries([
      result(all[0], verdict([scenario('features/ssp/forwarding.feature', 18, FWD_SLOTS, '@ssp', 'failed'), scenario('features/consumer/sessions.feature', 7, 'S', '@consumer', 'broken')])),
      result(all[1], verdict([scenario('features/consumer/sessions.feature', 7, 'S', '@consumer', 'harness-error')])),
    ]);
    const only = rerunArguments(was, true)
      .split(/\s*--only\s+/)
      .filter(Boolean);
    const r = selectParts(all, { only }, path.join(scratch, 'none.json'));
    assert.deepEqual(
      r.parts.map((p) => [p.name, p.paths]),
      [
        ['reference', ['features/ssp/forwarding.feature:18', 'features/consumer/sessions.feature:7']],
        ['consumer-http', ['features/consumer/sessions.feature:7']],
      ],
    );
  });
});
