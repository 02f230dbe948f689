/**
 * The directory model: what SDS knows (organisations, AS and MHS records, CMA endpoints) plus what
 * the SSP is configured with (data sharing agreements). Loaded from a topology YAML file
 * (see topologies/default.yaml and directory.schema.json).
 */

export type Role = 'consumer' | 'provider';

export interface Organisation {
  /** ODS code (nhsIDCode). */
  ods: string;
  name: string;
  /** GPConnect-OrganisationType-1 code, e.g. gp-practice, urgent-care (optional). */
  type?: string;
}

/** An Accredited System record (nhsAs). One per system per organisation (SDS guidance §1.1). */
export interface AccreditedSystem {
  asid: string;
  name: string;
  role: Role;
  /** ODS code of the organisation this AS record belongs to: the request originator. */
  organisation: string;
  /** Party key of the MHS record this system sends and receives through. */
  partyKey: string;
  /** ODS code of the supplier that makes the system (nhsMhsManufacturerOrg). */
  manufacturer?: string;
  /** Interactions the system is accredited to send (consumers, and providers that also consume). */
  sends: string[];
  /** Interactions the system is accredited to receive (providers). */
  receives: string[];
}

/** A Message Handling System record (nhsMhs). */
export interface MhsRecord {
  partyKey: string;
  /** ODS code of the organisation the MHS record belongs to (nhsIDCode). */
  organisation: string;
  /** The FQDN registered for the MHS; the SSP checks the client certificate against it. */
  fqdn: string;
  cpaId: string;
  /** nhsMhsEndPoint: the FHIR service root URL (providers only). */
  address?: string;
  /** nhsMhsSvcIA: GP Connect interaction IDs here mark the MHS as a provider (SDS guidance §2.2, §3.2). */
  interactions: string[];
}

export interface CmaEndpoint {
  partyKey: string;
  asid: string;
}

/** A mutual data sharing agreement the SSP filters on (integration_system_topologies). */
export interface DataSharingAgreement {
  /** ODS codes of the two (or more) organisations that share. */
  organisations: string[];
  /** Interactions the agreement covers; absent means all. */
  interactions?: string[];
}

/** A named topology from the design: which systems take part, for features and documentation. */
export interface TopologyDescription {
  id: string;
  kind: TopologyKind;
  description: string;
  systems: string[];
}

export type TopologyKind =
  | 'consumer-single-system'
  | 'consumer-shared-mhs'
  | 'consumer-separate-mhs'
  | 'consumer-supplier-hosted'
  | 'consumer-integration-engine'
  | 'consumer-regional-portal'
  | 'provider-single-practice'
  | 'provider-datacentre-hosted';

export interface DirectoryRules {
  /**
   * SDS registration §2.1 says consumers MUST NOT be CMA endpoints; the older topology page shows
   * consumers "registered as a CMA endpoint". `forbid` (default) follows the MUST.
   */
  consumerCmaEndpoints: 'forbid' | 'allow';
}

export interface DirectoryData {
  rules: DirectoryRules;
  organisations: Organisation[];
  systems: AccreditedSystem[];
  mhs: MhsRecord[];
  cmaEndpoints: CmaEndpoint[];
  agreements: DataSharingAgreement[];
  topologies: TopologyDescription[];
}

/** A patient as PDS holds it (synthetic test NHS numbers only). */
export type PatientKind = 'normal' | 'restricted' | 'deceased' | 'invalidated' | 'superseded';

export interface PdsPatient {
  nhsNumber: string;
  kind: PatientKind;
  family: string;
  given: string[];
  prefix?: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  /** ODS code of the registered practice; absent for restricted patients and those with no GP. */
  gp?: string;
  /** Start of the registration at `gp` (generalPractitioner.identifier.period.start). */
  registeredSince?: string;
  deceasedDateTime?: string;
  /** For superseded records: the NHS number of the record that replaced it. */
  supersededBy?: string;
  versionId: string;
  address?: { line: string[]; city?: string; postalCode: string };
  phone?: string;
  email?: string;
}
