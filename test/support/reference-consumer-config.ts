import type { ConsumerConfig } from '../../reference/consumer/config';
import type { SpineInABox } from '../../src/spine/spine';

/** The urgent care centre the reference consumer books from in tests (topologies/default.yaml). */
export const UCC01 = { asid: '200000000359', ods: 'UCC01', name: 'Riverside Urgent Care Centre' };

/** The reference consumer at UCC01, pointed at a running Spine in a box. */
export function referenceConsumerConfig(spine: SpineInABox, overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    pdsUrl: spine.urls.pds,
    sdsUrl: spine.urls.sds,
    sspUrl: spine.urls.ssp,
    asid: UCC01.asid,
    ods: UCC01.ods,
    organisationName: UCC01.name,
    organisationType: 'urgent-care',
    organisationPhone: '01632 960 700',
    practitioner: { id: '10019', sdsUserId: '111222333444', sdsRoleProfileId: '444555666777', family: 'Jones', given: ['Claire'], prefix: 'Dr', roleCode: 'R0260' },
    timeoutMs: 10_000,
    ...overrides,
  };
}
