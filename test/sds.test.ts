import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { getResponse } from 'msw';
import { Interaction, System } from '../support/constants';
import { loadDirectory } from '../support/spine/directory/load';
import { TrafficJournal } from '../support/spine/journal';
import { sdsHandlers } from '../support/spine/sds';

const BASE = 'http://127.0.0.1:4002/spine-directory/FHIR/R4';
const SANDBOX = path.resolve(__dirname, '../../shared/spec/pds-sds-examples/sds/sandbox');
const journal = new TrafficJournal();
const handlers = sdsHandlers({ base: BASE, journal, directory: loadDirectory() });
const ODS = (v: string) => `organization=${encodeURIComponent(`${System.odsOrganizationCode}|${v}`)}`;
const SVC = (v: string) => `identifier=${encodeURIComponent(`${System.interactionId}|${v}`)}`;
const PK = (v: string) => `identifier=${encodeURIComponent(`${System.partyKey}|${v}`)}`;

async function get(pathAndQuery: string, headers: Record<string, string> = { apikey: 'x' }, method = 'GET') {
  const res = await getResponse(handlers, new Request(BASE + pathAndQuery, { method, headers }));
  assert.ok(res, `no handler answered ${pathAndQuery}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const sandbox = (name: string) => JSON.parse(readFileSync(path.join(SANDBOX, `${name}.json`), 'utf8'));
const diagnostics = (body: any) => body.issue[0].diagnostics;

test('2a/2b: Endpoint by ODS code and interaction gives the service root and party key', async () => {
  const { status, body } = await get(`/Endpoint?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`);
  assert.equal(status, 200);
  assert.equal(body.total, 1);
  const endpoint = body.entry[0].resource;
  assert.equal(endpoint.address, 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect');
  assert.deepEqual(endpoint.identifier.map((i: any) => i.system), [System.mhsFqdn, System.partyKey, System.mhsCpaId, System.mhsId], 'identifier order as SDS gives it');
  assert.equal(endpoint.identifier[1].value, 'A20047-821870');
  assert.equal(body.entry[0].fullUrl, `${BASE}/Endpoint/${endpoint.id}`);
  assert.deepEqual(Object.keys(endpoint).sort(), Object.keys(sandbox('endpoint_YES_psis').entry[0].resource).sort(), 'same keys as the sandbox Endpoint');
  assert.deepEqual(Object.keys(body).sort(), Object.keys(sandbox('endpoint_YES_psis')).sort(), 'same Bundle keys as the sandbox');
});

test('2c/2d: Device by ODS code, interaction and party key gives the ASID', async () => {
  const { body } = await get(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}&${PK('A20047-821870')}`);
  assert.equal(body.total, 1);
  const device = body.entry[0].resource;
  assert.deepEqual(device.identifier, [
    { system: System.asid, value: '918999198993' },
    { system: System.partyKey, value: 'A20047-821870' },
  ]);
  assert.deepEqual(Object.keys(device).sort(), Object.keys(sandbox('device_X26_gp2gp').entry[0].resource).sort());
  assert.equal(device.owner.identifier.value, 'A20047');
});

test('resource ids are stable between calls', async () => {
  const q = `/Endpoint?${ODS('B82617')}&${SVC(Interaction.searchSlot)}`;
  assert.equal((await get(q)).body.entry[0].resource.id, (await get(q)).body.entry[0].resource.id);
});

test('a consumer MHS record is no GP Connect endpoint (SDS registration §2.2)', async () => {
  const { status, body } = await get(`/Endpoint?${ODS('UCC01')}&${SVC(Interaction.readMetadata)}`);
  assert.equal(status, 200);
  assert.equal(body.total, 0);
  assert.deepEqual(body.entry, []);
});

test('a consumer AS record is found by the interactions it sends', async () => {
  const { body } = await get(`/Device?${ODS('CHC01')}&${SVC(Interaction.createAppointment)}`);
  assert.deepEqual(body.entry.map((e: any) => e.resource.identifier[0].value), ['200000000401']);
});

test('nothing matching is an empty 200 Bundle, not an error', async () => {
  const { status, body } = await get(`/Device?${ODS('A99999')}&${SVC(Interaction.readMetadata)}`);
  assert.equal(status, 200);
  assert.equal(body.total, 0);
});

test('the raw | and the percent-encoded %7C are read alike', async () => {
  const raw = await get(`/Endpoint?organization=${System.odsOrganizationCode}|A20047&identifier=${System.interactionId}|${Interaction.readMetadata}`);
  assert.equal(raw.body.total, 1);
});

test('errors carry the sandbox diagnostics', async () => {
  assert.equal(diagnostics((await get(`/Endpoint?${ODS('B82617')}`)).body), diagnostics(sandbox('err400_endpoint_org_only')));
  assert.equal(diagnostics((await get(`/Endpoint?${ODS('B82617')}&foo=bar`)).body), diagnostics(sandbox('err400_endpoint_illegal_param')));
  assert.equal(diagnostics((await get(`/Endpoint?organization=B82617&${SVC(Interaction.readMetadata)}`)).body), diagnostics(sandbox('err400_endpoint_bad_org_system')));
  assert.equal(diagnostics((await get(`/Endpoint?${ODS('B82617')}&identifier=https://fhir.nhs.uk/Id/nhsEndpointServiceId|x`)).body), diagnostics(sandbox('err400_endpoint_bad_identifier_system')));
  assert.equal(diagnostics((await get(`/Device?${ODS('B82617')}`)).body), diagnostics(sandbox('err400_device_missing_identifier')));
  assert.equal(diagnostics((await get(`/Device?${ODS('B82617')}&${PK('B82617-0000806')}`)).body), diagnostics(sandbox('err400_device_partykey_only')));
  const bad = await get(`/Device?${ODS('B82617')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.issue[0].details.coding[0].system, System.spineErrorCodeStu3ValueSet);
  assert.equal(bad.body.id, bad.headers.get('X-Correlation-Id'), 'the OperationOutcome id is the correlation id');
});

test('correlation id: echoed when a UUID, 400 otherwise, generated upper-case when absent', async () => {
  const id = '6d3d3674-7ce5-11ec-90d6-0242ac120003';
  assert.equal((await get(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, { apikey: 'x', 'X-Correlation-Id': id })).headers.get('X-Correlation-Id'), id);
  const bad = await get(`/Device?${ODS('A20047')}`, { apikey: 'x', 'X-Correlation-Id': 'not-a-uuid' });
  assert.equal(bad.status, 400);
  assert.equal(diagnostics(bad.body), diagnostics(sandbox('err400_bad_correlation_id')));
  assert.match((await get(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`)).headers.get('X-Correlation-Id')!, /^[0-9A-F-]{36}$/);
});

test('apikey is required', async () => {
  const res = await get(`/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`, {});
  assert.equal(res.status, 401);
  assert.equal(res.body.resourceType, 'OperationOutcome');
});

test('Accept: FHIR JSON by default, JSON when asked, 406 otherwise', async () => {
  const q = `/Device?${ODS('A20047')}&${SVC(Interaction.readMetadata)}`;
  assert.equal((await get(q)).headers.get('Content-Type'), 'application/fhir+json');
  assert.equal((await get(q, { apikey: 'x', Accept: 'application/json' })).headers.get('Content-Type'), 'application/json');
  const xml = await get(q, { apikey: 'x', Accept: 'application/xml' });
  assert.equal(xml.status, 406);
  assert.equal(diagnostics(xml.body), diagnostics(sandbox('err406_accept_xml')));
});

test('unknown paths are 404 and other methods 405 with Allow: GET', async () => {
  const notFound = await get('/Organization');
  assert.equal(notFound.status, 404);
  assert.equal(diagnostics(notFound.body), diagnostics(sandbox('err404_bad_path')));
  const post = await get('/Endpoint', { apikey: 'x' }, 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('Allow'), 'GET');
  assert.equal(diagnostics(post.body), diagnostics(sandbox('err405_post_endpoint')));
});

test('bad percent-encoding is answered, not thrown', async () => {
  const res = await get('/Endpoint?organization=%E0%A4%A');
  assert.equal(res.status, 400);
});

test('every exchange is journalled as sds', () => {
  assert.ok(journal.size > 10);
  assert.ok(journal.entries().every((e) => e.service === 'sds'));
});
