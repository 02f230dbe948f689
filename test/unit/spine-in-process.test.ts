import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Header, Interaction } from '../../src/gpconnect/constants';
import { lookUpProvider } from '../../src/actors/provider/sds-client';
import { prepareRequest, targetOf } from '../../src/actors/provider/ssp-exchange';
import { SpineInABox } from '../../src/spine/spine';
import { getCapabilityStatement } from '../../src/gpconnect/operations';

// The same handlers, served in-process through msw/node: fetch and node:http are intercepted.
let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'in-process' });
});
after(async () => {
  await spine.stop();
});

test('in-process: PDS, SDS and the SSP answer on reserved .test origins', async () => {
  assert.match(spine.urls.ssp, /^https:\/\/ssp\.spine\.test$/);
  const pds = await fetch(`${spine.urls.pds}/Patient/9693632109`, { headers: { [Header.xRequestId]: '60E0B220-8136-4CA5-AE46-1D97EF59D068' } });
  assert.equal(pds.status, 200);
  const provider = await lookUpProvider(spine.urls.sds, 'A20047');
  assert.equal(provider.asid, '918999198993');
});

test('in-process: the worked example steps 2 and 3 reach the stand-in provider through the SSP', async () => {
  spine.journal.beginScenario('in-process');
  const prepared = await prepareRequest(spine, getCapabilityStatement(), '200000000359', 'A20047');
  const res = await fetch(`${spine.urls.ssp}/${targetOf(prepared)}`, { headers: prepared.headers });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { resourceType: string }).resourceType, 'CapabilityStatement');
  await spine.journal.settled();
  const services = spine.journal.entries({ scenario: 'in-process' }).map((e) => e.service);
  assert.deepEqual(services.sort(), ['provider', 'sds', 'sds', 'ssp']);
  const ssp = spine.journal.entries({ service: 'ssp', scenario: 'in-process' })[0];
  assert.equal(ssp.jwt?.payload?.requested_scope, 'organization/*.read', 'the journal decodes the JWT');
  assert.equal(ssp.requestHeaders[Header.sspInteractionId.toLowerCase()], Interaction.readMetadata);
});

test('in-process: a refusal is journalled with its status', async () => {
  spine.journal.beginScenario('refused');
  const res = await fetch(`${spine.urls.ssp}/https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata`);
  assert.equal(res.status, 400);
  await spine.journal.settled();
  assert.equal(spine.journal.entries({ scenario: 'refused' })[0].status, 400);
  spine.journal.endScenario();
});
