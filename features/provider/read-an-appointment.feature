@provider @capability:readAppointment
Feature: Read an appointment
  GET [base]/Appointment/[id] returns the Appointment as booked: the same id, status booked, the
  same slots, start and end, so a consumer (and the harness) can see the booked state
  (appointments_use_case_read_an_appointment; gpconnect-spec.md §5.1, §5.6). A provider that
  declares capabilities.readAppointment false in its profile skips this feature.

  Background:
    Given the provider under test is reachable

  @step:6c @req:PROV-READ-APPOINTMENT @severity:critical
  Scenario: A booked appointment is read back as booked
    When the consumer books the first free slot for the registered patient
    And the consumer reads the appointment it booked
    Then the provider answers with status 200
    And the answer is a valid "Appointment" resource
    And the appointment read is the one booked
