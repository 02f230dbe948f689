/** The reference provider's Amend and Cancel an appointment (src/spine/provider/amend-cancel.ts) and their judges (src/rules/provider/amend-cancel.ts). */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { GpcAppointmentExtension, Header, Interaction, MediaType } from '../../src/gpconnect/constants';
import { outcomeCode } from '../../src/gpconnect/outcomes';
import { cancelled } from '../../src/gpconnect/operations-amend-cancel';
import type { ProviderContext } from '../../src/spine/provider/context';
import { updateAppointment } from '../../src/spine/provider/amend-cancel';
import { PRACTICE_ROOT, bookSlot, practiceContext } from '../support/reference-practice';
import { amendedAsSent, cancelledAsSent, newVersion, staleVersionRefused, type ProviderAnswer } from '../../src/rules/provider';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Slot 1-202510241000 is Friday 24 October, 10:00 (the practice's clock: test/support/reference-practice.ts).
const ROOT = PRACTICE_ROOT;
const SLOT = '1-202510241000';
let ctx: ProviderContext;
let booked: Json;

beforeEach(async () => {
  ctx = practiceContext();
  booked = await bookSlot(ctx, SLOT);
});

function put(kind: 'amend' | 'cancel', body: Json, headers: Record<string, string> = {}, id = booked.id): Promise<Response> {
  const interaction = kind === 'amend' ? Interaction.updateAppointment : Interaction.cancelAppointment;
  return updateAppointment(ctx, new Request(`${ROOT}/Appointment/${id}`, { method: 'PUT', headers: { 'Content-Type': MediaType.fhirJsonUtf8, [Header.sspInteractionId]: interaction, ...headers }, body: JSON.stringify(body) }), id);
}

async function answerOf(r: Response, asked = 'PUT /Appointment/1'): Promise<ProviderAnswer> {
  const text = await r.text();
  return { response: { status: r.status, headers: Object.fromEntries(r.headers), body: text } as ProviderAnswer['response'], body: text === '' ? undefined : JSON.parse(text), asked };
}

const codeOf = async (r: Response) => [r.status, outcomeCode((await r.json()) as Json).code];

describe('Amend an appointment', () => {
  test('200 with the description and comment sent, a new version and its ETag; the judges agree', async () => {
    const sent = { ...booked, description: 'Amended', comment: 'Call on arrival' };
    const answer = await answerOf(await put('amend', sent, { [Header.ifMatch]: `W/"${booked.meta.versionId}"` }));
    assert.equal(answer.response.status, 200, answer.response.body);
    assert.equal(answer.body!.description, 'Amended');
    assert.equal(answer.body!.comment, 'Call on arrival');
    assert.equal(answer.response.headers.etag, `W/"${answer.body!.meta.versionId}"`);
    assert.deepEqual(amendedAsSent(answer, booked, sent), []);
    assert.deepEqual(newVersion(answer, booked.meta.versionId), []);
    assert.equal(ctx.state.appointmentById(booked.id)!.resource.description, 'Amended');
  });

  test('any other change, a cancellation reason or a Bundle is refused 422 INVALID_RESOURCE; serviceType is ignored', async () => {
    assert.deepEqual(await codeOf(await put('amend', { ...booked, priority: 1 })), [422, 'INVALID_RESOURCE']);
    assert.deepEqual(await codeOf(await put('amend', { ...booked, status: 'noshow' })), [422, 'INVALID_RESOURCE']);
    assert.deepEqual(await codeOf(await put('amend', cancelled(booked, 'x'))), [422, 'INVALID_RESOURCE']);
    assert.deepEqual(await codeOf(await put('amend', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: booked }] })), [422, 'INVALID_RESOURCE']);
    assert.equal((await put('amend', { ...booked, description: 'x', serviceType: [{ text: 'mine' }] })).status, 200);
  });

  test('a stale If-Match is 409 FHIR_CONSTRAINT_VIOLATION, which the judge accepts; an unknown id 404', async () => {
    const stale = await put('amend', { ...booked, description: 'x' }, { [Header.ifMatch]: 'W/"invalidEtag"' });
    assert.deepEqual(staleVersionRefused(await answerOf(stale.clone())), []);
    assert.deepEqual(await codeOf(stale), [409, 'FHIR_CONSTRAINT_VIOLATION']);
    assert.deepEqual(await codeOf(await put('amend', { ...booked, id: 'nope' }, {}, 'nope')), [404, 'NO_RECORD_FOUND']);
  });

  test('Prefer: return=minimal answers 200 with no body', async () => {
    const r = await put('amend', { ...booked, description: 'x' }, { [Header.prefer]: 'return=minimal' });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '');
  });
});

describe('Cancel an appointment', () => {
  test('200 cancelled with the reason, the slot free again; then an amendment is refused', async () => {
    const answer = await answerOf(await put('cancel', cancelled(booked, 'double booked')));
    assert.equal(answer.response.status, 200, answer.response.body);
    assert.deepEqual(cancelledAsSent(answer, booked, 'double booked'), []);
    assert.equal(ctx.state.slotById(SLOT)!.status, 'free');
    const again = ctx.state.appointmentById(booked.id)!.resource as Json;
    assert.deepEqual(await codeOf(await put('amend', { ...again, description: 'x' })), [422, 'INVALID_RESOURCE']);
  });

  test('a cancellation that changes the comment is 422 INVALID_RESOURCE, an empty reason 422 INVALID_PARAMETER', async () => {
    assert.deepEqual(await codeOf(await put('cancel', { ...cancelled(booked, 'x'), comment: 'RANDOM' })), [422, 'INVALID_RESOURCE']);
    assert.deepEqual(await codeOf(await put('cancel', cancelled(booked, ''))), [422, 'INVALID_PARAMETER']);
    assert.deepEqual(await codeOf(await put('cancel', cancelled(booked, 'x', 'http://example.test/wrong'))), [422, 'INVALID_RESOURCE']);
  });

  test('the judge accepts a reason stored truncated, not another one', async () => {
    const answer = await answerOf(await put('cancel', cancelled(booked, 'double booked')));
    answer.body!.extension = answer.body!.extension.map((e: Json) => (e.url === GpcAppointmentExtension.cancellationReason ? { ...e, valueString: 'double' } : e));
    assert.deepEqual(cancelledAsSent(answer, booked, 'double booked'), []);
    answer.body!.extension = answer.body!.extension.map((e: Json) => (e.url === GpcAppointmentExtension.cancellationReason ? { ...e, valueString: 'other' } : e));
    assert.equal(cancelledAsSent(answer, booked, 'double booked').length, 1);
  });
});
