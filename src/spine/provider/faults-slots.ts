import { GpcAppointmentExtension, GpcProfile, SlotSearch } from '../../gpconnect/constants';
import { formatOffset } from '../../gpconnect/uk-time';
import { isSlotSearch, rewriteJson, type FaultInput, type Json } from './fault-kit';

/** Rewrite a successful slot search's Bundle. */
function rewriteSlotSearch(change: (bundle: Json, input: FaultInput) => Json | undefined) {
  return async (input: FaultInput): Promise<Response> =>
    isSlotSearch(input) && input.response.status === 200 ? rewriteJson(input.response, (b) => change(b, input)) : input.response;
}

const resources = (bundle: Json, type: string): Json[] => (bundle.entry ?? []).map((e: Json) => e.resource ?? {}).filter((r: Json) => r.resourceType === type);
const append = (bundle: Json, added: Json[]): Json => ({ ...bundle, entry: [...(bundle.entry ?? []), ...added.map((resource) => ({ resource }))] });

/** The same wall-clock time with the other UK offset (+00:00 ↔ +01:00). */
const otherOffset = (value: unknown) =>
  typeof value === 'string' ? value.replace(/([+-][0-9]{2}:[0-9]{2})$/, (offset) => formatOffset(offset === '+00:00' ? 60 : 0)) : value;

/**
 * Reference-provider faults for Search for free slots' edge cases: what the Bundle holds beside
 * the Slots and how it writes their times (see faults.ts for how they are used and proven).
 */
export const SLOT_FAULTS = {
  'includes-unasked-actors': {
    breaks: 'PROV-SLOTS-ACTORS-ASKED',
    what: "returns the Schedules' Practitioners and Locations whether or not _include:recurse asks for them",
    apply: rewriteSlotSearch((b, { url }) => {
      const asked = url.searchParams.getAll(SlotSearch.includeRecurse);
      const present = new Set((b.entry ?? []).map((e: Json) => `${e.resource?.resourceType}/${e.resource?.id}`));
      const missing = [...new Set(resources(b, 'Schedule').flatMap((s) => (s.actor ?? []).map((a: Json) => String(a?.reference))))].filter((r) => !present.has(r));
      const added = missing.flatMap((reference): Json[] => {
        const [type, id] = reference.split('/');
        if (type === 'Practitioner' && !asked.includes(SlotSearch.includePractitioner)) return [{ resourceType: type, id, meta: { versionId: '1', profile: [GpcProfile.practitioner] } }];
        if (type === 'Location' && !asked.includes(SlotSearch.includeLocation)) return [{ resourceType: type, id, meta: { versionId: '1', profile: [GpcProfile.location] }, name: 'Unasked location' }];
        return [];
      });
      return added.length === 0 ? undefined : append(b, added);
    }),
  },
  'returns-unrelated-schedule': {
    breaks: 'PROV-SLOTS-ASSOCIATED',
    what: 'returns a Schedule none of the Slots offered is on (every schedule of the practice, not only those of the slots)',
    apply: rewriteSlotSearch((b) => {
      const schedule = resources(b, 'Schedule')[0];
      return schedule ? append(b, [{ ...schedule, id: `${schedule.id}-unused` }]) : undefined;
    }),
  },
  'location-without-managing-organization': {
    breaks: 'PROV-SLOTS-LOCATION-ORG',
    what: 'returns the Locations of a slot search without Location.managingOrganization',
    apply: rewriteSlotSearch((b) => {
      const locations = resources(b, 'Location');
      for (const location of locations) delete location.managingOrganization;
      return locations.length === 0 ? undefined : b;
    }),
  },
  'slot-times-wrong-offset': {
    breaks: 'PROV-SLOTS-LOCAL-TIME',
    what: 'writes Slot and planning horizon times with the other UK offset (BST all year round, or GMT in summer): the right wall clock, the wrong instant',
    apply: rewriteSlotSearch((b) => {
      for (const slot of resources(b, 'Slot')) [slot.start, slot.end] = [otherOffset(slot.start), otherOffset(slot.end)];
      for (const schedule of resources(b, 'Schedule'))
        if (schedule.planningHorizon) schedule.planningHorizon = { start: otherOffset(schedule.planningHorizon.start), end: otherOffset(schedule.planningHorizon.end) };
      return b;
    }),
  },
  'offers-visit-slots': {
    breaks: 'PROV-SLOTS',
    what: "offers every free Slot with the delivery channel Visit, which a free slot search must not return",
    apply: rewriteSlotSearch((b) => {
      const slots = resources(b, 'Slot');
      for (const slot of slots) {
        for (const x of slot.extension ?? []) if (x?.url === GpcAppointmentExtension.deliveryChannel) x.valueCode = 'Visit';
      }
      return slots.length === 0 ? undefined : b;
    }),
  },
  'slots-without-service-type': {
    breaks: 'PROV-SLOTS-SERVICE-TYPE',
    what: 'offers Slots without Slot.serviceType (no slot type description)',
    apply: rewriteSlotSearch((b) => {
      for (const slot of resources(b, 'Slot')) delete slot.serviceType;
      return b;
    }),
  },
  'accepts-empty-bound': {
    breaks: 'PROV-SLOTS-DATE-FORMAT',
    what: 'reads an empty start or end as no bound (an open-ended search) instead of 422 INVALID_PARAMETER',
    apply: async (input: FaultInput): Promise<Response> => {
      if (!isSlotSearch(input) || input.response.status !== 422) return input.response;
      if (![SlotSearch.start, SlotSearch.end].some((n) => input.url.searchParams.get(n) === '')) return input.response;
      const headers = new Headers(input.response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }), { status: 200, headers });
    },
  },
};
