import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Interaction } from '../../src/gpconnect/constants';
import { ConsumerTraffic } from '../../src/rules/consumer/traffic';
import { prepareRequest, sendThroughSsp } from '../../src/actors/provider/ssp-exchange';
import { exampleOperation } from '../../src/actors/provider/requests';
import { sendRaw } from '../../src/http/raw-client';
import { SpineInABox } from '../../src/spine/spine';

let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'sockets', referenceProvider: {} });
});
after(() => spine.stop());

/** Worked example 1a–3d as the harness's own consumer sends it, journalled as one scenario. */
async function tracedLookedUpAndAsked(): Promise<ConsumerTraffic> {
  spine.journal.beginScenario('traffic');
  const pds = new URL(spine.urls.pds);
  await sendRaw({ origin: pds.origin, target: `${pds.pathname}/Patient/9693632109`, method: 'GET', headers: [['Accept', 'application/fhir+json']] });
  const prepared = await prepareRequest(spine, exampleOperation('Search for free slots'), '200000000359', 'A20047');
  await sendThroughSsp(spine, prepared);
  await spine.journal.settled();
  spine.journal.endScenario();
  return new ConsumerTraffic(spine.journal.entries({ scenario: 'traffic' }));
}

test('the traffic of a scenario reads as the worked example: PDS, SDS, then the SSP', async () => {
  const traffic = await tracedLookedUpAndAsked();
  assert.deepEqual(traffic.all.map((e) => e.service), ['pds', 'sds', 'sds', 'ssp']);
  assert.deepEqual(traffic.pdsTraces().map((t) => t.nhsNumber), ['9693632109']);
  const lookups = traffic.sdsLookups();
  assert.deepEqual(lookups.map((l) => [l.kind, l.ods]), [['Endpoint', 'A20047'], ['Device', 'A20047']]);
  assert.deepEqual(lookups[0].interactions, [Interaction.readMetadata]);
  assert.deepEqual(traffic.endpointAddresses(), ['https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect']);
  assert.deepEqual(traffic.asidsGiven(), ['918999198993']);
  const [request] = traffic.sspRequests();
  assert.equal(request.serviceRoot, 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect');
  assert.equal(request.relativePath, '/Slot');
  assert.match(request.rawQuery, /status=free&start=ge\d{4}-\d\d-\d\d/);
  assert.match(request.rawQuery, /searchFilter=https%3A%2F%2Ffhir\.nhs\.uk%2FSTU3%2FCodeSystem%2FGPConnect-OrganisationType-1%7Curgent-care/);
  assert.deepEqual(request.interactionsForPath, [Interaction.searchSlot]);
  assert.equal(request.interactionHeader, Interaction.searchSlot);
});

test('a target that does not begin with an address SDS gave has no service root', () => {
  const traffic = new ConsumerTraffic([
    { seq: 1, time: '2026-01-01T00:00:00.000Z', durationMs: 1, service: 'ssp', method: 'GET', url: 'http://127.0.0.1:1/x', target: '/https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata', requestHeaders: {}, requestBody: '', status: 200, responseHeaders: {}, responseBody: '' },
  ]);
  const [request] = traffic.sspRequests();
  assert.equal(request.serviceRoot, undefined);
  assert.deepEqual(request.interactionsForPath, []);
});
