/**
 * The capability statement judges (src/rules/provider/capability.ts): the spec's own template, its
 * square-bracket placeholders filled in, passes; each thing a supplier can leave out is found, in a
 * sentence that never names the requirement.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root';
import {
  statementInteraction,
  statementOperation,
  statementProfile,
  statementSearchIncludes,
  statementSoftware,
  statementVersion,
  type ProviderAnswer,
} from '../../src/rules/provider';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const TEMPLATE = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples', 'foundations_get_capability_statement_response.json');
const template = (): J => JSON.parse(readFileSync(TEMPLATE, 'utf8'));
const answer = (body: J): ProviderAnswer => ({ response: { status: 200, headers: {}, body: JSON.stringify(body) } as ProviderAnswer['response'], body, asked: 'GET /metadata' });
const SD = 'https://fhir.nhs.uk/STU3/StructureDefinition/';
const REGISTER = 'https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1';

function found(findings: readonly string[], pattern: RegExp): void {
  assert.ok(findings.length > 0, 'no finding');
  for (const f of findings) assert.doesNotMatch(f, /PROV-[A-Z]/);
  assert.ok(findings.some((f) => pattern.test(f)), `${pattern} not in ${findings.join(' | ')}`);
}

test('the version: any release from 1.2.7 to 1.2.9 (the template still says 1.2.7), not the software version', () => {
  const releases = ['1.2.7', '1.2.8', '1.2.9'];
  assert.deepEqual(statementVersion(answer(template()), releases), []);
  found(statementVersion(answer({ ...template(), version: '0.1.0' }), releases), /version is "0\.1\.0"/);
  found(statementVersion(answer({ resourceType: 'OperationOutcome' }), releases), /no CapabilityStatement/);
});

test('the software: the template with its placeholders is found, filled in it passes', () => {
  found(statementSoftware(answer(template())), /placeholder "\[Provider Software Name\]"/);
  assert.deepEqual(statementSoftware(answer({ ...template(), software: { name: 'Acme GP', version: '4.2' } })), []);
  found(statementSoftware(answer({ ...template(), software: { name: 'Acme GP' } })), /no software version/);
});

test('the profiles, with or without version history', () => {
  assert.deepEqual(statementProfile(answer(template()), `${SD}GPConnect-Slot-1`), []);
  const versioned = { ...template(), profile: template().profile.map((p: J) => ({ reference: `${p.reference}/_history/1.2` })) };
  assert.deepEqual(statementProfile(answer(versioned), `${SD}GPConnect-Slot-1`), []);
  found(statementProfile(answer({ ...template(), profile: [] }), `${SD}GPConnect-Slot-1`), /do not include .*GPConnect-Slot-1/);
  found(statementProfile(answer({ ...template(), profile: [{ reference: `${SD}GPConnect-Slot-10` }] }), `${SD}GPConnect-Slot-1`), /do not include/);
});

test('the resources and interactions offered', () => {
  assert.deepEqual(statementInteraction(answer(template()), 'Appointment', 'create'), []);
  assert.deepEqual(statementInteraction(answer(template()), 'Location', 'read'), []);
  found(statementInteraction(answer(template()), 'Location', 'search-type'), /declares Location without the search-type interaction/);
  found(statementInteraction(answer(template()), 'Schedule', 'read'), /no Schedule resource/);
  found(statementInteraction(answer({ ...template(), rest: [] }), 'Slot', 'search-type'), /no rest capabilities/);
});

test('the gpc.registerpatient operation and its definition', () => {
  assert.deepEqual(statementOperation(answer(template()), 'gpc.registerpatient', REGISTER), []);
  const wrong = template();
  wrong.rest[0].operation = [{ name: 'gpc.registerpatient', definition: { reference: 'https://fhir.nhs.uk/OperationDefinition/gpc.registerpatient' } }];
  found(statementOperation(answer(wrong), 'gpc.registerpatient', REGISTER), /not defined by/);
  delete wrong.rest[0].operation;
  found(statementOperation(answer(wrong), 'gpc.registerpatient', REGISTER), /no gpc\.registerpatient operation/);
});

test('the Slot search includes', () => {
  const includes = ['Schedule:actor:Location', 'Schedule:actor:Practitioner', 'Slot:schedule', 'Location:managingOrganization'];
  assert.deepEqual(statementSearchIncludes(answer(template()), 'Slot', includes), []);
  const some = template();
  some.rest[0].resource.find((r: J) => r.type === 'Slot').searchInclude = ['Slot:schedule'];
  const findings = statementSearchIncludes(answer(some), 'Slot', includes);
  assert.equal(findings.length, 3);
  found(findings, /does not declare the search include Location:managingOrganization/);
});
