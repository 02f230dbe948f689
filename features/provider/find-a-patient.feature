@provider
Feature: Find a patient
  GET [base]/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber} returns a searchset
  Bundle with the patient's CareConnect-GPC-Patient-1 record; no match is an empty Bundle, not an
  error (foundations_use_case_find_a_patient); errors use the Spine codes of the error handling
  guidance with its CodeSystem (gpconnect-spec.md §5.4, §6). An NHS number that "fails structural
  validation checks" and an identifier system that "is not recognised/supported" must be refused,
  but the find page gives no code and the official provider tests have neither case: the error
  table's code (400 INVALID_NHS_NUMBER, 400 INVALID_IDENTIFIER_SYSTEM) and the code those tests use
  for identifier parameter errors (422 INVALID_PARAMETER) are both accepted. A patient the practice
  holds is left out when PDS flags them sensitive or they are not active (deceased, or left): the
  profile's testData names such patients, and each check is skipped where it names none. Parameter
  errors are graded by the spec's words (a refusal), their codes by the official tests (PatientSearch.feature).

  Background:
    Given the provider under test is reachable

  @step:5c @req:PROV-FIND-PATIENT @severity:critical
  Scenario: A patient registered at the practice is found
    When the consumer finds the registered patient
    Then the provider answers with status 200
    And the answer is a valid "Find a patient response" resource
    And the Bundle holds 1 Patient with the NHS number searched for

  @step:5c @req:PROV-BUNDLE-FULLURL @severity:minor
  Scenario: The patient found is given no fullUrl (providers SHOULD NOT populate Bundle.entry.fullUrl)
    When the consumer finds the registered patient
    Then the provider answers with status 200
    And the "Find a patient response" gives its entries no fullUrl

  @step:5c @req:PROV-PATIENT-POPULATED @severity:normal
  Scenario: The patient found carries its versionId, official name, birth date, gender, preferred branch surgery and managing organisation
    When the consumer finds the registered patient
    Then the provider answers with status 200
    And every Patient answered carries the fields a provider SHALL populate

  @step:5c @req:PROV-FIND-PATIENT @req:PROV-PATIENT-POPULATED @severity:normal
  Scenario: Patients of other demographics the practice holds are each found, valid, with their fields populated
    When the consumer finds each of the other patients the profile names
    Then each is found once, valid, with the fields a provider SHALL populate

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

  @step:5c @req:PROV-FIND-PATIENT-SENSITIVE @severity:critical
  Scenario: A patient the practice holds who is flagged PDS sensitive is left out: an empty Bundle
    When the consumer finds the patient the profile gives as "registeredSensitivePatient"
    Then the provider answers with status 200
    And the Bundle holds 0 Patient

  @step:5c @req:PROV-FIND-PATIENT-ACTIVE @severity:critical
  Scenario Outline: A patient the practice holds who is not active (<why>) is left out: an empty Bundle
    When the consumer finds the patient the profile gives as "<field>"
    Then the provider answers with status 200
    And the Bundle holds 0 Patient

    Examples:
      | why               | field                     |
      | deceased          | registeredDeceasedPatient |
      | left the practice | inactivePatient           |

  @step:5c @req:PROV-FIND-PATIENT-PARAMETER @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario Outline: An identifier parameter <why> is refused
    When the consumer searches for patients with the query "<query>"
    Then the provider refuses it with one of "<refusals>"

    Examples:
      | why                 | query                                                       | refusals                                              |
      | with a blank system | identifier=%7C{registeredPatient}                           | 422 INVALID_PARAMETER, 400 INVALID_IDENTIFIER_SYSTEM |
      | with a blank value  | identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C   | 422 INVALID_PARAMETER, 400 INVALID_NHS_NUMBER        |

  # FHIR reads a token without a bar as "any system", so a provider that finds the patient by the
  # number alone does what FHIR says; only the official tests demand a refusal: a SHOULD.
  @step:5c @req:PROV-FIND-PATIENT-NO-SYSTEM @req:PROV-ERROR-SYSTEM @severity:minor
  Scenario: An identifier parameter without a system is refused
    When the consumer searches for patients with the query "identifier={registeredPatient}"
    Then the provider refuses it with one of "422 INVALID_PARAMETER, 400 INVALID_IDENTIFIER_SYSTEM"

  @step:5c @req:PROV-FIND-PATIENT-IDENTIFIER-CASE @req:PROV-NO-STORE @severity:normal
  Scenario: A parameter named Identifier is not the identifier parameter: the search is refused
    When the consumer searches for patients with the query "Identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C{registeredPatient}"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
    And the answer carries Cache-Control with the no-store directive

  @step:5c @req:PROV-FIND-PATIENT-REPEATED @severity:minor
  Scenario Outline: A search with the identifier parameter twice (<which>) is refused
    When the consumer searches for patients with the query "identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C{registeredPatient}&identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C<second>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | which             | second              |
      | the same patient  | {registeredPatient} |
      | two patients      | 9658218873          |

  @step:5c @req:PROV-FIND-PATIENT-COUNT-SORT @severity:minor
  Scenario: _count and _sort beside the identifier are tolerated: the patient is still found
    When the consumer finds the registered patient, also sending "_count" as "1" and "_sort" as "status"
    Then the provider answers with status 200
    And the Bundle holds 1 Patient with the NHS number searched for
