@provider @capability:cancelAppointment
Feature: Cancel an appointment
  PUT [base]/Appointment/[id] with Ssp-InteractionID urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1
  cancels a future appointment: the consumer reads it, sets status to "cancelled" and adds the
  cancellation-reason extension, changing nothing else (appointments_use_case_cancel_an_appointment),
  and sends If-Match with the version it read. The provider "SHALL have updated the appointment
  `status` to "cancelled"" and the reason "in line with any details supplied in the request" (which
  it may store truncated); it "SHALL return an error if any appointment details other than the
  appointment `status` and `cancellation-reason` fields are attempted to be updated", and where
  If-Match is not the current version. Whether the slot is offered again is the practice's own
  integrity rule, so it is not judged. A provider that declares capabilities.cancelAppointment false
  in its profile skips this feature.

  Background:
    Given the provider under test is reachable
    And the consumer has booked an appointment for the registered patient and read it back

  @step:cancel @req:PROV-CANCEL @req:PROV-APPOINTMENT-VERSIONID @req:PROV-UPDATE-VERSIONID @req:PROV-APPOINTMENT-ETAG @req:PROV-NO-STORE @severity:critical
  Scenario: A future appointment is cancelled and the cancelled Appointment answered
    When the consumer cancels the appointment with the reason "double booked"
    Then the provider answers with status 200
    And the answer is a valid "Appointment" resource
    And the answer is FHIR JSON in UTF-8
    And the answer is the appointment read, cancelled with the reason sent
    And the Appointment answered carries its meta.versionId
    And the Appointment answered carries a new versionId
    And the answer carries an ETag of that version
    And the answer carries Cache-Control with the no-store directive

  @step:cancel @req:PROV-CANCEL @severity:normal
  Scenario Outline: The cancellation reason "<reason>" is the one answered
    When the consumer cancels the appointment with the reason "<reason>"
    Then the provider answers with status 200
    And the answer is the appointment read, cancelled with the reason sent

    Examples:
      | reason                     |
      | Test cancellation reason 1 |
      | test reason for cancel 2   |

  @step:cancel @req:PROV-CANCEL @req:PROV-BOOK-SERVICE @severity:normal
  Scenario: The cancelled Appointment carries the practice's serviceType and serviceCategory
    When the consumer cancels the appointment with the reason "Test-Cancel-Reason"
    Then the provider answers with status 200
    And the Appointment answered carries the practice's own serviceType and serviceCategory

  @step:cancel @req:PROV-CANCEL @req:PROV-BOOK-SERVICE @severity:normal
  Scenario: A cancellation without serviceCategory and serviceType is made, the practice's answered
    When the consumer cancels the appointment with the reason "Test-Cancel-Reason", leaving out serviceCategory and serviceType
    Then the provider answers with status 200
    And the answer is the appointment read, cancelled with the reason sent
    And the Appointment answered carries the practice's own serviceType and serviceCategory

  @step:cancel @req:PROV-CANCEL @capability:readAppointment @severity:normal
  Scenario: The appointment read after its cancellation is cancelled
    When the consumer cancels the appointment with the reason "double booked"
    And the consumer reads the appointment again
    Then the appointment read is cancelled

  @step:cancel @req:PROV-CANCEL-CHANGES @req:PROV-NO-STORE @severity:critical
  Scenario Outline: A cancellation with <change> is refused
    When the consumer cancels the appointment with the reason "double booked" and <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | change                                                 |
      | its comment changed                                    |
      | its description changed                                |
      | participants added                                     |
      | its type text set                                      |
      | the booking organisation referenced by an absolute URL |
      | participants added by absolute reference               |

  @step:cancel @req:PROV-CANCEL-REASON @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A cancellation whose reason extension <what> is refused
    When the consumer cancels the appointment with the reason "<reason>" under the extension URL "<url>"
    Then the provider refuses it with status 422 and Spine code "<code>"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | what                  | reason        | url                                                                                                | code              |
      | has no URL            | Too busy      |                                                                                                    | INVALID_RESOURCE  |
      | has a misspelt URL    | Too busy      | http://fhir.nhs.uk/StructuraeDefinition/extension-gpconnect-appointment-cancellation-reason-1-010 | INVALID_RESOURCE  |
      | has an empty reason   |               | https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1   | INVALID_PARAMETER |

  @step:cancel @req:PROV-IF-MATCH @severity:critical
  Scenario: A cancellation whose If-Match names the version read is made
    When the consumer cancels the appointment with the reason "double booked", sent with If-Match naming the version read
    Then the provider answers with status 200
    And the answer is the appointment read, cancelled with the reason sent

  @step:cancel @req:PROV-IF-MATCH @severity:critical
  Scenario: A cancellation whose If-Match names no version of the appointment is refused 409
    When the consumer cancels the appointment with the reason "double booked", sent with an If-Match naming no version of it
    Then the provider refuses the out-of-date version with 409 Conflict

  @step:cancel @req:PROV-IF-MATCH-OPTIONAL @severity:minor
  Scenario: A cancellation without If-Match is made, as the official tests send it
    When the consumer cancels the appointment with the reason "double booked", sent without If-Match
    Then the provider answers with status 200
    And the answer is the whole Appointment as cancelled

  @step:cancel @req:PROV-UPDATE-PREFER @severity:minor
  Scenario: Prefer: return=representation answers the whole cancelled Appointment
    When the consumer cancels the appointment with the reason "double booked", sent with the Prefer header "return=representation"
    Then the provider answers with status 200
    And the answer is the whole Appointment as cancelled

  @step:cancel @req:PROV-UPDATE-PREFER @severity:minor
  Scenario: Prefer: return=minimal answers the cancellation with no body
    When the consumer cancels the appointment with the reason "double booked", sent with the Prefer header "return=minimal"
    Then the provider answers with status 200
    And the answer has no body

  @step:cancel @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: A cancellation sent <how> answers FHIR JSON
    When the consumer cancels the appointment with the reason "double booked", sent <how>
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8
    And the answer is the appointment read, cancelled with the reason sent

    Examples:
      | how                                                                 |
      | with _format application/fhir+json                                  |

  @step:cancel @req:PROV-UPDATE-NOT-FOUND @severity:normal
  Scenario: A cancellation of an appointment id the provider does not have is answered 404
    When the consumer cancels an appointment with the id "Invalid4321"
    Then the provider refuses it with status 404 and Spine code "NO_RECORD_FOUND"
