import { bookingFor } from '../../src/actors/provider/booking';
import { exampleOperation } from '../../src/actors/provider/requests';
import { prepareRequest, sendThroughSsp, type PreparedRequest } from '../../src/actors/provider/ssp-exchange';
import type { SpineInABox } from '../../src/spine/spine';

/**
 * A valid booking at A20047 through the SSP, as the worked example makes it (steps 4-6): a slot search
 * and a patient search sent, and the booking of the first free slot found prepared (not sent).
 */
export async function preparedBooking(spine: SpineInABox): Promise<{ slots: PreparedRequest; book: PreparedRequest }> {
  const prepared = (operation: string) => prepareRequest(spine, exampleOperation(operation), '200000000359', 'A20047');
  const slots = await prepared('Search for free slots');
  const slotsAnswer = JSON.parse((await sendThroughSsp(spine, slots)).body);
  const found = JSON.parse((await sendThroughSsp(spine, await prepared('Find a patient'))).body);
  const slot = slotsAnswer.entry.map((e: { resource: { resourceType: string } }) => e.resource).find((r: { resourceType: string }) => r.resourceType === 'Slot');
  const book = await prepared('Book an appointment');
  book.body = JSON.stringify(bookingFor(slot, slotsAnswer, found.entry[0].resource.id, { ods: 'UCC01', name: 'Riverside Urgent Care Centre' }));
  return { slots, book };
}
