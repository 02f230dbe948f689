/**
 * Search for an organisation and Search for a practitioner: the reference provider's answers
 * (src/spine/provider/searches.ts) and the judges (src/rules/provider/searches.ts) on them and on
 * answers a faulty provider gives.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GpcProfile, SpineError, System } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { parseQueryParameters, searchForAnOrganisation, searchForAPractitioner } from '../../src/gpconnect/operations-searches';
import { relativeTarget } from '../../src/gpconnect/operations';
import type { ProviderContext, ProviderState } from '../../src/spine/provider/context';
import { searchOrganizations, searchPractitioners } from '../../src/spine/provider/searches';
import { searchFieldsNotInUse, searchFieldsPopulated, searchFinds, searchFindsNone, type ProviderAnswer } from '../../src/rules/provider';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = 'https://provider.gpc-conform.test/A20047/STU3/1/gpconnect';
const state = {
  ods: 'A20047',
  organisationId: '7',
  organisationName: "Dr Legg's Surgery",
  organisation: { address: { line: ['1 High Street'], city: 'Leeds', postalCode: 'LS1 1AA' }, phone: '01632 960001' },
  practitioners: () => [{ id: '1', sdsUserId: 'G13579135', family: 'LEGG', given: ['Andrew'], prefix: 'Dr', gender: 'male', roleCode: 'R0260', roleDisplay: 'General Medical Practitioner' }],
} as unknown as ProviderState;
const ctx = { serviceRoot: ROOT, ods: 'A20047', asid: '918999198993', state, now: () => new Date() } as unknown as ProviderContext;

const url = (path: string, query: string) => new URL(`${ROOT}${path}${query === '' ? '' : `?${query}`}`);
const ods = (code: string) => `identifier=${encodeURIComponent(`${System.odsOrganizationCode}|${code}`)}`;
const sds = (id: string) => `identifier=${encodeURIComponent(`${System.sdsUserId}|${id}`)}`;

async function answerOf(response: Response, asked = 'GET /Organization?…'): Promise<ProviderAnswer> {
  const text = await response.text();
  return { response: { status: response.status, headers: Object.fromEntries(response.headers), body: text } as ProviderAnswer['response'], body: JSON.parse(text) as Json, asked };
}

async function refused(response: Response, status: number, code: string): Promise<void> {
  const body = (await response.json()) as Json;
  assert.equal(response.status, status, outcomeCode(body).diagnostics);
  assert.equal(outcomeCode(body).code, code);
  assert.match(response.headers.get('cache-control') ?? '', /no-store/);
}

describe('the search builders', () => {
  test('percent-encode the identifier as the pages ask (| as %7C)', () => {
    assert.equal(relativeTarget(searchForAnOrganisation('A20047')), '/Organization?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fods-organization-code%7CA20047');
    assert.equal(relativeTarget(searchForAPractitioner('G1')), '/Practitioner?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fsds-user-id%7CG1');
  });
  test('a written query is read as name=value pairs; an empty one is no parameter', () => {
    assert.deepEqual(parseQueryParameters(''), []);
    assert.deepEqual(parseQueryParameters('identifier=s|&_count=1&x'), [['identifier', 's|'], ['_count', '1'], ['x', '']]);
  });
});

describe('Search for an organisation (reference provider)', () => {
  test("the practice's ODS code finds its Organization, as the judges want it", async () => {
    const answer = await answerOf(searchOrganizations(ctx, url('/Organization', ods('A20047'))));
    assert.equal(answer.response.status, 200);
    assert.equal(answer.body?.type, 'searchset');
    assert.deepEqual(searchFinds(answer, 'Organization', 'A20047'), []);
    assert.deepEqual(searchFieldsPopulated(answer, 'Organization', 'A20047'), []);
    assert.deepEqual(searchFieldsNotInUse(answer, 'Organization'), []);
  });
  test('another ODS code finds nothing: 200, an empty searchset Bundle', async () => {
    const answer = await answerOf(searchOrganizations(ctx, url('/Organization', ods('X99999'))));
    assert.deepEqual(searchFindsNone(answer, 'Organization', 'X99999'), []);
    assert.equal(answer.body?.entry, undefined);
  });
  test('a missing, blank, misnamed or repeated identifier is refused with the official tests\' codes', async () => {
    await refused(searchOrganizations(ctx, url('/Organization', '')), 400, SpineError.badRequest);
    await refused(searchOrganizations(ctx, url('/Organization', `identifier=${encodeURIComponent(`${System.odsOrganizationCode}|`)}`)), 422, SpineError.invalidParameter);
    await refused(searchOrganizations(ctx, url('/Organization', `identifier=${encodeURIComponent('|A20047')}`)), 422, SpineError.invalidParameter);
    await refused(searchOrganizations(ctx, url('/Organization', ods('A20047').replace('identifier', 'Identifier'))), 400, SpineError.badRequest);
    await refused(searchOrganizations(ctx, url('/Organization', `${ods('A20047')}&${ods('A20047')}`)), 400, SpineError.badRequest);
    await refused(searchOrganizations(ctx, url('/Organization', sds('A20047'))), 400, SpineError.invalidIdentifierSystem);
  });
  test('_count and _sort are ignored', async () => {
    const answer = await answerOf(searchOrganizations(ctx, url('/Organization', `${ods('A20047')}&_count=1&_sort=name`)));
    assert.deepEqual(searchFinds(answer, 'Organization', 'A20047'), []);
  });
});

describe('Search for a practitioner (reference provider)', () => {
  test('an SDS user id the practice holds finds that Practitioner', async () => {
    const answer = await answerOf(searchPractitioners(ctx, url('/Practitioner', sds('G13579135'))));
    assert.deepEqual(searchFinds(answer, 'Practitioner', 'G13579135'), []);
    assert.deepEqual(searchFieldsPopulated(answer, 'Practitioner', 'G13579135'), []);
    assert.deepEqual(searchFieldsNotInUse(answer, 'Practitioner'), []);
  });
  test('an unknown SDS user id finds nothing', async () => {
    assert.deepEqual(searchFindsNone(await answerOf(searchPractitioners(ctx, url('/Practitioner', sds('999999999999')))), 'Practitioner', '999999999999'), []);
  });
});

describe('the search judges on a faulty answer', () => {
  const bundle = (resources: Json[]): Json => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
  const org = (extra: Json = {}): Json => ({ resourceType: 'Organization', id: '7', meta: { versionId: '1', profile: [GpcProfile.organization] }, identifier: [{ system: System.odsOrganizationCode, value: 'A20047' }], name: 'Surgery', ...extra });
  const said = (body: Json, status = 200): ProviderAnswer => ({ response: { status, headers: {}, body: JSON.stringify(body) } as ProviderAnswer['response'], body, asked: 'GET /Organization' });

  test('an empty Bundle for a code the practice holds, or a collection, fails the search', () => {
    assert.match(searchFinds(said(bundle([])), 'Organization', 'A20047').join('\n'), /holds no Organization/);
    assert.match(searchFinds(said({ ...bundle([org()]), type: 'collection' }), 'Organization', 'A20047').join('\n'), /not searchset/);
  });
  test('an Organization of another ODS code does not match', () => {
    assert.match(searchFinds(said(bundle([org({ identifier: [{ system: System.odsOrganizationCode, value: 'B82617' }] })])), 'Organization', 'A20047').join('\n'), /does not carry the identifier/);
  });
  test('no versionId, two ODS codes, no name each fail the fields; contact fails the fields not in use', () => {
    const findings = searchFieldsPopulated(said(bundle([org({ meta: { profile: [GpcProfile.organization] }, name: undefined, identifier: [{ system: System.odsOrganizationCode, value: 'A20047' }, { system: System.odsOrganizationCode, value: 'A20048' }] })])), 'Organization', 'A20047');
    assert.equal(findings.length, 3, findings.join('\n'));
    assert.match(searchFieldsNotInUse(said(bundle([org({ contact: [{ name: { text: 'PM' } }] })])), 'Organization').join('\n'), /populates contact/);
  });
  test('a 404 for an unknown code fails: finding none is not an error', () => {
    assert.match(searchFindsNone(said({ resourceType: 'OperationOutcome', issue: [] }, 404), 'Organization', 'X99999').join('\n'), /answered 404/);
  });
});
