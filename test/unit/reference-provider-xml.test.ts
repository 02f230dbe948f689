/**
 * The reference provider in FHIR XML (src/spine/provider/xml.ts, guard.ts answerFormat): XML when
 * `_format`, Accept or a body's Content-Type asks for it (in that order), errors included; XML bodies
 * read; JSON only, 415 for XML, where it is given no codec or the variant json-only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getResponse } from 'msw';
import { MediaType, SlotSearch } from '../../src/gpconnect/constants';
import { bookingFor } from '../../src/actors/provider/booking';
import { sspRequest } from '../../src/actors/provider/requests';
import { bookAnAppointment, findAPatient, getCapabilityStatement, searchForFreeSlots, slotWindow, withFormat, type GpcOperation } from '../../src/gpconnect/operations';
import { amendAnAppointment } from '../../src/gpconnect/operations-amend-cancel';
import { FHIR_XML_CODEC, fromXml, toXml } from '../../src/fhir/xml';
import { TrafficJournal } from '../../src/spine/journal';
import { loadPatients } from '../../src/spine/patients';
import { referenceProviderHandlers } from '../../src/spine/provider/server';
import { loadPracticeState } from '../../src/spine/provider/state';
import type { ProviderFault } from '../../src/spine/provider/faults';
import type { ProviderVariant } from '../../src/spine/provider/variants';

const ROOT = 'https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect';
const party = { ods: 'UCC01', organisationName: 'Riverside Urgent Care Centre', practitionerId: 'u1' };

function provider(options: { xml?: boolean; variants?: ProviderVariant[]; faults?: ProviderFault[] } = {}) {
  return referenceProviderHandlers({
    journal: new TrafficJournal(),
    base: ROOT,
    xml: options.xml === false ? undefined : FHIR_XML_CODEC,
    variants: new Set(options.variants ?? []),
    faults: new Set(options.faults ?? []),
    context: { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state: loadPracticeState('A20047'), pds: loadPatients(), now: () => new Date() },
  });
}

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function send(handlers: ReturnType<typeof provider>, operation: GpcOperation, how: { accept?: string; xmlBody?: boolean; body?: string } = {}) {
  const req = sspRequest({ fromAsid: '200000000359', toAsid: '918999198993', serviceRoot: ROOT, operation, party });
  const headers = new Headers(req.headers);
  if (how.accept) headers.set('Accept', how.accept);
  let body = req.body;
  if (how.xmlBody && body) {
    body = toXml(JSON.parse(body));
    headers.set('Content-Type', MediaType.fhirXmlUtf8);
  }
  if (how.body !== undefined) {
    body = how.body;
    headers.set('Content-Type', MediaType.fhirXmlUtf8);
  }
  // An XML body sent without Accept: the Content-Type decides the answer's format.
  if ((how.xmlBody || how.body !== undefined) && !how.accept) headers.delete('Accept');
  const res = await getResponse(handlers, new Request(ROOT + req.relativeTarget, { method: req.method, headers, body }));
  assert.ok(res, 'the reference provider did not answer');
  const text = await res.text();
  const type = res.headers.get('Content-Type') ?? '';
  return { status: res.status, type, text, body: (type.includes('xml') ? fromXml(text) : text ? JSON.parse(text) : undefined) as J };
}

test('_format=application/fhir+xml, _format=xml and Accept: application/fhir+xml are answered in XML; _format overrides Accept', async () => {
  const handlers = provider();
  for (const [operation, how] of [
    [withFormat(getCapabilityStatement(), MediaType.fhirXml), {}],
    [withFormat(findAPatient('9658218865'), 'xml'), {}],
    [findAPatient('9658218865'), { accept: MediaType.fhirXml }],
    [withFormat(findAPatient('9658218865'), MediaType.fhirXml), { accept: MediaType.fhirJson }],
  ] as Array<[GpcOperation, { accept?: string }]>) {
    const answer = await send(handlers, operation, how);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.type, 'application/fhir+xml;charset=utf-8');
    assert.match(answer.text, /^<\?xml version="1.0" encoding="UTF-8"\?><(CapabilityStatement|Bundle) xmlns="http:\/\/hl7.org\/fhir">/);
  }
  const json = await send(handlers, withFormat(findAPatient('9658218865'), MediaType.fhirJson), { accept: MediaType.fhirXml });
  assert.equal(json.type, MediaType.fhirJsonUtf8);
  const metadata = await send(handlers, withFormat(getCapabilityStatement(), 'xml'));
  assert.deepEqual(metadata.body.format, [MediaType.fhirJson, MediaType.fhirXml], 'the CapabilityStatement declares both formats');
});

test('errors are OperationOutcomes in XML when XML is asked for', async () => {
  const answer = await send(provider(), withFormat(findAPatient('969363210'), MediaType.fhirXml));
  assert.equal(answer.status, 400);
  assert.equal(answer.type, 'application/fhir+xml;charset=utf-8');
  assert.equal(answer.body.resourceType, 'OperationOutcome');
  assert.equal(answer.body.issue[0].details.coding[0].code, 'INVALID_NHS_NUMBER');
});

test('an XML booking and an XML amendment are read, and answered in XML (Content-Type decides with no Accept or _format)', async () => {
  const handlers = provider();
  const slots = await send(handlers, searchForFreeSlots({ window: slotWindow(1, 8), recurse: [SlotSearch.includeLocation] }));
  const slot = slots.body.entry.map((e: J) => e.resource).find((r: J) => r.resourceType === 'Slot');
  const found = await send(handlers, findAPatient('9658218865'));
  const booking = bookingFor(slot, slots.body, found.body.entry[0].resource.id, { ods: party.ods, name: party.organisationName });
  const booked = await send(handlers, bookAnAppointment(booking), { xmlBody: true });
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.type, 'application/fhir+xml;charset=utf-8');
  assert.equal(booked.body.resourceType, 'Appointment');
  assert.equal(booked.body.slot[0].reference, `Slot/${slot.id}`);
  const amended = await send(handlers, amendAnAppointment({ ...booked.body, description: 'Amended in XML' }), { xmlBody: true });
  assert.equal(amended.status, 200, amended.text);
  assert.equal(amended.body.description, 'Amended in XML');
  const jsonAnswer = await send(handlers, withFormat(amendAnAppointment({ ...amended.body, description: 'Again' }), 'json'), { xmlBody: true });
  assert.equal(jsonAnswer.type, MediaType.fhirJsonUtf8, 'an XML body with _format=json is answered in JSON');
});

test('an XML body that is not well-formed is 400 BAD_REQUEST, one that is no STU3 resource 422 INVALID_RESOURCE', async () => {
  const handlers = provider();
  const operation = bookAnAppointment({ resourceType: 'Appointment' } as J);
  const broken = await send(handlers, operation, { body: '<Appointment xmlns="http://hl7.org/fhir"><status value="booked"/>' });
  assert.equal(broken.status, 400, broken.text);
  assert.equal(broken.body.issue[0].details.coding[0].code, 'BAD_REQUEST');
  assert.equal(broken.type, 'application/fhir+xml;charset=utf-8');
  const unknown = await send(handlers, operation, { body: '<Appointment xmlns="http://hl7.org/fhir"><bogus value="x"/></Appointment>' });
  assert.equal(unknown.status, 422, unknown.text);
  assert.match(unknown.body.issue[0].diagnostics, /Appointment.bogus is not an STU3 element/);
});

test('JSON only, XML refused with 415: with no codec, and as the variant json-only', async () => {
  for (const handlers of [provider({ xml: false }), provider({ variants: ['json-only'] })]) {
    const answer = await send(handlers, withFormat(getCapabilityStatement(), MediaType.fhirXml));
    assert.equal(answer.status, 415);
    assert.equal(answer.type, MediaType.fhirJsonUtf8);
    const metadata = await send(handlers, getCapabilityStatement());
    assert.deepEqual(metadata.body.format, [MediaType.fhirJson]);
  }
});

test('the XML faults: JSON for XML asked, errors in JSON, a body answered in JSON, application/xml, JSON only though declared', async () => {
  const asked = withFormat(findAPatient('9658218865'), MediaType.fhirXml);
  assert.equal((await send(provider({ faults: ['xml-asked-answered-json'] }), asked)).type, MediaType.fhirJsonUtf8);
  assert.equal((await send(provider({ faults: ['xml-errors-in-json'] }), asked)).type, 'application/fhir+xml;charset=utf-8');
  assert.equal((await send(provider({ faults: ['xml-errors-in-json'] }), withFormat(findAPatient('969363210'), MediaType.fhirXml))).type, MediaType.fhirJsonUtf8);
  assert.equal((await send(provider({ faults: ['xml-labelled-application-xml'] }), asked)).type, 'application/xml;charset=utf-8');
  assert.equal((await send(provider({ faults: ['serves-json-only'] }), asked)).status, 415);
  const bodyFault = provider({ faults: ['xml-body-answered-json'] });
  const answer = await send(bodyFault, bookAnAppointment({ resourceType: 'Appointment' } as J), { xmlBody: true });
  assert.equal(answer.type, MediaType.fhirJsonUtf8, answer.text);
});
