@provider @capability:searchPractitioner
Feature: Search for a practitioner
  GET [base]/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|[SDS user id] resolves zero or
  more Practitioner resources by their business identifier: 200 with a Bundle of type searchset, each
  Practitioner valid against CareConnect-GPC-Practitioner-1, carrying meta.profile, its versionId, its
  SDS user id and its name, and not its telecom, address, birthDate, photo or qualification
  (foundations_use_case_find_a_practitioner, 1.2.9). An SDS user id the practice does not hold is not
  an error: the Bundle is empty. A request whose identifier is missing or corrupt is refused with an
  OperationOutcome. The SDS user id searched for is that of a Practitioner a slot search includes, as
  a consumer showing a slot knows it. A provider that declares capabilities.searchPractitioner false
  skips this feature.

  Background:
    Given the provider under test is reachable

  @step:4c @req:PROV-SEARCH-PRACTITIONER @severity:normal
  Scenario: A Practitioner a slot search included is found by its SDS user id
    When the consumer searches for a Practitioner a slot search included, by its SDS user id
    Then the provider answers with status 200
    And the Bundle holds the Practitioner searched for, valid against its profile

  @step:4c @req:PROV-SEARCH-PRACTITIONER-FIELDS @severity:normal
  Scenario: The Practitioner found carries its profile, its version, its SDS user id and its name
    When the consumer searches for a Practitioner a slot search included, by its SDS user id
    Then the Practitioner found carries its profile, its version, the identifier searched for and its name

  @step:4c @req:PROV-SEARCH-PRACTITIONER-NOT-IN-USE @severity:minor
  Scenario: The Practitioner found populates none of telecom, address, birthDate, photo and qualification
    When the consumer searches for a Practitioner a slot search included, by its SDS user id
    Then the Practitioner found populates none of the fields the page excludes

  @step:4c @req:PROV-SEARCH-PRACTITIONER-NONE @severity:normal
  Scenario: An SDS user id the practice does not hold finds no Practitioner, and that is not an error
    When the consumer searches for the Practitioner with the SDS user id "999999999999"
    Then the provider answers with status 200
    And the Bundle holds no Practitioner

  @step:4c @req:PROV-SEARCH-PRACTITIONER-PARAMETERS @req:PROV-ERROR-SYSTEM @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A search for practitioners <what> is refused, and the refusal must not be cached
    When the consumer searches for Practitioner resources with the parameters "<parameters>"
    Then the provider refuses it with one of "<refusals>"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | what                                   | parameters                   | refusals                                 |
      | without the identifier parameter       |                              | 400 BAD_REQUEST, 422 INVALID_PARAMETER |
      | with a blank identifier value          | identifier={system}\|        | 422 INVALID_PARAMETER                    |
      | with a blank identifier system         | identifier=\|{value}         | 422 INVALID_PARAMETER                    |
      | with the parameter named "Identifier"  | Identifier={system}\|{value} | 400 BAD_REQUEST                          |

  @step:4c @req:PROV-SEARCH-PRACTITIONER-REPEATED @req:PROV-ERROR-SYSTEM @severity:minor
  Scenario Outline: A search for practitioners with the identifier parameter twice (<which>) is refused
    When the consumer searches for Practitioner resources with the parameters "<parameters>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | which                | parameters                                                      |
      | the same one twice   | identifier={system}\|{value}&identifier={system}\|{value}       |
      | two different values | identifier={system}\|{value}&identifier={system}\|999999999999  |

  @step:4c @req:PROV-SEARCH-COUNT-SORT @severity:minor
  Scenario: A search for a practitioner with _sort and _count still finds the practitioner
    When the consumer searches for Practitioner resources with the parameters "identifier={system}|{value}&_sort=practitioner.coding&_count=1"
    Then the provider answers with status 200
    And the Bundle holds the Practitioner searched for, valid against its profile

  @step:4c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: A search for a practitioner with _format=application/fhir+json <where> the identifier answers FHIR JSON
    When the consumer searches for Practitioner resources with the parameters "<parameters>"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8
    And the Bundle holds the Practitioner searched for, valid against its profile

    Examples:
      | where  | parameters                                                  |
      | before | _format=application/fhir+json&identifier={system}\|{value} |
      | after  | identifier={system}\|{value}&_format=application/fhir+json |

  @step:4c @req:PROV-NO-STORE @severity:normal
  Scenario: A search for a practitioner must not be cached
    When the consumer searches for a Practitioner a slot search included, by its SDS user id
    Then the provider answers with status 200
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-SSP-HEADERS @req:PROV-NO-STORE @severity:normal
  Scenario: A search for a practitioner sent with the interaction ID of a read is refused, and the refusal must not be cached
    When the consumer's search for the Practitioner it knows is sent directly with the interaction ID "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario: The capability statement declares the search for practitioners
    When the consumer asks for the capability statement
    Then the capability statement declares the "Practitioner" resource with the "search-type" interaction
