/**
 * The one module of GP Connect and Spine names: interaction IDs, header names, identifier and
 * code systems, error codes. Everything else imports from here, so that a spec name is written once.
 * Sources: ../shared/spec/gpconnect-spec.md (§2, §4, §5.1, §6) and ../shared/spec/pds-sds.md.
 */

/** Interaction IDs (gpconnect-spec.md §5.1, SPEC integration_interaction_ids.md). */
export const Interaction = {
  readMetadata: 'urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1',
  searchPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1',
  readPatient: 'urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1',
  registerPatient: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1',
  searchSlot: 'urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1',
  createAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1',
  readAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1',
  updateAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1',
  cancelAppointment: 'urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1',
  searchPatientAppointments: 'urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1',
  readPractitioner: 'urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1',
  searchPractitioner: 'urn:nhs:names:services:gpconnect:fhir:rest:search:practitioner-1',
  readOrganization: 'urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1',
  searchOrganization: 'urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1',
  readLocation: 'urn:nhs:names:services:gpconnect:fhir:rest:read:location-1',
  getStructuredRecord: 'urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1',
} as const;
export type InteractionId = (typeof Interaction)[keyof typeof Interaction];
export const ALL_INTERACTIONS: readonly string[] = Object.values(Interaction);
/** Every Spine interaction ID is a URN under this prefix (gpconnect-spec.md §5.1 naming policy). */
export const INTERACTION_URN_PREFIX = 'urn:nhs:names:services:';
/** Every GP Connect interaction ID starts with this; SDS guidance uses it to tell providers from consumers. */
export const GPCONNECT_INTERACTION_PREFIX = 'urn:nhs:names:services:gpconnect:';

/** The worked example's interactions, in the order a booking consumer sends them (§1). */
export const WORKED_EXAMPLE_INTERACTIONS = [
  Interaction.readMetadata,
  Interaction.searchSlot,
  Interaction.searchPatient,
  Interaction.registerPatient,
  Interaction.createAppointment,
  Interaction.readAppointment,
] as const;

/** The JWT `requested_scope` each interaction needs (gpconnect-spec.md §4). */
export const Scope = {
  patientRead: 'patient/*.read',
  patientWrite: 'patient/*.write',
  organizationRead: 'organization/*.read',
  organizationWrite: 'organization/*.write',
} as const;
export const SCOPE_FOR_INTERACTION: Readonly<Record<string, string>> = {
  [Interaction.readMetadata]: Scope.organizationRead,
  [Interaction.searchSlot]: Scope.organizationRead,
  [Interaction.readPractitioner]: Scope.organizationRead,
  [Interaction.searchPractitioner]: Scope.organizationRead,
  [Interaction.readOrganization]: Scope.organizationRead,
  [Interaction.searchOrganization]: Scope.organizationRead,
  [Interaction.readLocation]: Scope.organizationRead,
  [Interaction.searchPatient]: Scope.patientRead,
  [Interaction.readPatient]: Scope.patientRead,
  [Interaction.readAppointment]: Scope.patientRead,
  [Interaction.searchPatientAppointments]: Scope.patientRead,
  [Interaction.getStructuredRecord]: Scope.patientRead,
  [Interaction.registerPatient]: Scope.patientWrite,
  [Interaction.createAppointment]: Scope.patientWrite,
  [Interaction.updateAppointment]: Scope.patientWrite,
  [Interaction.cancelAppointment]: Scope.patientWrite,
};

/** HTTP header names. Compare case-insensitively: PTEST sends `Ssp-InteractionId` (§2.2). */
export const Header = {
  sspTraceId: 'Ssp-TraceID',
  sspFrom: 'Ssp-From',
  sspTo: 'Ssp-To',
  sspInteractionId: 'Ssp-InteractionID',
  authorization: 'Authorization',
  contentType: 'Content-Type',
  accept: 'Accept',
  cacheControl: 'Cache-Control',
  location: 'Location',
  etag: 'ETag',
  allow: 'Allow',
  /** PDS: required on every request, echoed back (pds-sds.md §1.2). */
  xRequestId: 'X-Request-ID',
  xCorrelationId: 'X-Correlation-ID',
  /** SDS: API key, required (pds-sds.md §2.1). */
  apiKey: 'apikey',
  sdsCorrelationId: 'X-Correlation-Id',
} as const;
export const SSP_HEADERS = [Header.sspTraceId, Header.sspFrom, Header.sspTo, Header.sspInteractionId] as const;

export const MediaType = {
  fhirJson: 'application/fhir+json',
  fhirXml: 'application/fhir+xml',
  json: 'application/json',
  fhirJsonUtf8: 'application/fhir+json;charset=utf-8',
} as const;

/** Identifier and code systems. */
export const System = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsOrganizationCode: 'https://fhir.nhs.uk/Id/ods-organization-code',
  interactionId: 'https://fhir.nhs.uk/Id/nhsServiceInteractionId',
  partyKey: 'https://fhir.nhs.uk/Id/nhsMhsPartyKey',
  asid: 'https://fhir.nhs.uk/Id/nhsSpineASID',
  mhsFqdn: 'https://fhir.nhs.uk/Id/nhsMhsFQDN',
  mhsCpaId: 'https://fhir.nhs.uk/Id/nhsMhsCPAId',
  mhsId: 'https://fhir.nhs.uk/Id/nhsMHSId',
  sdsUserId: 'https://fhir.nhs.uk/Id/sds-user-id',
  sdsRoleProfileId: 'https://fhir.nhs.uk/Id/sds-role-profile-id',
  organisationType: 'https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1',
  /** GP Connect provider errors: the profile fixes the CodeSystem URL (§6, conflict 1). */
  spineErrorCodeStu3: 'https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1',
  /** 1.2.x page examples, and SDS errors, use the ValueSet URL instead. */
  spineErrorCodeStu3ValueSet: 'https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1',
  /** PDS (FHIR R4) errors (pds-sds.md §1.5). */
  spineErrorCodeR4: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode',
  /** SSP's own errors put the HTTP status in `code` under this system (§2.4). */
  sspResponseCode: 'http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0',
  /** Used only by the SSP's 405 example (§2.4, conflict 12). */
  spineOperationOutcome: 'https://fhir.nhs.uk/StructureDefinition/spine-operationoutcome-1',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  endpointConnectionType: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
  endpointPayloadType: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type',
  nhsNumberVerificationStatusExt: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
  nhsNumberVerificationStatus: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus',
  deathNotificationStatusExt: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus',
  deathNotificationStatus: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus',
  sdsInteractionIdExt: 'https://fhir.nhs.uk/StructureDefinition/Extension-SDS-NhsServiceInteractionId',
  sdsManufacturingOrgExt: 'https://fhir.nhs.uk/StructureDefinition/Extension-SDS-ManufacturingOrganisation',
  sdsReliabilityExt: 'https://fhir.nhs.uk/StructureDefinition/Extension-SDS-ReliabilityConfiguration',
} as const;

/** PDS FHIR R4 error codes (pds-sds.md §1.5). */
export const PdsError = {
  invalidResourceId: 'INVALID_RESOURCE_ID',
  missingValue: 'MISSING_VALUE',
  invalidValue: 'INVALID_VALUE',
  resourceNotFound: 'RESOURCE_NOT_FOUND',
  invalidatedResource: 'INVALIDATED_RESOURCE',
  accessDenied: 'ACCESS_DENIED',
  additionalProperties: 'ADDITIONAL_PROPERTIES',
  unsupportedService: 'UNSUPPORTED_SERVICE',
  invalidSearchData: 'INVALID_SEARCH_DATA',
  /** Not an HTTP error: a 200 OperationOutcome when a search matches more than `_max-results` (§1.4). */
  tooManyMatches: 'TOO_MANY_MATCHES',
} as const;

/** Spine (STU3) error codes used by SDS and GP Connect providers (§6; pds-sds.md §2.4). */
export const SpineError = {
  badRequest: 'BAD_REQUEST',
  noRecordFound: 'NO_RECORD_FOUND',
  notImplemented: 'NOT_IMPLEMENTED',
  missingOrInvalidHeader: 'MISSING_OR_INVALID_HEADER',
  internalServerError: 'INTERNAL_SERVER_ERROR',
  invalidIdentifierSystem: 'INVALID_IDENTIFIER_SYSTEM',
  invalidIdentifierValue: 'INVALID_IDENTIFIER_VALUE',
  invalidNhsNumber: 'INVALID_NHS_NUMBER',
  invalidPatientDemographics: 'INVALID_PATIENT_DEMOGRAPHICS',
  patientNotFound: 'PATIENT_NOT_FOUND',
  duplicateRejected: 'DUPLICATE_REJECTED',
  invalidResource: 'INVALID_RESOURCE',
  invalidParameter: 'INVALID_PARAMETER',
  referenceNotFound: 'REFERENCE_NOT_FOUND',
  accessDenied: 'ACCESS DENIED',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

/**
 * The SSP's own refusals (gpconnect-spec.md §2.4). The `display`/`diagnostics` text is built from
 * these prefixes and the ASIDs or URLs involved, exactly as in the spec's examples.
 */
export const SspError = {
  senderAsidCheckFailed: (senderAsid: string) => `ASID_CHECK_FAILED_MESSAGESENDER_${senderAsid}`,
  receiverPartyKeyCheckFailed: (receiverAsid: string) => `PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_${receiverAsid}`,
  dataSharingCheckFailed: (senderAsid: string, receiverAsid: string) =>
    `FOT_CHECK_FAILED_MESSAGESENDER_${senderAsid}_MESSAGERECEIVER_${receiverAsid}`,
  targetUrlVaries: (endpoint: string, cpaId: string, target: string) =>
    `ENDPOINT_${endpoint}_CPAID_${cpaId}_VARIES_FROM_TARGETURL_${target}`,
  errorCommunicating: (target: string) => `ERROR_COMMUNICATING_TO_ENDPOINT_URL_${target}`,
  timeout: (target: string) => `TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_${target}`,
  methodNotAllowed: '405: Method Not Allowed',
  unsupportedMediaType: 'Unsupported_Media_Type',
  /** Not documented for the real SSP (§2.4): we name the header, under the Spine code for it. */
  missingOrInvalidHeader: (header: string) => `MISSING_OR_INVALID_HEADER_${header}`,
  /** PTEST "SSP - To ASID - Invalid": an unknown `Ssp-To` ASID is a 400 BAD_REQUEST (§2.4). */
  unknownReceiver: (receiverAsid: string) => `BAD_REQUEST_UNKNOWN_MESSAGERECEIVER_${receiverAsid}`,
  clientCertificateInvalid: (detail: string) => `INVALID_CLIENT_CERTIFICATE_${detail}`,
  clientCertificateRequired: 'CLIENT_CERTIFICATE_REQUIRED',
} as const;

/** The worked example's steps (gpconnect-spec.md §1), used as `@step:` tags and story labels. */
export const WorkedExampleStep = {
  '1a': 'PDS trace request', '1b': 'PDS trace response',
  '2a': 'SDS endpoint lookup request', '2b': 'SDS endpoint lookup response',
  '2c': 'SDS ASID lookup request', '2d': 'SDS ASID lookup response',
  '3a': 'CapabilityStatement request to SSP', '3b': 'SSP checks and forwards', '3c': 'Provider returns CapabilityStatement', '3d': 'SSP returns CapabilityStatement',
  '4a': 'Search for free slots request to SSP', '4b': 'SSP checks and forwards', '4c': 'Provider returns free slots', '4d': 'SSP returns free slots',
  '5a': 'Find a patient request to SSP', '5b': 'SSP checks and forwards', '5c': 'Provider returns patient', '5d': 'SSP returns patient',
  '6a': 'Book an appointment request to SSP', '6b': 'SSP checks and forwards', '6c': 'Provider books the appointment', '6d': 'SSP returns the booking',
} as const;
