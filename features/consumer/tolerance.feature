@consumer
Feature: Answers with what the consumer does not know
  A practice may send what a later version of the spec, or another supplier, adds: extensions and
  elements the consumer does not know, Bundle.entry.fullUrl, an OperationOutcome entry in a
  searchset. "Consumers SHALL ignore unknown extensions and elements" and "MUST NOT use
  Bundle.entry.fullUrl" (development_general_api_guidance.md, development_fhir_resource_guidance.md;
  review M15): the consumer books all the same.

  @step:4a @step:5a @step:6a @req:CONS-TOLERANT @severity:normal
  Scenario: The practice's answers carry unknown extensions and elements, fullUrl and an outcome entry
    Given PDS has the patient "9693632109" registered at A20047
    And the practice system at A20047 adds unknown extensions and elements, Bundle.entry.fullUrl and a searchset outcome entry to its answers
    When the user books an appointment for "9693632109"
    Then the consumer ignored what it did not know and booked the appointment
    And the booking named a free slot the search offered, a location and the patient
    And the consumer showed what happened
