@consumer
Feature: Worked example step 1 – trace the patient on PDS
  Before anything else the consumer traces the patient on PDS, to verify the NHS number and learn
  the ODS code of the practice the patient is registered at (integration_illustrated, step 1a/1b;
  appointments_service_discovery: the trace is required even when the practice is known). For a
  patient PDS does not find (404, invalidated) the NHS number cannot be verified: nothing goes to the
  SSP and the user is told. For one PDS gives as restricted or deceased no GP Connect rule stops the
  consumer: the practice is the gate (Find a patient leaves them out, Register refuses them), so no
  booking may be reported as made.

  @step:1a @step:1b @req:CONS-PDS-TRACE @severity:critical @happy-path
  Scenario: The patient is traced on PDS before SDS or the SSP hear of them
    Given PDS has the patient "9693632109" registered at A20047
    When the user books an appointment for "9693632109"
    Then the consumer traced the patient on PDS before asking SDS or the SSP about them
    And the consumer showed what happened

  # PDS paths/patient-get.yaml "Superseded patients": the new record comes back in place of the one
  # asked for, with another id; "you must update your system with the new patient details" (review M5).
  @step:1b @step:5a @req:CONS-PDS-SUPERSEDED @severity:normal
  Scenario: A superseded NHS number: the booking goes on under the number PDS gave
    Given PDS answers the NHS number "9658220223" with the record of "9658220215", which replaced it
    When a user at an organisation that shares records with B82618 books an appointment for "9658220223"
    Then the consumer went on to the practice with the NHS number PDS gave, never the superseded one
    And the consumer showed what happened

  # The practice holds 9658220215 as inactive: a consumer that registers patients registers and books.
  @step:1b @step:5a @step:5c @req:CONS-PDS-SUPERSEDED @severity:normal @capability:registersPatients
  Scenario: A superseded NHS number: the patient is registered and booked under the number PDS gave
    Given PDS answers the NHS number "9658220223" with the record of "9658220215", which replaced it
    When a user at an organisation that shares records with B82618 books an appointment for "9658220223"
    Then the consumer went on to the practice with the NHS number PDS gave, never the superseded one
    And the consumer found the patient at the practice by NHS number before booking
    And the booking named the patient by the practice's logical id
    And the consumer showed what happened

  @step:1b @req:CONS-PDS-STOP @severity:critical
  Scenario Outline: Nothing sent to the SSP for a patient PDS gives as <kind>
    When the user books an appointment for "<nhsNumber>"
    Then the consumer booked nothing and showed why

    Examples:
      | kind        | nhsNumber  |
      | invalidated | 9990003343 |
      | not found   | 9999999999 |

  @step:1b @req:CONS-PDS-STOP @severity:normal
  Scenario Outline: No booking reported for a patient PDS gives as <kind>
    When the user books an appointment for "<nhsNumber>"
    Then the consumer reported no booking

    Examples:
      | kind                               | nhsNumber  |
      | restricted (no practice is shown)  | 9000000025 |
      | deceased                           | 9658220290 |

  # The PDS FHIR API (personal-demographics.yaml): X-Request-ID "Must be a universally unique identifier
  # (UUID)", the same only when a failed request is sent again; Authorization "Required in all
  # environments except sandbox". PDS in a box lets a missing token through, as the sandbox does (review M4b).
  @step:1a @req:CONS-PDS-HEADERS @severity:normal
  Scenario: Each PDS request has a request ID of its own and an access token
    Given PDS has the patient "9693632109" registered at A20047
    When the user books an appointment for "9693632109"
    Then every PDS request carried a new X-Request-ID and a bearer token
