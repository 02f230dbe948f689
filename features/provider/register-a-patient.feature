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

  # ----------------------------------------------------------------------------------------------
  # As the official suite checks it (PatientRegister.feature). Each registration differs from a valid
  # one (the registrable patient with the demographics of its PDS record) in the one respect named.
  # The Register page gives INVALID_RESOURCE for a Parameters or Patient that "is invalid, or does not
  # include the minimum mandatory details"; where the official tests expect 400 BAD_REQUEST (or
  # INVALID_NHS_NUMBER) instead, both are accepted.

  @step:5c @req:PROV-REGISTER-MINIMUM @severity:normal
  Scenario Outline: A registration <change> lacks the minimum and is refused
    When the consumer registers the patient the practice does not yet hold "<change>"
    Then the provider refuses it with one of "<refusals>"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | change                                                  | refusals                                                   |
      | without a birth date                                    | 400 BAD_REQUEST, 422 INVALID_RESOURCE                      |
      | without any identifier                                  | 400 INVALID_NHS_NUMBER, 400 BAD_REQUEST, 422 INVALID_RESOURCE |
      | with an identifier that has no system                   | 400 BAD_REQUEST, 422 INVALID_RESOURCE                      |
      | without the official name (its name sent as usual)      | 400 BAD_REQUEST, 422 INVALID_RESOURCE                      |
      | with an official name that has no family name           | 400 BAD_REQUEST, 422 INVALID_RESOURCE                      |
      | with a second official name                             | 422 INVALID_RESOURCE                                       |

  @step:5c @req:PROV-REGISTER-PARAMETERS @severity:normal
  Scenario Outline: A registration <change> is not the Parameters the operation defines and is refused
    When the consumer registers the patient the practice does not yet hold "<change>"
    Then the provider refuses it with one of "<refusals>"

    Examples:
      | change                                                  | refusals                              |
      | in a body that is not a Parameters resource             | 422 INVALID_RESOURCE                  |
      | with a registerPatient parameter that is not a Patient  | 422 INVALID_RESOURCE                  |
      | with the registerPatient parameter twice                | 400 BAD_REQUEST, 422 INVALID_RESOURCE |

  @step:5c @req:PROV-REGISTER-DISALLOWED @severity:normal
  Scenario: A Patient with an element FHIR does not define is refused
    When the consumer registers the patient the practice does not yet hold "with an element FHIR does not define"
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

  @step:5c @req:PROV-REGISTER @req:PROV-REGISTER-ECHO @severity:normal
  Scenario Outline: A registration <change>, which the page allows, registers the patient as sent
    Given a provider that holds no registration of the registrable patient when the scenario starts
    When the consumer registers the patient the practice does not yet hold "<change>"
    Then the provider answers with status 200
    And the Bundle holds the registered Patient as a temporary registration
    And the registered Patient carries the demographics sent

    Examples:
      | change                                     |
      | without a gender                           |
      | with 1 extra given name                    |
      | with 2 extra given names                   |
      | with 5 extra given names                   |
      | with a nickname besides the official name  |
      | with a temporary address                   |
      | with nhsCommunication                      |

  @step:5c @req:PROV-REGISTER @req:PROV-REGISTER-ECHO @severity:normal
  Scenario Outline: A registration with a <use1> and a <use2> telecom registers the patient with both
    Given a provider that holds no registration of the registrable patient when the scenario starts
    When the consumer registers the patient the practice does not yet hold with telecoms "<use1>" and "<use2>"
    Then the provider answers with status 200
    And the Bundle holds the registered Patient as a temporary registration
    And the registered Patient carries the demographics sent

    Examples:
      | use1   | use2   |
      | Home   | Work   |
      | Home   | Mobile |
      | Home   | Temp   |
      | Home   | Email  |
      | Work   | Home   |
      | Work   | Mobile |
      | Work   | Temp   |
      | Work   | Email  |
      | Mobile | Home   |
      | Mobile | Work   |
      | Mobile | Temp   |
      | Mobile | Email  |
      | Temp   | Home   |
      | Temp   | Work   |
      | Temp   | Mobile |
      | Temp   | Email  |
      | Email  | Home   |
      | Email  | Work   |
      | Email  | Mobile |
      | Email  | Temp   |

  @step:5c @req:PROV-REGISTER-CARDINALITY @severity:normal
  Scenario Outline: A registration with two <use> telecoms, where the page allows one, is refused
    When the consumer registers the patient the practice does not yet hold with telecoms "<use>" and "<use>"
    Then the provider refuses it with one of "400 BAD_REQUEST, 422 INVALID_RESOURCE"

    Examples:
      | use    |
      | Home   |
      | Work   |
      | Mobile |
      | Temp   |
      | Email  |

  @step:5c @req:PROV-REGISTER @req:PROV-REGISTER-ECHO @severity:normal
  Scenario Outline: A registration with a home and a temporary address (<uses>) registers the patient with both
    Given a provider that holds no registration of the registrable patient when the scenario starts
    When the consumer registers the patient the practice does not yet hold with addresses of use "<uses>"
    Then the provider answers with status 200
    And the Bundle holds the registered Patient as a temporary registration
    And the registered Patient carries the demographics sent

    Examples:
      | uses          |
      | Home and Temp |
      | Temp and Home |

  @step:5c @req:PROV-REGISTER-CARDINALITY @severity:normal
  Scenario Outline: A registration with addresses of use <uses>, which the page does not allow, is refused
    When the consumer registers the patient the practice does not yet hold with addresses of use "<uses>"
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

    Examples:
      | uses          |
      | Home and Work |
      | Home and Home |
      | Home and Old  |
      | Old and Work  |
      | Old and Old   |
      | Old and Temp  |
      | Temp and Work |
      | Temp and Temp |
      | Temp and Old  |
      | Work          |
      | Old           |

  @step:5c @req:PROV-REGISTER-CARDINALITY @severity:normal
  Scenario: A registration with two nhsCommunication extensions, where the page allows one, is refused
    When the consumer registers the patient the practice does not yet hold "with nhsCommunication twice"
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

  @step:5c @req:PROV-REGISTER-VERIFIED @severity:normal
  Scenario: A date of birth matching PDS in 2 of its 3 parts, with the names PDS holds, verifies the NHS number
    Given a provider that holds no registration of the registrable patient when the scenario starts
    When the consumer registers the patient the practice does not yet hold "with the date of birth PDS holds but another day"
    Then the provider answers with status 200
    And the Bundle holds the registered Patient as a temporary registration

  @step:5c @req:PROV-REGISTER-NOT-ON-PDS @severity:critical @registersAgain
  Scenario: A date of birth matching PDS in 1 of its 3 parts does not verify the NHS number, and the patient is not registered
    When the consumer registers the patient the practice does not yet hold "with a date of birth that matches PDS in its month only"
    Then the provider refuses it with status 400 and Spine code "INVALID_PATIENT_DEMOGRAPHICS"

  @step:5c @req:PROV-REGISTER-SUPERSEDED @severity:critical
  Scenario: A patient whose NHS number PDS holds as superseded is not registered
    When the consumer registers a patient whose NHS number PDS holds as superseded
    Then the provider refuses it with status 400 and Spine code "INVALID_NHS_NUMBER"

  @step:5c @req:PROV-REGISTER-DUPLICATE @severity:critical
  Scenario: The same patient registered twice is refused the second time, as already registered
    Given a provider that holds no registration of the registrable patient when the scenario starts
    When the consumer registers the patient the practice does not yet hold
    And the consumer registers the same patient again
    Then the provider refuses it with status 409 and Spine code "DUPLICATE_REJECTED"
