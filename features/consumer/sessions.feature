@consumer
Feature: What a consumer may remember
  Within one user session a consumer may reuse the PDS trace, the SDS answers and the capability
  statement for a second booking for the same patient (integration_illustrated: steps 1–3 optional
  when cached); SDS answers MUST NOT be reused across user sessions (integration_spine_directory_service;
  gpconnect-spec.md §2.7).

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:1a @step:2a @step:3a @req:CONS-SESSION-CACHE @severity:normal
  Scenario: A second booking in the same session
    When the user books an appointment for "9693632109"
    And the user books another appointment for "9693632109" in the same session
    Then the consumer reused answers only within the session
    And every request named the ASID SDS gave in Ssp-To

  @step:1a @step:2a @step:3a @req:CONS-SESSION-CACHE @severity:critical
  Scenario: A booking in a new session looks the practice up again
    When the user books an appointment for "9693632109"
    And the user starts a new session and books an appointment for "9693632109"
    Then the consumer reused answers only within the session
