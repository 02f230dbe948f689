@provider
Feature: Content negotiation
  A provider SHALL serve application/fhir+json and SHALL support _format, which overrides Accept;
  with neither Accept nor _format it answers JSON; a format it does not serve is 415
  (development_general_api_guidance; gpconnect-spec.md §2.7). The demonstrator answers 415 when
  neither is given (§9): the spec's default, JSON, is what is checked. Sent straight to the
  service root, as the SSP forwards them.

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario: _format overrides Accept
    When the capability statement is asked for directly with Accept "text/csv" and _format "application/fhir+json"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8

  @step:3c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario: The short form _format=json is understood
    When the capability statement is asked for directly with Accept "application/fhir+json" and _format "json"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8

  @step:3c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario: With neither Accept nor _format the answer is JSON
    When the capability statement is asked for directly without the "Accept" header
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8

  @step:3c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: A format no FHIR server serves is refused with 415 (<how>)
    When the capability statement is asked for directly with Accept "<accept>" and _format "<format>"
    Then the provider answers with status 415
    And the answer is an OperationOutcome

    Examples:
      | how     | accept                | format    |
      | Accept  | text/csv              |           |
      | _format | application/fhir+json | text/html |
