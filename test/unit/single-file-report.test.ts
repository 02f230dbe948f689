import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { inPackingOrder, writeSingleFileReport } from '../../src/pipeline/reports/single-file-report';
import { scratchFolder } from '../support/scratch';

const scratch = scratchFolder('gpc-single-file-');

const exchange = (n: number, requestLine: string) => Buffer.from(`# SSP exchange ${n}, arrived 2026-12-05T10:00:0${n}Z\n# Ssp-TraceID ${n}\n\n${requestLine}\naccept: application/fhir+json\n`);
const testCase = (uid: string, fullName: string) => Buffer.from(JSON.stringify({ uid, name: fullName.split(':').pop(), fullName, testStage: {} }));

test('the files are packed like beside like: by folder and type, test cases by full name, exchanges by their request line', () => {
  const files = [
    { name: 'data/test-cases/f1.json', bytes: testCase('f1', 'booking.feature:Book') },
    { name: 'data/attachments/a1.txt', bytes: exchange(1, 'GET /Slot?start=1 HTTP/1.1') },
    { name: 'data/attachments/a2.json', bytes: Buffer.from('{"resourceType":"Bundle"}') },
    { name: 'data/attachments/a3.txt', bytes: exchange(2, 'POST /Appointment HTTP/1.1') },
    { name: 'data/test-cases/a9.json', bytes: testCase('a9', 'slots.feature:Search') },
    { name: 'data/attachments/a4.txt', bytes: exchange(3, 'GET /Slot?start=2 HTTP/1.1') },
    { name: 'data/test-cases/c5.json', bytes: testCase('c5', 'booking.feature:Amend') },
  ];
  const order = inPackingOrder(files).map((f) => f.name);
  assert.deepEqual(order, [
    'data/attachments/a2.json',
    // Exchange texts by what follows their # lines, not by the exchange's number or its random name.
    'data/attachments/a1.txt',
    'data/attachments/a4.txt',
    'data/attachments/a3.txt',
    'data/test-cases/c5.json',
    'data/test-cases/f1.json',
    'data/test-cases/a9.json',
  ]);
  assert.deepEqual([...order].sort(), files.map((f) => f.name).sort(), 'every file once');
});

test('the page holds every file of the folder byte for byte, in whatever order it packed them', () => {
  const report = scratch.fresh('report');
  const put = (name: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(report, name)), { recursive: true });
    writeFileSync(path.join(report, name), content);
  };
  put('index.html', '<!doctype html><html><head><link rel="stylesheet" href="styles.css"></head><body><div id="content"></div><script src="app.js"></script></body></html>');
  put('styles.css', 'body { margin: 0 }');
  put('app.js', 'window.started = true;');
  put('data/test-cases/z.json', testCase('z', 'a.feature:A'));
  put('data/test-cases/a.json', testCase('a', 'b.feature:B'));
  put('data/attachments/1.txt', exchange(1, 'GET /x HTTP/1.1'));
  put('data/attachments/2.png', Buffer.from([0, 1, 2, 255, 254, 10, 13]));
  const file = path.join(scratch.fresh('page'), 'index.html');
  const bytes = writeSingleFileReport(report, file);
  const html = readFileSync(file, 'utf8');
  assert.equal(Buffer.byteLength(html), bytes);
  assert.match(html, /<style>body \{ margin: 0 \}<\/style>/, 'the stylesheet is inlined');
  const data = gunzipSync(Buffer.from(/<script id="gpc-report-data" type="application\/gzip">([^<]*)<\/script>/.exec(html)![1], 'base64'));
  const newline = data.indexOf(10);
  const listing = JSON.parse(data.subarray(0, newline).toString('utf8')) as Array<[string, number]>;
  assert.deepEqual(listing.map(([name]) => name).sort(), ['app.js', 'data/attachments/1.txt', 'data/attachments/2.png', 'data/test-cases/a.json', 'data/test-cases/z.json']);
  let offset = newline + 1;
  for (const [name, length] of listing) {
    assert.ok(data.subarray(offset, offset + length).equals(readFileSync(path.join(report, name))), name);
    offset += length;
  }
  assert.equal(offset, data.length, 'nothing after the last file');
});
