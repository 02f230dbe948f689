/**
 * The provider judges (src/rules/provider/): a conforming answer gives no finding, a breaking one
 * gives the finding, one sentence that never names the requirement; a refusal with another 4xx or
 * another Spine code is a finding about the exact code only, which the rule book grades a warning
 * where the code comes from outside the spec and a failure where the spec gives it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import { gpcOutcome } from '../../src/gpconnect/outcomes';
import { acceptedTls, refusedTls } from '../../src/rules/provider/transport';
import {
  actorsIncluded,
  booked,
  bookingEchoed,
  errorShape,
  etagOfVersion,
  fhirJson,
  fhirVersion,
  foundOnceRegistered,
  freeInWindow,
  isOperationOutcome,
  locationHeader,
  noLongerOffered,
  noStore,
  organisationIncluded,
  parseRefusals,
  patientCount,
  patientsFound,
  readAs,
  readAsBooked,
  refusedWith,
  refusedWithOneOf,
  registeredAsTemporary,
  schedulesIncluded,
  slotsOffered,
  status,
  stillOffered,
  validResource,
  wholeDescriptionOrRefused,
  type ProviderAnswer,
} from '../../src/rules/provider';
import { RuleBook, type Finding, type Findings } from '../../src/rules/rule';
import type { RuleNote } from '../../src/results/rule-note';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
const example = (name: string): J => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));

function answer(statusCode: number, body?: J, headers: Record<string, string> = {}, asked = 'GET /x'): ProviderAnswer {
  const text = body === undefined ? '<html>oops</html>' : JSON.stringify(body);
  return { response: { status: statusCode, headers, body: text } as ProviderAnswer['response'], body, asked };
}
const refusal = (statusCode: number, code: string) => answer(statusCode, gpcOutcome('invalid', code, code, 'why'));
const text = (f: string | Finding) => (typeof f === 'string' ? f : f.text);

/** Every finding is a sentence about the answer: none names a requirement. */
function found(findings: Findings, pattern?: RegExp): void {
  assert.ok(findings.length > 0, 'no finding');
  for (const f of findings) assert.doesNotMatch(text(f), /PROV-[A-Z]/);
  if (pattern) assert.ok(findings.some((f) => pattern.test(text(f))), `${pattern} not in ${findings.map(text).join(' | ')}`);
}

describe('answers', () => {
  test('status', () => {
    assert.deepEqual(status(answer(200, {}), 200), []);
    found(status(refusal(404, 'NO_RECORD_FOUND'), 200), /answered 404 NO_RECORD_FOUND: why; expected 200/);
  });

  test('a valid resource: the spec example passes, a broken one is found at its path; an unknown name is the harness\'s mistake', () => {
    const registered = example('foundations_register_patient_response.json');
    assert.deepEqual(validResource(answer(200, registered), 'Register a patient response'), []);
    delete registered.meta;
    found(validResource(answer(200, registered), 'Register a patient response'), /not a valid Register a patient response: Bundle\.meta\.profile: /);
    found(validResource(answer(200), 'Appointment'), /is not JSON/);
    assert.throws(() => validResource(answer(200, {}), 'Banana'), /no rule set for "Banana"/);
  });

  test('Cache-Control no-store, among other directives', () => {
    assert.deepEqual(noStore(answer(200, {}, { 'cache-control': 'no-cache, no-store' })), []);
    found(noStore(answer(200, {}, { 'cache-control': 'no-cache' })), /Cache-Control: no-cache, without the no-store directive/);
    found(noStore(answer(200, {})), /no Cache-Control header/);
  });

  test('FHIR JSON in UTF-8', () => {
    assert.deepEqual(fhirJson(answer(200, {}, { 'content-type': 'application/fhir+json; charset=utf-8' })), []);
    found(fhirJson(answer(200, {}, { 'content-type': 'application/json' })), /Content-Type "application\/json"/);
  });

  test('the FHIR version', () => {
    assert.deepEqual(fhirVersion(answer(200, { fhirVersion: '3.0.1' }), '3.0.1'), []);
    found(fhirVersion(answer(200, { fhirVersion: '4.0.1' }), '3.0.1'), /"4\.0\.1", not 3\.0\.1/);
  });
});

describe('refusals', () => {
  const exact = (findings: Finding[]) => findings.map((f) => f.exactOnly === true);

  test('the refusal expected gives no finding; either code of a pair is accepted', () => {
    assert.deepEqual(refusedWith(refusal(400, 'BAD_REQUEST'), 400, 'BAD_REQUEST'), []);
    assert.deepEqual(refusedWith(refusal(422, 'REFERENCE_NOT_FOUND'), 422, 'INVALID_RESOURCE', 'REFERENCE_NOT_FOUND'), []);
    assert.deepEqual(refusedWithOneOf(refusal(422, 'INVALID_PARAMETER'), parseRefusals('400 BAD_REQUEST, 422 INVALID_PARAMETER')), []);
  });

  test('an answer that is no refusal (2xx, or a server error) is a plain finding', () => {
    const accepted = refusedWith(answer(200, { resourceType: 'CapabilityStatement' }), 400, 'BAD_REQUEST');
    found(accepted, /answered 200 CapabilityStatement; expected a refusal with 400 BAD_REQUEST/);
    assert.deepEqual(exact(accepted), [false]);
    assert.deepEqual(exact(refusedWith(refusal(500, 'INTERNAL_SERVER_ERROR'), 400, 'BAD_REQUEST')), [false]);
  });

  test('another 4xx status, or another Spine code, is a finding about the exact code only', () => {
    const otherStatus = refusedWith(refusal(422, 'INVALID_PARAMETER'), 400, 'BAD_REQUEST');
    found(otherStatus, /refused 422 with INVALID_PARAMETER; expected 400 BAD_REQUEST/);
    assert.deepEqual(exact(otherStatus), [true]);
    const otherCode = refusedWith(refusal(400, 'INVALID_PARAMETER'), 400, 'BAD_REQUEST');
    found(otherCode, /refused 400 with INVALID_PARAMETER; expected 400 BAD_REQUEST/);
    assert.deepEqual(exact(otherCode), [true]);
  });

  test('a refusal whose error is no OperationOutcome is left to the error shape judge', () => {
    assert.deepEqual(refusedWith(answer(400), 400, 'BAD_REQUEST'), []);
    found(errorShape(answer(400)), /error answer to GET \/x \(400\) is not JSON/);
  });

  test('the error shape: a GPConnect-OperationOutcome-1; an answer that is no error has none to judge', () => {
    assert.deepEqual(errorShape(refusal(400, 'BAD_REQUEST')), []);
    assert.deepEqual(errorShape(answer(200, { resourceType: 'Bundle' })), []);
    const dstu2 = gpcOutcome('invalid', 'BAD_REQUEST', 'Bad request') as J;
    dstu2.issue[0].details.coding[0].system = 'http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1';
    found(errorShape(answer(400, dstu2)), /not a GPConnect-OperationOutcome-1: /);
    assert.deepEqual(isOperationOutcome(refusal(415, 'BAD_REQUEST')), []);
    found(isOperationOutcome(answer(415, { resourceType: 'Bundle' })), /415 with Bundle, not an OperationOutcome/);
  });

  test('graded by the rule book: an exact-code finding warns where the code is from outside the spec, fails where the spec gives it', () => {
    const notes: RuleNote[] = [];
    const book = new RuleBook({ strict: false, record: (n) => notes.push(n) });
    const wrongCode = refusedWith(refusal(400, 'BAD_REQUEST'), 422, 'INVALID_PARAMETER');
    book.judge('PROV-SLOTS-WINDOW', wrongCode); // exact: from PTEST
    assert.equal(notes.at(-1)!.grade, 'warning');
    assert.throws(() => book.judge('PROV-SSP-TO', refusedWith(refusal(422, 'INVALID_PARAMETER'), 400, 'BAD_REQUEST')), /^AssertionError.*PROV-SSP-TO \(SHALL\)/s);
    assert.throws(() => book.judge('PROV-SLOTS-WINDOW', refusedWith(answer(200, { resourceType: 'Bundle' }), 422, 'INVALID_PARAMETER')), /PROV-SLOTS-WINDOW \(SHALL\): GET \/x answered 200 Bundle/);
    const strict = new RuleBook({ strict: true, record: () => undefined });
    assert.throws(() => strict.judge('PROV-SLOTS-WINDOW', wrongCode), /PROV-SLOTS-WINDOW/);
  });
});

const nhs = (value: string) => [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value }];
const bundleOf = (...resources: J[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });

describe('patients', () => {
  test('Find a patient: the Patients, with the NHS number searched for', () => {
    const one = answer(200, bundleOf({ resourceType: 'Patient', id: '1', identifier: nhs('9693632109') }));
    assert.deepEqual(patientsFound(one, 1, '9693632109'), []);
    found(patientsFound(one, 1, '9000000009'), /Patient\/1 carries NHS number 9693632109, not 9000000009/);
    found(patientsFound(answer(200, bundleOf()), 1, '9693632109'), /holds 0 Patient, not 1/);
    assert.deepEqual(patientCount(answer(200, bundleOf()), 0), []);
    found(patientCount(refusal(404, 'NO_RECORD_FOUND'), 0), /answered 404 NO_RECORD_FOUND: why, not a Bundle/);
  });

  test('Register a patient: the Patient registered, with an id, as a temporary registration', () => {
    const registered = example('foundations_register_patient_response.json');
    assert.deepEqual(registeredAsTemporary(answer(200, registered), '9476719931'), []);
    found(registeredAsTemporary(answer(200, registered), '9000000009'), /carries NHS number 9476719931, not 9000000009/);
    const details = registered.entry[0].resource.extension[0].extension.find((e: J) => e.url === 'registrationType');
    details.valueCodeableConcept.coding[0].code = 'R';
    found(registeredAsTemporary(answer(200, registered), '9476719931'), /registrationType is "R", not the temporary registration "T"/);
  });

  test('Find a patient finds the patient once registered', () => {
    assert.deepEqual(foundOnceRegistered(answer(200, bundleOf({ resourceType: 'Patient', id: '1', identifier: nhs('9476719931') })), '9476719931'), []);
    found(foundOnceRegistered(answer(200, bundleOf()), '9476719931'), /after registering 9476719931, Find a patient answered 200 Bundle with 0 Patient/);
  });
});

describe('reads', () => {
  const location = { resourceType: 'Location', id: '1', meta: { versionId: '2', profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1'] }, name: 'The Surgery' };

  test('the resource of the id asked for, valid against its profile; another id, a Bundle or a refusal is found', () => {
    assert.deepEqual(readAs(answer(200, location), 'Location', '1'), []);
    found(readAs(answer(200, { ...location, id: 'site-1' }), 'Location', '1'), /answered Location\/site-1, not Location\/1 that was asked for/);
    found(readAs(answer(200, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: location }] }), 'Location', '1'), /answered 200 with Bundle, not the Location itself/);
    found(readAs(refusal(404, 'NO_RECORD_FOUND'), 'Location', '1'), /answered 404 NO_RECORD_FOUND: why; expected 200 with Location\/1/);
    found(readAs(answer(200, { ...location, name: undefined }), 'Location', '1'), /is not a valid CareConnect-GPC-Location-1: /);
    assert.throws(() => readAs(answer(200, location), 'Slot', '1'), /no profile for a read of Slot/);
  });

  test('ETag W/"<versionId>": missing, unprefixed or another version is found', () => {
    assert.deepEqual(etagOfVersion(answer(200, location, { etag: 'W/"2"' })), []);
    found(etagOfVersion(answer(200, location)), /without an ETag header; expected W\/"2"/);
    found(etagOfVersion(answer(200, location, { etag: '"2"' })), /answered with ETag "2"; expected W\/"2"/);
    found(etagOfVersion(answer(200, location, { etag: 'W/"1"' })), /expected W\/"2"/);
    found(etagOfVersion(answer(200, { ...location, meta: {} }, { etag: 'W/"2"' })), /has no meta.versionId/);
  });
});

describe('slots', () => {
  const slots = () => example('appointments_search_free_slots_response.json');
  const window = { start: '2016-08-15', end: '2016-08-22' };

  test('free and inside the window, with the Organization', () => {
    assert.deepEqual(freeInWindow(answer(200, slots()), window), []);
    const busy = slots();
    busy.entry[0].resource.status = 'busy';
    found(freeInWindow(answer(200, busy), window), /Slot\/1584 is busy, not free/);
    found(freeInWindow(answer(200, slots()), { start: '2016-08-16', end: '2016-08-22' }), /Slot\/1584 .* is outside 2016-08-16–2016-08-22/);
    found(freeInWindow(answer(200, bundleOf()), window), /offered no free slot in the window/);
    assert.deepEqual(organisationIncluded(answer(200, slots())), []);
    const alone = slots();
    alone.entry = alone.entry.filter((e: J) => e.resource.resourceType !== 'Organization');
    found(organisationIncluded(answer(200, alone)), /has no Organization/);
  });

  test('the Schedules and their actors included', () => {
    assert.deepEqual(schedulesIncluded(answer(200, slots())), []);
    assert.deepEqual(actorsIncluded(answer(200, slots()), 'Location'), []);
    const partial = slots();
    partial.entry = partial.entry.filter((e: J) => !['Schedule', 'Location'].includes(e.resource.resourceType));
    found(schedulesIncluded(answer(200, partial)), /the Bundle lacks Schedule\/14/);
    found(actorsIncluded(answer(200, partial), 'Location'), /has no Schedule/);
    const noLocation = slots();
    noLocation.entry = noLocation.entry.filter((e: J) => e.resource.resourceType !== 'Location');
    found(actorsIncluded(answer(200, noLocation), 'Location'), /Location was asked for with _include:recurse, but the Bundle lacks Location\/17/);
  });

  test('offered at all, still offered with filters, no longer offered once booked', () => {
    assert.deepEqual(slotsOffered(answer(200, slots())), []);
    found(slotsOffered(answer(200, bundleOf())), /offered no free slot/);
    found(slotsOffered(refusal(422, 'INVALID_PARAMETER')), /answered 422 INVALID_PARAMETER: why; expected 200/);
    assert.deepEqual(stillOffered(answer(200, slots()), ['1584', '1644']), []);
    found(stillOffered(answer(200, slots()), ['1584', '9']), /no longer offers Slot\/9$/);
    assert.deepEqual(noLongerOffered(answer(200, slots()), '9'), []);
    found(noLongerOffered(answer(200, slots()), '1584'), /Slot\/1584 is still offered after it was booked/);
    found(noLongerOffered(refusal(500, 'INTERNAL_SERVER_ERROR'), '1584'), /the search after the booking .* answered 500/);
  });
});

describe('booking', () => {
  const sent = () => {
    const b = example('appointments_book_response.json');
    delete b.id;
    return b;
  };
  const bookedAnswer = (body: J = example('appointments_book_response.json'), location = `https://p.test/Appointment/${body.id}/_history/1`) => answer(201, body, { location }, 'POST /Appointment');

  test('201 with the new appointment in the Location header', () => {
    assert.deepEqual(locationHeader(bookedAnswer()), []);
    found(locationHeader(answer(201, example('appointments_book_response.json'))), /answered 201 without a Location header/);
    found(locationHeader(bookedAnswer(undefined, 'https://p.test/Appointment/other/_history/1')), /does not name the new appointment/);
    assert.deepEqual(booked(bookedAnswer()), []);
    found(booked(refusal(409, 'DUPLICATE_REJECTED')), /answered 409 DUPLICATE_REJECTED: why; expected 201/);
    found(booked(answer(201, { resourceType: 'Appointment' })), /without an Appointment id/);
  });

  test('the booking as sent, with an id; read back as booked', () => {
    assert.deepEqual(bookingEchoed(bookedAnswer(), sent()), []);
    const truncated = example('appointments_book_response.json');
    truncated.description = 'Free text';
    found(bookingEchoed(bookedAnswer(truncated), sent()), /description is "Free text", not "Free text description\." as booked/);
    const appointment = example('appointments_book_response.json');
    assert.deepEqual(readAsBooked(answer(200, appointment), sent(), appointment), []);
    found(readAsBooked(answer(200, { ...appointment, status: 'cancelled' }), sent(), appointment), /Appointment\/9 read back is not the one booked: status is "cancelled"/);
  });

  test('a description over the limit: booked whole, or refused; truncated is a finding', () => {
    const refusals = parseRefusals('422 INVALID_RESOURCE, 400 BAD_REQUEST');
    assert.deepEqual(wholeDescriptionOrRefused(bookedAnswer(), sent(), refusals), []);
    assert.deepEqual(wholeDescriptionOrRefused(refusal(422, 'INVALID_RESOURCE'), sent(), refusals), []);
    const truncated = example('appointments_book_response.json');
    truncated.description = 'Free text';
    found(wholeDescriptionOrRefused(bookedAnswer(truncated), sent(), refusals), /accepted, but .* not the booking \(a provider must not truncate\)/);
    assert.equal(wholeDescriptionOrRefused(refusal(422, 'INVALID_PARAMETER'), sent(), refusals)[0]!.exactOnly, true);
  });
});

describe('the transport judges (features/provider/transport-security.feature)', () => {
  const answered = (status: number, protocol = 'TLSv1.2') => ({ kind: 'answered' as const, protocol, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', status });
  const closed = { kind: 'closed' as const, reason: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' };
  test('accepted: answered with success over the protocol asked for; closed, another protocol or no success is found', () => {
    assert.deepEqual(acceptedTls(answered(200), 'TLS 1.2', 'TLSv1.2'), []);
    assert.match(acceptedTls(closed, 'TLS 1.2', 'TLSv1.2')[0]!.text, /refused TLS 1.2: it closed the connection \(ERR_SSL/);
    assert.match(acceptedTls(answered(200, 'TLSv1.3'), 'TLS 1.2', 'TLSv1.2')[0]!.text, /negotiated as TLSv1.3, not TLSv1.2/);
    assert.match(acceptedTls(answered(400), 'TLS 1.2')[0]!.text, /answered the capability statement request 400/);
  });
  test('refused: closed or 495/496 pass; another 4xx is about the exact code only; an answer served is found', () => {
    assert.deepEqual(refusedTls(closed, 'TLS 1.0'), []);
    assert.deepEqual(refusedTls(answered(495), 'no certificate'), []);
    assert.deepEqual(refusedTls(answered(496), 'no certificate'), []);
    const other = refusedTls(answered(403), 'no certificate');
    assert.equal(other.length, 1);
    assert.equal(other[0]!.exactOnly, true);
    assert.match(refusedTls(answered(200, 'TLSv1'), 'TLS 1.0')[0]!.text, /accepted TLS 1.0: it answered 200 over TLSv1/);
  });
});
