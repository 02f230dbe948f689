/**
 * Read a patient, an organisation, a practitioner and a location as a consumer does them
 * (foundations_use_case_read_*.md): by the logical id it found before, never one it guessed. The
 * Patient's id is the one Find a patient gave for the registered patient; the Organization,
 * Practitioner and Location ids are those a slot search includes (Location:managingOrganization,
 * Schedule:actor:Practitioner, Schedule:actor:Location), as a consumer that shows a slot reaches them.
 * The answers are judged in src/rules/provider/reads.ts.
 */
import assert from 'node:assert/strict';
import {
  ALL_SLOT_RECURSE_INCLUDES,
  findAPatient,
  readALocation,
  readAPatient,
  readAPractitioner,
  readAnOrganization,
  searchForFreeSlots,
  slotWindow,
  type GpcOperation,
} from '../../gpconnect/operations';
import { patientsIn, resourcesOf } from '../../rules/provider';
import type { ProviderUnderTest } from './provider-under-test';

/** The resources Foundations reads by id. */
export const READABLE_TYPES = ['Patient', 'Organization', 'Practitioner', 'Location'] as const;
export type ReadableType = (typeof READABLE_TYPES)[number];

export function readableType(name: string): ReadableType {
  const type = READABLE_TYPES.find((t) => t === name);
  if (!type) throw new Error(`"${name}" is not a resource Foundations reads (${READABLE_TYPES.join(', ')})`);
  return type;
}

/** The read of `type` with the logical id `id`. */
export function readOperation(type: ReadableType, id: string): GpcOperation {
  if (type === 'Patient') return readAPatient(id);
  if (type === 'Organization') return readAnOrganization(id);
  if (type === 'Practitioner') return readAPractitioner(id);
  return readALocation(id);
}

/**
 * The logical id of a `type` the consumer has found: the registered patient by Find a patient, the
 * others among the resources a slot search includes. A provider that gives none fails here with why:
 * the read has no id to ask for (that search's own scenarios judge it).
 */
export async function foundIdOf(provider: ProviderUnderTest, type: ReadableType): Promise<string> {
  if (type === 'Patient') {
    const nhsNumber = provider.profile.testData.registeredPatient;
    const found = await provider.ask(findAPatient(nhsNumber));
    const id = patientsIn(found)[0]?.id;
    assert.ok(typeof id === 'string' && id !== '', `Find a patient gave no Patient with a logical id for the registered patient ${nhsNumber} (${found.asked} answered ${found.response.status}), so there is nothing to read`);
    return id;
  }
  const search = await provider.ask(searchForFreeSlots({ window: slotWindow(1, 8), recurse: ALL_SLOT_RECURSE_INCLUDES }));
  const id = resourcesOf(search.body, type)[0]?.id;
  assert.ok(typeof id === 'string' && id !== '', `a slot search over the next week included no ${type} with a logical id (${search.asked} answered ${search.response.status}), so there is nothing to read`);
  return id;
}
