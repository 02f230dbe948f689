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
