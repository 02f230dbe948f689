@provider @capability:amendAppointment
Feature: Amend an appointment
  PUT [base]/Appointment/[id] with Ssp-InteractionID urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1
  amends the description or comment of a future appointment that has not been cancelled
  (appointments_use_case_amend_an_appointment). The consumer reads the appointment it booked and
  changes it in place, as the page recommends, and sends If-Match with the version it read
  (development_general_api_guidance "Managing resource contention"). "Providers SHALL return an
  error when any other field is amended" and where an amendment to a cancelled appointment is
  received; a version in If-Match that is not the current one gives 409. A provider that declares
  capabilities.amendAppointment false in its profile skips this feature.

  Background:
    Given the provider under test is reachable
    And the consumer has booked an appointment for the registered patient and read it back

  @step:amend @req:PROV-AMEND @req:PROV-APPOINTMENT-VERSIONID @req:PROV-UPDATE-VERSIONID @req:PROV-APPOINTMENT-ETAG @req:PROV-NO-STORE @severity:critical
  Scenario: The description of a future appointment is amended and the amended Appointment answered
    When the consumer amends the appointment's description to "Amended by the gpc-conform harness"
    Then the provider answers with status 200
    And the answer is a valid "Appointment" resource
    And the answer is FHIR JSON in UTF-8
    And the answer is the appointment read, with the description and comment sent
    And the Appointment answered carries its meta.versionId
    And the Appointment answered carries a new versionId
    And the answer carries an ETag of that version
    And the answer carries Cache-Control with the no-store directive

  @step:amend @req:PROV-AMEND @severity:normal
  Scenario: The description and the comment are amended together
    When the consumer amends the appointment's description to "Amended description" and its comment to "Amended comment: please call on arrival"
    Then the provider answers with status 200
    And the answer is the appointment read, with the description and comment sent

  @step:amend @req:PROV-AMEND @req:PROV-BOOK-SERVICE @severity:normal
  Scenario: An amendment that carries a serviceCategory and serviceType of the consumer's own is made, the practice's kept
    When the consumer amends the appointment's description to "Amended description", also sending a serviceCategory and serviceType of its own
    Then the provider answers with status 200
    And the answer is the appointment read, with the description and comment sent
    And the Appointment answered carries the practice's serviceType and serviceCategory, not those sent

  @step:amend @req:PROV-AMEND @req:PROV-BOOK-SERVICE @severity:normal
  Scenario: An amendment without serviceCategory and serviceType is made, the practice's answered
    When the consumer amends the appointment's description to "Amended description", leaving out serviceCategory and serviceType
    Then the provider answers with status 200
    And the answer is the appointment read, with the description and comment sent
    And the Appointment answered carries the practice's own serviceType and serviceCategory

  @step:amend @req:PROV-AMEND-FIELDS @req:PROV-NO-STORE @severity:critical
  Scenario Outline: An amendment with <change> is refused
    When the consumer amends the appointment with <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | change                                                 |
      | its priority set to 1                                  |
      | its status set to noshow                               |
      | its start moved 5 minutes later                        |
      | a cancellation reason added                            |
      | the booking organisation referenced by an absolute URL |
      | participants added by absolute reference               |
      | it sent as a Bundle                                    |

  @step:amend @req:PROV-AMEND-CANCELLED @capability:cancelAppointment @severity:critical
  Scenario: An amendment of a cancelled appointment is refused
    When the consumer amends the appointment's description to "Amended after cancelling" after cancelling it
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

  @step:amend @req:PROV-IF-MATCH @severity:critical
  Scenario: An amendment whose If-Match names the version read is made
    When the consumer amends the appointment's description to "Amended description", sent with If-Match naming the version read
    Then the provider answers with status 200
    And the answer is the appointment read, with the description and comment sent

  @step:amend @req:PROV-IF-MATCH @severity:critical
  Scenario: An amendment whose If-Match names no version of the appointment is refused 409
    When the consumer amends the appointment's description to "Amended description", sent with an If-Match naming no version of it
    Then the provider refuses the out-of-date version with 409 Conflict

  @step:amend @req:PROV-IF-MATCH-OPTIONAL @severity:minor
  Scenario: An amendment without If-Match is made, as the official tests send it
    When the consumer amends the appointment's description to "Amended description", sent without If-Match
    Then the provider answers with status 200
    And the answer is the whole Appointment as amended

  @step:amend @req:PROV-UPDATE-PREFER @severity:minor
  Scenario: Prefer: return=representation answers the whole amended Appointment
    When the consumer amends the appointment's description to "Amended description", sent with the Prefer header "return=representation"
    Then the provider answers with status 200
    And the answer is the whole Appointment as amended

  @step:amend @req:PROV-UPDATE-PREFER @severity:minor
  Scenario: Prefer: return=minimal answers the amendment with no body
    When the consumer amends the appointment's description to "Amended description", sent with the Prefer header "return=minimal"
    Then the provider answers with status 200
    And the answer has no body

  @step:amend @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: An amendment sent <how> answers FHIR JSON
    When the consumer amends the appointment's description to "Amended description", sent <how>
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8
    And the answer is the appointment read, with the description and comment sent

    Examples:
      | how                                                                 |
      | with _format application/fhir+json                                  |

  @step:amend @req:PROV-UPDATE-NOT-FOUND @severity:normal
  Scenario: An amendment of an appointment id the provider does not have is answered 404
    When the consumer amends an appointment with the id "Invalid4321"
    Then the provider refuses it with status 404 and Spine code "NO_RECORD_FOUND"

  @step:3c @req:PROV-METADATA-CONTENT @severity:minor
  Scenario: A provider that offers Amend an appointment declares the Appointment update
    When the consumer asks for the capability statement
    Then the capability statement declares the "Appointment" resource with the "update" interaction
