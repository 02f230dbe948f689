import { Interaction } from '../../src/gpconnect/constants';
import type { ConsumerConfig } from '../../reference/consumer/config';
import type { SpineInABox } from '../../src/spine/spine';

/** The urgent care centre the reference consumer books from in tests (topologies/default.yaml). */
export const UCC01 = { asid: '200000000359', ods: 'UCC01', name: 'Riverside Urgent Care Centre' };

/**
 * The reference consumer at UCC01 accredited to cancel, amend and retrieve besides booking (issue 18):
 * its AS record in the default topology sends the worked example and the Foundations reads only.
 * Spine in a box's reset() restores the directory, so call this after it.
 */
export function accreditForActions(spine: SpineInABox): void {
  spine.amendDirectory((d) => {
    const system = d.systems.find((s) => s.asid === UCC01.asid);
    if (system) system.sends = [...new Set([...(system.sends ?? []), Interaction.cancelAppointment, Interaction.updateAppointment, Interaction.searchPatientAppointments])];
  });
}

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

/** A complete GPC_CONSUMER_* environment for configFromEnv (addresses that are never dialled). */
export const REFERENCE_CONSUMER_ENV: Readonly<Record<string, string>> = {
  GPC_CONSUMER_PDS_URL: 'http://127.0.0.1:1',
  GPC_CONSUMER_SDS_URL: 'http://127.0.0.1:2',
  GPC_CONSUMER_SSP_URL: 'http://127.0.0.1:3',
  GPC_CONSUMER_ASID: UCC01.asid,
  GPC_CONSUMER_ODS: UCC01.ods,
  GPC_CONSUMER_ORG_NAME: UCC01.name,
  GPC_CONSUMER_ORG_PHONE: '01632 960 700',
  GPC_CONSUMER_PRACTITIONER_ID: '10019',
  GPC_CONSUMER_SDS_USER_ID: 'UNK',
  GPC_CONSUMER_SDS_ROLE_PROFILE_ID: 'UNK',
  GPC_CONSUMER_PRACTITIONER_FAMILY: 'Jones',
  GPC_CONSUMER_PRACTITIONER_GIVEN: 'Claire',
  GPC_CONSUMER_ROLE_CODE: 'R0260',
};
