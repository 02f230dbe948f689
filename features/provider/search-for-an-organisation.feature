@provider @capability:searchOrganisation
Feature: Search for an organisation
  GET [base]/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|[ODS code] resolves
  zero or more Organization resources by their business identifier: 200 with a Bundle of type
  searchset, each Organization valid against CareConnect-GPC-Organization-1, carrying meta.profile,
  its versionId, its ODS code and its name, and not its contact or endpoint
  (foundations_use_case_find_an_organisation, 1.2.9). An ODS code the practice does not hold is not an
  error: the Bundle is empty. A request whose identifier is missing or corrupt is refused with an
  OperationOutcome. The ODS code searched for is the practice's own, by which the consumer resolved
  its endpoint in SDS. A provider that declares capabilities.searchOrganisation false skips this feature.

  Background:
    Given the provider under test is reachable

  @step:4c @req:PROV-SEARCH-ORGANISATION @severity:normal
  Scenario: The practice's Organization is found by its ODS code
    When the consumer searches for the practice's Organization by its ODS code
    Then the provider answers with status 200
    And the Bundle holds the Organization searched for, valid against its profile

  @step:4c @req:PROV-SEARCH-ORGANISATION-FIELDS @severity:normal
  Scenario: The Organization found carries its profile, its version, its ODS code and its name
    When the consumer searches for the practice's Organization by its ODS code
    Then the Organization found carries its profile, its version, the identifier searched for and its name

  @step:4c @req:PROV-SEARCH-ORGANISATION-NOT-IN-USE @severity:minor
  Scenario: The Organization found populates neither contact nor endpoint
    When the consumer searches for the practice's Organization by its ODS code
    Then the Organization found populates none of the fields the page excludes

  @step:4c @req:PROV-SEARCH-ORGANISATION-NONE @severity:normal
  Scenario: An ODS code the practice does not hold finds no Organization, and that is not an error
    When the consumer searches for the Organization with the ODS code "X99999"
    Then the provider answers with status 200
    And the Bundle holds no Organization

  @step:4c @req:PROV-SEARCH-ORGANISATION-PARAMETERS @req:PROV-ERROR-SYSTEM @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A search for organisations <what> is refused, and the refusal must not be cached
    When the consumer searches for Organization resources with the parameters "<parameters>"
    Then the provider refuses it with one of "<refusals>"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | what                                   | parameters                   | refusals                                 |
      | without the identifier parameter       |                              | 400 BAD_REQUEST, 422 INVALID_PARAMETER |
      | with a blank identifier value          | identifier={system}\|        | 422 INVALID_PARAMETER                    |
      | with a blank identifier system         | identifier=\|{value}         | 422 INVALID_PARAMETER                    |
      | with the parameter named "Identifier"  | Identifier={system}\|{value} | 400 BAD_REQUEST                          |

  @step:4c @req:PROV-SEARCH-COUNT-SORT @severity:minor
  Scenario: A search for the practice's Organization with _count still finds it
    When the consumer searches for Organization resources with the parameters "identifier={system}|{value}&_count=1"
    Then the provider answers with status 200
    And the Bundle holds the Organization searched for, valid against its profile

  @step:4c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: A search for the practice's Organization with _format=application/fhir+json <where> the identifier answers FHIR JSON
    When the consumer searches for Organization resources with the parameters "<parameters>"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8
    And the Bundle holds the Organization searched for, valid against its profile

    Examples:
      | where  | parameters                                                |
      | before | _format=application/fhir+json&identifier={system}\|{value} |
      | after  | identifier={system}\|{value}&_format=application/fhir+json |

  @step:4c @req:PROV-NO-STORE @severity:normal
  Scenario: A search for an organisation must not be cached
    When the consumer searches for the practice's Organization by its ODS code
    Then the provider answers with status 200
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-SSP-HEADERS @req:PROV-NO-STORE @severity:normal
  Scenario: A search for an organisation sent with the interaction ID of a read is refused, and the refusal must not be cached
    When the consumer's search for the Organization it knows is sent directly with the interaction ID "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario: The capability statement declares the search for organisations
    When the consumer asks for the capability statement
    Then the capability statement declares the "Organization" resource with the "search-type" interaction
