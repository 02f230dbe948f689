/**
 * The registrations of provider-register.steps.ts (src/actors/provider/registration.ts): each differs
 * from the valid one in the one respect it names; and the echo judge (src/rules/provider/register.ts)
 * passes a Patient returned as sent and finds each thing lost.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { changedRegistration, registrationParameters, registrationPatient, withAddresses, withTelecoms } from '../../src/actors/provider/registration';
import { carriesWhatWasSent } from '../../src/rules/provider/register';
import type { ProviderAnswer } from '../../src/rules/provider/answer';

type Json = Record<string, any>;

const REA = { nhsNumber: '9651258500', family: 'REA', given: ['Clive'], gender: 'male', birthDate: '1951-03-10', phone: '01632960318', address: { line: ['9 CHAPEL LANE'], city: 'S HUMBERSIDE', postalCode: 'DN19 7AT' } } as any;
const valid = () => registrationPatient('9651258500', REA);

/** The JSON paths at which two values differ. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [at || '(root)'];
  const keys = new Set([...Object.keys(a as Json), ...Object.keys(b as Json)]);
  return [...keys].flatMap((k) => differences((a as Json)[k], (b as Json)[k], `${at}/${k}`));
}

const answerWith = (patient: Json): ProviderAnswer => ({ response: { status: 200, headers: {}, body: '' }, body: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient }] }, asked: 'POST /Patient/$gpc.registerpatient' });

describe('registrations one change from a valid one', () => {
  for (const [change, where] of [
    ['without a birth date', '/parameter/0/resource/birthDate'],
    ['with an official name that has no family name', '/parameter/0/resource/name/0/family'],
    ['with 2 extra given names', '/parameter/0/resource/name/0/given/'],
    ['with the registerPatient parameter twice', '/parameter/1'],
    ['in a body that is not a Parameters resource', '/resourceType'],
    ['with the date of birth PDS holds but another day', '/parameter/0/resource/birthDate'],
  ] as const) {
    test(`"${change}" changes ${where} only`, () => {
      const d = differences(registrationParameters(valid()), changedRegistration(valid(), change).parameters);
      assert.ok(d.length >= 1 && d.every((p) => p.startsWith(where)), d.join(', '));
    });
  }
  test('a change the table does not name fails loudly', () => assert.throws(() => changedRegistration(valid(), 'with a pony'), /no registration change "with a pony"/));
  test('the birth-date changes keep 2 parts, and 1 part', () => {
    assert.equal(changedRegistration(valid(), 'with the date of birth PDS holds but another day').patient.birthDate, '1951-03-01');
    assert.equal(changedRegistration(valid(), 'with a date of birth that matches PDS in its month only').patient.birthDate, '1950-03-01');
  });
  test('telecom and address pairs replace the lists', () => {
    assert.deepEqual(withTelecoms(valid(), ['Home', 'Email']).patient.telecom.map((t: Json) => t.use ?? t.system), ['home', 'email']);
    assert.deepEqual(withAddresses(valid(), ['Home', 'Temp']).patient.address.map((a: Json) => [a.use, a.postalCode]), [['home', 'DN19 7AT'], ['temp', 'LS1 6AE']]);
  });
});

describe('carriesWhatWasSent', () => {
  const sent = changedRegistration(withTelecoms(valid(), ['Home', 'Temp']).patient, 'with nhsCommunication').patient;
  test('passes the Patient returned as sent', () => assert.deepEqual(carriesWhatWasSent(answerWith(sent), sent), []));
  test('finds a temporary phone lost', () => {
    const lost = { ...sent, telecom: sent.telecom.filter((t: Json) => t.use !== 'temp') };
    assert.match(carriesWhatWasSent(answerWith(lost), sent).join('\n'), /lacks the temp phone/);
  });
  test('finds an extra given name lost and nhsCommunication dropped', () => {
    const extra = changedRegistration(sent, 'with 1 extra given name').patient;
    const findings = carriesWhatWasSent(answerWith({ ...sent, extension: [] }), extra);
    assert.equal(findings.length, 2, findings.join('\n'));
  });
});
