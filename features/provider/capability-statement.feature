@provider
Feature: Get the capability statement
  A provider always answers GET [base]/metadata with its STU3 CapabilityStatement, declaring the GP
  Connect version it implements (foundations_use_case_get_the_fhir_capability_statement), and every
  answer carries Cache-Control: no-store (development_general_api_guidance): the no-store directive,
  alone or among others such as "no-cache, no-store" (RFC 9111 §5.2; the official provider tests
  check that the header contains no-store, ref #82).

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-METADATA @severity:critical
  Scenario: The provider returns its capability statement
    When the consumer asks for the capability statement
    Then the provider answers with status 200
    And the answer is a valid "CapabilityStatement" resource
    And the capability statement declares FHIR version "3.0.1"

  @step:3c @req:PROV-NO-STORE @severity:normal
  Scenario: The capability statement must not be cached
    When the consumer asks for the capability statement
    Then the answer carries Cache-Control with the no-store directive

  @step:3c @req:PROV-CONTENT-TYPE @severity:normal
  Scenario: The answer is FHIR JSON with the UTF-8 charset
    When the consumer asks for the capability statement
    Then the answer is FHIR JSON in UTF-8

  # What the statement holds (PROV-METADATA-VERSION, PROV-METADATA-CONTENT, both SHOULD): the page
  # offers its example "as a base for their own CapabilityStatement, replacing the element in square
  # brackets", and says the version "should represent the GP Connect specification version which the
  # FHIR server implements". The template says 1.2.7 even on 1.2.9 (and the official tests expect
  # 1.2.7), so any release from 1.2.7 to 1.2.9 is accepted. Only what this provider is tested for is
  # asked of it: the Appointment read and the registration operation where its profile offers them;
  # XML among the formats is issue 17. A profile reference may carry its version history.

  @step:3c @req:PROV-METADATA-VERSION @severity:minor
  Scenario: The capability statement names the GP Connect release it implements
    When the consumer asks for the capability statement
    Then the capability statement's version is one of "1.2.7, 1.2.8, 1.2.9"

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario: The capability statement names the provider's software and its version
    When the consumer asks for the capability statement
    Then the capability statement names its software and its version

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario Outline: The capability statement declares the <profile> profile
    When the consumer asks for the capability statement
    Then the capability statement declares the profile "https://fhir.nhs.uk/STU3/StructureDefinition/<profile>"

    Examples:
      | profile                          |
      | CareConnect-GPC-Patient-1        |
      | CareConnect-GPC-Organization-1   |
      | CareConnect-GPC-Practitioner-1   |
      | CareConnect-GPC-PractitionerRole-1 |
      | CareConnect-GPC-Location-1       |
      | GPConnect-OperationOutcome-1     |
      | GPConnect-Appointment-1          |
      | GPConnect-Schedule-1             |
      | GPConnect-Slot-1                 |

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario Outline: The capability statement declares the <interaction> interaction on <resource>
    When the consumer asks for the capability statement
    Then the capability statement declares the "<resource>" resource with the "<interaction>" interaction

    Examples:
      | resource     | interaction |
      | Patient      | search-type |
      | Patient      | read        |
      | Organization | read        |
      | Practitioner | read        |
      | Location     | read        |
      | Slot         | search-type |
      | Appointment  | create      |

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor @capability:readAppointment
  Scenario: A provider that offers Read an appointment declares the Appointment read
    When the consumer asks for the capability statement
    Then the capability statement declares the "Appointment" resource with the "read" interaction

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor @capability:registerPatient
  Scenario: A provider that offers Register a patient declares the gpc.registerpatient operation
    When the consumer asks for the capability statement
    Then the capability statement declares the operation "gpc.registerpatient" defined by "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1"

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario: The capability statement declares the Slot search includes
    When the consumer asks for the capability statement
    Then the capability statement declares for "Slot" the search includes "Schedule:actor:Location, Schedule:actor:Practitioner, Slot:schedule, Location:managingOrganization"
