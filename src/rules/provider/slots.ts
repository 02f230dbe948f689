/** The judges of Search for free slots answers (gpconnect-spec.md §5.3). */
import type { SlotWindow } from '../../gpconnect/operations';
import { resourcesOf, seen, type Json, type ProviderAnswer } from './answer';

const NO_SLOTS = 'offered no free slot in the window, though the profile says the practice has some';

/** The `Type/id` references of one type among a Schedule's actors. */
export const actorsOf = (schedule: Json, type: string): string[] =>
  (schedule.actor ?? []).map((a: Json) => a?.reference).filter((r: unknown): r is string => typeof r === 'string' && r.startsWith(`${type}/`));

/** What a searchset Bundle is missing: each `Type/id` referenced but not included. */
export function missingIncludes(bundle: Json | undefined, references: string[]): string[] {
  const present = new Set((bundle?.entry ?? []).map((e: Json) => `${e.resource?.resourceType}/${e.resource?.id}`));
  return [...new Set(references)].filter((r) => !present.has(r));
}

/** The ids of the Slots a search offered. */
export const slotIdsOf = (bundle: Json | undefined): string[] => resourcesOf(bundle, 'Slot').map((s) => String(s.id));

/** Some Slot is offered, and every Slot offered is free and inside the window. */
export function freeInWindow(answer: ProviderAnswer, window: SlotWindow): string[] {
  const slots = resourcesOf(answer.body, 'Slot');
  if (slots.length === 0) return [`${answer.asked} ${NO_SLOTS}`];
  return slots.flatMap((slot) => [
    ...(slot.status === 'free' ? [] : [`Slot/${slot.id} is ${slot.status}, not free`]),
    ...(String(slot.start).slice(0, 10) >= window.start && String(slot.end).slice(0, 10) <= window.end ? [] : [`Slot/${slot.id} (${slot.start}–${slot.end}) is outside ${window.start}–${window.end}`]),
  ]);
}

/** The Bundle includes the Organization (appointments_known_issues: always). */
export function organisationIncluded(answer: ProviderAnswer): string[] {
  return resourcesOf(answer.body, 'Organization').length > 0 ? [] : [`the Bundle answering ${answer.asked} has no Organization`];
}

/** _include=Slot:schedule: some Slot is offered, and the Bundle includes the Schedule of each. */
export function schedulesIncluded(answer: ProviderAnswer): string[] {
  const slots = resourcesOf(answer.body, 'Slot');
  if (slots.length === 0) return [`${answer.asked} ${NO_SLOTS}`];
  const missing = missingIncludes(answer.body, slots.map((s) => s.schedule?.reference));
  return missing.length === 0 ? [] : [`_include=Slot:schedule was asked for, but the Bundle lacks ${missing.join(', ')}`];
}

/** _include:recurse=Schedule:actor:<type>: some Schedule is offered, and the Bundle includes the `type` actors of each. */
export function actorsIncluded(answer: ProviderAnswer, type: string): string[] {
  const schedules = resourcesOf(answer.body, 'Schedule');
  if (schedules.length === 0) return [`the Bundle answering ${answer.asked} has no Schedule, so no slot was offered in the window`];
  const missing = missingIncludes(answer.body, schedules.flatMap((s) => actorsOf(s, type)));
  return missing.length === 0 ? [] : [`${type} was asked for with _include:recurse, but the Bundle lacks ${missing.join(', ')}`];
}

/** Every slot offered without search filters is offered with them too. */
export function stillOffered(answer: ProviderAnswer, offeredWithoutFilters: string[]): string[] {
  const offered = new Set(slotIdsOf(answer.body));
  const dropped = offeredWithoutFilters.filter((id) => !offered.has(id));
  return dropped.length === 0 ? [] : [`with the search filters the provider no longer offers ${dropped.map((id) => `Slot/${id}`).join(', ')}`];
}

/** A search made after the booking answers, and no longer offers the slot booked. */
export function noLongerOffered(search: ProviderAnswer, slotId: string): string[] {
  if (search.response.status !== 200) return [`the search after the booking (${search.asked}) answered ${seen(search)}`];
  return slotIdsOf(search.body).includes(slotId) ? [`Slot/${slotId} is still offered after it was booked`] : [];
}

/** A search answered 200 and offered some Slot (the profile says the practice has free slots in the window). */
export function slotsOffered(answer: ProviderAnswer): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200`];
  return resourcesOf(answer.body, 'Slot').length > 0 ? [] : [`${answer.asked} ${NO_SLOTS}`];
}
