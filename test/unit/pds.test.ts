/**
 * The simulated PDS FHIR R4 API (src/spine/pds.ts) and its patient list (src/spine/patients.ts),
 * driven in-process and checked against the captured sandbox responses in
 * ../shared/spec/pds-sds-examples/pds/ (pds-sds.md §1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { getResponse } from 'msw';
import { Header, PdsError, SpineError, System } from '../../src/gpconnect/constants';
import type { PdsPatient } from '../../src/spine/directory/model';
import { TrafficJournal } from '../../src/spine/journal';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { pdsHandlers, PDS_PRODUCTION_BASE } from '../../src/spine/pds';
import { DEFAULT_PATIENTS, loadPatients, PatientsError, toPdsPatientResource } from '../../src/spine/patients';
import { isValidNhsNumber } from '../../src/gpconnect/nhs-number';
import { PACKAGE_ROOT } from '../../src/package-root';

const BASE = 'http://127.0.0.1:4001/personal-demographics/FHIR/R4';
const EXAMPLES = path.resolve(PACKAGE_ROOT, '../shared/spec/pds-sds-examples/pds');
/** The headers the captured sandbox requests sent (pds-sds-examples/README.md). */
const REQUEST_ID = '60E0B220-8136-4CA5-AE46-1D97EF59D068';
const CORRELATION_ID = '11C46F5F-CDEF-4865-94B2-0EE0EDCC26DA';
const GOOD_TOKEN = 'Wq8dkGJ5qs5lJQ4oCmJd8aD2MxWz';

const patients = loadPatients();

// ------------------------------------------------------------------------------------- helpers

interface Exchange {
  status: number;
  headers: Headers;
  body: any;
  journal: TrafficJournal;
}

async function call(
  target: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  list: PdsPatient[] = patients,
): Promise<Exchange> {
  const journal = new TrafficJournal();
  const handlers = pdsHandlers({ journal, base: BASE, patients: list });
  const response = await getResponse(handlers, new Request(BASE + target, init));
  assert.ok(response, `no handler answered ${init.method ?? 'GET'} ${target}`);
  const text = await response.text();
  await journal.settled();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), journal };
}

/** A GET with the headers the sandbox captures were made with. */
function get(target: string, extra: Record<string, string> = {}): Promise<Exchange> {
  return call(target, { headers: { [Header.xRequestId]: REQUEST_ID, [Header.xCorrelationId]: CORRELATION_ID, ...extra } });
}

function example(file: string): any {
  return JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/** `HTTP/1.1 200 OK` plus `name: value` lines, as curl wrote them. */
function exampleHeaders(file: string): { status: number; headers: Map<string, string> } {
  const [statusLine, ...lines] = readFileSync(path.join(EXAMPLES, file), 'utf8').split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

/** Status and body match a captured Karate-sandbox answer exactly. */
async function assertLikeSandbox(exchange: Exchange, capture: string): Promise<void> {
  const expected = exampleHeaders(`sandbox-karate-shim/${capture}.headers.txt`);
  assert.equal(exchange.status, expected.status);
  assert.deepEqual(exchange.body, example(`sandbox-karate-shim/${capture}.json`));
  assert.equal(exchange.headers.get('content-type'), expected.headers.get('content-type'));
}

function extensionByUrl(resource: any, url: string): any {
  return (resource.extension ?? []).find((e: { url: string }) => e.url === url);
}

// ------------------------------------------------------------------------------------- NHS numbers

describe('isValidNhsNumber (modulus 11)', () => {
  it('accepts the synthetic test numbers', () => {
    for (const n of ['9000000009', '9000000025', '9000000033', '9693632109', '9733162043', '9736363015', '9990003343', '9658218865', '9999999999', '9000000041', '9111231130']) {
      assert.equal(isValidNhsNumber(n), true, n);
    }
  });

  it('refuses wrong check digits, wrong lengths and non-digits', () => {
    for (const n of ['9000000050', '1234567890', '9000000000', '9000000008', '123', '90000000090', '', '900000000a', ' 9000000009']) {
      assert.equal(isValidNhsNumber(n), false, JSON.stringify(n));
    }
  });

  it('refuses a number whose check digit would be 10, whatever its last digit', () => {
    // 6 x 2 = 12, remainder 1, check digit 11 - 1 = 10: no valid number starts 000000006.
    for (let last = 0; last <= 9; last++) assert.equal(isValidNhsNumber(`000000006${last}`), false);
  });

  it('maps a check digit of 11 to 0', () => {
    // 9 x 10 + 3 x 3 = 99, remainder 0, check digit 11 -> 0.
    assert.equal(isValidNhsNumber('9000000300'), true);
    assert.equal(isValidNhsNumber('9000000301'), false);
  });
});

// ------------------------------------------------------------------------------------- patient list

describe('data/patients.yaml', () => {
  it('loads from the default path, every number valid and unique', () => {
    assert.equal(DEFAULT_PATIENTS, path.resolve(PACKAGE_ROOT, 'data/patients.yaml'));
    assert.ok(patients.length >= 20, `only ${patients.length} patients`);
    for (const p of patients) assert.ok(isValidNhsNumber(p.nhsNumber), p.nhsNumber);
    assert.equal(new Set(patients.map((p) => p.nhsNumber)).size, patients.length);
  });

  it('has at least two normal patients at each practice of the default topology', () => {
    for (const ods of ['A20047', 'B82617', 'B82618', 'Y12345']) {
      const normal = patients.filter((p) => p.gp === ods && p.kind === 'normal');
      assert.ok(normal.length >= 2, `${ods} has ${normal.length} normal patients`);
    }
  });

  it('has the special records the spec describes', () => {
    const byNumber = (n: string) => patients.find((p) => p.nhsNumber === n);
    assert.deepEqual([byNumber('9000000009')?.kind, byNumber('9000000009')?.gp], ['deceased', 'Y12345']);
    assert.deepEqual([byNumber('9000000025')?.kind, byNumber('9000000025')?.gp], ['restricted', undefined]);
    assert.equal(byNumber('9000000033')?.gp, undefined);
    assert.equal(byNumber('9990003343')?.kind, 'invalidated');
    for (const n of ['9693632109', '9733162043', '9736363015']) assert.equal(byNumber(n)?.gp, 'A20047', n);
    assert.ok(patients.filter((p) => p.kind === 'restricted').every((p) => p.gp === undefined));
  });

  it('leaves the not-found numbers out and names them, and the invalid ones, in its comments', () => {
    const text = readFileSync(DEFAULT_PATIENTS, 'utf8');
    for (const n of ['9999999999', '9000000041', '9111231130']) {
      assert.equal(patients.find((p) => p.nhsNumber === n), undefined, n);
      assert.match(text, new RegExp(`#.*${n}`));
    }
    for (const n of ['9000000050', '1234567890']) assert.match(text, new RegExp(`#.*${n}`));
  });

  it('has a normal patient at A20047 named as eligible for registration', () => {
    const text = readFileSync(DEFAULT_PATIENTS, 'utf8');
    const after = text.slice(text.indexOf('Eligible for registration'));
    const nhsNumber = /nhsNumber: "([0-9]{10})"/.exec(after)?.[1];
    const p = patients.find((x) => x.nhsNumber === nhsNumber);
    assert.equal(p?.gp, 'A20047');
    assert.equal(p?.kind, 'normal');
  });
});

describe('loadPatients refuses a bad file, naming the file, the entry and the problem', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pds-patients-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const good = (n: string, extra = '') =>
    `- { nhsNumber: "${n}", kind: normal, family: DOE, given: [Jo], gender: female, birthDate: "1980-01-01", versionId: "1"${extra} }\n`;

  function refusal(name: string, text: string): PatientsError {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    try {
      loadPatients(file);
    } catch (error) {
      assert.ok(error instanceof PatientsError, String(error));
      assert.ok(error.message.startsWith(file + ':'), error.message);
      return error;
    }
    assert.fail(`${name} was accepted`);
  }

  it('a number failing modulus 11', () => {
    const error = refusal('mod11.yaml', good('9000000009') + good('9000000050'));
    assert.match(error.message, /entry \[1\] \(NHS number 9000000050\): NHS number fails the modulus-11 check/);
    assert.equal(error.problems.length, 1);
  });

  it('a duplicate NHS number', () => {
    const error = refusal('duplicate.yaml', good('9000000009') + good('9000000025') + good('9000000009'));
    assert.match(error.message, /entry \[2\] \(NHS number 9000000009\): duplicate NHS number: also entry \[0\]/);
  });

  it('a missing field, an unknown field, a bad enum and an unquoted number', () => {
    const text =
      '- { nhsNumber: "9000000009", kind: normal, given: [Jo], gender: female, birthDate: "1980-01-01", versionId: "1" }\n' +
      good('9000000025', ', colour: blue') +
      good('9000000033').replace('gender: female', 'gender: woman') +
      '- { nhsNumber: 9693632109, kind: normal, family: X, given: [Y], gender: male, birthDate: "1980-01-01", versionId: "1" }\n';
    const error = refusal('schema.yaml', text);
    assert.match(error.message, /entry \[0\] \(NHS number 9000000009\): missing field "family"/);
    assert.match(error.message, /entry \[1\] \(NHS number 9000000025\): unknown field "colour"/);
    assert.match(error.message, /entry \[2\] \(NHS number 9000000033\): gender: must be equal to one of the allowed values: male, female, other, unknown/);
    assert.match(error.message, /entry \[3\] \(NHS number 9693632109\): nhsNumber: must be string \(quote numbers/);
  });

  it('rules across fields: restricted with a GP, deceased without a date, a broken supersession, an impossible date', () => {
    const text =
      good('9000000009', ', gp: A20047').replace('kind: normal', 'kind: restricted') +
      good('9000000025').replace('kind: normal', 'kind: deceased') +
      good('9000000033', ', supersededBy: "9999999999"').replace('kind: normal', 'kind: superseded') +
      good('9693632109').replace('1980-01-01', '1980-02-30');
    const error = refusal('rules.yaml', text);
    assert.match(error.message, /entry \[0\] \(NHS number 9000000009\): a restricted patient must have no gp/);
    assert.match(error.message, /entry \[1\] \(NHS number 9000000025\): deceasedDateTime is required for kind deceased/);
    assert.match(error.message, /entry \[2\] \(NHS number 9000000033\): supersededBy 9999999999 is not in the list/);
    assert.match(error.message, /entry \[3\] \(NHS number 9693632109\): birthDate "1980-02-30" is not a real date/);
  });

  it('YAML that does not parse, and a file that is not a list', () => {
    assert.match(refusal('syntax.yaml', '- { nhsNumber: "9000000009"\n').message, /line [0-9]+:/);
    assert.match(refusal('map.yaml', 'patients: []\n').message, /\(top level\): the file must be a YAML list of patients/);
  });

  it('a file that is not there', () => {
    const missing = path.join(dir, 'absent.yaml');
    assert.throws(() => loadPatients(missing), (e: Error) => e.message.includes(missing) && e.message.includes('cannot read the file'));
  });
});

// ------------------------------------------------------------------------------------- Patient resource

describe('toPdsPatientResource', () => {
  const jane = patients.find((p) => p.nhsNumber === '9000000009')!;

  it('carries the verified NHS number, version and security label U', () => {
    const r = toPdsPatientResource(jane);
    const sandbox = example('sandbox-karate-shim/get_9000000009.json');
    assert.deepEqual(r.identifier, sandbox.identifier);
    assert.deepEqual(r.meta, sandbox.meta);
  });

  it('names the GP by ODS code, with an id and type Organization', () => {
    const gp = toPdsPatientResource(jane).generalPractitioner!;
    assert.equal(gp.length, 1);
    assert.equal(gp[0].type, 'Organization');
    assert.match(gp[0].id, /^[A-Za-z]{5}$/);
    assert.deepEqual(gp[0].identifier, { system: System.odsOrganizationCode, value: 'Y12345', period: { start: '2020-01-01' } });
  });

  it('drops address, telecom and GP for a restricted patient (security R)', () => {
    const restricted: PdsPatient = { ...jane, nhsNumber: '9000000025', kind: 'restricted', gp: undefined, deceasedDateTime: undefined };
    const r = toPdsPatientResource(restricted);
    assert.equal(r.meta.security[0].code, 'R');
    assert.equal(r.meta.security[0].display, 'restricted');
    for (const field of ['address', 'telecom', 'generalPractitioner', 'contact']) assert.equal(field in r, false, field);
  });
});

// ------------------------------------------------------------------------------------- GET /Patient/{id}

describe('GET /Patient/{id}', () => {
  it('9000000009: 200, ETag W/"2", echoed ids, the sandbox identifiers, death notice and GP', async () => {
    const x = await get('/Patient/9000000009');
    const sandbox = example('sandbox-karate-shim/get_9000000009.json');
    const headers = exampleHeaders('sandbox-karate-shim/get_9000000009.headers.txt').headers;
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), 'application/fhir+json');
    assert.equal(x.headers.get('etag'), headers.get('etag'));
    assert.equal(x.headers.get('x-request-id'), headers.get('x-request-id'));
    assert.equal(x.headers.get('x-correlation-id'), headers.get('x-correlation-id'));
    for (const field of ['resourceType', 'id', 'identifier', 'meta', 'gender', 'birthDate', 'deceasedDateTime']) {
      assert.deepEqual(x.body[field], sandbox[field], field);
    }
    assert.deepEqual(
      extensionByUrl(x.body, System.deathNotificationStatusExt),
      extensionByUrl(sandbox, System.deathNotificationStatusExt),
    );
    assert.equal(x.body.generalPractitioner[0].identifier.value, sandbox.generalPractitioner[0].identifier.value);
    assert.deepEqual(
      { ...x.body.name[0], id: undefined },
      { id: undefined, use: 'usual', given: sandbox.name[0].given, family: sandbox.name[0].family, prefix: sandbox.name[0].prefix },
    );
    assert.deepEqual(x.body.address[0].line, sandbox.address[0].line);
    assert.equal(x.body.address[0].postalCode, sandbox.address[0].postalCode);
    assert.deepEqual(
      x.body.telecom.map((t: { system: string; value: string }) => [t.system, t.value]),
      [
        ['phone', '01632960587'],
        ['email', 'jane.smith@example.com'],
      ],
    );
  });

  it('9693632109: 200, ETag W/"58", GP A20047 as the Karate stub has it', async () => {
    const x = await get('/Patient/9693632109');
    const stub = example('repo/karate-stubs/patientResponses/patient_9693632109.json');
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('etag'), exampleHeaders('sandbox-karate-shim/get_9693632109.headers.txt').headers.get('etag'));
    assert.deepEqual(x.body.meta, stub.meta);
    assert.deepEqual(x.body.identifier, stub.identifier);
    const gp = x.body.generalPractitioner[0];
    assert.deepEqual(gp.identifier, stub.generalPractitioner[0].identifier);
    assert.equal(gp.type, stub.generalPractitioner[0].type);
    assert.equal(typeof gp.id, 'string');
    for (const field of ['gender', 'birthDate']) assert.equal(x.body[field], stub[field], field);
    assert.deepEqual(x.body.address[0].line, stub.address[0].line);
    assert.equal(x.body.name[0].family, stub.name[0].family);
  });

  it('9000000025 (restricted): 200 with security R and no address, telecom, contact or GP', async () => {
    const x = await get('/Patient/9000000025');
    const sandbox = example('sandbox-karate-shim/get_9000000025.json');
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('etag'), 'W/"2"');
    assert.deepEqual(x.body.meta, sandbox.meta);
    for (const field of ['address', 'telecom', 'contact', 'generalPractitioner']) {
      assert.equal(field in sandbox, false, `the sandbox example has ${field}`);
      assert.equal(field in x.body, false, field);
    }
    assert.equal(x.body.name[0].family, 'Smythe');
  });

  it('9000000033 (no GP): 200 without generalPractitioner', async () => {
    const x = await get('/Patient/9000000033');
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('etag'), exampleHeaders('sandbox-karate-shim/get_9000000033.headers.txt').headers.get('etag'));
    assert.deepEqual(x.body.meta, example('sandbox-karate-shim/get_9000000033.json').meta);
    assert.equal('generalPractitioner' in x.body, false);
  });

  it('a valid number with no record: 404 RESOURCE_NOT_FOUND, severity information', async () => {
    await assertLikeSandbox(await get('/Patient/9999999999'), 'get_9999999999');
    for (const n of ['9000000041', '9111231130', '9000000017']) {
      const x = await get(`/Patient/${n}`);
      assert.equal(x.status, 404, n);
      assert.deepEqual(x.body, example('sandbox-karate-shim/get_9999999999.json'), n);
      assert.equal(x.headers.get('x-correlation-id'), CORRELATION_ID);
    }
  });

  it('a number failing modulus 11 or not 10 digits: 400 INVALID_RESOURCE_ID', async () => {
    await assertLikeSandbox(await get('/Patient/9000000050'), 'get_9000000050');
    await assertLikeSandbox(await get('/Patient/123'), 'get_123');
    for (const n of ['1234567890', '9000000000', '90000000090', 'abc', '%E0%A4%A']) {
      const x = await get(`/Patient/${n}`);
      assert.equal(x.status, 400, n);
      assert.equal(outcomeCode(x.body).code, PdsError.invalidResourceId, n);
    }
  });

  it('an invalidated record: 404 INVALIDATED_RESOURCE, as the INT test expects', async () => {
    const x = await get('/Patient/9990003343');
    assert.equal(x.status, 404);
    assert.deepEqual(x.body, example('repo/karate-stubs/errorResponses/INVALIDATED_RESOURCE.json'));
    assert.equal(x.headers.get('x-request-id'), REQUEST_ID);
  });

  it('a superseded number: 200 with the superseding record, so id differs from the number asked for', async () => {
    const x = await get('/Patient/9658220223');
    assert.equal(x.status, 200);
    assert.equal(x.body.id, '9658220215');
    assert.equal(x.body.identifier[0].value, '9658220215');
    assert.equal(x.headers.get('etag'), `W/"${patients.find((p) => p.nhsNumber === '9658220215')!.versionId}"`);
  });

  it('a trailing slash and a percent-encoded digit still read the patient', async () => {
    assert.equal((await get('/Patient/9000000009/')).body.id, '9000000009');
    assert.equal((await get('/Patient/%39000000009')).body.id, '9000000009');
  });
});

describe('PDS request headers (checked before the NHS number)', () => {
  it('no X-Request-ID: 400 MISSING_VALUE, even for a bad NHS number', async () => {
    const x = await call('/Patient/9000000009', { headers: { [Header.xCorrelationId]: CORRELATION_ID } });
    await assertLikeSandbox(x, 'get_9000000009_no_request_id');
    assert.equal(x.headers.get('x-request-id'), null);
    assert.equal(x.headers.get('x-correlation-id'), CORRELATION_ID);
    const bad = await call('/Patient/123', {});
    assert.equal(outcomeCode(bad.body).code, PdsError.missingValue);
    const empty = await call('/Patient/9000000009', { headers: { [Header.xRequestId]: '' } });
    assert.equal(outcomeCode(empty.body).code, PdsError.missingValue);
  });

  it('X-Request-ID not a UUID: 400 INVALID_VALUE naming the value, which is echoed', async () => {
    const x = await get('/Patient/9000000009', { [Header.xRequestId]: '1234' });
    await assertLikeSandbox(x, 'get_9000000009_bad_request_id');
    assert.equal(x.headers.get('x-request-id'), '1234');
    const bad = await get('/Patient/123', { [Header.xRequestId]: 'not-a-uuid' });
    assert.equal(outcomeCode(bad.body).diagnostics, "Invalid value - 'not-a-uuid' in header 'X-Request-ID'");
  });

  it('Authorization that is not a bearer token: 401 ACCESS_DENIED "Missing access token"', async () => {
    await assertLikeSandbox(await get('/Patient/9000000009', { Authorization: 'Basic abc' }), 'get_9000000009_bad_auth');
    for (const value of ['Bearer', 'Bearer   ', '']) {
      const x = await get('/Patient/9000000009', { Authorization: value });
      assert.equal(x.status, 401, JSON.stringify(value));
      assert.equal(outcomeCode(x.body).diagnostics, 'Missing access token');
    }
  });

  it('a bearer token that is not printable ASCII (the PDS spec\'s format): 401 ACCESS_DENIED "Invalid Access Token"', async () => {
    await assertLikeSandbox(await get('/Patient/9000000009', { Authorization: 'Bearer t\u00f6ken' }), 'get_9000000009_bad_token');
    for (const token of ['t\u00f6ken', 'ab\u00a0cd']) {
      const x = await get('/Patient/9000000009', { Authorization: `Bearer ${token}` });
      assert.equal(x.status, 401, token);
      assert.equal(x.headers.get('x-correlation-id'), CORRELATION_ID);
    }
  });

  it('any printable ASCII bearer token, or none at all (sandbox), is let through: the real token is checked by the platform, not by shape (review F23)', async () => {
    for (const token of [GOOD_TOKEN, 'abc123_XYZ9', 'abcdef', '123456', 'eyJhbGciOi.eyJzdWIiOi.sig', 'a1-b2_c3~', '!!']) {
      assert.equal((await get('/Patient/9000000009', { Authorization: `Bearer ${token}` })).status, 200, token);
    }
    assert.equal((await get('/Patient/9000000009')).status, 200);
  });

  it('a bad token is reported before a bad NHS number', async () => {
    const x = await get('/Patient/123', { Authorization: 'Bearer t\u00f6ken' });
    assert.equal(x.status, 401);
  });
});

// ------------------------------------------------------------------------------------- GET /Patient

describe('GET /Patient (search)', () => {
  it('family + gender + birthdate: one match, as the sandbox answers', async () => {
    const x = await get('/Patient?family=Smith&gender=female&birthdate=eq2010-10-22');
    const sandbox = example('sandbox-karate-shim/search_smith_basic.json');
    assert.equal(x.status, 200);
    assert.equal(x.body.resourceType, 'Bundle');
    assert.equal(x.body.type, 'searchset');
    assert.equal(x.body.total, sandbox.total);
    assert.equal(x.body.entry.length, 1);
    assert.equal(x.body.entry[0].fullUrl, sandbox.entry[0].fullUrl);
    assert.deepEqual(x.body.entry[0].search, sandbox.entry[0].search);
    assert.equal(x.body.entry[0].resource.id, '9000000009');
    assert.ok(!Number.isNaN(Date.parse(x.body.timestamp)));
    assert.equal(x.headers.get('etag'), null);
    assert.equal(x.headers.get('x-request-id'), REQUEST_ID);
  });

  it('fullUrl always names the production host', async () => {
    const x = await get('/Patient?family=Smith&birthdate=eq2010-10-22');
    assert.equal(x.body.entry[0].fullUrl, `${PDS_PRODUCTION_BASE}/Patient/9000000009`);
    assert.ok(!x.body.entry[0].fullUrl.includes('127.0.0.1'));
  });

  it('phone and email narrow the search; a mismatch gives an empty searchset with no entry', async () => {
    const hit = await get('/Patient?family=Smith&gender=female&birthdate=eq2010-10-22&email=jane.smith@example.com&phone=01632960587');
    assert.equal(hit.body.entry[0].fullUrl, example('sandbox-karate-shim/search_smith_phone_email.json').entry[0].fullUrl);
    const miss = await get('/Patient?family=Smith&gender=female&birthdate=eq2010-10-22&email=deb.trotter@example.com&phone=0121111111');
    const sandbox = example('sandbox-karate-shim/search_smith_negative.json');
    assert.equal(miss.status, 200);
    assert.deepEqual({ ...miss.body, timestamp: undefined }, { ...sandbox, timestamp: undefined });
    assert.equal('entry' in miss.body, false);
  });

  it('a birth date range (ge + le)', async () => {
    const x = await get('/Patient?family=Smith&gender=female&birthdate=ge2010-10-21&birthdate=le2010-10-23');
    assert.deepEqual(
      x.body.entry.map((e: { fullUrl: string }) => e.fullUrl),
      example('sandbox-karate-shim/search_date_range.json').entry.map((e: { fullUrl: string }) => e.fullUrl),
    );
    const outside = await get('/Patient?family=Smith&birthdate=ge2010-10-23&birthdate=le2011-01-01');
    assert.equal(outside.body.total, 0);
  });

  it('a wildcard family name, and TOO_MANY_MATCHES (HTTP 200) past _max-results', async () => {
    const x = await get('/Patient?family=Sm*&birthdate=ge2000-01-01');
    assert.deepEqual(x.body.entry.map((e: { resource: { id: string } }) => e.resource.id).sort(), ['9000000009', '9000000025']);
    assert.equal(x.body.total, 2);
    await assertLikeSandbox(await get('/Patient?family=Sm*&birthdate=ge2000-01-01&_max-results=1'), 'search_wildcard_max1');
    assert.equal((await get('/Patient?family=Sm*&birthdate=ge2000-01-01&_max-results=2')).body.total, 2);
  });

  it('a restricted patient is returned reduced (security R, no address or GP)', async () => {
    const x = await get('/Patient?family=Smythe&given=Janet&gender=female&birthdate=eq2005-06-16');
    const sandbox = example('sandbox-karate-shim/search_restricted_smythe.json');
    assert.equal(x.body.total, 1);
    const resource = x.body.entry[0].resource;
    assert.equal(x.body.entry[0].fullUrl, sandbox.entry[0].fullUrl);
    assert.deepEqual(resource.meta, sandbox.entry[0].resource.meta);
    for (const field of ['address', 'telecom', 'generalPractitioner', 'contact']) assert.equal(field in resource, false, field);
  });

  it("a restricted patient's hidden details never make it match", async () => {
    const byPostcode = await get('/Patient?family=Smythe&birthdate=eq2005-06-16&address-postalcode=LS2%209ZZ');
    assert.equal(byPostcode.body.total, 0);
    const byPhone = await get('/Patient?family=Smythe&birthdate=eq2005-06-16&phone=01632960999');
    assert.equal(byPhone.body.total, 0);
  });

  it('general-practitioner and a wildcard, as in the sandbox A20047 scenario', async () => {
    const x = await get('/Patient?family=Me*&birthdate=eq2015-10-22&general-practitioner=A20047');
    const sandbox = example('sandbox-karate-shim/search_gp_A20047.json').entry[0].resource;
    assert.equal(x.body.total, 1);
    const resource = x.body.entry[0].resource;
    assert.equal(resource.id, sandbox.id);
    assert.deepEqual([resource.name[0].family, resource.name[0].given], [sandbox.name[0].family, sandbox.name[0].given]);
    assert.deepEqual(resource.generalPractitioner[0].identifier, sandbox.generalPractitioner[0].identifier);
    const elsewhere = await get('/Patient?family=Me*&birthdate=eq2015-10-22&general-practitioner=B82617');
    assert.equal(elsewhere.body.total, 0);
  });

  it('given names, gender and postcode filter', async () => {
    assert.equal((await get('/Patient?family=meek&given=Nathan&birthdate=eq2015-10-22')).body.total, 1);
    assert.equal((await get('/Patient?family=MEEK&given=Zed&birthdate=eq2015-10-22')).body.total, 0);
    assert.equal((await get('/Patient?family=MEEK&gender=female&birthdate=eq2015-10-22')).body.total, 0);
    assert.equal((await get('/Patient?family=MEEK&birthdate=eq2015-10-22&address-postalcode=dn208td')).body.total, 1);
    assert.equal((await get('/Patient?family=MEEK&birthdate=eq2015-10-22&address-postcode=DN20%208TE')).body.total, 0);
  });

  it('death-date finds a deceased patient', async () => {
    const x = await get('/Patient?family=Smith&birthdate=eq2010-10-22&death-date=eq2010-10-22');
    assert.equal(x.body.total, 1);
    assert.equal(x.body.entry[0].resource.deceasedDateTime, '2010-10-22T00:00:00+00:00');
    assert.equal((await get('/Patient?family=MEEK&birthdate=eq2015-10-22&death-date=le2030-01-01')).body.total, 0);
  });

  it('never an invalidated patient; a superseded one gives the superseding record once', async () => {
    assert.equal((await get('/Patient?family=HARGREAVES&birthdate=eq1970-01-01')).body.total, 0);
    const merged = await get('/Patient?family=NORTON&birthdate=eq1990-03-03');
    assert.deepEqual(merged.body.entry.map((e: { resource: { id: string } }) => e.resource.id), ['9658220215']);
  });

  it('no match: 200, an empty searchset (total 0, no entry)', async () => {
    const x = await get('/Patient?family=Nobody&birthdate=eq1999-01-01');
    assert.equal(x.status, 200);
    assert.deepEqual({ ...x.body, timestamp: undefined }, { resourceType: 'Bundle', type: 'searchset', total: 0, timestamp: undefined });
  });

  describe('refusals, as the sandbox words them', () => {
    it('no parameters: 400 UNSUPPORTED_SERVICE', async () => {
      await assertLikeSandbox(await get('/Patient'), 'search_no_params');
    });

    it('an unknown parameter: 400 ADDITIONAL_PROPERTIES naming it', async () => {
      await assertLikeSandbox(await get('/Patient?family=Smith&gender=female&birthdate=eq2010-10-22&invalidParam=123'), 'search_invalid_param');
    });

    it('no birthdate: 400 MISSING_VALUE', async () => {
      await assertLikeSandbox(await get('/Patient?family=Smith'), 'search_missing_birthdate');
    });

    it('no family: 400 INVALID_SEARCH_DATA', async () => {
      await assertLikeSandbox(await get('/Patient?birthdate=eq2010-10-22'), 'search_missing_family');
      assert.equal(outcomeCode((await get('/Patient?family=&birthdate=eq2010-10-22')).body).code, PdsError.invalidSearchData);
    });

    it('a malformed birthdate: 400 INVALID_VALUE naming the value and field', async () => {
      await assertLikeSandbox(await get('/Patient?family=Smith&birthdate=2010/10/22'), 'search_bad_date');
      const impossible = await get('/Patient?family=Smith&birthdate=eq2010-02-30');
      assert.equal(outcomeCode(impossible.body).diagnostics, "Invalid value - 'eq2010-02-30' in field 'birthdate'");
      const prefix = await get('/Patient?family=Smith&birthdate=gt2010-01-01');
      assert.equal(outcomeCode(prefix.body).code, PdsError.invalidValue);
    });

    it('a bad gender or _max-results: 400 INVALID_VALUE', async () => {
      const gender = await get('/Patient?family=Smith&birthdate=eq2010-10-22&gender=F');
      assert.equal(gender.status, 400);
      assert.equal(outcomeCode(gender.body).diagnostics, "Invalid value - 'F' in field 'gender'");
      for (const max of ['0', '51', 'x']) {
        const x = await get(`/Patient?family=Smith&birthdate=eq2010-10-22&_max-results=${max}`);
        assert.equal(outcomeCode(x.body).diagnostics, `Invalid value - '${max}' in field '_max-results'`);
      }
    });

    it('no X-Request-ID: 400 MISSING_VALUE before looking at the query', async () => {
      const x = await call('/Patient?family=Smith&birthdate=eq2010-10-22', {});
      await assertLikeSandbox(x, 'search_no_request_id');
      const alsoBadQuery = await call('/Patient?nonsense=1', {});
      assert.equal(outcomeCode(alsoBadQuery.body).code, PdsError.missingValue);
    });

    it('a bad token: 401 before looking at the query', async () => {
      const x = await get('/Patient?nonsense=1', { Authorization: 'Bearer t\u00f6ken' });
      assert.equal(x.status, 401);
      assert.equal(outcomeCode(x.body).code, PdsError.accessDenied);
    });
  });
});

// ------------------------------------------------------------------------------------- other paths and methods

describe('other methods and paths', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    it(`${method} /Patient/{id}: 405 with Allow: GET and a PDS OperationOutcome`, async () => {
      const x = await call('/Patient/9000000009', {
        method,
        headers: { [Header.xRequestId]: REQUEST_ID, [Header.contentType]: 'application/fhir+json' },
        body: '{"resourceType": "Patient", oops',
      });
      assert.equal(x.status, 405);
      assert.equal(x.headers.get('allow'), 'GET');
      assert.equal(x.headers.get('x-request-id'), REQUEST_ID);
      assert.equal(x.headers.get('content-type'), 'application/fhir+json');
      const code = outcomeCode(x.body);
      assert.equal(code.system, System.spineErrorCodeR4);
      assert.equal(code.code, PdsError.unsupportedService);
      assert.match(code.diagnostics ?? '', new RegExp(method));
    });
  }

  it('POST /Patient: 405 too', async () => {
    const x = await call('/Patient', { method: 'POST', body: 'not json at all' });
    assert.equal(x.status, 405);
    assert.equal(x.headers.get('allow'), 'GET');
  });

  for (const target of ['/Coverage', '/Patient/9000000009/RelatedPerson', '', '/', '/patient/9000000009']) {
    it(`unknown path "${target}": 404 with a PDS OperationOutcome`, async () => {
      const x = await get(target);
      assert.equal(x.status, 404);
      assert.equal(x.headers.get('x-correlation-id'), CORRELATION_ID);
      const code = outcomeCode(x.body);
      assert.equal(code.system, System.spineErrorCodeR4);
      assert.equal(code.code, PdsError.resourceNotFound);
      assert.equal(x.body.issue[0].code, 'not-found');
    });
  }

  it('does not answer outside its base', async () => {
    const handlers = pdsHandlers({ journal: new TrafficJournal(), base: BASE, patients });
    assert.equal(await getResponse(handlers, new Request('http://127.0.0.1:4001/spine-directory/FHIR/R4/Endpoint')), undefined);
    assert.equal(await getResponse(handlers, new Request(`${BASE}x/Patient/9000000009`)), undefined);
  });
});

// ------------------------------------------------------------------------------------- journal and faults

describe('journal and faults', () => {
  it("records every exchange with service 'pds', the request and the answer", async () => {
    const journal = new TrafficJournal();
    const handlers = pdsHandlers({ journal, base: BASE, patients });
    const init = { headers: { [Header.xRequestId]: REQUEST_ID } };
    await getResponse(handlers, new Request(`${BASE}/Patient/9000000009`, init));
    await getResponse(handlers, new Request(`${BASE}/Patient/9000000050`, init));
    await getResponse(handlers, new Request(`${BASE}/Patient?family=Smith&birthdate=eq2010-10-22`, init));
    await journal.settled();
    const entries = journal.entries({ service: 'pds' });
    assert.equal(entries.length, 3);
    assert.deepEqual(
      entries.map((e) => [e.service, e.method, e.target, e.status]),
      [
        ['pds', 'GET', '/personal-demographics/FHIR/R4/Patient/9000000009', 200],
        ['pds', 'GET', '/personal-demographics/FHIR/R4/Patient/9000000050', 400],
        ['pds', 'GET', '/personal-demographics/FHIR/R4/Patient?family=Smith&birthdate=eq2010-10-22', 200],
      ],
    );
    assert.equal(JSON.parse(entries[0].responseBody).id, '9000000009');
    assert.equal(entries[0].requestHeaders['x-request-id'], REQUEST_ID);
    assert.equal(entries[0].responseHeaders.etag, 'W/"2"');
    assert.equal(entries[1].fault, undefined);
  });

  it('a broken patient list gives a PDS-shaped 500, and the journal says what threw', async () => {
    const broken = [{ nhsNumber: '9000000009', kind: 'normal', family: 'Smith', versionId: '1' } as unknown as PdsPatient];
    const x = await call('/Patient?family=Smith&given=Jane&birthdate=eq2010-10-22', { headers: { [Header.xRequestId]: REQUEST_ID } }, broken);
    assert.equal(x.status, 500);
    const code = outcomeCode(x.body);
    assert.equal(code.code, SpineError.internalServerError);
    assert.equal(code.system, System.spineErrorCodeR4);
    const entry = x.journal.last('pds');
    assert.equal(entry?.status, 500);
    assert.match(entry?.fault ?? '', /TypeError/);
  });
});
