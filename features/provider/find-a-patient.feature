@provider
Feature: Find a patient
  GET [base]/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber} returns a searchset
  Bundle with the patient's CareConnect-GPC-Patient-1 record; no match is an empty Bundle, not an
  error (foundations_use_case_find_a_patient); errors use the Spine codes of the error handling
  guidance with its CodeSystem (gpconnect-spec.md §5.4, §6). An NHS number that "fails structural
  validation checks" and an identifier system that "is not recognised/supported" must be refused,
  but the find page gives no code and the official provider tests have neither case: the error
  table's code (400 INVALID_NHS_NUMBER, 400 INVALID_IDENTIFIER_SYSTEM) and the code those tests use
  for identifier parameter errors (422 INVALID_PARAMETER) are both accepted.

  Background:
    Given the provider under test is reachable

  @step:5c @req:PROV-FIND-PATIENT @severity:critical
  Scenario: A patient registered at the practice is found
    When the consumer finds the registered patient
    Then the provider answers with status 200
    And the answer is a valid "Find a patient response" resource
    And the Bundle holds 1 Patient with the NHS number searched for

  @step:5c @req:PROV-FIND-PATIENT-NOT-FOUND @severity:critical
  Scenario: A patient the practice does not hold is an empty Bundle, not an error
    When the consumer finds the patient "9999999999"
    Then the provider answers with status 200
    And the Bundle holds 0 Patient

  @step:5c @req:PROV-NO-STORE @severity:normal
  Scenario: A patient search must not be cached
    When the consumer finds the registered patient
    Then the answer carries Cache-Control with the no-store directive

  @step:5c @req:PROV-FIND-PATIENT-INVALID-NHS @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario Outline: An NHS number that fails structural validation (<why>) is refused
    When the consumer finds the patient "<nhsNumber>"
    Then the provider refuses it with one of "400 INVALID_NHS_NUMBER, 422 INVALID_PARAMETER"

    Examples:
      | why                 | nhsNumber   |
      | nine digits         | 969363210   |
      | a bad check digit   | 9000000050  |

  @step:5c @req:PROV-FIND-PATIENT-SYSTEM @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario: An identifier system other than the NHS number is refused
    When the consumer searches for patients with the query "identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Flocal-patient-id%7C9693632109"
    Then the provider refuses it with one of "400 INVALID_IDENTIFIER_SYSTEM, 422 INVALID_PARAMETER"

  @step:5c @req:PROV-FIND-PATIENT-MISSING @severity:normal
  Scenario: A search without an identifier is refused
    When the consumer searches for patients with the query "family=GARTON"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
