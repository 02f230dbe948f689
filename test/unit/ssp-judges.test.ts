/**
 * The SSP and topology judges (src/rules/ssp/, src/rules/topology/): each returns nothing for what
 * conforms and one finding, in words, for what does not, never naming a requirement ID.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JournalEntry } from '../../src/gpconnect/exchange';
import type { RawResponse } from '../../src/http/raw-client';
import { DirectoryError, loadDirectory, parseDirectory } from '../../src/spine/directory/load';
import { TopologyDraft } from '../../src/spine/directory/edits';
import { Directory } from '../../src/spine/directory/directory';
import type { Findings } from '../../src/rules/rule';
import type { SspSeen } from '../../src/rules/ssp/seen';
import { answerPassedBack, forwardedDisclosed, forwardedOnce, forwardedTimes, forwardedUnmodified, nothingForwarded, queryKept, statusIs } from '../../src/rules/ssp/forwarding';
import { preflightAnswered, rateLimitAnnounced } from '../../src/rules/ssp/cors-and-throttling';
import { errorNeverCached, refusedWith } from '../../src/rules/ssp/refusal';
import { providerSaw, receivedAtRoot } from '../../src/rules/topology/routing';
import { everyTopology, ownAsids, refusals, refusedNaming, sharePartyKey, type Loaded } from '../../src/rules/topology/directory';
import { asidGiven, endpointGiven, noEndpoint } from '../../src/rules/topology/sds';

const ROOT = '/A20047/STU3/1/gpconnect';
const QUERY = '/Slot?searchFilter=https%3A%2F%2Ffhir.nhs.uk%7Curgent-care';
const HEADERS: Array<[string, string]> = [['Ssp-From', '200000000359'], ['Ssp-To', '918999198993'], ['Content-Type', 'application/fhir+json'], ['Host', 'ssp.test']];

function entry(over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    seq: 1, time: '2026-12-04T00:00:00Z', durationMs: 1, service: 'provider', method: 'POST', url: '', target: ROOT + QUERY,
    requestHeaders: { 'ssp-from': '200000000359', 'ssp-to': '918999198993', 'content-type': 'application/fhir+json', host: 'provider.test' },
    requestBody: '{"resourceType":"Appointment"}', status: 201, responseHeaders: { 'content-type': 'application/fhir+json' }, responseBody: '{"id":"1"}',
    ...over,
  } as JournalEntry;
}

const passedBack: RawResponse = { status: 201, headers: { 'content-type': 'application/fhir+json' }, body: '{"id":"1"}' };

function seen(over: Partial<SspSeen> = {}): SspSeen {
  return { sent: { method: 'POST', headers: HEADERS, body: '{"resourceType":"Appointment"}' }, expectedTarget: ROOT + QUERY, response: passedBack, received: [entry()], ...over };
}

function refusal(status: number, display: string, over: { code?: string; cache?: string; body?: string } = {}): RawResponse {
  const body = over.body ?? JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', details: { coding: [{ code: over.code ?? String(status), display }] } }] });
  return { status, headers: { 'content-type': 'application/fhir+json', ...(over.cache === '' ? {} : { 'cache-control': over.cache ?? 'no-store' }) }, body };
}

const texts = (findings: Findings) => findings.map((f) => (typeof f === 'string' ? f : f.text));
const ID = /\b(SSP|TOP|SDS|DIR|PROV|CONS)-[A-Z0-9]/;

/** One finding that matches, and names no requirement. */
function oneFinding(findings: Findings, pattern: RegExp): void {
  const t = texts(findings);
  assert.equal(t.length, 1, `expected one finding, got ${JSON.stringify(t)}`);
  assert.match(t[0]!, pattern);
  assert.doesNotMatch(t[0]!, ID, 'a finding never spells a requirement ID');
}

describe('forwarding', () => {
  test('forwardedUnmodified allows the SSP its RFC 7239 Forwarded and nothing else; forwardedDisclosed wants it well formed', () => {
    const withForwarded = (value: string, extra: Record<string, string> = {}) => seen({ received: [entry({ requestHeaders: { ...entry().requestHeaders, forwarded: value, ...extra } })] });
    assert.deepEqual(forwardedUnmodified(withForwarded('for=127.0.0.1;host="127.0.0.1:4003";proto=http')), []);
    assert.deepEqual(forwardedDisclosed(withForwarded('for="[::1]";host=ssp.test;proto=https')), []);
    oneFinding(forwardedUnmodified(withForwarded('for=unknown;proto=http', { 'x-forwarded-for': '127.0.0.1' })), /also received x-forwarded-for: 127\.0\.0\.1/);
    oneFinding(forwardedDisclosed(seen()), /add an RFC 7239 Forwarded header/);
    oneFinding(forwardedDisclosed(withForwarded('by=ssp;proto=https')), /name the sender \(for=\)/);
    oneFinding(forwardedDisclosed(withForwarded('for=1.2.3.4; proto=ftp')), /proto=http or https/);
    oneFinding(forwardedDisclosed(withForwarded('127.0.0.1')), /name=value pairs/);
    const kept = seen({ sent: { method: 'POST', headers: [...HEADERS, ['Forwarded', 'for=192.0.2.60']], body: '{"resourceType":"Appointment"}' }, received: [entry({ requestHeaders: { ...entry().requestHeaders, forwarded: 'for=192.0.2.60, for=127.0.0.1;proto=http' } })] });
    assert.deepEqual(forwardedUnmodified(kept), []);
    assert.deepEqual(forwardedDisclosed(kept), []);
    assert.equal(forwardedTimes(seen(), 1).length, 0);
    oneFinding(forwardedTimes(seen(), 2), /receive the request 2 times, it received it 1 time/);
  });

  test('preflightAnswered and rateLimitAnnounced', () => {
    const preflight: RawResponse = { status: 200, headers: { 'access-control-request-method': 'GET, PUT', 'access-control-allow-methods': 'GET, PUT', 'access-control-allow-origin': '*' }, body: '' };
    assert.deepEqual(preflightAnswered(preflight, ['GET', 'PUT']), []);
    oneFinding(preflightAnswered({ ...preflight, headers: { ...preflight.headers, 'access-control-request-method': 'GET' } }, ['GET', 'PUT']), /access-control-request-method, it named GET/);
    oneFinding(preflightAnswered(refusal(405, '405: Method Not Allowed'), ['GET']), /preflight with success, it answered 405/);
    const limited: RawResponse = { status: 429, headers: { 'x-rate-limit-limit': '2', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '59' }, body: '' };
    assert.deepEqual(rateLimitAnnounced(limited, 2, 0), []);
    oneFinding(rateLimitAnnounced({ ...limited, headers: { ...limited.headers, 'x-rate-limit-remaining': '1' } }, 2, 0), /x-rate-limit-remaining: 0, it carried 1/);
  });

  test('forwardedOnce: once passes; never or twice is a finding', () => {
    assert.deepEqual(forwardedOnce(seen()), []);
    oneFinding(forwardedOnce(seen({ received: [], response: refusal(403, 'NO') })), /forward the request to the provider once, it reached the provider no times \(the SSP answered 403/);
    oneFinding(forwardedOnce(seen({ received: [entry(), entry()] })), /2 times/);
  });

  test('forwardedUnmodified: as sent passes (hop-by-hop headers aside); each change is a finding', () => {
    assert.deepEqual(forwardedUnmodified(seen()), []);
    oneFinding(forwardedUnmodified(seen({ received: [entry({ method: 'PUT' })] })), /method POST, it received PUT/);
    oneFinding(forwardedUnmodified(seen({ received: [entry({ target: ROOT + decodeURIComponent(QUERY) })] })), /path and query .*%3A.*, it received .*https:\/\//);
    oneFinding(forwardedUnmodified(seen({ received: [entry({ requestHeaders: { ...entry().requestHeaders, 'ssp-from': '1' } })] })), /header Ssp-From as sent \(200000000359\), it received 1/);
    oneFinding(forwardedUnmodified(seen({ received: [entry({ requestBody: '{}' })] })), /body as sent/);
    assert.deepEqual(forwardedUnmodified(seen({ received: [] })), [], 'nothing to compare: forwardedOnce says so');
  });

  test("answerPassedBack: the provider's answer unchanged passes; a changed status, body or type is a finding", () => {
    assert.deepEqual(answerPassedBack(seen()), []);
    oneFinding(answerPassedBack(seen({ response: { ...passedBack, status: 500 } })), /status 201, it received 500/);
    oneFinding(answerPassedBack(seen({ response: { ...passedBack, body: '{}' } })), /provider's body/);
    oneFinding(answerPassedBack(seen({ response: { ...passedBack, headers: { 'content-type': 'application/json' } } })), /Content-Type application\/fhir\+json, it received application\/json/);
    oneFinding(answerPassedBack(seen({ received: [] })), /nothing reached the provider/);
  });

  test('queryKept, statusIs, nothingForwarded', () => {
    assert.deepEqual(queryKept(seen(), 'searchFilter=https%3A%2F%2F'), []);
    oneFinding(queryKept(seen({ received: [entry({ target: `${ROOT}/Slot?searchFilter=https://fhir.nhs.uk` })] }), 'searchFilter=https%3A%2F%2F'), /containing searchFilter=https%3A%2F%2F, it received .*Slot\?searchFilter=https:\/\//);
    assert.deepEqual(statusIs(passedBack, 201), []);
    oneFinding(statusIs(passedBack, 409), /status 409, it received 201/);
    assert.deepEqual(nothingForwarded(seen({ received: [] })), []);
    oneFinding(nothingForwarded(seen()), /forward nothing, the provider received POST \/A20047/);
  });
});

describe('refusal', () => {
  test('refusedWith: the status and reason pass; another status fails; another reason alone is a finding about the exact value', () => {
    assert.deepEqual(refusedWith(refusal(403, 'ASID_CHECK_FAILED_MESSAGESENDER_1'), 403, 'ASID_CHECK_FAILED_MESSAGESENDER_1'), []);
    oneFinding(refusedWith(passedBack, 403, 'ASID_CHECK_FAILED_MESSAGESENDER_1'), /refuse with 403 "ASID_CHECK_FAILED_MESSAGESENDER_1", it answered 201/);
    oneFinding(refusedWith(refusal(500, 'INTERNAL'), 502, 'ERROR_COMMUNICATING'), /refuse with 502 .*it answered 500 INTERNAL/);
    const other = refusedWith(refusal(400, 'BAD_REQUEST'), 400, 'BAD_REQUEST_UNKNOWN_MESSAGERECEIVER_1');
    oneFinding(other, /name the reason "BAD_REQUEST_UNKNOWN_MESSAGERECEIVER_1", it named "BAD_REQUEST"/);
    assert.equal((other[0] as { exactOnly?: boolean }).exactOnly, true);
    oneFinding(refusedWith(refusal(400, 'X', { body: 'plain text' }), 400, 'X'), /OperationOutcome, its body was not JSON/);
    assert.ok(refusedWith(refusal(502, 'X'), 504, 'Y').every((f) => !f.exactOnly), 'another status is the rule itself');
  });
  test('refusedWith: the refusal is a valid STU3 OperationOutcome (the FHIR base definition), else named with its path', () => {
    const critical = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'critical', code: 'forbidden', details: { coding: [{ code: '403', display: 'X' }] } }] });
    oneFinding(refusedWith(refusal(403, 'X', { body: critical }), 403, 'X'), /not a valid STU3 OperationOutcome: OperationOutcome\.issue\[0\]\.severity/);
    const noIssue = JSON.stringify({ resourceType: 'OperationOutcome' });
    oneFinding(refusedWith(refusal(403, 'X', { body: noIssue }), 403, 'X'), /OperationOutcome\.issue/);
  });

  test('errorNeverCached: the status as code and no-store pass; each missing is a finding; an answer that is no error has nothing to judge', () => {
    assert.deepEqual(errorNeverCached(refusal(400, 'X')), []);
    oneFinding(errorNeverCached(refusal(400, 'X', { cache: '' })), /Cache-Control: no-store, it carried none/);
    oneFinding(errorNeverCached(refusal(400, 'X', { cache: 'max-age=60' })), /it carried max-age=60/);
    oneFinding(errorNeverCached(refusal(403, 'X', { code: 'forbidden' })), /code 403, it carried forbidden/);
    assert.deepEqual(errorNeverCached({ status: 200, headers: {}, body: '' }), []);
  });
});

describe('routing through a topology', () => {
  test("providerSaw: the originator's ASID passes; another is a finding", () => {
    assert.deepEqual(providerSaw(seen(), 'Ssp-From', '200000000359'), []);
    oneFinding(providerSaw(seen(), 'Ssp-From', '200000000400'), /Ssp-From as 200000000400, it saw 200000000359/);
    oneFinding(providerSaw(seen({ received: [] }), 'Ssp-From', '1'), /nothing reached it/);
  });

  test("receivedAtRoot: under the practice's own root passes; a neighbour's is a finding", () => {
    assert.deepEqual(receivedAtRoot(seen(), 'A20047', ROOT), []);
    oneFinding(receivedAtRoot(seen(), 'B82617', '/B82617/STU3/1/gpconnect'), /for B82617 to arrive under \/B82617\/STU3\/1\/gpconnect, it arrived at \/A20047/);
    oneFinding(receivedAtRoot(seen(), 'A20047', '/A20047/STU3/1/gpcon'), /arrive under/, );
  });
});

describe('the directory', () => {
  const directory = loadDirectory();
  const load = (edit: (d: TopologyDraft) => void, skipRules: ReadonlySet<string> = new Set()): Loaded => {
    const draft = new TopologyDraft();
    edit(draft);
    try {
      return { directory: parseDirectory(draft.toYaml(), 'edited', { skipRules }) };
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      return { error };
    }
  };
  const cma = (d: TopologyDraft) => d.registerAsCma('200000000359');
  const refused = load(cma);

  test('refusals and everyTopology: the default loads whole; a refusal is a finding under its rule, or the first requirement naming it', () => {
    const whole = load(() => undefined);
    assert.deepEqual([...refusals(whole, ['SDS-2.1-CONSUMER-NOT-CMA'])], []);
    assert.deepEqual(everyTopology(whole, ['consumer-shared-mhs', 'provider-datacentre-hosted']), []);
    oneFinding(everyTopology(whole, ['consumer-on-the-moon']), /a consumer-on-the-moon topology, it has none/);
    const own = refusals(refused, ['SDS-1.1-UNIQUE-ASID', 'SDS-2.1-CONSUMER-NOT-CMA']);
    assert.deepEqual([...own.keys()], ['SDS-2.1-CONSUMER-NOT-CMA']);
    oneFinding(own.get('SDS-2.1-CONSUMER-NOT-CMA')!, /expected the topology to load, the directory refused systems\[\d+\] \(ASID 200000000359/);
    const other = refusals(refused, ['SDS-1.1-UNIQUE-ASID']);
    assert.deepEqual([...other.keys()], ['SDS-1.1-UNIQUE-ASID'], "another rule's problem goes to the scenario's requirement");
    assert.match(other.get('SDS-1.1-UNIQUE-ASID')![0]!, /refused .*: \[SDS-2\.1-CONSUMER-NOT-CMA\] /, 'naming the rule the directory gave, as what was seen');
  });

  test('refusedNaming: a refusal naming the entry under the rule passes; loading, or another rule, is a finding', () => {
    assert.deepEqual(refusedNaming(refused, 'ASID 200000000359', 'SDS-2.1-CONSUMER-NOT-CMA'), []);
    oneFinding(refusedNaming(load(cma, new Set(['SDS-2.1-CONSUMER-NOT-CMA'])), 'ASID 200000000359', 'SDS-2.1-CONSUMER-NOT-CMA'), /refuse the topology naming ASID 200000000359, it loaded it/);
    assert.match(texts(refusedNaming(refused, 'ASID 200000000359', 'SDS-3.1-CMA'))[0]!, /naming ASID 200000000359 under this rule, it named systems\[\d+\] .*\[SDS-2\.1-CONSUMER-NOT-CMA\]/);
    assert.equal(refusedNaming(refused, 'ASID 999', 'SDS-2.1-CONSUMER-NOT-CMA').length, 1);
  });

  test('sharePartyKey and ownAsids: the shared MHS topology conforms; another key, or one organisation twice, is a finding', () => {
    assert.deepEqual(sharePartyKey(directory, 'consumer-shared-mhs', 'AGG01-200001'), []);
    const systems = directory.topology('consumer-shared-mhs')!.systems;
    assert.equal(sharePartyKey(directory, 'consumer-shared-mhs', 'OTHER-1').length, systems.length);
    assert.match(texts(sharePartyKey(directory, 'consumer-shared-mhs', 'OTHER-1'))[0]!, /to be behind OTHER-1, it is behind AGG01-200001/);
    oneFinding(sharePartyKey(directory, 'no-such-topology', 'X'), /a topology no-such-topology in the directory, there is none/);
    assert.deepEqual(ownAsids(directory, systems), []);
    oneFinding(ownAsids(directory, [systems[0]!, systems[0]!]), /one organisation has two of them/);
    const first = directory.systemByAsid(systems[0]!)!;
    const twice = new Directory({ ...directory.data, systems: [...directory.data.systems, { ...first }] });
    oneFinding(ownAsids(twice, [systems[0]!]), new RegExp(`ASID ${systems[0]} to be registered once, it is registered 2 times`));
  });
});

describe('SDS', () => {
  const found = { provider: { serviceRoot: 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect', partyKey: 'A20047-821870', asid: '918999198993' } };

  test('noEndpoint: no endpoint passes; an endpoint, or another failure, is a finding', () => {
    assert.deepEqual(noEndpoint({ error: new Error('UCC01 has no GP Connect endpoint') }), []);
    oneFinding(noEndpoint({ provider: { serviceRoot: 'https://mhs.ucc01.test', partyKey: 'UCC01-100001', asid: '1' } }), /offer no GP Connect endpoint, it offered https:\/\/mhs.ucc01.test/);
    oneFinding(noEndpoint({ error: new Error('socket hang up') }), /failed otherwise: socket hang up/);
  });

  test('endpointGiven and asidGiven: the practice’s own pass; another root, key or ASID is a finding', () => {
    assert.deepEqual(endpointGiven(found, found.provider.serviceRoot, 'A20047-821870'), []);
    oneFinding(endpointGiven(found, found.provider.serviceRoot + '/', 'A20047-821870'), /gpconnect\/, it gave .*gpconnect$/);
    oneFinding(endpointGiven(found, found.provider.serviceRoot, 'B82617-0000806'), /party key B82617-0000806, it gave A20047-821870/);
    oneFinding(endpointGiven({ error: new Error('no answer') }, 'x', 'y'), /the lookup failed: no answer/);
    assert.deepEqual(asidGiven(found, '918999198993'), []);
    oneFinding(asidGiven(found, '918999198738'), /ASID 918999198738 for the party key, it gave 918999198993/);
  });
});
