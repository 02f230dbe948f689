/**
 * The variant proof's probe (src/spine/provider/variants.ts latitudesMet, noted by Spine in a box when
 * `probeLatitudes` is on): for each answer the reference provider gives, the answer-only variants that
 * would have given it otherwise, and no other. A variant the probe leaves out of a scenario runs it as
 * the reference provider does, so the proof may leave that scenario out of its run.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exampleOperation } from '../../src/actors/provider/requests';
import { prepareRequest, sendThroughSsp } from '../../src/actors/provider/ssp-exchange';
import { SpineInABox } from '../../src/spine/spine';
import { answerOnlyVariant, latitudesMet, PROVIDER_VARIANTS, type ProviderVariant } from '../../src/spine/provider/variants';
import { fhirJson, gpcOutcome } from '../../src/gpconnect/outcomes';
import { MediaType, SpineError } from '../../src/gpconnect/constants';
import { preparedBooking } from '../support/ssp-booking';

// One Spine in a box in-process at a time: each intercepts the same addresses.
let probed: SpineInABox;
before(async () => {
  probed = await SpineInABox.start({ mode: 'in-process', referenceProvider: { probeLatitudes: true } });
});
after(async () => {
  await probed.stop();
});

const send = async (spine: SpineInABox, operation: string) => sendThroughSsp(spine, await prepareRequest(spine, exampleOperation(operation), '200000000359', 'A20047'));

test('the answer-only variants are those acting through apply alone, declaring nothing', () => {
  for (const [name, definition] of Object.entries(PROVIDER_VARIANTS) as Array<[ProviderVariant, { apply?: unknown; guard?: unknown; choices?: unknown; declares?: unknown; reaches?: unknown }]>) {
    assert.equal(answerOnlyVariant(name), definition.apply !== undefined && definition.guard === undefined && definition.choices === undefined && definition.declares === undefined, name);
    // Where an answer-only variant acts is the probe's to find: a declared reach would be a second, stale account.
    if (answerOnlyVariant(name)) assert.equal(definition.reaches, undefined, `${name} acts on answers only and declares a reach`);
  }
});

test('a CapabilityStatement read meets the variants that change every answer and the template one, not the slot or error ones', async () => {
  probed.reset();
  const answer = await send(probed, 'Get the capability statement');
  assert.equal(answer.status, 200);
  const met = [...probed.latitudesMet];
  for (const v of ['cache-control-no-cache-no-store', 'content-type-with-space', 'capability-statement-as-template']) assert.ok(met.includes(v as ProviderVariant), `${v} not met: ${met.join(', ')}`);
  for (const v of ['schedules-without-category', 'error-codes-from-valueset-url', 'extra-patient-identifiers']) assert.ok(!met.includes(v as ProviderVariant), `${v} met by a CapabilityStatement`);
});

test('a slot search meets the slot, schedule and identifier variants; the reset forgets them', async () => {
  probed.reset();
  const { slots } = await preparedBooking(probed);
  probed.reset(); // the patient search and the CapabilityStatement read before it are another scenario's
  assert.equal((await sendThroughSsp(probed, slots)).status, 200);
  const met = [...probed.latitudesMet];
  for (const v of ['schedules-without-category', 'slots-and-schedules-with-comments', 'careconnect-job-role-system', 'extra-admin-identifiers']) assert.ok(met.includes(v as ProviderVariant), `${v} not met: ${met.join(', ')}`);
  for (const v of ['error-codes-from-valueset-url', 'capability-statement-as-template', 'retrieve-latest-first']) assert.ok(!met.includes(v as ProviderVariant), `${v} met by a slot search`);
  probed.reset();
  assert.deepEqual([...probed.latitudesMet], []);
});

test('an error answer meets the error variants and not the resource ones; the answer itself is left whole', async () => {
  const url = new URL('http://127.0.0.1:9/A20047/STU3/1/gpconnect/fhir/Patient/999999');
  const response = fhirJson(gpcOutcome('not-found', SpineError.noRecordFound, 'No record found'), 404, {}, MediaType.fhirJsonUtf8);
  const met = await latitudesMet({ request: new Request(url), url, response });
  for (const v of ['error-codes-from-valueset-url', 'not-found-with-specific-codes', 'cache-control-no-cache-no-store', 'content-type-with-space']) assert.ok(met.includes(v as ProviderVariant), `${v} not met: ${met.join(', ')}`);
  for (const v of ['extra-patient-identifiers', 'retrieve-unknown-patient-as-no-record-found', 'searches-as-plain-searchset']) assert.ok(!met.includes(v as ProviderVariant), `${v} met by a Patient read's 404`);
  // The probe worked on copies: the answer is still there to give.
  assert.equal(((await response.json()) as { issue: Array<{ details: { coding: Array<{ code: string }> } }> }).issue[0].details.coding[0].code, SpineError.noRecordFound);
});

test('without probeLatitudes nothing is noted', async () => {
  await probed.stop();
  const plain = await SpineInABox.start({ mode: 'in-process', referenceProvider: {} });
  try {
    assert.equal((await send(plain, 'Get the capability statement')).status, 200);
    assert.deepEqual([...plain.latitudesMet], []);
  } finally {
    await plain.stop();
  }
});
