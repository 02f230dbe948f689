@provider
Feature: Book an appointment
  POST [base]/Appointment books the slots named: 201 Created with a Location header
  [base]/Appointment/[id]/_history/[vid] and the booked Appointment with its id; a slot that is no
  longer free is 409 DUPLICATE_REJECTED; a booked slot is no longer offered
  (appointments_use_case_book_an_appointment; gpconnect-spec.md §5.6).

  Background:
    Given the provider under test is reachable

  @step:6c @req:PROV-BOOK @severity:critical
  Scenario: Booking a free slot for the registered patient
    When the consumer books the first free slot for the registered patient
    Then the provider answers with status 201
    And the answer carries a Location header for the new appointment
    And the answer is a valid "Appointment" resource

  @step:6c @req:PROV-BOOK-DUPLICATE @req:PROV-ERROR-SYSTEM @severity:critical
  Scenario: A slot that is no longer free cannot be booked again
    When the consumer books the first free slot for the registered patient
    And the consumer books the same slot again
    Then the provider refuses it with status 409 and Spine code "DUPLICATE_REJECTED"

  @step:6c @req:PROV-BOOK-SLOT-TAKEN @severity:critical
  Scenario: A booked slot is no longer offered
    When the consumer books the first free slot for the registered patient
    Then a new search no longer offers that slot
