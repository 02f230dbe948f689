import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { Header, Interaction } from '../../src/gpconnect/constants';
import { DEFAULT_CHROMIUM } from '../../src/actors/drivers/browser-driver';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import { cutMiddle, EMPTY_TRAFFIC_TEXT, sequenceDiagram, workedExampleStep } from '../../src/evidence/sequence-diagram';

const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const START = Date.parse('2026-03-02T10:00:00.000Z');

let seq = 0;
function entry(at: number, service: JournalEntry['service'], method: string, target: string, status: number, headers: Record<string, string> = {}): JournalEntry {
  return {
    seq: ++seq,
    time: new Date(START + at * 100).toISOString(),
    durationMs: 5,
    service,
    method,
    url: `http://127.0.0.1:9000${target}`,
    target,
    requestHeaders: headers,
    requestBody: '',
    status,
    responseHeaders: {},
    responseBody: '',
  };
}

const ssp = (at: number, method: string, path: string, status: number, interaction: string, trace: string) =>
  entry(at, 'ssp', method, `/${ROOT}${path}`, status, { [Header.sspTraceId]: trace, [Header.sspInteractionId]: interaction });

/** The worked example as a consumer might send it, with a booking refused (409) then retried. */
function workedExample(): JournalEntry[] {
  seq = 0;
  const pds = entry(0, 'pds', 'GET', '/personal-demographics/FHIR/R4/Patient/9000000009', 200);
  const endpoint = entry(1, 'sds', 'GET', '/spine-directory/FHIR/R4/Endpoint?organization=https://fhir.nhs.uk/Id/ods-organization-code|A20047', 200);
  const device = entry(2, 'sds', 'GET', '/spine-directory/FHIR/R4/Device?organization=https://fhir.nhs.uk/Id/ods-organization-code|A20047', 200);
  // The provider hop completes (and is journalled) before the SSP request it forwards, in the same millisecond.
  const hop = entry(3, 'provider', 'GET', '/A20047/STU3/1/gpconnect/metadata', 200, { 'ssp-traceid': 'trace-3', 'ssp-interactionid': Interaction.readMetadata });
  const metadata = ssp(3, 'GET', '/metadata', 200, Interaction.readMetadata, 'trace-3');
  const slots = ssp(4, 'GET', '/Slot?status=free&start=ge2026-03-03', 200, Interaction.searchSlot, 'trace-4');
  const patient = ssp(5, 'GET', '/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009', 200, Interaction.searchPatient, 'trace-5');
  const refused = ssp(6, 'POST', '/Appointment', 409, Interaction.createAppointment, 'trace-6');
  const booked = ssp(7, 'POST', '/Appointment', 201, Interaction.createAppointment, 'trace-7');
  // Handed over out of order: the diagram orders by arrival.
  return [booked, device, pds, metadata, hop, refused, endpoint, slots, patient];
}

interface DrawnExchange {
  from: string;
  to: string;
  status: string;
  error: boolean;
  texts: string[];
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function textsIn(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]));
}

function exchangesIn(svg: string): DrawnExchange[] {
  return [...svg.matchAll(/<g class="exchange( error)?" data-from="(\w+)" data-to="(\w+)" data-status="(\d+)">([\s\S]*?)<\/g>/g)].map((m) => ({
    error: Boolean(m[1]),
    from: m[2],
    to: m[3],
    status: m[4],
    texts: textsIn(m[5]),
  }));
}

function panelIn(svg: string): Record<string, 'seen' | 'unseen'> {
  return Object.fromEntries([...svg.matchAll(/<g class="step (seen|unseen)" data-step="([^"]+)">/g)].map((m) => [m[2], m[1] as 'seen' | 'unseen']));
}

/**
 * A small XML 1.0 well-formedness check (no DTD): one root, balanced tags, quoted attributes
 * without `<`, no duplicate attributes, and `&` only as a predefined or numeric entity.
 */
function assertWellFormed(xml: string): void {
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const checkText = (s: string, where: string) => {
    assert.doesNotMatch(s.replace(entity, ''), /[&<]/, `a raw & or < in ${where}: ${s.slice(0, 80)}`);
    assert.doesNotMatch(s, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/, `a character XML forbids in ${where}`);
  };
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /^<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const chunk = lt < 0 ? rest : rest.slice(0, lt);
    if (stack.length === 0) assert.match(chunk, /^\s*$/, 'text outside the root element');
    else checkText(chunk, `<${stack[stack.length - 1]}>`);
    if (lt < 0) break;
    rest = rest.slice(lt);
    if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      assert.ok(end > 0, 'an unterminated comment');
      rest = rest.slice(end + 3);
      continue;
    }
    const m = rest.match(tag);
    assert.ok(m, `not a well-formed tag at: ${rest.slice(0, 80)}`);
    const [whole, closing, name, attrs, selfClosing] = m;
    const names = [...attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("[^"]*"|'[^']*')/g)].map((a) => (checkText(a[2], `${name}@${a[1]}`), a[1]));
    assert.equal(new Set(names).size, names.length, `a duplicate attribute on <${name}>`);
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
    rest = rest.slice(whole.length);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
}

describe('the sequence diagram of a scenario against the worked example', () => {
  it('labels each exchange with its worked-example step', () => {
    const steps = workedExample().map((e) => [e.service, e.target.split('?')[0].split('/').pop(), workedExampleStep(e)]);
    assert.deepEqual(steps, [
      ['ssp', 'Appointment', '6a Book an appointment'],
      ['sds', 'Device', '2c SDS ASID lookup'],
      ['pds', '9000000009', '1a PDS trace'],
      ['ssp', 'metadata', '3a Get the capability statement'],
      ['provider', 'metadata', '3a Get the capability statement'],
      ['ssp', 'Appointment', '6a Book an appointment'],
      ['sds', 'Endpoint', '2a SDS endpoint lookup'],
      ['ssp', 'Slot', '4a Search for free slots'],
      ['ssp', 'Patient', '5a Find a patient'],
    ]);
    assert.equal(workedExampleStep(entry(0, 'pds', 'GET', '/personal-demographics/FHIR/R4/Patient?family=Smith', 200)), undefined);
    assert.equal(workedExampleStep(entry(0, 'ssp', 'GET', '/x', 200, { [Header.sspInteractionId]: 'constructor' })), undefined);
  });

  it('draws the worked example in arrival order, in the right lanes, with the 409 in red', () => {
    const svg = sequenceDiagram(workedExample(), { title: 'Book an appointment', consumer: 'Acme GP Booker' });
    assertWellFormed(svg);
    assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script|<foreignObject|@import|url\(http|href=/i, 'nothing external or active');
    const drawn = exchangesIn(svg);
    assert.deepEqual(drawn.map((x) => [x.from, x.to, x.status]), [
      ['consumer', 'pds', '200'],
      ['consumer', 'sds', '200'],
      ['consumer', 'sds', '200'],
      ['consumer', 'ssp', '200'],
      ['ssp', 'provider', '200'],
      ['consumer', 'ssp', '200'],
      ['consumer', 'ssp', '200'],
      ['consumer', 'ssp', '409'],
      ['consumer', 'ssp', '201'],
    ]);
    const labels = drawn.map((x) => x.texts[1]);
    assert.equal(labels[0], '1a PDS trace  GET /personal-demographics/FHIR/R4/Patient/9000000009');
    assert.equal(labels[1], '2a SDS endpoint lookup  GET /spine-directory/FHIR/R4/Endpoint', 'the query is left out');
    assert.equal(labels[2], '2c SDS ASID lookup  GET /spine-directory/FHIR/R4/Device');
    assert.equal(labels[3], `3a Get the capability statement  GET /${ROOT}/metadata`);
    assert.equal(labels[4], '3a forwarded  GET /A20047/STU3/1/gpconnect/metadata');
    assert.equal(labels[5], `4a Search for free slots  GET /${ROOT}/Slot`);
    assert.equal(labels[6], `5a Find a patient  GET /${ROOT}/Patient`);
    assert.equal(labels[7], `6a Book an appointment  POST /${ROOT}/Appointment`);
    assert.deepEqual(drawn.map((x) => x.texts[0]), ['1', '2', '3', '4', '5', '6', '7', '8', '9'], 'numbered in arrival order');
    assert.deepEqual(drawn.map((x) => x.error), [false, false, false, false, false, false, false, true, false]);
    assert.equal(drawn[7].texts[2], '409 error');
    assert.match(svg, /<g class="exchange error"[^>]*data-status="409">[\s\S]*?<line [^>]*stroke="#c62828"[^>]*stroke-dasharray/, 'the 409 response arrow is red and dashed');
    assert.ok(textsIn(svg).includes('Acme GP Booker'), 'the consumer lane is named from the options');
    assert.deepEqual(textsIn(svg).filter((t) => ['PDS', 'SDS', 'SSP', 'Provider'].includes(t)), ['PDS', 'SDS', 'SSP', 'Provider']);
  });

  it('marks the worked-example steps seen and not seen in the side panel', () => {
    const svg = sequenceDiagram(workedExample(), { title: 'panel' });
    assert.deepEqual(panelIn(svg), { '1a PDS trace': 'seen', '2a SDS endpoint lookup': 'seen', '2c SDS ASID lookup': 'seen', '3a Get the capability statement': 'seen', '4a Search for free slots': 'seen', '5a Find a patient': 'seen', '5a Register a patient': 'unseen', '6a Book an appointment': 'seen' });
    const texts = textsIn(svg);
    assert.ok(texts.includes('\u2014 5a Register a patient'), 'an unseen step has a dash');
    assert.ok(texts.includes('\u2713 6a Book an appointment \u00d72'), 'a repeated step is counted');
    assert.ok(texts.includes('\u2713 3a Get the capability statement'), 'the provider hop does not count the step twice');
    assert.ok(texts.includes('Consumer'), 'the consumer lane is "Consumer" by default');
  });

  it('draws a provider request with no SSP trace before it as a direct call from the consumer', () => {
    seq = 0;
    const forwardedLater = entry(1, 'provider', 'GET', '/A20047/STU3/1/gpconnect/Slot', 200, { [Header.sspTraceId]: 'trace-x', [Header.sspInteractionId]: Interaction.searchSlot });
    const sspAfter = ssp(2, 'GET', '/Slot', 200, Interaction.searchSlot, 'trace-x');
    const untraced = entry(3, 'provider', 'GET', '/A20047/STU3/1/gpconnect/metadata', 200);
    const drawn = exchangesIn(sequenceDiagram([untraced, sspAfter, forwardedLater], { title: 'direct' }));
    assert.deepEqual(drawn.map((x) => [x.from, x.to]), [['consumer', 'provider'], ['consumer', 'ssp'], ['consumer', 'provider']]);
    assert.match(drawn[0].texts[1], /^direct, not via SSP: 4a Search for free slots  GET /);
    assert.equal(drawn[2].texts[1], 'direct, not via SSP  GET /A20047/STU3/1/gpconnect/metadata');
  });

  it('shows hostile traffic as text', () => {
    seq = 0;
    const hostile = entry(0, 'pds', 'GET', '/<script>alert(1)</script>?a="b"&c=\'d\'', 500);
    hostile.method = 'G&T';
    const svg = sequenceDiagram([hostile, entry(1, 'sds', 'GET', '/bad\u0000\u001b\uD800/Endpoint', 200)], { title: 'x <y> & "z"', consumer: '</text><script>alert(2)</script>' });
    assertWellFormed(svg);
    assert.doesNotMatch(svg, /<script/);
    assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const drawn = exchangesIn(svg);
    assert.equal(drawn[0].texts[1], 'G&T /<script>alert(1)</script>');
    assert.ok(drawn[0].error);
    assert.equal(drawn[1].texts[1], '2a SDS endpoint lookup  GET /bad\uFFFD\uFFFD\uFFFD/Endpoint', 'characters XML forbids are replaced');
    assert.ok(textsIn(svg).includes('x <y> & "z"'));
    assert.match(svg, /<title>x &lt;y&gt; &amp; &quot;z&quot;<\/title>/);
  });

  it('cuts long paths in the middle, keeping the resource at the end', () => {
    seq = 0;
    const long = `/${'segment/'.repeat(40)}Appointment`;
    const svg = sequenceDiagram([entry(0, 'ssp', 'POST', long, 201, { [Header.sspInteractionId]: Interaction.createAppointment })], { title: 'long' });
    const label = exchangesIn(svg)[0].texts[1];
    assert.ok(label.length < long.length, 'cut');
    assert.match(label, /^6a Book an appointment  POST \/segment\/.*\u2026.*Appointment$/);
    assert.equal(cutMiddle('abcdefghij', 5), 'ab\u2026ij');
    assert.equal(cutMiddle('\u{1F600}'.repeat(10), 5), '\u{1F600}\u{1F600}\u2026\u{1F600}\u{1F600}', 'never splits a surrogate pair');
  });

  it('draws at most the cap and says how many were left out', () => {
    seq = 0;
    const many = Array.from({ length: 205 }, (_, i) => entry(i, 'pds', 'GET', `/Patient/${9000000000 + i}`, 200));
    const svg = sequenceDiagram(many, { title: 'busy' });
    assertWellFormed(svg);
    const drawn = exchangesIn(svg);
    assert.equal(drawn.length, 200);
    assert.equal(drawn[199].texts[1], '1a PDS trace  GET /Patient/9000000199');
    assert.ok(textsIn(svg).includes('5 more exchanges not drawn (at most 200 are)'));
    const capped = sequenceDiagram(many.slice(0, 4), { title: 'cap 3', maxExchanges: 3 });
    assert.equal(exchangesIn(capped).length, 3);
    assert.ok(textsIn(capped).includes('1 more exchange not drawn (at most 3 are)'));
    assert.ok(!textsIn(sequenceDiagram(many.slice(0, 3), { title: 'under' })).some((t) => t.includes('not drawn')));
  });

  it('says so when no traffic reached Spine', () => {
    const svg = sequenceDiagram([], { title: 'silent consumer' });
    assertWellFormed(svg);
    assert.ok(textsIn(svg).includes(EMPTY_TRAFFIC_TEXT));
    assert.equal(exchangesIn(svg).length, 0);
    assert.ok(Object.values(panelIn(svg)).every((v) => v === 'unseen'));
  });
});

const chromiumPath = process.env.GPC_CHROMIUM ?? DEFAULT_CHROMIUM;
const noBrowser = existsSync(chromiumPath) ? false : `no chromium at ${chromiumPath} (apt-get install -y chromium, or set GPC_CHROMIUM)`;
/** toolchain.md pitfall 13. */
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the sequence diagram in a browser', { skip: noBrowser }, () => {
  it('parses as SVG and loads as an image with its size', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: LAUNCH_ARGS, timeout: 30_000 });
    try {
      const page = await browser.newPage();
      const svgs = [sequenceDiagram(workedExample(), { title: 'worked example' }), sequenceDiagram([], { title: 'empty' })];
      for (const svg of svgs) {
        const result = await page.evaluate(async (text) => {
          const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
          const error = parsed.getElementsByTagName('parsererror')[0]?.textContent ?? null;
          // As Allure shows an image/svg+xml attachment: an <img> of the file.
          const img = new Image();
          img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
          const loaded = await new Promise<boolean>((resolve) => {
            img.onload = () => resolve(true);
            img.onerror = () => resolve(false);
          });
          return { error, root: parsed.documentElement.nodeName, loaded, width: img.naturalWidth, height: img.naturalHeight };
        }, svg);
        assert.equal(result.error, null);
        assert.equal(result.root, 'svg');
        assert.ok(result.loaded, 'the image loads');
        assert.ok(result.width > 0 && result.height > 0, `a non-zero size, got ${result.width}x${result.height}`);
        const declared = svg.match(/<svg [^>]*width="(\d+)" height="(\d+)"/)!;
        assert.deepEqual([result.width, result.height], [Number(declared[1]), Number(declared[2])]);
      }
    } finally {
      await browser.close();
    }
  });
});
