import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bookingLane, inLaneOnly, inThisLane, laneOf, thisWorkersLane } from '../../src/actors/provider/booking';
import { runParameters } from '../../src/actors/run-parameters';

// Which free slots a parallel worker books (src/actors/provider/booking.ts): one provider, several
// workers booking at once, never the same slot.
const slots = Array.from({ length: 40 }, (_, i) => ({ id: `1-2026120${7 + (i % 3)}${String(900 + i * 15).padStart(4, '0')}` }));

test('each slot falls in one lane, the same in every worker, and every lane gets slots; a lane books its own first', () => {
  for (const count of [2, 3, 4]) {
    const lanes = slots.map((s) => laneOf(s.id, count));
    assert.ok(lanes.every((l) => Number.isInteger(l) && l >= 0 && l < count));
    assert.deepEqual(slots.map((s) => laneOf(s.id, count)), lanes, 'the same lane every time');
    for (let index = 0; index < count; index++) {
      const order = inThisLane(slots, { index, count });
      const own = slots.filter((_, i) => lanes[i] === index);
      assert.ok(own.length > 0, `lane ${index} of ${count} has slots of its own`);
      assert.deepEqual(order.slice(0, own.length), own, 'its own first, in the search order');
      assert.deepEqual(inLaneOnly(slots, { index, count }), own, 'and only its own when asked');
      assert.equal(order.length, slots.length);
    }
  }
});

test('two workers take different first slots, each first in its own order, from the same search answer', () => {
  const a = inThisLane(slots, { index: 0, count: 2 });
  const b = inThisLane(slots, { index: 1, count: 2 });
  assert.notEqual(a[0].id, b[0].id);
  assert.equal(a.length, slots.length, 'the others follow, should the lane run out');
  // Booking a lane's first slot leaves the other lane's first slot where it was.
  const afterA = slots.filter((s) => s !== a[0]);
  assert.equal(inThisLane(afterA, { index: 1, count: 2 })[0].id, b[0].id);
});

test('a single booker, or a lane with no slot of its own, takes the search order', () => {
  assert.deepEqual(inThisLane(slots, { index: 0, count: 1 }), slots);
  const one = [slots[0]];
  assert.deepEqual(inThisLane(one, { index: 0, count: 2 }), one);
  assert.deepEqual(inThisLane(one, { index: 1, count: 2 }), one);
});

test("the lane is Cucumber's worker: its id of its count, else the only one", () => {
  assert.deepEqual(thisWorkersLane({ CUCUMBER_WORKER_ID: '1', CUCUMBER_TOTAL_WORKERS: '2' }), { index: 1, count: 2 });
  assert.deepEqual(thisWorkersLane({}), { index: 0, count: 1 });
  assert.deepEqual(thisWorkersLane({ CUCUMBER_WORKER_ID: '3', CUCUMBER_TOTAL_WORKERS: '2' }), { index: 0, count: 1 });
  assert.deepEqual(thisWorkersLane({ CUCUMBER_WORKER_ID: 'x', CUCUMBER_TOTAL_WORKERS: '2' }), { index: 0, count: 1 });
});

test('shards run at once on one provider book apart too: shard, then worker within it', () => {
  const workers = (id: number) => ({ CUCUMBER_WORKER_ID: String(id), CUCUMBER_TOTAL_WORKERS: '2' });
  const lanes = ['1/3', '2/3', '3/3'].flatMap((shard) => [0, 1].map((w) => bookingLane(shard, workers(w))));
  assert.deepEqual(lanes.map((l) => l.index), [0, 1, 2, 3, 4, 5]);
  assert.ok(lanes.every((l) => l.count === 6));
  assert.deepEqual(bookingLane('2/2', {}), { index: 1, count: 2 });
  assert.deepEqual(bookingLane('', workers(1)), { index: 1, count: 2 });
  assert.deepEqual(bookingLane(undefined, {}), { index: 0, count: 1 });
  assert.deepEqual(bookingLane('1/1', {}), { index: 0, count: 1 });
});

test('the shard world parameter is I/N or nothing', () => {
  assert.equal(runParameters({ shard: '2/4' }).shard, '2/4');
  assert.equal(runParameters({}).shard, '');
  assert.throws(() => runParameters({ shard: '0/4' }), /world parameter "shard" must be I\/N/);
  assert.throws(() => runParameters({ shard: 'half' }), /world parameter "shard" must be I\/N/);
  assert.throws(() => runParameters({ shard: '3/2' }), /world parameter "shard" must be I\/N with 1 <= I <= N/);
  assert.equal(runParameters({ shard: '2/2' }).shard, '2/2');
});
