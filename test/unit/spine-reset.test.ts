/**
 * Spine in a box's reset between scenarios (src/spine/spine.ts): whatever a scenario changed in a
 * reference practice, through whichever path, is undone, and a practice is loaded again only when
 * something read it (the rest are as they were loaded).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendThroughSsp } from '../../src/actors/provider/ssp-exchange';
import { SpineInABox } from '../../src/spine/spine';
import { preparedBooking } from '../support/ssp-booking';

let spine: SpineInABox;
before(async () => {
  spine = await SpineInABox.start({ mode: 'in-process', referenceProvider: {} });
});
after(async () => {
  await spine.stop();
});

const PRACTICES = ['A20047', 'B82617', 'B82618'];
const stateOf = (ods: string) => spine.practice(ods)!.state;
const freeSlots = (ods: string) => stateOf(ods).slots().filter((s) => s.status === 'free').length;

test('every reference practice is served, each with free slots', () => {
  for (const ods of PRACTICES) assert.ok(freeSlots(ods) > 0, ods);
});

test('what a scenario changed in a practice\'s state is undone by the reset, in every practice', () => {
  const before = Object.fromEntries(PRACTICES.map((ods) => [ods, { free: freeSlots(ods), patients: stateOf(ods).patients().length }]));
  for (const ods of PRACTICES) {
    const state = stateOf(ods);
    const slot = state.slots().find((s) => s.status === 'free')!;
    state.book({ resourceType: 'Appointment', status: 'booked' }, [slot.id]);
    for (const s of state.slots().slice(0, 5)) s.status = 'busy'; // as a consumer situation makes them busy
    state.registerPatient({ nhsNumber: '9000000009', name: { family: 'Reset', given: ['Test'] } } as never);
    assert.ok(freeSlots(ods) < before[ods].free, ods);
  }
  spine.reset();
  for (const ods of PRACTICES) {
    assert.equal(freeSlots(ods), before[ods].free, `${ods}: free slots after the reset`);
    assert.equal(stateOf(ods).patients().length, before[ods].patients, `${ods}: patients after the reset`);
    assert.equal(stateOf(ods).appointmentById('1'), undefined, `${ods}: no appointment after the reset`);
  }
});

test('a booking through the SSP is undone by the reset, though nothing but the practice read its state', async () => {
  const free = freeSlots('A20047');
  spine.reset(); // read just now, so loaded again; from here only the practice itself reads its state
  const { book } = await preparedBooking(spine);
  const booked = await sendThroughSsp(spine, book);
  assert.equal(booked.status, 201, booked.body.slice(0, 300));
  spine.reset();
  assert.equal(freeSlots('A20047'), free);
});
