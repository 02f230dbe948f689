@provider
Feature: HTTP errors
  A request no route serves (a path the provider does not have, a verb the resource does not take,
  a path in the wrong case: FHIR paths are case-sensitive) is answered with an error whose body is
  a GPConnect-OperationOutcome-1 ("In the event of an error, provider systems SHALL respond by
  providing an OperationOutcome resource", development_fhir_error_handling_guidance; PTEST
  Http.feature). The error page gives 400 BAD_REQUEST for "invalid HTTP verb used" and an
  "InteractionID header does not match request", and 501 NOT_IMPLEMENTED for "an operation or FHIR
  resource which is not (yet) implemented"; the official tests ask only for a failure status, so
  another code (404, 405) is a warning. Sent straight to the service root with the capability
  statement's interaction ID, as Http.feature sends them (the SSP may refuse some verbs itself).

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-HTTP-ERROR @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario Outline: <what> is answered with an error and an OperationOutcome
    When the capability statement request is sent directly as "<request>"
    Then the provider answers with an error and an OperationOutcome, the error page giving "400 BAD_REQUEST, 501 NOT_IMPLEMENTED"
    And the answer is FHIR JSON in UTF-8

    Examples:
      | what                         | request          |
      | GET from an unknown path     | GET /metadatas   |
      | POST to an unknown path      | POST /metadatas  |
      | PUT to an unknown path       | PUT /metadatas   |
      | PATCH to /metadata           | PATCH /metadata  |
      | DELETE to /metadata          | DELETE /metadata |
      | OPTIONS to /metadata         | OPTIONS /metadata |
      | GET from /Metadata (wrong case) | GET /Metadata |

  @step:6c @req:PROV-HTTP-ERROR @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario: A booking posted to a path the provider does not have is answered with an error and an OperationOutcome
    When the "book an appointment" request is sent directly as "POST /appointmentqq/!"
    Then the provider answers with an error and an OperationOutcome, the error page giving "400 BAD_REQUEST, 501 NOT_IMPLEMENTED"

  # PTEST PatientRead.feature "Read patient 400 or 404 if patient id not sent" accepts either status; 404
  # is the error page's for an id it cannot find, so both are taken without a warning.
  @step:5c @req:PROV-HTTP-ERROR @req:PROV-ERROR-SYSTEM @severity:normal
  Scenario: A patient read without an id is answered with an error and an OperationOutcome
    When the "read a patient" request is sent directly as "GET /Patient/"
    Then the provider answers with an error and an OperationOutcome, the error page giving "400 BAD_REQUEST, 404 PATIENT_NOT_FOUND, 404 NO_RECORD_FOUND, 501 NOT_IMPLEMENTED"

  # PTEST AppointmentRead.feature "Read appointment invalid appointment id" (the empty id) asks for 404;
  # without an id the path is no read at all, so the error page's 400 for a request that does not match
  # its interaction ID is as right: both are taken.
  @step:6c @req:PROV-HTTP-ERROR @req:PROV-ERROR-SYSTEM @severity:normal @capability:readAppointment
  Scenario: An appointment read without an id is answered with an error and an OperationOutcome
    When the "read an appointment" request is sent directly as "GET /Appointment/"
    Then the provider answers with an error and an OperationOutcome, the error page giving "400 BAD_REQUEST, 404 NO_RECORD_FOUND, 501 NOT_IMPLEMENTED"

  @req:PROV-SSP-HEADERS @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A <interaction> request carrying the interaction ID of another interaction is refused 400 BAD_REQUEST, and not cached
    When the consumer makes the "<interaction>" request directly with "Ssp-InteractionID" set to "<other>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
    And the answer carries Cache-Control with the no-store directive

    @step:4c
    Examples: Foundations: the reads of what a slot search includes
      | interaction          | other                                                         |
      | read an organisation | urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1 |
      | read a practitioner  | urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1 |
      | read a location      | urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1 |
