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

/** An interaction's short name: the key it has in Interaction (`readMetadata`, `cancelAppointment` …). */
export type InteractionName = keyof typeof Interaction;
export const INTERACTION_NAMES = Object.keys(Interaction) as InteractionName[];

/** The interaction a short name or a full interaction ID stands for; undefined when it is neither. */
export function interactionNamed(nameOrId: string): InteractionId | undefined {
  if (Object.hasOwn(Interaction, nameOrId)) return Interaction[nameOrId as InteractionName];
  return ALL_INTERACTIONS.includes(nameOrId) ? (nameOrId as InteractionId) : undefined;
}

/**
 * What a GP practice offering Foundations and Appointment Management receives: every interaction
 * but the structured record (Access Record), as the reference practices are registered in SDS.
 */
export const FOUNDATIONS_AND_APPOINTMENTS_INTERACTIONS: readonly InteractionId[] = Object.values(Interaction).filter((i) => i !== Interaction.getStructuredRecord);

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
  /** development_general_api_guidance "Managing Return Content" (return=minimal or representation). */
  prefer: 'Prefer',
  ifMatch: 'If-Match',
  /** PDS: required on every request, echoed back (pds-sds.md §1.2). */
  xRequestId: 'X-Request-ID',
  xCorrelationId: 'X-Correlation-ID',
  /** SDS: API key, required (pds-sds.md §2.1). */
  apiKey: 'apikey',
  sdsCorrelationId: 'X-Correlation-Id',
} as const;
export const SSP_HEADERS = [Header.sspTraceId, Header.sspFrom, Header.sspTo, Header.sspInteractionId] as const;

/** The query parameter that asks for a response format, overriding Accept (development_general_api_guidance). */
export const FORMAT_PARAMETER = '_format';

/** The FQDN on the client certificate Spine in a box's SSP presents to providers (a synthetic `.test` name). */
export const SSP_FQDN = 'ssp.spine.test';

export const MediaType = {
  fhirJson: 'application/fhir+json',
  fhirXml: 'application/fhir+xml',
  json: 'application/json',
  fhirJsonUtf8: 'application/fhir+json;charset=utf-8',
  fhirXmlUtf8: 'application/fhir+xml;charset=utf-8',
} as const;

/** The two FHIR wire formats (development_general_api_guidance "Content types"): JSON SHALL, XML SHOULD. */
export type FhirFormat = 'json' | 'xml';

/** Identifier and code systems. */
export const System = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  /** A practitioner's GMP number (CareConnect), an identifier outside the GP Connect slices that PTEST accepts. */
  gmpNumber: 'https://fhir.hl7.org.uk/Id/gmp-number',
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
  /** The pre-1.0 (DSTU2) GP Connect error system, which 1.2.x providers must no longer use (§5.7). */
  gpconnectErrorCodeDstu2: 'http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1',
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
  organisationNotFound: 'ORGANISATION_NOT_FOUND',
  practitionerNotFound: 'PRACTITIONER_NOT_FOUND',
  duplicateRejected: 'DUPLICATE_REJECTED',
  invalidResource: 'INVALID_RESOURCE',
  invalidParameter: 'INVALID_PARAMETER',
  referenceNotFound: 'REFERENCE_NOT_FOUND',
  accessDenied: 'ACCESS DENIED',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** The SDS API's spelling, underscored (its error_handler code list); GP Connect's has a space. */
  sdsAccessDenied: 'ACCESS_DENIED',
} as const;

/** SDS FHIR API query parameter names (pds-sds.md §2.2). */
export const SdsParam = {
  organization: 'organization',
  identifier: 'identifier',
  manufacturingOrganization: 'manufacturing-organization',
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
  /** Throttling (CORE ssp_implementation_guide): the displays are the harness's; no source gives the SSP's. */
  tooManyRequests: (senderAsid: string) => `TOO_MANY_REQUESTS_MESSAGESENDER_${senderAsid}`,
  serviceUnavailable: (receiverAsid: string) => `SERVICE_UNAVAILABLE_MESSAGERECEIVER_${receiverAsid}`,
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

/** StructureDefinition / OperationDefinition URLs of GP Connect 1.2.x resources (gpconnect-spec.md §5, §7). */
export const GpcProfile = {
  patient: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1',
  organization: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1',
  practitioner: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Practitioner-1',
  practitionerRole: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-PractitionerRole-1',
  location: 'https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1',
  operationOutcome: 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1',
  appointment: 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1',
  schedule: 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1',
  slot: 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1',
  searchsetBundle: 'https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1',
  registerPatientOperation: 'https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1',
} as const;

/** Extension URLs and the code systems inside them, as the 1.2.x examples write them (§5.4, §5.5, conflict 18). */
export const GpcExtension = {
  registrationDetails: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1',
  nhsCommunication: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1',
  nhsNumberVerificationStatus: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1',
  /** Coding system of the verification status in the examples (DEMO also knows the .../STU3/CodeSystem/... form). */
  nhsNumberVerificationStatusSystem: 'https://fhir.nhs.uk/CareConnect-NHSNumberVerificationStatus-1',
  /** registrationDetails.registrationType coding system (register_patient_response_example). */
  registrationTypeSystem: 'https://fhir.nhs.uk/CareConnect-RegistrationType-1',
} as const;

/** Names and fixed values of the GP Connect bearer token (gpconnect-spec.md §4). */
export const Jwt = {
  bearerScheme: 'Bearer',
  header: { alg: 'none', typ: 'JWT' },
  /** exp SHALL be iat + 5 minutes; DEMO and PTEST require exactly 300 s. */
  lifetimeSeconds: 300,
  reasonDirectCare: 'directcare',
  /** requesting_practitioner's SDS user and role profile ids when the user is not logged on with an NHS smartcard. */
  unknownSdsId: 'UNK',
  /** DSTU2 leftover: the demonstrator refuses it (400); RFC 7519 §4 lets a provider ignore it (§4 "What providers actually do"). */
  requestedRecord: 'requested_record',
  claims: {
    iss: 'iss',
    sub: 'sub',
    aud: 'aud',
    exp: 'exp',
    iat: 'iat',
    reasonForRequest: 'reason_for_request',
    requestedScope: 'requested_scope',
    requestingDevice: 'requesting_device',
    requestingOrganization: 'requesting_organization',
    requestingPractitioner: 'requesting_practitioner',
  },
} as const;

/** Register a patient's operation parameter name (OperationDefinition GPConnect-RegisterPatient-Operation-1). */
export const REGISTER_PATIENT_PARAMETER = 'registerPatient';

/** The GP Connect spec version the reference provider implements (CapabilityStatement.version, §5.2). */
export const GPCONNECT_SPEC_VERSION = '1.2.9';
export const FHIR_VERSION = '3.0.1';

/** Every STU3 (3.0.x) resource type: a JWT claim naming any other `resourceType` is not a FHIR resource (§4). */
export const FHIR_STU3_RESOURCE_TYPES: readonly string[] = [
  'Account', 'ActivityDefinition', 'AdverseEvent', 'AllergyIntolerance', 'Appointment', 'AppointmentResponse', 'AuditEvent',
  'Basic', 'Binary', 'BodySite', 'Bundle', 'CapabilityStatement', 'CarePlan', 'CareTeam', 'ChargeItem', 'Claim',
  'ClaimResponse', 'ClinicalImpression', 'CodeSystem', 'Communication', 'CommunicationRequest', 'CompartmentDefinition',
  'Composition', 'ConceptMap', 'Condition', 'Consent', 'Contract', 'Coverage', 'DataElement', 'DetectedIssue', 'Device',
  'DeviceComponent', 'DeviceMetric', 'DeviceRequest', 'DeviceUseStatement', 'DiagnosticReport', 'DocumentManifest',
  'DocumentReference', 'EligibilityRequest', 'EligibilityResponse', 'Encounter', 'Endpoint', 'EnrollmentRequest',
  'EnrollmentResponse', 'EpisodeOfCare', 'ExpansionProfile', 'ExplanationOfBenefit', 'FamilyMemberHistory', 'Flag', 'Goal',
  'GraphDefinition', 'Group', 'GuidanceResponse', 'HealthcareService', 'ImagingManifest', 'ImagingStudy', 'Immunization',
  'ImmunizationRecommendation', 'ImplementationGuide', 'Library', 'Linkage', 'List', 'Location', 'Measure', 'MeasureReport',
  'Media', 'Medication', 'MedicationAdministration', 'MedicationDispense', 'MedicationRequest', 'MedicationStatement',
  'MessageDefinition', 'MessageHeader', 'NamingSystem', 'NutritionOrder', 'Observation', 'OperationDefinition',
  'OperationOutcome', 'Organization', 'Parameters', 'Patient', 'PaymentNotice', 'PaymentReconciliation', 'Person',
  'PlanDefinition', 'Practitioner', 'PractitionerRole', 'Procedure', 'ProcedureRequest', 'ProcessRequest', 'ProcessResponse',
  'Provenance', 'Questionnaire', 'QuestionnaireResponse', 'ReferralRequest', 'RelatedPerson', 'RequestGroup', 'ResearchStudy',
  'ResearchSubject', 'RiskAssessment', 'Schedule', 'SearchParameter', 'Sequence', 'ServiceDefinition', 'Slot', 'Specimen',
  'StructureDefinition', 'StructureMap', 'Subscription', 'Substance', 'SupplyDelivery', 'SupplyRequest', 'Task',
  'TestReport', 'TestScript', 'ValueSet', 'VisionPrescription',
];

/** Appointment Management extension URLs and code systems (gpconnect-spec.md §5.3, §5.6; the 1.2.x examples). */
export const GpcAppointmentExtension = {
  deliveryChannel: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2',
  practitionerRole: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1',
  bookingOrganisation: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1',
  cancellationReason: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1',
  /** Coding system of the practitioner role extension (SDS job role names, e.g. R0260). */
  sdsJobRoleNameSystem: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1',
  /**
   * The CareConnect STU3 package's system for the same codes: 1.2.9 release notes, "Extension
   * gpconnect-practitionerrole-1 now utilises SDS-jobrolename-1 (CareConnect STU3 package) as the codesystem";
   * Extension-GPConnect-PractitionerRole-1 binds https://fhir.hl7.org.uk/STU3/ValueSet/CareConnect-SDSJobRoleName-1.
   */
  sdsJobRoleNameSystemCareConnect: 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1',
} as const;

/** Delivery channel codes of 1.2.x (CodeSystem-GPConnect-DeliveryChannel-1, §5.3); `Visit` is not one of them. */
export const DELIVERY_CHANNELS = ['In-person', 'Telephone', 'Video'] as const;

/** GPConnect-OrganisationType-1 codes used as Slot searchFilter and booking organisation type (§5.3). */
export const OrganisationType = {
  gpPractice: 'gp-practice',
  urgentCare: 'urgent-care',
} as const;

/** Search for free slots query names and values (gpconnect-spec.md §5.3). */
export const SlotSearch = {
  start: 'start',
  end: 'end',
  status: 'status',
  include: '_include',
  includeRecurse: '_include:recurse',
  searchFilter: 'searchFilter',
  statusFree: 'free',
  startPrefix: 'ge',
  endPrefix: 'le',
  includeSchedule: 'Slot:schedule',
  includePractitioner: 'Schedule:actor:Practitioner',
  includeLocation: 'Schedule:actor:Location',
  includeManagingOrganization: 'Location:managingOrganization',
  /** The longest range a search may span (§5.3: "two weeks"). */
  maxRangeDays: 14,
} as const;

/** Book an appointment's text limits (gpconnect-spec.md §5.6). */
export const AppointmentLimits = {
  descriptionMaxLength: 100,
  commentMaxLength: 500,
} as const;

/** The FHIR base StructureDefinitions' canonical URLs: this prefix and the type name (`…/Device`, `…/Identifier`). */
export const FHIR_BASE_DEFINITION = 'http://hl7.org/fhir/StructureDefinition/';

/** The FHIR base StructureDefinition of a resource or data type. */
export const fhirBaseDefinition = (type: string): string => `${FHIR_BASE_DEFINITION}${type}`;

/**
 * Names of the rule sets `src/fhir/validate.ts` knows besides the StructureDefinition URLs of
 * `GpcProfile`: the spec's interactions constrain a resource further than its profile does (§5.4–§5.6).
 */
export const ValidationProfile = {
  /** Book an appointment request body: GPConnect-Appointment-1 plus the §5.6 booking rules (status booked). */
  appointmentBookRequest: 'GPConnect-Appointment-1#book-request',
  /** Find a patient response: searchset Bundle of CareConnect-GPC-Patient-1 entries (§5.4; entry.fullUrl only on request, 1.2.3). */
  findPatientBundle: 'GPConnect-Searchset-Bundle-1#find-patient',
  /** Search for free slots response: searchset Bundle of Slot/Schedule/Practitioner/Location/Organization (§5.3). */
  freeSlotsBundle: 'GPConnect-Searchset-Bundle-1#free-slots',
  /** Register a patient request body: Parameters with one `registerPatient` Patient (§5.5). */
  registerPatientParameters: 'GPConnect-RegisterPatient-Operation-1#request',
  /** The Patient inside `registerPatient`: CareConnect-GPC-Patient-1 plus the §5.5 "MUST NOT send" rules. */
  registerPatientResource: 'GPConnect-RegisterPatient-Operation-1#registerPatient',
  /** Base STU3 rule sets for resources without a GP Connect profile (SSP errors, §2.4; metadata, §5.2). */
  baseOperationOutcome: 'http://hl7.org/fhir/StructureDefinition/OperationOutcome',
  baseBundle: 'http://hl7.org/fhir/StructureDefinition/Bundle',
  capabilityStatement: 'http://hl7.org/fhir/StructureDefinition/CapabilityStatement',
} as const;

/** Identifier and code systems only the validator needs (CareConnect-GPC-Location-1/-Organization-1; conflict 18). */
export const ValidationSystem = {
  odsSiteCode: 'https://fhir.nhs.uk/Id/ods-site-code',
  nhsNumberVerificationStatusStu3: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1',
  /** The CodeSystem Extension-CareConnect-GPC-RegistrationDetails-1 binds (the examples write GpcExtension.registrationTypeSystem). */
  registrationTypeStu3: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1',
} as const;

/**
 * Patient extensions a GP Connect provider MUST NOT populate (§5.4). The CareConnect STU3 URLs; the validator
 * also matches the last path segment so a `http:`/other-host spelling of the same extension is caught.
 */
export const ForbiddenPatientExtension = {
  ethnicCategory: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-EthnicCategory-1',
  religiousAffiliation: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ReligiousAffiliation-1',
  cadavericDonor: 'http://hl7.org/fhir/StructureDefinition/patient-cadavericDonor',
  residentialStatus: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ResidentialStatus-1',
  treatmentCategory: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-TreatmentCategory-1',
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/birthPlace',
} as const;

/** Sub-extension names of the GP Connect patient extensions (Extension-CareConnect-GPC-RegistrationDetails-1, -NHSCommunication-1). */
export const GpcSubExtension = {
  registrationPeriod: 'registrationPeriod',
  registrationType: 'registrationType',
  preferredBranchSurgery: 'preferredBranchSurgery',
  language: 'language',
  preferred: 'preferred',
  modeOfCommunication: 'modeOfCommunication',
  communicationProficiency: 'communicationProficiency',
  interpreterRequired: 'interpreterRequired',
} as const;

/** Every code of https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1 (§6, ASSETS v1.7.0). */
export const SPINE_ERROR_OR_WARNING_CODES: readonly string[] = [
  'NO_RECORD_FOUND', 'PATIENT_NOT_FOUND', 'INVALID_NHS_NUMBER', 'INVALID_CODE_SYSTEM', 'INVALID_CODE_VALUE', 'INVALID_VALUE',
  'INVALID_IDENTIFIER_SYSTEM', 'INVALID_IDENTIFIER_VALUE', 'CONFLICTING_VALUES', 'INVALID_ELEMENT', 'AUTHOR_CREDENTIALS_ERROR',
  'INVALID_PARAMETER', 'REQUEST_UNMATCHED', 'MESSAGE_NOT_WELL_FORMED', 'NO_PATIENT_CONSENT', 'NO_ORGANISATIONAL_CONSENT',
  'BAD_REQUEST', 'INVALID_RESOURCE', 'ORGANISATION_NOT_FOUND', 'PRACTITIONER_NOT_FOUND', 'PATIENT_SENSITIVE', 'NO_RELATIONSHIP',
  'FHIR_CONSTRAINT_VIOLATION', 'FLAG_ALREADY_SET', 'INVALID_REQUEST_STATE', 'INVALID_REQUEST_TYPE', 'ACCESS DENIED',
  'ASID_CHECK_FAILED', 'MISSING_OR_INVALID_HEADER', 'ACCESS_DENIED_SSL', 'MSG_RESOURCE_ID_FAIL', 'DUPLICATE_REJECTED',
  'RESOURCE_CREATED', 'RESOURCE_DELETED', 'RESOURCE_UPDATED', 'INVALID_REQUEST_MESSAGE', 'INTERNAL_SERVER_ERROR',
  'INVALID_PATIENT_DEMOGRAPHICS', 'NOT_IMPLEMENTED', 'REFERENCE_NOT_FOUND', 'DEPRECATED', 'NO_LONGER_SUPPORTED', 'WITHDRAWN',
  'UNSUPPORTED_MEDIA_TYPE', 'PRECONDITION_FAILED',
];

/** Required-binding code sets of the STU3 (3.0.1) base resources and data types the validator checks. */
export const FhirCode = {
  appointmentStatus: ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error'],
  participationStatus: ['accepted', 'declined', 'tentative', 'needs-action'],
  participantRequired: ['required', 'optional', 'information-only'],
  slotStatus: ['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error'],
  issueSeverity: ['fatal', 'error', 'warning', 'information'],
  issueType: [
    'invalid', 'structure', 'required', 'value', 'invariant', 'security', 'login', 'unknown', 'expired', 'forbidden',
    'suppressed', 'processing', 'not-supported', 'duplicate', 'not-found', 'too-long', 'code-invalid', 'extension',
    'too-costly', 'business-rule', 'conflict', 'incomplete', 'transient', 'lock-lost', 'no-store', 'exception', 'timeout',
    'throttled', 'informational',
  ],
  administrativeGender: ['male', 'female', 'other', 'unknown'],
  contactPointSystem: ['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'],
  contactPointUse: ['home', 'work', 'temp', 'old', 'mobile'],
  addressUse: ['home', 'work', 'temp', 'old'],
  addressType: ['postal', 'physical', 'both'],
  nameUse: ['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'],
  identifierUse: ['usual', 'official', 'temp', 'secondary'],
  bundleType: ['document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection'],
  locationStatus: ['active', 'suspended', 'inactive'],
  locationMode: ['instance', 'kind'],
  publicationStatus: ['draft', 'active', 'retired', 'unknown'],
  capabilityStatementKind: ['instance', 'capability', 'requirements'],
  unknownContentCode: ['no', 'extensions', 'elements', 'both'],
  restfulCapabilityMode: ['client', 'server'],
  typeRestfulInteraction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'],
  systemRestfulInteraction: ['transaction', 'batch', 'search-system', 'history-system'],
  searchParamType: ['number', 'date', 'string', 'token', 'reference', 'composite', 'quantity', 'uri'],
  searchEntryMode: ['match', 'include', 'outcome'],
} as const;

/** Location.identifier system for ODS site codes (CareConnect-GPC-Location-1). */
export const ODS_SITE_CODE_SYSTEM = ValidationSystem.odsSiteCode;

const FHIR_ID = '[A-Za-z0-9.-]{1,64}';

/** Every 1.2.x interaction of gpconnect-spec.md §5.1 with its verb and path relative to the service root. */
export const INTERACTION_ROUTES: ReadonlyArray<{ interaction: string; method: string; path: RegExp }> = [
  { interaction: Interaction.readMetadata, method: 'GET', path: /^\/metadata$/ },
  { interaction: Interaction.searchPatient, method: 'GET', path: /^\/Patient$/ },
  { interaction: Interaction.readPatient, method: 'GET', path: new RegExp(`^/Patient/${FHIR_ID}$`) },
  { interaction: Interaction.registerPatient, method: 'POST', path: /^\/Patient\/\$gpc\.registerpatient$/ },
  { interaction: Interaction.searchSlot, method: 'GET', path: /^\/Slot$/ },
  { interaction: Interaction.createAppointment, method: 'POST', path: /^\/Appointment$/ },
  { interaction: Interaction.readAppointment, method: 'GET', path: new RegExp(`^/Appointment/${FHIR_ID}$`) },
  { interaction: Interaction.updateAppointment, method: 'PUT', path: new RegExp(`^/Appointment/${FHIR_ID}$`) },
  { interaction: Interaction.cancelAppointment, method: 'PUT', path: new RegExp(`^/Appointment/${FHIR_ID}$`) },
  { interaction: Interaction.searchPatientAppointments, method: 'GET', path: new RegExp(`^/Patient/${FHIR_ID}/Appointment$`) },
  { interaction: Interaction.readPractitioner, method: 'GET', path: new RegExp(`^/Practitioner/${FHIR_ID}$`) },
  { interaction: Interaction.searchPractitioner, method: 'GET', path: /^\/Practitioner$/ },
  { interaction: Interaction.readOrganization, method: 'GET', path: new RegExp(`^/Organization/${FHIR_ID}$`) },
  { interaction: Interaction.searchOrganization, method: 'GET', path: /^\/Organization$/ },
  { interaction: Interaction.readLocation, method: 'GET', path: new RegExp(`^/Location/${FHIR_ID}$`) },
];

/** The interactions a request's verb and relative path (no query) can be. */
export function interactionsFor(method: string, relativePath: string): string[] {
  return INTERACTION_ROUTES.filter((r) => r.method === method && r.path.test(relativePath)).map((r) => r.interaction);
}

// ------------------------------------------------------------------ Amend and Cancel an appointment (issue 18)

/**
 * The Spine code of a 409 for an If-Match that does not name the current version: the general API
 * guidance gives the 409 and no code; PTEST AppointmentCancel.feature ("out of date ETag") expects this one.
 */
export const STALE_VERSION_CODE = 'FHIR_CONSTRAINT_VIOLATION';

// ------------------------------------------------------------------ Retrieve a patient's appointments (issue 18)

/** Retrieve a patient's appointments query name and prefixes (appointments_use_case_retrieve_a_patients_appointments, Search parameters). */
export const AppointmentSearch = {
  start: 'start',
  /** "One of the `start` search parameter SHALL be supplied with the `ge` search prefix". */
  lowerPrefix: 'ge',
  /** "One of the `start` search parameter SHALL be supplied with the `le` search prefix". */
  upperPrefix: 'le',
} as const;

// ------------------------------------------------------------------ Search for an organisation / a practitioner (issue 18)

/**
 * The one search parameter of Search for an organisation and Search for a practitioner
 * (foundations_use_case_find_an_organisation, _find_a_practitioner: `?identifier=[system]|[value]`).
 * Names are case-sensitive: `Identifier` is another parameter.
 */
export const SEARCH_IDENTIFIER_PARAMETER = 'identifier';
