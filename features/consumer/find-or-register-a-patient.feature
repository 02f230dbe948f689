@consumer
Feature: Worked example step 5 – find the patient at the practice, or register them
  Before booking, the consumer finds the patient at the practice by the traced NHS number, to learn
  the practice's logical id for them (foundations_use_case_find_a_patient, 5a/5b). When the practice
  has no record, the consumer registers the patient with the PDS demographics and books with the id
  the practice gives (appointments_consumer_sessions "no patient record", 5c; gpconnect-spec.md §1, §5.5).

  @step:5a @step:5b @req:CONS-FIND-PATIENT @severity:critical
  Scenario: The patient is found at the practice before the booking
    Given PDS has the patient "9693632109" registered at A20047
    When the user books an appointment for "9693632109"
    Then the consumer found the patient at the practice by NHS number before booking

  @step:6a @req:CONS-BOOK-PATIENT @severity:critical
  Scenario: The booking names the patient by the practice's id
    Given PDS has the patient "9693632109" registered at A20047
    When the user books an appointment for "9693632109"
    Then the booking named the patient by the practice's logical id

  @step:5c @req:CONS-REGISTER @severity:critical @capability:registersPatients
  Scenario: A patient the practice has no record of is registered, then booked
    Given PDS has the patient "9651258500" registered at A20047
    When the user books an appointment for "9651258500"
    Then the consumer registered the patient and booked with the id the practice gave
    And the booking named the patient by the practice's logical id
    And the consumer showed what happened
