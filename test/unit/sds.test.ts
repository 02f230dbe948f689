/**
 * The simulated SDS FHIR R4 API (src/spine/sds.ts) against pds-sds.md §2 and the SDS sandbox
 * captures in ../shared/spec/pds-sds-examples/sds/sandbox: driven in-process with msw's getResponse.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { getResponse } from 'msw';
import { Interaction, System } from '../../src/gpconnect/constants';
import { Directory } from '../../src/spine/directory/directory';
import type { DirectoryData } from '../../src/spine/directory/model';
import { TrafficJournal } from '../../src/spine/journal';
import { sdsHandlers } from '../../src/spine/sds';
import { PACKAGE_ROOT } from '../../src/package-root';

// JSON bodies are compared field by field against captured JSON: typed loosely on purpose.
type Json = any;

const BASE = 'http://127.0.0.1:4002/spine-directory/FHIR/R4';
const SANDBOX_DIR = path.resolve(PACKAGE_ROOT, '../shared/spec/pds-sds-examples/sds/sandbox');
const SANDBOX_ORIGIN = 'http://127.0.0.1:9101';
const NOT_GP_CONNECT = 'urn:nhs:names:services:pdsquery:QUPA_IN040000UK32';
const STRUCTURED = 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1';
const SERVICE_ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';

const DATA: DirectoryData = {
  rules: { consumerCmaEndpoints: 'forbid' },
  organisations: [
    { ods: 'A20047', name: "Dr Legg's Surgery", type: 'gp-practice' },
    { ods: 'UCC01', name: 'Riverside Urgent Care Centre', type: 'urgent-care' },
  ],
  systems: [
    {
      asid: '918999198993', name: 'Practice system at A20047', role: 'provider', organisation: 'A20047',
      partyKey: 'A20047-821870', manufacturer: 'YGM24', sends: [], receives: [Interaction.readMetadata, Interaction.searchSlot],
    },
    {
      asid: '200000000359', name: 'Urgent care booking system', role: 'consumer', organisation: 'UCC01',
      partyKey: 'UCC01-100001', manufacturer: 'UCC01', sends: [Interaction.readMetadata, Interaction.searchSlot], receives: [],
    },
  ],
  mhs: [
    { partyKey: 'A20047-821870', organisation: 'A20047', fqdn: 'gpc.a20047.practice.test', cpaId: 'S918999198993', address: SERVICE_ROOT, interactions: [Interaction.readMetadata, Interaction.searchSlot] },
    // A consumer's MHS record: an address, but no GP Connect interaction (SDS registration §2.2).
    { partyKey: 'UCC01-100001', organisation: 'UCC01', fqdn: 'booking.ucc01.consumer.test', cpaId: 'S200000000359', address: 'https://booking.ucc01.consumer.test/sync-service', interactions: [NOT_GP_CONNECT] },
  ],
  cmaEndpoints: [{ partyKey: 'A20047-821870', asid: '918999198993' }],
  agreements: [{ organisations: ['UCC01', 'A20047'] }],
  topologies: [],
};

const journal = new TrafficJournal();
const handlers = sdsHandlers({ base: BASE, journal, directory: new Directory(DATA) });

const ODS = (v: string) => `organization=${encodeURIComponent(`${System.odsOrganizationCode}|${v}`)}`;
const SVC = (v: string) => `identifier=${encodeURIComponent(`${System.interactionId}|${v}`)}`;
const PK = (v: string) => `identifier=${encodeURIComponent(`${System.partyKey}|${v}`)}`;
const MANUFACTURER = (v: string) => `manufacturing-organization=${encodeURIComponent(`${System.odsOrganizationCode}|${v}`)}`;
const KEY = { apikey: 'any-key' };

interface Exchange {
  status: number;
  headers: Headers;
  body: Json;
}

async function call(target: string, headers: Record<string, string> = KEY, method = 'GET', handlerList = handlers): Promise<Exchange> {
  const response = await getResponse(handlerList, new Request(BASE + target, { method, headers }));
  assert.ok(response, `no handler answered ${method} ${target}`);
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

/** A sandbox capture: its status line, headers (lower-cased names) and JSON body. */
function capture(name: string): Exchange {
  const raw = readFileSync(path.join(SANDBOX_DIR, `${name}.headers.txt`), 'utf8');
  const headers = new Headers();
  for (const line of raw.split(/\r?\n/).slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  return { status, headers, body: JSON.parse(readFileSync(path.join(SANDBOX_DIR, `${name}.json`), 'utf8')) };
}

/** An OperationOutcome with its per-response id blanked, to compare with a capture. */
const outcomeShape = (body: Json) => ({ ...body, id: '<correlation id>' });

/** Ours and the sandbox's answer agree: status, content type, and the whole OperationOutcome but its id. */
function assertSameError(ours: Exchange, sandboxName: string): void {
  const theirs = capture(sandboxName);
  assert.equal(ours.status, theirs.status, `status as in ${sandboxName}`);
  assert.equal(ours.headers.get('Content-Type'), theirs.headers.get('Content-Type'));
  assert.deepEqual(outcomeShape(ours.body), outcomeShape(theirs.body), `OperationOutcome as in ${sandboxName}`);
  assert.equal(ours.body.id, ours.headers.get('X-Correlation-Id'), 'the OperationOutcome id is the correlation id');
}

const UPPER_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const systems = (identifiers: Json[]) => identifiers.map((i) => i.system);
const urls = (extensions: Json[]) => extensions.map((e) => e.url);
const values = (extensions: Json[]) => extensions.map((e) => e.valueReference.identifier.value);

describe('worked example steps 2a-2d (gpconnect-spec.md §3, pds-sds.md §2.2)', () => {
  test('2a/2b: Endpoint by ODS code and interaction gives the service root and party key', async () => {
    const { status, headers, body } = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'application/fhir+json');
    assert.equal(body.total, 1);
    const endpoint = body.entry[0].resource;
    assert.equal(endpoint.address, SERVICE_ROOT);
    assert.equal(endpoint.identifier.find((i: Json) => i.system === System.partyKey)?.value, 'A20047-821870');
    assert.deepEqual(endpoint.managingOrganization, { identifier: { system: System.odsOrganizationCode, value: 'A20047' } });
    assert.deepEqual(values(endpoint.extension.slice(1)), [Interaction.readMetadata]);
  });

  test('2c/2d: Device by ODS code, interaction and party key gives the ASID', async () => {
    const { status, body } = await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&${PK('A20047-821870')}`);
    assert.equal(status, 200);
    assert.equal(body.total, 1);
    const device = body.entry[0].resource;
    assert.deepEqual(device.identifier, [
      { system: System.asid, value: '918999198993' },
      { system: System.partyKey, value: 'A20047-821870' },
    ]);
    assert.deepEqual(device.owner, { identifier: { system: System.odsOrganizationCode, value: 'A20047' } });
  });

  test("a consumer's MHS record is not found by a GP Connect interaction, though it is there (SDS registration §2.2)", async () => {
    const byInteraction = await call(`/Endpoint?${ODS('UCC01')}&${SVC(Interaction.readMetadata)}`);
    assert.equal(byInteraction.status, 200);
    assert.equal(byInteraction.body.total, 0);
    assert.deepEqual(byInteraction.body.entry, []);
    const byPartyKey = await call(`/Endpoint?${ODS('UCC01')}&${PK('UCC01-100001')}`);
    assert.deepEqual(byPartyKey.body.entry.map((e: Json) => values(e.resource.extension.slice(1))), [[NOT_GP_CONNECT]]);
  });

  test("a consumer's AS record is found by the GP Connect interactions it sends", async () => {
    const { body } = await call(`/Device?${ODS('UCC01')}&${SVC(Interaction.searchSlot)}`);
    assert.deepEqual(body.entry.map((e: Json) => e.resource.identifier[0].value), ['200000000359']);
  });
});

describe('GET /Endpoint', () => {
  test('organisation and party key: one Endpoint per interaction of the MHS record', async () => {
    const { body } = await call(`/Endpoint?${ODS('A20047')}&${PK('A20047-821870')}`);
    assert.equal(body.total, 2);
    assert.deepEqual(body.entry.map((e: Json) => values(e.resource.extension.slice(1))), [[Interaction.readMetadata], [Interaction.searchSlot]]);
    assert.notEqual(body.entry[0].resource.id, body.entry[1].resource.id);
  });

  test('interaction and party key without an organisation', async () => {
    const { status, body } = await call(`/Endpoint?${SVC(Interaction.searchSlot)}&${PK('A20047-821870')}`);
    assert.equal(status, 200);
    assert.equal(body.total, 1);
  });

  test('all three criteria must hold', async () => {
    assert.equal((await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&${PK('A20047-821870')}`)).body.total, 1);
    assert.equal((await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&${PK('UCC01-100001')}`)).body.total, 0);
    assert.equal((await call(`/Endpoint?${ODS('UCC01')}&${SVC(Interaction.readMetadata)}&${PK('A20047-821870')}`)).body.total, 0);
  });

  test('an unknown organisation is a 200 searchset, total 0 and entry [], as the sandbox gives it', async () => {
    const ours = await call(`/Endpoint?${ODS('A99999')}&${SVC(STRUCTURED)}`);
    const theirs = capture('endpoint_unknown_ods_empty');
    assert.equal(ours.status, 200);
    assert.ok(UPPER_UUID.test(ours.body.id));
    const link = theirs.body.link[0].url.replace(SANDBOX_ORIGIN, BASE);
    assert.deepEqual({ ...ours.body, id: '' }, { ...theirs.body, id: '', link: [{ relation: 'self', url: link }] });
  });

  test('the Bundle, entry and Endpoint have the sandbox keys in the sandbox order', async () => {
    const { body } = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    const sandbox = capture('endpoint_YES_psis').body;
    assert.deepEqual(Object.keys(body), Object.keys(sandbox));
    assert.deepEqual(Object.keys(body.entry[0]), Object.keys(sandbox.entry[0]));
    assert.deepEqual(Object.keys(body.entry[0].resource), Object.keys(sandbox.entry[0].resource));
    assert.deepEqual(body.entry[0].search, sandbox.entry[0].search);
  });

  test('the Endpoint fields are shaped as the sandbox shapes them', async () => {
    const endpoint = (await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).body.entry[0].resource;
    const sandbox = capture('endpoint_YES_psis').body.entry[0].resource;
    assert.equal(endpoint.resourceType, 'Endpoint');
    assert.equal(endpoint.status, sandbox.status);
    assert.deepEqual(endpoint.connectionType, sandbox.connectionType);
    assert.deepEqual(endpoint.payloadType, sandbox.payloadType);
    assert.deepEqual(systems(endpoint.identifier), systems(sandbox.identifier), 'FQDN, party key, CPA id, MHS id');
    assert.deepEqual(
      endpoint.identifier.map((i: Json) => i.value),
      ['gpc.a20047.practice.test', 'A20047-821870', 'S918999198993', 'S918999198993'],
      'the CPA id stands in for the MHS id',
    );
    assert.deepEqual(urls(endpoint.extension), urls(sandbox.extension), 'reliability, then interaction id');
    assert.deepEqual(Object.keys(endpoint.extension[1]), Object.keys(sandbox.extension[1]));
  });

  test('the reliability extension keeps the SDS order and drops empty settings', async () => {
    const endpoint = (await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).body.entry[0].resource;
    const full = urls(capture('endpoint_YES_psis').body.entry[0].resource.extension[0].extension);
    const ours = endpoint.extension[0].extension;
    assert.deepEqual(ours, [
      { url: 'nhsMHSSyncReplyMode', valueString: 'None' },
      { url: 'nhsMHSDuplicateElimination', valueString: 'never' },
      { url: 'nhsMHSAckRequested', valueString: 'never' },
    ]);
    assert.deepEqual(urls(ours), full.filter((u: string) => urls(ours).includes(u)), 'a subsequence of the full list');
  });

  test('fullUrl is the base, /Endpoint/ and the id; the self link is the request URL unquoted', async () => {
    const { body } = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    assert.equal(body.entry[0].fullUrl, `${BASE}/Endpoint/${body.entry[0].resource.id}`);
    assert.deepEqual(body.link, [
      { relation: 'self', url: `${BASE}/Endpoint?organization=${System.odsOrganizationCode}|A20047&identifier=${System.interactionId}|${Interaction.readMetadata}` },
    ]);
  });

  test('resource ids are stable for a record; the Bundle id names the answer within one Spine', async () => {
    const q = `/Endpoint?${ODS('A20047')}&${SVC(Interaction.searchSlot)}`;
    const [first, second] = [await call(q), await call(q)];
    assert.equal(first.body.entry[0].resource.id, second.body.entry[0].resource.id);
    assert.ok(UPPER_UUID.test(first.body.entry[0].resource.id));
    assert.ok(UPPER_UUID.test(first.body.id));
    // The same search, the same records: the same answer, byte for byte (the evidence keeps it once).
    assert.equal(first.body.id, second.body.id);
    assert.deepEqual(first.body, second.body);
    // Another search of the same record, another id.
    const other = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    assert.equal(other.body.entry[0].resource.address, first.body.entry[0].resource.address);
    assert.notEqual(other.body.id, first.body.id);
    // Another Spine, another id for the same answer.
    const otherSpine = sdsHandlers({ base: BASE, journal: new TrafficJournal(), directory: new Directory(DATA) });
    assert.notEqual((await call(q, KEY, 'GET', otherSpine)).body.id, first.body.id);
    // The directory edited under the same Spine (another address for the record), as Spine in a box's
    // amendDirectory edits it and says so: another answer, another id; and the first again once it is put back.
    const data = structuredClone(DATA);
    const directory = new Directory(data);
    const editable = sdsHandlers({ base: BASE, journal: new TrafficJournal(), directory });
    const before = await call(q, KEY, 'GET', editable);
    const address = data.mhs[0].address;
    data.mhs[0].address = `${SERVICE_ROOT}/moved`;
    directory.changed();
    const after = await call(q, KEY, 'GET', editable);
    assert.notEqual(before.body.entry[0].resource.address, after.body.entry[0].resource.address);
    assert.notEqual(before.body.id, after.body.id);
    data.mhs[0].address = address;
    directory.changed();
    assert.deepEqual((await call(q, KEY, 'GET', editable)).body, before.body);
  });

  test('a repeated system: the last value wins', async () => {
    assert.equal((await call(`/Endpoint?${ODS('A99999')}&${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).body.total, 1);
    assert.equal((await call(`/Endpoint?${ODS('A20047')}&${ODS('A99999')}&${SVC(Interaction.readMetadata)}`)).body.total, 0);
    const twice = await call(`/Endpoint?${ODS('A20047')}&${SVC(NOT_GP_CONNECT)}&${SVC(Interaction.searchSlot)}`);
    assert.deepEqual(values(twice.body.entry[0].resource.extension.slice(1)), [Interaction.searchSlot]);
  });

  test('a raw | and the percent-encoded %7C or %7c read alike', async () => {
    const raw = await call(`/Endpoint?organization=${System.odsOrganizationCode}|A20047&identifier=${System.interactionId}|${Interaction.readMetadata}`);
    const upper = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    const lower = await call(`/Endpoint?organization=${System.odsOrganizationCode}%7cA20047&identifier=${System.interactionId}%7c${Interaction.readMetadata}`);
    for (const answer of [raw, upper, lower]) assert.equal(answer.body.entry[0]?.resource.address, SERVICE_ROOT);
    assert.equal(raw.body.link[0].url, upper.body.link[0].url);
    assert.equal(lower.body.link[0].url, upper.body.link[0].url);
  });

  test('a value with a second | is a value, not a system: nothing matches', async () => {
    const { status, body } = await call(`/Endpoint?${ODS('A20047|X')}&${SVC(Interaction.readMetadata)}`);
    assert.equal(status, 200);
    assert.equal(body.total, 0);
  });
});

describe('GET /Device', () => {
  test('Device keys, identifier and extension order are those of the sandbox', async () => {
    const device = (await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).body.entry[0].resource;
    const sandbox = capture('device_X26_gp2gp').body.entry[0].resource;
    assert.deepEqual(Object.keys(device), Object.keys(sandbox));
    assert.deepEqual(systems(device.identifier), systems(sandbox.identifier));
    assert.deepEqual(urls(device.extension), [System.sdsManufacturingOrgExt, System.sdsInteractionIdExt, System.sdsInteractionIdExt]);
    assert.deepEqual(Object.keys(device.extension[0]), Object.keys(sandbox.extension[0]));
    assert.deepEqual(device.extension[0].valueReference, { identifier: { system: System.odsOrganizationCode, value: 'YGM24' } });
    assert.deepEqual(values(device.extension.slice(1)), [Interaction.readMetadata, Interaction.searchSlot], 'every interaction the AS is accredited for');
  });

  test('the Device Bundle is shaped as the sandbox Bundle', async () => {
    const { body } = await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
    const sandbox = capture('device_X26_gp2gp').body;
    assert.deepEqual(Object.keys(body), Object.keys(sandbox));
    assert.deepEqual(Object.keys(body.entry[0]), Object.keys(sandbox.entry[0]));
    assert.equal(body.entry[0].fullUrl, `${BASE}/Device/${body.entry[0].resource.id}`);
  });

  test('no AS record: total 0 and entry [], equal to the sandbox answers but for ids and host', async () => {
    for (const [name, ods] of [['device_unknown_ods_empty', 'A99999'], ['device_B82617_gpc_structured', 'B82617']]) {
      const ours = await call(`/Device?${ODS(ods)}&${SVC(STRUCTURED)}`);
      const theirs = capture(name);
      assert.equal(ours.status, theirs.status);
      const link = theirs.body.link[0].url.replace(SANDBOX_ORIGIN, BASE);
      assert.deepEqual({ ...ours.body, id: '' }, { ...theirs.body, id: '', link: [{ relation: 'self', url: link }] });
    }
  });

  test('the party key and manufacturing organisation narrow the search', async () => {
    const base = `/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`;
    assert.equal((await call(`${base}&${PK('A20047-821870')}&${MANUFACTURER('YGM24')}`)).body.total, 1);
    assert.equal((await call(`${base}&${PK('UCC01-100001')}`)).body.total, 0);
    assert.equal((await call(`${base}&${MANUFACTURER('X26')}`)).body.total, 0);
  });

  test('an interaction the AS record is not accredited for finds nothing', async () => {
    assert.equal((await call(`/Device?${ODS('A20047')}&${SVC(Interaction.createAppointment)}`)).body.total, 0);
  });

  test('resource ids are stable', async () => {
    const q = `/Device?${ODS('UCC01')}&${SVC(Interaction.readMetadata)}`;
    assert.equal((await call(q)).body.entry[0].resource.id, (await call(q)).body.entry[0].resource.id);
  });
});

describe('400 Bad Request: the sandbox diagnostics', () => {
  test('Endpoint with an organisation only (err400_endpoint_org_only)', async () => {
    assertSameError(await call(`/Endpoint?${ODS('B82617')}`), 'err400_endpoint_org_only');
  });

  test('Endpoint with a party key only, a service only, or nothing at all', async () => {
    for (const query of [PK('A20047-821870'), SVC(Interaction.readMetadata), '']) {
      assertSameError(await call(`/Endpoint?${query}`), 'err400_endpoint_org_only');
    }
  });

  test('Endpoint with a blank value counts as without it', async () => {
    const blank = `identifier=${encodeURIComponent(`${System.interactionId}|   `)}`;
    assertSameError(await call(`/Endpoint?${ODS('A20047')}&${blank}`), 'err400_endpoint_org_only');
  });

  test('Endpoint with the stale nhsEndpointServiceId system (err400_endpoint_bad_identifier_system)', async () => {
    const stale = `identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhsEndpointServiceId|urn:nhs:names:services:psis:REPC_IN150016UK05')}`;
    assertSameError(await call(`/Endpoint?${ODS('YES')}&${stale}`), 'err400_endpoint_bad_identifier_system');
  });

  test('odd identifiers: no system, no bar, an empty value, a bare name', async () => {
    for (const odd of ['identifier=%7Cx', `identifier=${encodeURIComponent(System.interactionId)}`, 'identifier=', 'identifier']) {
      assertSameError(await call(`/Endpoint?${ODS('A20047')}&${odd}`), 'err400_endpoint_bad_identifier_system');
    }
  });

  test('Endpoint with an organisation without its system (err400_endpoint_bad_org_system)', async () => {
    assertSameError(await call(`/Endpoint?organization=B82617&${SVC(STRUCTURED)}`), 'err400_endpoint_bad_org_system');
    assertSameError(await call(`/Endpoint?organization=&${SVC(STRUCTURED)}`), 'err400_endpoint_bad_org_system');
  });

  test('every organisation value is checked, not only the last', async () => {
    assertSameError(await call(`/Endpoint?organization=B82617&${ODS('A20047')}&${SVC(Interaction.readMetadata)}`), 'err400_endpoint_bad_org_system');
  });

  test('an unknown parameter (err400_endpoint_illegal_param), checked in the order given', async () => {
    assertSameError(await call(`/Endpoint?${ODS('YES')}&${SVC(Interaction.readMetadata)}&foo=bar`), 'err400_endpoint_illegal_param');
    assertSameError(await call(`/Endpoint?foo&${ODS('YES')}`), 'err400_endpoint_illegal_param');
    assert.equal((await call(`/Endpoint?_format=json&${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).body.issue[0].diagnostics, "HTTP 400: Bad Request (Illegal query parameter '_format')");
    assertSameError(await call(`/Endpoint?organization=B82617&foo=bar`), 'err400_endpoint_bad_org_system');
  });

  test('manufacturing-organization is a Device parameter only', async () => {
    const { body } = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&${MANUFACTURER('YGM24')}`);
    assert.equal(body.issue[0].diagnostics, "HTTP 400: Bad Request (Illegal query parameter 'manufacturing-organization')");
  });

  test('Device without an interaction (err400_device_missing_identifier, err400_device_partykey_only)', async () => {
    assertSameError(await call(`/Device?${ODS('B82617')}`), 'err400_device_missing_identifier');
    assertSameError(await call(`/Device?${ODS('B82617')}&${PK('B82617-0000806')}`), 'err400_device_partykey_only');
  });

  test('Device without an organisation, or with one lacking its system', async () => {
    assertSameError(await call(`/Device?${SVC(Interaction.readMetadata)}`), 'err400_endpoint_bad_org_system');
    assertSameError(await call(`/Device?organization=B82617&${SVC(Interaction.readMetadata)}`), 'err400_endpoint_bad_org_system');
  });

  test('Device with a manufacturing organisation lacking its system', async () => {
    const { status, body } = await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&manufacturing-organization=YGM24`);
    assert.equal(status, 400);
    assert.equal(
      body.issue[0].diagnostics,
      `HTTP 400: Bad Request (Missing or invalid 'manufacturing-organization' query parameter. Should be 'manufacturing-organization=${System.odsOrganizationCode}|value')`,
    );
  });

  test('Device with an illegal parameter', async () => {
    assertSameError(await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&foo=bar`), 'err400_endpoint_illegal_param');
  });

  test('bad percent-encoding is a 400, never a throw', async () => {
    for (const query of ['organization=%E0%A4%A', 'organization=%ZZ', `${SVC(Interaction.readMetadata)}&organization=%FF`, 'org%ZZ=1']) {
      const { status, body } = await call(`/Endpoint?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.issue[0].details.coding[0].code, 'BAD_REQUEST');
      assert.match(body.issue[0].diagnostics, /^HTTP 400: Bad Request \(Invalid percent-encoding in query parameter '/);
    }
  });

  test('an invalid X-Correlation-Id (err400_bad_correlation_id) gets a new one, not an echo', async () => {
    const ours = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, { ...KEY, 'X-Correlation-Id': 'not-a-uuid' });
    assertSameError(ours, 'err400_bad_correlation_id');
    assert.ok(UPPER_UUID.test(ours.headers.get('X-Correlation-Id') ?? ''));
  });
});

describe('401, 404, 405, 406', () => {
  test('no apikey: 401 OperationOutcome, SDS-shaped', async () => {
    for (const headers of [{}, { apikey: '' }] as Array<Record<string, string>>) {
      const { status, headers: out, body } = await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, headers);
      assert.equal(status, 401);
      assert.equal(body.resourceType, 'OperationOutcome');
      assert.equal(body.id, out.get('X-Correlation-Id'));
      assert.deepEqual(body.issue[0].details.coding, [{ system: System.spineErrorCodeStu3ValueSet, code: 'ACCESS_DENIED', display: 'Access has been denied to process this request' }]);
      assert.equal(body.issue[0].code, 'forbidden');
    }
  });

  test('the API key is checked first, by the proxy: before path, method and query', async () => {
    assert.equal((await call('/Organization', {})).status, 401);
    assert.equal((await call('/Endpoint', {}, 'POST')).status, 401);
    assert.equal((await call('/Device?foo=bar', {})).status, 401);
  });

  test('unknown paths under the base: 404 NO_RECORD_FOUND (err404_bad_path), whatever the method', async () => {
    for (const target of ['/Organization', '/endpoint', '/Endpoint/', `/Endpoint/${'0'.repeat(8)}`, '', '/']) {
      assertSameError(await call(target), 'err404_bad_path');
    }
    assertSameError(await call('/Organization', KEY, 'POST'), 'err404_bad_path');
  });

  test('other methods: 405 NOT_IMPLEMENTED with Allow: GET (err405_post_endpoint)', async () => {
    for (const [method, target] of [['POST', '/Endpoint'], ['PUT', '/Device'], ['DELETE', '/Endpoint'], ['PATCH', `/Device?${ODS('A20047')}`]]) {
      const ours = await call(target, KEY, method);
      assertSameError(ours, 'err405_post_endpoint');
      assert.equal(ours.headers.get('Allow'), capture('err405_post_endpoint').headers.get('Allow'));
    }
  });

  test('the method is checked before the correlation id', async () => {
    const { status, headers } = await call('/Endpoint', { ...KEY, 'X-Correlation-Id': 'not-a-uuid' }, 'POST');
    assert.equal(status, 405);
    assert.notEqual(headers.get('X-Correlation-Id'), 'not-a-uuid');
  });

  test('an unsupported Accept: 406 MISSING_OR_INVALID_HEADER (err406_accept_xml)', async () => {
    // A list of only unknown types too; an item with a parameter is not stripped (content_type_validator.py compares items whole).
    for (const accept of ['application/xml', 'application/fhir+xml', 'text/html', 'application/fhir+json;charset=utf-8', '', 'application/xml, text/html']) {
      assertSameError(await call(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, { ...KEY, Accept: accept }), 'err406_accept_xml');
    }
  });

  test('Accept is checked after the query', async () => {
    assertSameError(await call(`/Device?${ODS('A20047')}`, { ...KEY, Accept: 'application/xml' }), 'err400_device_missing_identifier');
  });
});

describe('headers', () => {
  const q = `/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`;

  test('X-Correlation-Id is echoed as given, on answers and on errors', async () => {
    const id = '6d3d3674-7ce5-11ec-90d6-0242ac120003';
    assert.equal((await call(q, { ...KEY, 'X-Correlation-Id': id })).headers.get('X-Correlation-Id'), id);
    const error = await call(`/Device?${ODS('A20047')}`, { ...KEY, 'X-Correlation-Id': id });
    assert.equal(error.headers.get('X-Correlation-Id'), id);
    assert.equal(error.body.id, id);
  });

  test('without an X-Correlation-Id (or an empty one) an upper-case UUID is made up', async () => {
    const first = (await call(q)).headers.get('X-Correlation-Id') ?? '';
    const second = (await call(q, { ...KEY, 'X-Correlation-Id': '' })).headers.get('X-Correlation-Id') ?? '';
    assert.match(first, UPPER_UUID);
    assert.match(second, UPPER_UUID);
    assert.notEqual(first, second);
  });

  test('content negotiation: FHIR JSON by default and for */*, JSON when asked for', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [KEY, 'application/fhir+json'],
      [{ ...KEY, Accept: '*/*' }, 'application/fhir+json'],
      [{ ...KEY, Accept: 'application/fhir+json' }, 'application/fhir+json'],
      [{ ...KEY, Accept: 'application/json' }, 'application/json'],
      [{ ...KEY, Accept: 'Application/JSON' }, 'application/json'],
      // Lists, as content_type_validator.py splits them on commas (review F19): axios's default, and a preference list.
      [{ ...KEY, Accept: 'application/json, text/plain, */*' }, 'application/fhir+json'],
      [{ ...KEY, Accept: 'application/fhir+json, application/json' }, 'application/fhir+json'],
      [{ ...KEY, Accept: 'text/html,application/json' }, 'application/json'],
    ];
    for (const [headers, contentType] of cases) {
      const { status, headers: out, body } = await call(q, headers);
      assert.equal(status, 200);
      assert.equal(out.get('Content-Type'), contentType, JSON.stringify(headers));
      assert.equal(body.resourceType, 'Bundle');
    }
    assert.equal(capture('accept_json_YES').headers.get('Content-Type'), 'application/json', 'as the sandbox does');
  });

  test('errors are FHIR JSON even when JSON was asked for', async () => {
    const { headers } = await call(`/Device?${ODS('A20047')}`, { ...KEY, Accept: 'application/json' });
    assert.equal(headers.get('Content-Type'), 'application/fhir+json');
  });
});

describe('journal and faults', () => {
  test('a fault inside the mock is an SDS-shaped 500, and the journal says what threw', async () => {
    class BrokenDirectory extends Directory {
      override findSystems(): never {
        throw new Error('directory unavailable');
      }
    }
    const own = new TrafficJournal();
    const broken = sdsHandlers({ base: BASE, journal: own, directory: new BrokenDirectory(DATA) });
    const { status, headers, body } = await call(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, KEY, 'GET', broken);
    assert.equal(status, 500);
    assert.equal(body.id, headers.get('X-Correlation-Id'));
    assert.deepEqual(body.issue[0].details.coding[0], { system: System.spineErrorCodeStu3ValueSet, code: 'INTERNAL_SERVER_ERROR', display: 'Unexpected internal server error' });
    assert.equal(body.issue[0].code, 'exception');
    await own.settled();
    assert.match(own.last('sds')?.fault ?? '', /directory unavailable/);
  });

  test('every exchange above is journalled as sds, none of them as a fault', async () => {
    await journal.settled();
    assert.ok(journal.size > 50, `only ${journal.size} exchanges journalled`);
    assert.ok(journal.entries().every((e) => e.service === 'sds' && e.fault === undefined));
    assert.ok(journal.entries().some((e) => e.status === 400 && e.target.includes('%ZZ')));
  });
});
