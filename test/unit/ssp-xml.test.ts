/**
 * The SSP in a box forwards FHIR XML both ways unchanged: an XML request body reaches the provider
 * byte for byte, and the provider's XML answer reaches the consumer byte for byte, with their
 * Content-Types ("Request and response HTTP payloads SHALL NOT be modified", SSP-FORWARD).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Header, MediaType } from '../../src/gpconnect/constants';
import { prepareRequest, targetOf } from '../../src/actors/provider/ssp-exchange';
import { SpineInABox } from '../../src/spine/spine';
import { findAPatient, registerAPatient, withFormat } from '../../src/gpconnect/operations';
import { registrationPatient } from '../../src/actors/provider/registration';
import { FHIR_XML_CODEC, fromXml, toXml } from '../../src/fhir/xml';

let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'in-process', referenceProvider: { xml: FHIR_XML_CODEC } });
});
after(async () => {
  await spine.stop();
});

test('an answer in XML passes the SSP unchanged', async () => {
  spine.journal.beginScenario('xml-answer');
  const prepared = await prepareRequest(spine, withFormat(findAPatient('9693632109'), MediaType.fhirXml), '200000000359', 'A20047');
  const res = await fetch(`${spine.urls.ssp}/${targetOf(prepared)}`, { headers: prepared.headers });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  assert.equal(res.headers.get('content-type'), MediaType.fhirXmlUtf8);
  assert.equal(fromXml(body).resourceType, 'Bundle');
  await spine.journal.settled();
  const provider = spine.journal.entries({ service: 'provider', scenario: 'xml-answer' })[0];
  assert.equal(provider.responseBody, body, 'the consumer got the bytes the provider sent');
  spine.journal.endScenario();
});

test('a request body in XML passes the SSP unchanged, and is read by the provider', async () => {
  spine.journal.beginScenario('xml-body');
  const patient = registrationPatient('9651258500', spine.patients.find((p) => p.nhsNumber === '9651258500'));
  const prepared = await prepareRequest(spine, registerAPatient(patient), '200000000359', 'A20047');
  const xml = toXml(JSON.parse(prepared.body!));
  const headers = prepared.headers.filter(([name]) => name.toLowerCase() !== 'accept' && name.toLowerCase() !== 'content-type');
  headers.push([Header.contentType, MediaType.fhirXmlUtf8]);
  const res = await fetch(`${spine.urls.ssp}/${targetOf(prepared)}`, { method: 'POST', headers, body: xml });
  const body = await res.text();
  assert.equal(res.status, 200, body);
  assert.equal(res.headers.get('content-type'), MediaType.fhirXmlUtf8, 'no Accept: answered in the Content-Type\'s format');
  await spine.journal.settled();
  const provider = spine.journal.entries({ service: 'provider', scenario: 'xml-body' })[0];
  assert.equal(provider.requestBody, xml, 'the provider got the bytes the consumer sent');
  assert.equal(provider.requestHeaders['content-type'], MediaType.fhirXmlUtf8);
  spine.journal.endScenario();
});
