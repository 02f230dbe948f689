import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseConsumerProfile, sendsOf } from '../../src/actors/profiles/consumer';
import { loadProviderProfile, parseProviderProfile, ProfileError } from '../../src/actors/profiles/load';
import { Interaction, WORKED_EXAMPLE_INTERACTIONS } from '../../src/gpconnect/constants';
import { PACKAGE_ROOT } from '../../src/package-root';

const root = PACKAGE_ROOT;
const minimal = `role: provider
name: My practice system
baseUrl: http://127.0.0.1:8080/A20047/STU3/1/gpconnect
asid: "918999198993"
ods: A20047
testData:
  registeredPatient: "9693632109"
  registrablePatient: "9651258500"
`;

const problems = (text: string) => {
  try {
    parseProviderProfile(text, 'mine.yaml');
  } catch (error) {
    assert.ok(error instanceof ProfileError);
    return error.message;
  }
  assert.fail('the profile was accepted');
};

test('the reference provider profile loads', () => {
  const profile = loadProviderProfile(path.join(root, 'profiles/reference-provider.yaml'));
  assert.equal(profile.ods, 'A20047');
  assert.equal(profile.via, 'ssp');
});

test('a minimal profile loads', () => {
  assert.equal(parseProviderProfile(minimal).asid, '918999198993');
});

test('every problem names its field', () => {
  assert.match(problems(minimal.replace('asid: "918999198993"', 'asid: "9189"')), /asid: must match pattern/);
  assert.match(problems(minimal.replace('asid: "918999198993"', 'asid: 918999198993')), /asid: must be a string \(quote numbers/);
  assert.match(problems(minimal.replace('ods: A20047\n', '')), /ods: required, missing/);
  assert.match(problems(minimal + 'colour: blue\n'), /\(top level\): unknown field "colour"/);
  assert.match(problems(minimal.replace('/gpconnect', '/gpconnect/')), /baseUrl: must match pattern/);
  assert.match(problems(minimal.replace('9651258500', '9651258501')), /testData.registrablePatient: 9651258501 is not a valid NHS number/);
  assert.match(problems(minimal + 'tls:\n  pfx: a.p12\n  cert: a.pem\n'), /tls: give either pfx or cert and key/);
  assert.match(problems(minimal + 'role: consumer\n'), /line \d+/);
});

test('a profile parsed again is parsed alike, and a copy: changing one load changes no other', () => {
  const first = parseProviderProfile(minimal, 'a.yaml');
  first.testData.registeredPatient = '0000000000';
  (first as { name: string }).name = 'changed';
  const second = parseProviderProfile(minimal, 'b.yaml');
  assert.equal(second.testData.registeredPatient, '9693632109');
  assert.equal(second.name, 'My practice system');
  assert.deepEqual(second, parseProviderProfile(minimal));
  // A bad profile is refused every time, naming the file it was read from.
  const bad = minimal.replace('ods: A20047\n', '');
  assert.throws(() => parseProviderProfile(bad, 'one.yaml'), /^ProfileError: one\.yaml: .*\n.*ods: required/s);
  assert.throws(() => parseProviderProfile(bad, 'two.yaml'), /^ProfileError: two\.yaml: /);
});

test('an unreadable profile is named', () => {
  assert.throws(() => loadProviderProfile('/nonexistent/p.yaml'), /\/nonexistent\/p.yaml: the profile cannot be used\n.*cannot read the file/);
});

const consumer = `role: consumer
name: My consumer
identity: { asid: "200000000359", ods: UCC01 }
driver: { kind: http, url: "http://127.0.0.1:{port}/book", body: "{}" }
`;

test("a consumer's sends: short names and full interaction IDs, resolved to IDs once each", () => {
  const profile = parseConsumerProfile(consumer + `sends: [readMetadata, cancelAppointment, "${Interaction.searchSlot}", "${Interaction.cancelAppointment}"]\n`);
  assert.deepEqual(profile.sends, [Interaction.readMetadata, Interaction.cancelAppointment, Interaction.searchSlot]);
  assert.deepEqual(sendsOf(profile), profile.sends);
});

test("a consumer's sends defaults to the worked example's six interactions", () => {
  const profile = parseConsumerProfile(consumer);
  assert.equal(profile.sends, undefined);
  assert.deepEqual(sendsOf(profile), WORKED_EXAMPLE_INTERACTIONS);
});

test("an unknown interaction in a consumer's sends is named, with the names allowed", () => {
  const message = (text: string) => {
    try {
      parseConsumerProfile(text, 'c.yaml');
    } catch (error) {
      assert.ok(error instanceof ProfileError);
      return error.message;
    }
    assert.fail('the profile was accepted');
  };
  const bad = message(consumer + 'sends: [readMetadata, cancelAppt, "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-9"]\n');
  assert.match(bad, /sends\.1: "cancelAppt" is not an interaction the harness knows: give a full interaction ID \(urn:nhs:names:services:gpconnect:fhir:…\) or one of readMetadata, .*cancelAppointment/);
  assert.match(bad, /sends\.2: "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-9" is not an interaction/);
  assert.doesNotMatch(bad, /sends\.0/);
  assert.match(message(consumer + 'sends: []\n'), /sends: must NOT have fewer than 1 items/);
  assert.match(message(consumer + 'sends: readMetadata\n'), /sends: must be a/);
});
