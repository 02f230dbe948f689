@consumer
Feature: Worked example step 2 – look the practice up in SDS
  The consumer asks SDS for the practice's GP Connect endpoint by the ODS code PDS gave and a GP
  Connect interaction ID (the service root and party key), then for its ASID by that party key
  (integration_spine_directory_service, steps 2a–2d). SDS answers are not reused from one patient's
  encounter to the next (§2.7). When SDS has no endpoint, nothing goes to the SSP for the practice.

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:2a @step:2b @req:CONS-SDS-ENDPOINT @severity:critical
  Scenario: The endpoint is asked for by the practice PDS gave
    When the user books an appointment for "9693632109"
    Then the consumer asked SDS for the endpoint of the practice PDS gave, with a GP Connect interaction

  # appointments_service_discovery "Booking into other practices": the ODS code may come from local
  # configuration or the DoS, "However the PDS step is still required in order to verify the
  # patient's NHS number" (review F17).
  @step:1a @step:2a @step:2b @req:CONS-SDS-ENDPOINT @req:CONS-PDS-TRACE @severity:normal @capability:booksIntoOtherPractices
  Scenario: The endpoint is asked for by the practice the user chose to book into
    When the user books an appointment for "9693632109" at B82617, a practice of their choosing
    Then the consumer traced the patient on PDS before asking SDS or the SSP about them
    And the consumer asked SDS for the endpoint of the practice chosen, with a GP Connect interaction

  @step:2c @step:2d @req:CONS-SDS-DEVICE @severity:critical
  Scenario: The practice's ASID is asked for by the party key SDS gave
    When the user books an appointment for "9693632109"
    Then the consumer asked SDS for the practice's ASID with the party key SDS gave

  @step:2a @req:CONS-SDS-PER-PATIENT @severity:normal
  Scenario: Each patient's practice is looked up for that patient
    Given PDS has the patient "9733162043" registered at A20047
    When the user books an appointment for "9693632109"
    And the user books another appointment for "9733162043" in the same session
    Then the consumer looked each patient up in SDS on its own

  @step:2b @req:CONS-SDS-NO-ENDPOINT @severity:critical
  Scenario: A practice SDS has no endpoint for is not called
    Given SDS holds no GP Connect endpoint for A20047
    When the user books an appointment for "9693632109"
    Then the consumer sent nothing to the SSP for the practice and showed the error

  @step:2a @step:2c @req:CONS-SDS-APIKEY @severity:normal
  Scenario: Every SDS lookup carries the API key
    When the user books an appointment for "9693632109"
    Then every SDS request carried the apikey
