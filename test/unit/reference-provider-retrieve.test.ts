import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { GpcProfile, SpineError } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import type { ProviderContext } from '../../src/spine/provider/context';
import { retrieveAppointments } from '../../src/spine/provider/retrieve';
import { PRACTICE_ROOT, bookSlot, practiceContext } from '../support/reference-practice';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = PRACTICE_ROOT;
let ctx: ProviderContext;
beforeEach(() => {
  ctx = practiceContext();
});

const book = (slotId: string, patient = '1'): Promise<Json> => bookSlot(ctx, slotId, patient);

const retrieve = (patient: string, ...starts: string[]) =>
  retrieveAppointments(ctx, `/Patient/${patient}/Appointment`, new URL(`${ROOT}/Patient/${patient}/Appointment?${starts.map((s) => `start=${encodeURIComponent(s)}`).join('&')}`));

async function refused(res: Response, status: number, code: string): Promise<string> {
  assert.equal(res.status, status);
  const outcome = outcomeCode((await res.json()) as Json);
  assert.equal(outcome.code, code);
  return outcome.diagnostics ?? '';
}

test("the patient's appointments within the range, in order of start, in a searchset Bundle; not another patient's", async () => {
  const monday = await book('1-202510270900');
  const friday = await book('1-202510241000');
  await book('1-202510241015', '2');
  const res = retrieve('1', 'ge2025-10-22', 'le2025-10-31');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const bundle = (await res.json()) as Json;
  assert.equal(bundle.type, 'searchset');
  assert.deepEqual(bundle.entry.map((e: Json) => e.resource.id), [friday.id, monday.id]);
  assert.ok(bundle.entry.every((e: Json) => e.resource.meta.profile.includes(GpcProfile.appointment) && e.resource.meta.versionId === '1'));
});

test('the range is of UK dates, both ends included; outside it nothing is returned, and no appointment gives an empty Bundle', async () => {
  await book('1-202510241000');
  assert.equal(((await retrieve('1', 'ge2025-10-24', 'le2025-10-24').json()) as Json).entry.length, 1);
  const after = (await retrieve('1', 'ge2025-10-25', 'le2025-10-31').json()) as Json;
  assert.equal(after.type, 'searchset');
  assert.equal(after.entry, undefined);
});

test('an unknown or PDS-sensitive patient is 404 PATIENT_NOT_FOUND', async () => {
  await refused(await retrieve('dd', 'ge2025-10-22', 'le2025-10-31'), 404, SpineError.patientNotFound);
  const sensitive = ctx.state.patients().find((p) => p.sensitive);
  if (sensitive) await refused(await retrieve(sensitive.id, 'ge2025-10-22', 'le2025-10-31'), 404, SpineError.patientNotFound);
});

test('the start parameters: one ge and one le, whole dates without a time, not reversed, not in the past; each refusal 422 INVALID_PARAMETER saying why', async () => {
  assert.match(await refused(retrieve('1', 'ge2025-10-22'), 422, SpineError.invalidParameter), /two start parameters/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'lt2025-10-31'), 422, SpineError.invalidParameter), /one prefixed ge and one prefixed le/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'ge2025-10-31'), 422, SpineError.invalidParameter), /one prefixed ge/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'le2025-10-31T10:00:00'), 422, SpineError.invalidParameter), /time element/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22T00:00:00Z', 'le2025-10-31'), 422, SpineError.invalidParameter), /time element/);
  assert.match(await refused(retrieve('1', 'ge2025-10', 'le2025-10-31'), 422, SpineError.invalidParameter), /day, month and year/);
  assert.match(await refused(retrieve('1', 'ge2025-10-22', 'le2025-02-30'), 422, SpineError.invalidParameter), /not a calendar date/);
  assert.match(await refused(retrieve('1', 'ge2025-10-31', 'le2025-10-24'), 422, SpineError.invalidParameter), /not define a valid date range/);
  assert.match(await refused(retrieve('1', 'ge2025-10-21', 'le2025-10-31'), 422, SpineError.invalidParameter), /cannot request appointments in the past/);
  assert.equal(retrieve('1', 'le2025-10-31', 'ge2025-10-22').status, 200, 'the order of the two parameters does not matter');
  assert.equal(retrieve('1', 'ge2025-10-22', 'le2025-10-22').status, 200, 'today is not the past');
});
