@provider
Feature: The provider checks the Ssp-* headers and the JWT itself
  Providers only accept requests addressed to their own ASID with all the Ssp-* headers, and a
  well-formed JWT whose exp is iat + 300, not expired, with the scope the interaction needs; the
  de-facto answer is 400 BAD_REQUEST (gpconnect-spec.md §2.3, §4, §5.1). The harness sends these
  straight to the provider's service root, as the SSP forwards requests, since the SSP would refuse
  most of them itself.

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-SSP-HEADERS @severity:normal
  Scenario: A request exactly as the SSP forwards it is answered
    When the capability statement is asked for directly, as the SSP forwards it
    Then the provider answers with status 200

  @step:3c @req:PROV-SSP-HEADERS @severity:critical
  Scenario Outline: A request without the <header> header is refused
    When the capability statement is asked for directly without the "<header>" header
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | header            |
      | Ssp-TraceID       |
      | Ssp-From          |
      | Ssp-InteractionID |

  @step:3c @req:PROV-SSP-TO @severity:critical
  Scenario: A request addressed to another ASID is refused
    When the capability statement is asked for directly with "Ssp-To" set to "918999198739"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-SSP-HEADERS @severity:normal
  Scenario: An interaction ID that does not match the request is refused
    When the capability statement is asked for directly with "Ssp-InteractionID" set to "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-EXPIRY @severity:critical
  Scenario: An expired JWT is refused
    When the capability statement is asked for directly with a JWT that expired 600 seconds ago
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-EXPIRY @severity:normal
  Scenario: A JWT that lasts an hour is refused
    When the capability statement is asked for directly with a JWT that lasts 3600 seconds
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-SCOPE @severity:critical
  Scenario: A JWT asking for a patient scope for the capability statement is refused
    When the capability statement is asked for directly with the scope "patient/*.write"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
