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

  @step:6c @req:PROV-READ-APPOINTMENT-NOT-FOUND @req:PROV-NO-STORE @severity:normal
  Scenario Outline: An appointment id the provider does not have (<id>) is answered 404
    When the consumer reads an appointment with the id "<id>"
    Then the provider refuses it with status 404 and Spine code "NO_RECORD_FOUND"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | id          |
      | Invalid4321 |
      | 8888888888  |

  @step:6c @req:PROV-READ-BOOKING-ORGANISATION @severity:critical
  Scenario: The booking organisation read is the one the booking carried, not the requesting organisation of the JWT
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking for a booking organisation other than the requesting one
    And the consumer reads the appointment it booked
    Then the appointment read carries the booking organisation booked

  @step:6c @req:PROV-APPOINTMENT-VERSIONID @req:PROV-APPOINTMENT-ETAG @req:PROV-NO-STORE @severity:normal
  Scenario: The appointment read carries its versionId, the answer an ETag of that version, and it must not be cached
    When the consumer books the first free slot for the registered patient
    And the consumer reads the appointment it booked
    Then the provider answers with status 200
    And the Appointment answered carries its meta.versionId
    And the answer carries an ETag of that version
    And the answer carries Cache-Control with the no-store directive

  @step:6c @req:PROV-BOOK-SERVICE @severity:normal
  Scenario: The appointment read carries the practice's serviceType and serviceCategory
    When the consumer books the first free slot for the registered patient
    And the consumer reads the appointment it booked
    Then the provider answers with status 200
    And the Appointment answered carries the practice's own serviceType and serviceCategory

  @step:6c @req:PROV-READ-APPOINTMENT @severity:normal
  Scenario: An appointment booked with the delivery channel and practitioner role is read back with them
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with the delivery channel and practitioner role the slot search offered
    And the consumer reads the appointment it booked
    Then the provider answers with status 200
    And the appointment read is the one booked
    And the Appointment answered carries the delivery channel and practitioner role booked
