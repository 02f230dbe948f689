/**
 * How the harness configures its reference consumer: the GPC_CONSUMER_* variables
 * (reference/consumer/config.ts) templated with the harness's placeholders. The built-in profile
 * uses this in-process; profiles/reference-consumer-http.yaml spells the same out for a process,
 * as a supplier's profile would.
 */
export const REFERENCE_CONSUMER_ENV: Record<string, string> = {
  GPC_CONSUMER_PDS_URL: '{pdsUrl}',
  GPC_CONSUMER_SDS_URL: '{sdsUrl}',
  GPC_CONSUMER_SSP_URL: '{sspUrl}',
  GPC_CONSUMER_ASID: '{asid}',
  GPC_CONSUMER_ODS: '{ods}',
  GPC_CONSUMER_ORGANISATIONS: '{organisationsJson}',
  GPC_CONSUMER_ORG_NAME: 'Reference consumer organisation',
  GPC_CONSUMER_ORG_PHONE: '01632 960100',
  GPC_CONSUMER_ORG_TYPE: 'urgent-care',
  GPC_CONSUMER_PRACTITIONER_ID: 'reference-user-1',
  GPC_CONSUMER_SDS_USER_ID: '111222333444',
  GPC_CONSUMER_SDS_ROLE_PROFILE_ID: '444555666777',
  GPC_CONSUMER_PRACTITIONER_FAMILY: 'Ashby',
  GPC_CONSUMER_PRACTITIONER_GIVEN: 'Morgan',
  GPC_CONSUMER_PRACTITIONER_PREFIX: 'Dr',
  GPC_CONSUMER_ROLE_CODE: 'R0260',
  GPC_CONSUMER_TIMEOUT_MS: '5000',
};
