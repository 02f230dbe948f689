/**
 * The judges of answers in FHIR XML (src/rules/provider/xml.ts) and how an answer in XML is read
 * (src/actors/provider/provider-under-test.ts answerOf): a conforming answer gives no finding, each
 * breaking one a finding that says what was seen.
 */
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { answerOf } from '../../src/actors/provider/provider-under-test';
import { toXml } from '../../src/fhir/xml';
import { fhirXml, xmlOffered, xmlOrUnsupported } from '../../src/rules/provider';
import { PACKAGE_ROOT } from '../../src/package-root';
import type { RawResponse } from '../../src/http/raw-client';

const example = (name: string) => JSON.parse(readFileSync(join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples', name), 'utf8'));
const raw = (status: number, contentType: string, body: string): RawResponse => ({ status, headers: { 'content-type': contentType }, body }) as RawResponse;
const asked = 'GET /Patient?_format=xml';

test('an answer in FHIR XML is read into JSON, and a valid resource labelled application/fhir+xml;charset=utf-8 gives no finding', () => {
  const bundle = example('foundations_find_patient_response.json');
  const answer = answerOf(raw(200, 'application/fhir+xml;charset=utf-8', toXml(bundle)), asked);
  assert.equal(answer.format, 'xml');
  assert.equal(answer.body?.entry[0].resource.resourceType, 'Patient');
  assert.deepEqual(fhirXml(answer), []);
  assert.deepEqual(xmlOffered(answer), []);
  assert.deepEqual(xmlOrUnsupported(answer), []);
  assert.deepEqual(fhirXml(answerOf(raw(200, 'application/fhir+xml; charset=utf-8', toXml(bundle)), asked)), [], 'a space before charset is allowed');
});

test('XML with the wrong Content-Type, JSON where XML was asked, and an invalid resource in XML are findings', () => {
  const bundle = example('foundations_find_patient_response.json');
  assert.match(fhirXml(answerOf(raw(200, 'application/xml;charset=utf-8', toXml(bundle)), asked)).join(), /Content-Type "application\/xml;charset=utf-8", not application\/fhir\+xml;charset=utf-8/);
  assert.match(fhirXml(answerOf(raw(200, 'application/fhir+xml', toXml(bundle)), asked)).join(), /not application\/fhir\+xml;charset=utf-8/);
  const json = answerOf(raw(200, 'application/fhir+json;charset=utf-8', JSON.stringify(bundle)), asked);
  assert.match(fhirXml(json).join(' '), /is not FHIR XML/);
  assert.match(xmlOrUnsupported(json).join(), /was answered in JSON 200 Bundle/);
  assert.match(xmlOffered(json).join(), /XML \(a SHOULD\) was not offered/);
  const noProfile = { resourceType: 'Patient', id: '1' };
  assert.match(fhirXml(answerOf(raw(200, 'application/fhir+xml;charset=utf-8', toXml(noProfile)), asked)).join(), /the Patient in XML answering .* is not valid: Patient.meta.profile/);
});

test('415 is a lawful answer to XML not served, and warns that XML was not offered', () => {
  const refused = answerOf(raw(415, 'application/fhir+json;charset=utf-8', JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] })), asked);
  assert.deepEqual(xmlOrUnsupported(refused), []);
  assert.match(xmlOffered(refused).join(), /was answered in JSON 415/);
});

test('a body labelled FHIR XML that is not FHIR XML ends the scenario as the provider\'s failure, naming what is wrong', () => {
  assert.throws(() => answerOf(raw(200, 'application/fhir+xml;charset=utf-8', '<Patient xmlns="http://hl7.org/fhir"><bogus value="1"/></Patient>'), asked), (e: Error) => e instanceof AssertionError && /not FHIR XML \(Patient.bogus is not an STU3 element/.test(e.message));
  assert.throws(() => answerOf(raw(200, 'application/fhir+xml;charset=utf-8', '<Patient'), asked), /not FHIR XML \(not well-formed XML/);
});
