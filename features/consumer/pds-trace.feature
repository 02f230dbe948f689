@consumer
Feature: Worked example step 1 – trace the patient on PDS
  Before anything else the consumer traces the patient on PDS, to verify the NHS number and learn
  the ODS code of the practice the patient is registered at (integration_illustrated, step 1a/1b;
  appointments_service_discovery: the trace is required even when the practice is known). A patient
  PDS gives as restricted, deceased, invalidated or unknown is not booked for, and the user is told.

  @step:1a @step:1b @req:CONS-PDS-TRACE @severity:critical @happy-path
  Scenario: The patient is traced on PDS before SDS or the SSP hear of them
    Given PDS has the patient "9693632109" registered at A20047
    When the user books an appointment for "9693632109"
    Then the consumer traced the patient on PDS before asking SDS or the SSP about them
    And the consumer showed what happened

  @step:1b @req:CONS-PDS-STOP @severity:critical
  Scenario Outline: No booking for a patient PDS gives as <kind>
    When the user books an appointment for "<nhsNumber>"
    Then the consumer booked nothing and showed why

    Examples:
      | kind                               | nhsNumber  |
      | restricted (no practice is shown)  | 9000000025 |
      | deceased                           | 9658220290 |
      | invalidated                        | 9990003343 |
      | not found                          | 9999999999 |
