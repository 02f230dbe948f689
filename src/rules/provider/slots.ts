/** The judges of Search for free slots answers (gpconnect-spec.md §5.3). */
import type { SlotWindow } from '../../gpconnect/operations';
import { londonOffsetMinutes } from '../../gpconnect/uk-time';
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

// ------------------------------------------------------------------ the Bundle's other resources

const referenceTo = (resource: Json) => `${resource.resourceType}/${resource.id}`;

/** _include:recurse asked only for other actors: the Bundle has no resource of `type` (§5.3 "where requested by the consumer"). */
export function actorNotIncluded(answer: ProviderAnswer, type: string): string[] {
  if (answer.response.status !== 200) return [`${answer.asked} answered ${seen(answer)}; expected 200`];
  const unasked = resourcesOf(answer.body, type);
  return unasked.length === 0 ? [] : [`_include:recurse=Schedule:actor:${type} was not asked for, but the Bundle has ${unasked.map(referenceTo).join(', ')}`];
}

/**
 * Only resources associated with the Slots offered (§5.3): each Schedule is some Slot's, each
 * Practitioner and Location some returned Schedule's actor, and, where Locations are returned, each
 * Organization some Location's managingOrganization.
 */
export function onlyAssociated(answer: ProviderAnswer): string[] {
  const bundle = answer.body;
  const scheduleRefs = new Set(resourcesOf(bundle, 'Slot').map((s) => s.schedule?.reference));
  const schedules = resourcesOf(bundle, 'Schedule');
  const actorRefs = new Set(schedules.flatMap((s) => (s.actor ?? []).map((a: Json) => a?.reference)));
  const locations = resourcesOf(bundle, 'Location');
  const organisationRefs = new Set(locations.map((l) => l.managingOrganization?.reference));
  const unrelated = [
    ...schedules.filter((s) => !scheduleRefs.has(referenceTo(s))).map((s) => `${referenceTo(s)} (no Slot offered is on it)`),
    ...[...resourcesOf(bundle, 'Practitioner'), ...locations].filter((r) => !actorRefs.has(referenceTo(r))).map((r) => `${referenceTo(r)} (no Schedule returned names it)`),
    ...(locations.length === 0 ? [] : resourcesOf(bundle, 'Organization').filter((o) => !organisationRefs.has(referenceTo(o))).map((o) => `${referenceTo(o)} (no Location returned is managed by it)`)),
  ];
  return unrelated.length === 0 ? [] : [`the Bundle answering ${answer.asked} has resources not associated with the Slots offered: ${unrelated.join('; ')}`];
}

/** Every Location returned has a managingOrganization, and the Bundle includes it (§5.3 "`Location.managingOrganization` SHALL be populated"). */
export function locationsManaged(answer: ProviderAnswer): string[] {
  const locations = resourcesOf(answer.body, 'Location');
  if (locations.length === 0) return [`the Bundle answering ${answer.asked} has no Location`];
  const unmanaged = locations.filter((l) => typeof l.managingOrganization?.reference !== 'string').map(referenceTo);
  const missing = missingIncludes(answer.body, locations.map((l) => l.managingOrganization?.reference).filter((r): r is string => typeof r === 'string'));
  return [
    ...(unmanaged.length === 0 ? [] : [`${unmanaged.join(', ')} ha${unmanaged.length === 1 ? 's' : 've'} no managingOrganization reference`]),
    ...(missing.length === 0 ? [] : [`the Bundle lacks the managing organisation ${missing.join(', ')}`]),
  ];
}

const UK_DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-])([0-9]{2}):([0-9]{2})$/;

/** What is wrong with a value that must be `yyyy-mm-ddThh:mm:ss+hh:mm` in UK local time ('' when nothing). */
export function notUkLocalTime(value: unknown): string {
  const m = typeof value === 'string' ? UK_DATE_TIME.exec(value) : null;
  if (!m) return `${JSON.stringify(value)} is not yyyy-mm-ddThh:mm:ss+hh:mm`;
  const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const instant = new Date(Date.parse(value as string));
  if (Number.isNaN(instant.getTime())) return `${JSON.stringify(value)} is no date and time`;
  const uk = londonOffsetMinutes(instant);
  return uk === offset ? '' : `${JSON.stringify(value)} has the offset ${m[1]}${m[2]}:${m[3]}, but the UK's on that date is ${uk === 0 ? '+00:00' : '+01:00'}`;
}

/** Slot.start/end and Schedule.planningHorizon.start/end are UK local time with the offset right for each date (§5.3). */
export function ukLocalTimes(answer: ProviderAnswer): string[] {
  const slots = resourcesOf(answer.body, 'Slot');
  if (slots.length === 0) return [`${answer.asked} ${NO_SLOTS}`];
  const values: [string, unknown][] = [
    ...slots.flatMap((s): [string, unknown][] => [[`Slot/${s.id}.start`, s.start], [`Slot/${s.id}.end`, s.end]]),
    ...resourcesOf(answer.body, 'Schedule').flatMap((s): [string, unknown][] =>
      s.planningHorizon === undefined ? [] : [[`Schedule/${s.id}.planningHorizon.start`, s.planningHorizon.start], [`Schedule/${s.id}.planningHorizon.end`, s.planningHorizon.end]],
    ),
  ];
  return values.flatMap(([where, value]) => {
    if (value === undefined && where.includes('planningHorizon')) return [];
    const wrong = notUkLocalTime(value);
    return wrong ? [`${where}: ${wrong}`] : [];
  });
}

/** Every Slot offered has serviceType text (§5.3 "SHALL populate `Slot.serviceType.text`"). */
export function slotTypesDescribed(answer: ProviderAnswer): string[] {
  const slots = resourcesOf(answer.body, 'Slot');
  if (slots.length === 0) return [`${answer.asked} ${NO_SLOTS}`];
  const bare = slots.filter((s) => !(s.serviceType ?? []).some((t: Json) => typeof t?.text === 'string' && t.text.trim() !== '')).map(referenceTo);
  return bare.length === 0 ? [] : [`${bare.join(', ')} ha${bare.length === 1 ? 's' : 've'} no Slot.serviceType.text (the practice's slot type description)`];
}
