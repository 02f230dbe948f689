@provider
Feature: Book an appointment: the Prefer header
  "Servers SHALL default to the return=representation behaviour (that is, returning the entire
  resource) for interactions that create or update resources. Servers SHOULD honour a
  return=minimal or return=representation preference indicated in the Prefer request header, if
  present" (development_general_api_guidance "Managing Return Content"; PTEST AppointmentBook.feature
  "Book appointment prefer header set to representation" and "… set to minimal"). The default is
  judged by every booking without Prefer (book-an-appointment.feature); honouring Prefer is a
  SHOULD, so an answer that does not is a warning. Either way the booking is made: 201 with a
  Location header.

  Background:
    Given the provider under test is reachable
    And the consumer has prepared a booking of the first free slot for the registered patient

  @step:6c @req:PROV-BOOK-PREFER @severity:minor
  Scenario: Prefer: return=representation answers the whole Appointment
    When the booking is sent with the Prefer header "return=representation"
    Then the provider books it, naming the new appointment in its Location header
    And the answer is the booking as sent, with an id

  @step:6c @req:PROV-BOOK-PREFER @severity:minor
  Scenario: Prefer: return=minimal answers with no body
    When the booking is sent with the Prefer header "return=minimal"
    Then the provider books it, naming the new appointment in its Location header
    And the answer has no body
