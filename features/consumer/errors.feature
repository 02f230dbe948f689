@consumer
Feature: When Spine or the practice says no
  An SSP refusal (403: no data sharing agreement, or the sender not accredited for the interaction)
  is shown to the user and the refused request is not sent again; a practice system error (500),
  an SSP that cannot reach the practice (502) or a practice that answers too late (504) is shown,
  with at most three automated retries (development_fhir_error_handling_guidance; gpconnect-spec.md
  §2.4, §2.7; CORE back-off guidance).

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:3a @step:3b @req:CONS-SSP-REFUSAL @severity:critical
  Scenario: No data sharing agreement with the practice
    Given the SSP has no data sharing agreement between the user's organisation and A20047
    When the user books an appointment for "9693632109"
    Then the consumer showed the refusal and did not send the refused request again
    And the consumer showed what happened

  @step:6b @req:CONS-SSP-REFUSAL @severity:critical
  Scenario: The consumer is not accredited to book appointments
    Given the consumer's ASID at the user's organisation is not accredited to book appointments
    When the user books an appointment for "9693632109"
    Then the consumer showed the refusal and did not send the refused request again
    And the consumer showed what happened

  @step:6c @req:CONS-PROVIDER-ERROR @severity:critical
  Scenario: The practice system fails
    Given the practice system at A20047 fails when asked to book
    When the user books an appointment for "9693632109"
    Then the consumer showed the error, retrying at most three times
    And the consumer showed what happened

  @step:3b @req:CONS-PROVIDER-ERROR @severity:critical
  Scenario: The SSP cannot reach the practice
    Given the SSP cannot reach the practice system at A20047
    When the user books an appointment for "9693632109"
    Then the consumer showed the error, retrying at most three times
    And the consumer showed what happened

  @step:6c @req:CONS-PROVIDER-ERROR @severity:normal
  Scenario: The practice answers later than the SSP waits
    Given the practice system at A20047 answers bookings later than the SSP waits
    When the user books an appointment for "9693632109"
    Then the consumer showed the error, retrying at most three times
    And the consumer showed what happened
