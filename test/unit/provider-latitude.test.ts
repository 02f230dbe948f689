import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { HarnessRun } from '../../src/actors/harness-run';
import { runParameters } from '../../src/actors/run-parameters';
import { cacheDirectives, parseRefusals, refusedWithOneOf, type ProviderAnswer } from '../../src/rules/provider';
import { gpcOutcome } from '../../src/gpconnect/outcomes';
import { applyVariants, parseProviderVariants, variantChoices, variantGuardOptions } from '../../src/spine/provider/variants';

/**
 * What the standard leaves to a provider (review F2-F13): the refusals where the sources differ,
 * Cache-Control as a list of directives, MAY capabilities tested only where declared, and the
 * conformant variants' parts. The variants' end-to-end proof is test/system/provider-variant-proof.test.ts.
 */
const work = mkdtempSync(path.join(tmpdir(), 'gpc-latitude-'));
after(() => rmSync(work, { recursive: true, force: true }));

const answer = (status: number, code: string): ProviderAnswer => ({
  response: { status, headers: {}, body: '' } as unknown as ProviderAnswer['response'],
  body: gpcOutcome('invalid', code, code, 'why'),
  asked: 'GET /Slot',
});

test('parseRefusals groups the codes by status and refuses what is not "<status> <CODE>"', () => {
  assert.deepEqual(parseRefusals('400 BAD_REQUEST, 422 INVALID_PARAMETER, 422 INVALID_RESOURCE'), [
    { status: 400, codes: ['BAD_REQUEST'] },
    { status: 422, codes: ['INVALID_PARAMETER', 'INVALID_RESOURCE'] },
  ]);
  assert.throws(() => parseRefusals('422'), /not "<status> <SPINE_CODE>"/);
});

test('a refusal with any listed status and code passes; another status or code is found, naming what was allowed', () => {
  const allowed = parseRefusals('400 BAD_REQUEST, 422 INVALID_PARAMETER');
  assert.deepEqual(refusedWithOneOf(answer(400, 'BAD_REQUEST'), allowed), []);
  assert.deepEqual(refusedWithOneOf(answer(422, 'INVALID_PARAMETER'), allowed), []);
  assert.match(refusedWithOneOf(answer(422, 'BAD_REQUEST'), allowed)[0]!.text, /refused 422 with BAD_REQUEST; expected 400 BAD_REQUEST; or 422 INVALID_PARAMETER/);
  assert.match(refusedWithOneOf(answer(200, 'BAD_REQUEST'), allowed)[0]!.text, /answered 200/);
});

test('Cache-Control is read as directives (RFC 9111 §5.2): no-store among others counts', () => {
  assert.ok(cacheDirectives('no-cache, no-store').includes('no-store'));
  assert.ok(cacheDirectives('No-Store').includes('no-store'));
  assert.ok(cacheDirectives('private,no-store,max-age=0').includes('no-store'));
  assert.ok(!cacheDirectives('no-cache').includes('no-store'));
  assert.ok(!cacheDirectives('x-no-store-ish').includes('no-store'));
  assert.deepEqual(cacheDirectives(undefined), []);
});

function profileWith(capabilities: string): string {
  const file = path.join(work, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `role: provider
name: A supplier
baseUrl: http://127.0.0.1:8080/A20047/STU3/1/gpconnect
asid: "918999198993"
ods: A20047
testData:
  registeredPatient: "9693632109"
  registrablePatient: "9651258500"
${capabilities}`,
  );
  return file;
}

const notApplicable = (run: HarnessRun, capability: string) => run.notApplicable(['@provider', `@capability:${capability}`]);

test('a MAY capability is tested only where the profile declares it true; the others unless declared false', () => {
  const silent = new HarnessRun(runParameters({ providerProfile: profileWith('') }));
  for (const may of ['authorisesByScope', 'validatesClaimValues', 'refusesWrongOffsets', 'refusesMissingPrefix']) assert.ok(notApplicable(silent, may), `${may} undeclared is tested`);
  assert.ok(!notApplicable(silent, 'checksAudience'));
  const declared = new HarnessRun(runParameters({ providerProfile: profileWith('capabilities:\n  authorisesByScope: true\n  checksAudience: false\n') }));
  assert.ok(!notApplicable(declared, 'authorisesByScope'));
  assert.ok(notApplicable(declared, 'checksAudience'));
});

test('a variant that leaves out a MAY declares it false for the built-in profile; variants need the built-in profile', () => {
  assert.ok(!notApplicable(new HarnessRun(runParameters({})), 'authorisesByScope'), 'the reference provider authorises by scope');
  assert.ok(notApplicable(new HarnessRun(runParameters({ variants: { provider: 'ignores-requested-scope' } })), 'authorisesByScope'));
  assert.throws(() => new HarnessRun(runParameters({ providerProfile: profileWith(''), variants: { provider: 'ignores-requested-scope' } })), /built-in reference provider/);
});

test("variants set the guard's options and the routes' choices they name, and nothing else", () => {
  assert.deepEqual(variantGuardOptions(parseProviderVariants('ignores-requested-scope,lenient-claim-values')), { authoriseByScope: false, validateClaimValues: false });
  assert.deepEqual(variantChoices(parseProviderVariants('accepts-long-description')), { storeLongDescriptions: true });
  assert.deepEqual(variantGuardOptions(new Set()), {});
});

test('a recoding variant changes only the refusal it names', async () => {
  const variants = parseProviderVariants('invalid-nhs-number-as-422');
  const url = new URL('https://p.test/A20047/STU3/1/gpconnect/Patient?identifier=x');
  const request = new Request(url, { method: 'GET' });
  const refused = (code: string, status = 400) => new Response(JSON.stringify(gpcOutcome('value', code, code, 'why')), { status });
  const recoded = await applyVariants(variants, { request, url, response: refused('INVALID_NHS_NUMBER') });
  assert.equal(recoded.status, 422);
  assert.equal(((await recoded.json()) as any).issue[0].details.coding[0].code, 'INVALID_PARAMETER');
  const other = await applyVariants(variants, { request, url, response: refused('BAD_REQUEST') });
  assert.equal(other.status, 400);
});

/** One answer through one variant: what the reference provider's answer becomes. */
async function through(variant: string, body: object, status = 200): Promise<Record<string, any>> {
  const request = new Request('http://127.0.0.1/A20047/STU3/1/gpconnect/Patient?identifier=x');
  const response = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json;charset=utf-8' } });
  const out = await applyVariants(parseProviderVariants(variant), { request, url: new URL(request.url), response });
  return (await out.json()) as Record<string, any>;
}

test('the FHIR latitude variants change the answer as a supplier making that choice would', async () => {
  const bundle = {
    resourceType: 'Bundle',
    entry: [
      { resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9693632109' }] } },
      { resource: { resourceType: 'Practitioner', id: 'pr1', identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-user-id', value: 'G1' }] } },
      { resource: { resourceType: 'Schedule', id: 's1', extension: [{ valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1', code: 'R0260' }] } }] } },
    ],
  };
  const patients = await through('extra-patient-identifiers', bundle);
  assert.deepEqual(patients.entry[0].resource.identifier.map((i: { system: string }) => i.system), ['https://fhir.nhs.uk/Id/nhs-number', 'https://supplier.example.test/Id/patient-number']);
  const admin = await through('extra-admin-identifiers', bundle);
  assert.equal(admin.entry[1].resource.identifier[1].system, 'https://fhir.hl7.org.uk/Id/gmp-number');
  const roles = await through('careconnect-job-role-system', bundle);
  assert.equal(roles.entry[2].resource.extension[0].valueCodeableConcept.coding[0].system, 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1');
  const error = await through('error-codes-from-valueset-url', gpcOutcome('invalid', 'INVALID_NHS_NUMBER', 'Invalid NHS number', 'why'), 400);
  assert.equal(error.issue[0].details.coding[0].system, 'https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1');
});

test('content-type-with-space labels FHIR JSON with a space before charset, and nothing else', async () => {
  const request = new Request('http://127.0.0.1/A20047/STU3/1/gpconnect/metadata');
  const label = async (type: string) =>
    (await applyVariants(parseProviderVariants('content-type-with-space'), { request, url: new URL(request.url), response: new Response('{}', { headers: { 'content-type': type } }) })).headers.get('content-type');
  assert.equal(await label('application/fhir+json;charset=utf-8'), 'application/fhir+json; charset=utf-8');
  assert.equal(await label('text/html'), 'text/html');
});
