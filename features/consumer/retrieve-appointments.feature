@consumer @action:retrieve
Feature: Retrieve a patient's appointments
  A consumer lists a patient's future appointments at their practice
  (appointments_use_case_retrieve_a_patients_appointments): through the SSP, naming the
  search:patient_appointments interaction and asking for patient/*.read, with two start parameters,
  one ge and one le, each a plain date, and no part of the range in the past. Scenarios here run
  when the consumer's profile declares the action retrieve.

  Background:
    Given PDS has the patient "9693632109" registered at A20047
    And the user has booked an appointment for "9693632109"

  @req:CONS-RETRIEVE-INTERACTION @severity:critical
  Scenario: The retrieve names the patient appointments interaction
    When the user lists the patient's appointments from today for 14 days
    Then the retrieve named the patient appointments interaction in Ssp-InteractionID
    And every GP Connect request went through the SSP

  @req:CONS-RETRIEVE-SCOPE @severity:critical
  Scenario: The retrieve asks for the patient read scope
    When the user lists the patient's appointments from today for 14 days
    Then the retrieve's JWT asked for patient/*.read

  @req:CONS-RETRIEVE-RANGE @severity:critical
  Scenario: The retrieve gives the range with start=ge and start=le
    When the user lists the patient's appointments from today for 14 days
    Then the retrieve sent two start parameters, one ge and one le

  @req:CONS-RETRIEVE-DATE-ONLY @severity:critical
  Scenario: The retrieve's dates have no time
    When the user lists the patient's appointments from today for 14 days
    Then the retrieve's start parameters were plain dates

  @req:CONS-RETRIEVE-NOT-PAST @severity:critical
  Scenario: The retrieve asks for nothing in the past
    When the user lists the patient's appointments from today for 14 days
    Then the retrieve asked for no date before today
