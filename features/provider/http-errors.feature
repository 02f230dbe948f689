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
