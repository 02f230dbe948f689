@provider
Feature: The provider checks the Ssp-* headers and the JWT itself
  Providers only accept requests addressed to their own ASID with all the Ssp-* headers, and a
  well-formed JWT whose exp is iat + 300 and not expired; the de-facto answer is 400 BAD_REQUEST
  (gpconnect-spec.md §2.3, §4, §5.1). The harness sends these straight to the provider's service
  root, as the SSP forwards requests, since the SSP would refuse most of them itself.

  The JWT is an unsecured token (header {"alg":"none","typ":"JWT"}, three base64url parts, empty
  signature) carrying every claim of §4: iss, sub (= requesting_practitioner.id), aud (the
  provider's service root), exp (iat + 300), iat, reason_for_request (directcare), requested_scope
  (the interaction's), and the minimal FHIR resources requesting_device, requesting_organization
  (with its ODS code) and requesting_practitioner (with its SDS user id). The spec asks for RFC 6750
  token errors, but its error page, the demonstrator and the official provider tests answer 400
  BAD_REQUEST. A claim that cannot be read as a FHIR resource at all (an unknown resourceType,
  elements of the wrong JSON type) is 422: INVALID_RESOURCE on the error page, BAD_REQUEST at the
  demonstrator, and the official tests check only the status, so either code passes; a claim given
  as a JSON string is "an invalid value" (400 BAD_REQUEST on the error page) or 422. A readable
  resource of the wrong type or missing what it must carry is 400 (§4, §9 item 6).

  What the standard leaves to the provider is not demanded of it:
  - iat is never checked against the clock: "Providers shall not attempt to validate the iat
    claim" (gpconnect#640; 1.2.3 release notes; the official test "Creation Time - in the future"
    expects 200), so a JWT whose iat is in the future must be answered, an hour or 200 s ahead
    (the official test's value), with exp iat + 300 each time.
  - The practitioner's SDS user and role profile ids may be UNK ("if the user is not logged on with
    an NHS smartcard") and "the latter two elements (SDS role profile ID, and local user identifier)
    are not always present" (audit page, requesting_practitioner claim; PTEST #224): both answered.
  - Authorising by requested_scope is a MAY (development_api_security_guidance "Provider systems
    MAY choose to use the value of the requested_scope claim to authorise access"): those scenarios
    run for a provider that declares capabilities.authorisesByScope: true. Any provider refuses a
    value that is no GP Connect scope at all (the official tests' badScope).
  - Claim values only the demonstrator checks (reason_for_request, sub against
    requesting_practitioner.id, the SDS user id, the device's model) are consumer SHALLs; the
    provider's duty is a token "present and correctly formed". Those run for a provider that
    declares capabilities.validatesClaimValues: true.
  - A claim the provider does not know (the DSTU2 requested_record) may be ignored (RFC 7519 §4),
    so no scenario demands its refusal.
  - Whether aud is compared is where suppliers differ (the demonstrator does not, §9 item 5): a
    provider that does not compare it declares capabilities.checksAudience: false.

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
      | Ssp-To            |
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

  @step:3c @req:PROV-JWT-EXPIRY @severity:normal
  Scenario Outline: A JWT whose exp is <lifetime> seconds after its iat, not 300, is refused
    When the capability statement is asked for directly with a JWT that lasts <lifetime> seconds
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | lifetime |
      | 299      |
      | 301      |
      | -1       |

  @step:3c @req:PROV-JWT-SCOPE @severity:normal
  Scenario: A JWT whose requested_scope is no GP Connect scope is refused
    When the capability statement is asked for directly with the scope "badScope"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-SCOPE @severity:normal @capability:authorisesByScope
  Scenario: A provider that authorises by scope refuses a patient scope for the capability statement
    When the capability statement is asked for directly with the scope "patient/*.write"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:5c @req:PROV-JWT-SCOPE @severity:normal @capability:authorisesByScope
  Scenario Outline: A provider that authorises by scope refuses the scope <scope> for Find a patient
    When "Find a patient" is asked for directly with the scope "<scope>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | scope                |
      | organization/*.read  |
      | patient/*.write      |

  @step:5c @req:PROV-JWT-SCOPE @severity:normal @capability:registerPatient @capability:authorisesByScope
  Scenario: A provider that authorises by scope refuses a read scope for Register a patient
    When a patient PDS does not know is registered directly with the scope "patient/*.read"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-CLAIMS @severity:critical
  Scenario Outline: A JWT without the <claim> claim is refused
    When the capability statement is asked for directly with a JWT without the claim "<claim>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | claim                   |
      | iss                     |
      | sub                     |
      | aud                     |
      | exp                     |
      | iat                     |
      | reason_for_request      |
      | requested_scope         |
      | requesting_device       |
      | requesting_organization |
      | requesting_practitioner |

  @step:3c @req:PROV-JWT-CLAIMS @severity:normal
  Scenario: A JWT whose exp is not a number of seconds is refused
    When "Get the capability statement" is asked for directly with a JWT in which "exp is not a number of seconds"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-EXPIRY @severity:normal
  Scenario: A JWT whose iat is in the future is answered, since providers do not validate iat
    When "Get the capability statement" is asked for directly with a JWT in which "iat is an hour in the future"
    Then the provider answers with status 200

  @step:3c @req:PROV-JWT-EXPIRY @severity:normal
  Scenario: A JWT whose iat is a few minutes ahead of the provider's clock is answered
    When "Get the capability statement" is asked for directly with a JWT in which "iat is 200 seconds in the future"
    Then the provider answers with status 200

  @step:3c @req:PROV-JWT-PRACTITIONER-UNK @severity:normal
  Scenario: A JWT from a user not logged on with a smartcard (SDS user and role profile ids UNK) is answered
    When "Get the capability statement" is asked for directly with a JWT in which "requesting_practitioner's SDS ids are UNK"
    Then the provider answers with status 200

  @step:3c @req:PROV-JWT-PRACTITIONER-IDENTIFIERS @severity:normal
  Scenario: A JWT whose practitioner carries only an SDS user id, no role profile id or local id, is answered
    When "Get the capability statement" is asked for directly with a JWT in which "requesting_practitioner has only an SDS user id"
    Then the provider answers with status 200

  @step:3c @req:PROV-JWT-CLAIMS @severity:minor @capability:validatesClaimValues
  Scenario Outline: A provider that validates claim values refuses a JWT in which <mistake>
    When "Get the capability statement" is asked for directly with a JWT in which "<mistake>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | mistake                                     |
      | reason_for_request is not directcare        |
      | sub is not the requesting practitioner      |
      | requesting_practitioner has no SDS user id  |
      | requesting_device has no model              |

  @step:3c @req:PROV-JWT-AUDIENCE @severity:normal @capability:checksAudience
  Scenario: A JWT meant for another audience is refused
    When "Get the capability statement" is asked for directly with a JWT in which "aud is not the provider's service root"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-UNSIGNED @severity:critical
  Scenario Outline: A bearer token that is not an unsecured JWT (<mistake>) is refused
    When "Get the capability statement" is asked for directly with a JWT in which "<mistake>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | mistake                                         |
      | it is signed with HS256                         |
      | its header says alg none but it has a signature |
      | it has two parts, without the trailing dot      |
      | its payload is not base64url                    |
      | its payload is not JSON                         |
      | the Authorization scheme is Basic               |

  @step:3c @req:PROV-JWT-UNSIGNED @severity:critical
  Scenario: A request without a bearer token is refused
    When the capability statement is asked for directly without the "Authorization" header
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

  @step:3c @req:PROV-JWT-FHIR-CLAIMS @severity:normal
  Scenario Outline: A JWT in which <mistake> is refused with 400
    When "Get the capability statement" is asked for directly with a JWT in which "<mistake>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | mistake                                     |
      | requesting_device is a Patient              |
      | requesting_organization has no ODS code     |
      | requesting_practitioner is an Organization  |

  @step:3c @req:PROV-JWT-FHIR-CLAIMS @severity:normal
  Scenario Outline: A JWT in which <mistake> is refused with 422
    When "Get the capability statement" is asked for directly with a JWT in which "<mistake>"
    Then the provider refuses it with one of "422 INVALID_RESOURCE, 422 BAD_REQUEST"

    Examples:
      | mistake                                                    |
      | requesting_device has an unknown resourceType              |
      | requesting_practitioner has an unknown resourceType        |
      | requesting_practitioner has a name that is not a HumanName |

  @step:3c @req:PROV-JWT-FHIR-CLAIMS @severity:normal
  Scenario: A JWT whose requesting_device is a string, not a FHIR resource, is refused
    When "Get the capability statement" is asked for directly with a JWT in which "requesting_device is not a FHIR resource"
    Then the provider refuses it with one of "400 BAD_REQUEST, 422 INVALID_RESOURCE, 422 BAD_REQUEST"
