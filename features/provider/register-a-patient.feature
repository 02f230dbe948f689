@provider @capability:registerPatient
Feature: Register a patient
  POST [base]/Patient/$gpc.registerpatient with a Parameters resource whose one registerPatient
  parameter is the Patient creates a temporary registration at the practice. The provider does its
  own PDS retrieval and verification and answers 200 (not 201) with a searchset Bundle holding the
  registered Patient (foundations_use_case_register_a_patient, gpconnect-spec.md §5.5). It refuses
  a patient it already holds as active with 409 DUPLICATE_REJECTED; one PDS does not hold, or
  holds as deceased or sensitive, with 400 INVALID_PATIENT_DEMOGRAPHICS; an NHS number that is not
  valid with 400 INVALID_NHS_NUMBER; and a Patient carrying an element a consumer MUST NOT send
  with 422 INVALID_RESOURCE (spec error table; PTEST PatientRegister.feature, §5.5, §6).

  The consumer sends the demographics of the patient's PDS record, as it would after its PDS trace.
  The patients come from the profile's testData: registrablePatient MUST NOT yet be registered at
  the practice when the run starts (a supplier's provider is not reset between scenarios or runs,
  so use a fresh one for each run; for the built-in reference provider Spine in a box reloads the
  practice before each scenario). sensitivePatient, deceasedPatient and notOnPdsPatient are
  optional: without one, its scenario is skipped and says which field would run it.

  Background:
    Given the provider under test is reachable

  @step:5c @req:PROV-REGISTER @severity:critical
  Scenario: A patient the practice does not hold is registered and returned in a Bundle
    When the consumer registers the patient the practice does not yet hold
    Then the provider answers with status 200
    And the answer is a valid "Register a patient response" resource
    And the Bundle holds the registered Patient as a temporary registration
    And Find a patient now finds the registered patient

  @step:5c @req:PROV-REGISTER-DUPLICATE @req:PROV-ERROR-SYSTEM @severity:critical
  Scenario: A patient the practice already holds is not registered again
    When the consumer registers a patient the practice already holds
    Then the provider refuses it with status 409 and Spine code "DUPLICATE_REJECTED"

  @step:5c @req:PROV-REGISTER-NOT-ON-PDS @severity:critical
  Scenario: A patient who is not on PDS is not registered
    When the consumer registers a patient who is not on PDS
    Then the provider refuses it with status 400 and Spine code "INVALID_PATIENT_DEMOGRAPHICS"

  @step:5c @req:PROV-REGISTER-DECEASED @severity:critical
  Scenario: A patient PDS records as deceased is not registered
    When the consumer registers a patient PDS records as deceased
    Then the provider refuses it with status 400 and Spine code "INVALID_PATIENT_DEMOGRAPHICS"

  @step:5c @req:PROV-REGISTER-SENSITIVE @severity:critical
  Scenario: A patient PDS records as sensitive is not registered
    When the consumer registers a patient PDS records as sensitive
    Then the provider refuses it with status 400 and Spine code "INVALID_PATIENT_DEMOGRAPHICS"

  @step:5c @req:PROV-REGISTER-INVALID-NHS @severity:normal
  Scenario Outline: An NHS number that is not valid (<why>) is refused
    When the consumer registers the patient the practice does not yet hold under the NHS number "<nhsNumber>"
    Then the provider refuses it with status 400 and Spine code "INVALID_NHS_NUMBER"

    Examples:
      | nhsNumber   | why                     |
      | 9651258501  | wrong check digit       |
      | 999999999   | nine digits             |
      | 90000000090 | eleven digits           |
      | hello       | not a number            |

  @step:5c @req:PROV-REGISTER-DISALLOWED @severity:normal
  Scenario Outline: A Patient with <element>, which a consumer must not send, is refused
    When the consumer registers the patient the practice does not yet hold, also sending "<element>" as '<value>'
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

    Examples:
      | element              | value                                                                                |
      | active               | true                                                                                 |
      | multipleBirthBoolean | false                                                                                |
      | deceasedBoolean      | false                                                                                |
      | maritalStatus        | {"coding":[{"system":"http://hl7.org/fhir/v3/MaritalStatus","code":"M"}]}            |
      | generalPractitioner  | [{"reference":"Practitioner/1"}]                                                     |
      | managingOrganization | {"reference":"Organization/7"}                                                       |
      | contact              | [{"name":{"family":"REA","given":["Mary"]},"telecom":[{"system":"phone","value":"01632960319"}]}] |
      | animal               | {"species":{"text":"Dog"}}                                                           |
      | communication        | [{"language":{"text":"English"}}]                                                    |
      | photo                | [{"url":"https://consumer.gpc-conform.test/photo.jpg"}]                              |
