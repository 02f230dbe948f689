@ssp
Feature: The SSP checks the Ssp-* headers and the bearer token before anything else
  Every GP Connect request carries Ssp-TraceID, Ssp-From, Ssp-To, Ssp-InteractionID and an
  Authorization bearer JWT (integration_spine_secure_proxy; gpconnect-spec.md §2.2). The SSP
  refuses a request whose headers are missing or malformed; the real SSP's code for this is not
  documented, so Spine in a box answers 400 naming the header under MISSING_OR_INVALID_HEADER.

  Background:
    Given Spine in a box is running

  @step:4b @req:SSP-HEADERS @req:SSP-ERROR-NO-STORE @severity:critical
  Scenario Outline: A request without the <header> header is refused
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the "<header>" header is missing
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "MISSING_OR_INVALID_HEADER_<header>"
    And nothing reached the provider

    Examples:
      | header            |
      | Ssp-TraceID       |
      | Ssp-From          |
      | Ssp-To            |
      | Ssp-InteractionID |

  @step:4b @req:SSP-HEADERS @severity:normal
  Scenario Outline: A malformed <header> header is refused
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the "<header>" header is "<value>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "MISSING_OR_INVALID_HEADER_<header>"

    Examples:
      | header            | value                                       |
      | Ssp-TraceID       | not-a-uuid                                  |
      | Ssp-From          | ASID-200000000359                           |
      | Ssp-To            | 9189991989 93                               |
      | Ssp-InteractionID | search:slot                                 |

  @step:4b @req:SSP-HEADERS @severity:normal
  Scenario: A header sent twice is not a valid header
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the "Ssp-TraceID" header is sent twice
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "MISSING_OR_INVALID_HEADER_Ssp-TraceID"

  @step:4b @req:SSP-HEADERS @severity:minor
  Scenario: Header names are matched whatever their case
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the header names are sent in lower case
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  # RFC 7235 §2.1: the auth-scheme "uses a case-insensitive token" (review F22).
  @step:4b @req:SSP-JWT @severity:minor
  Scenario: The bearer scheme is matched whatever its case
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the Authorization scheme is written "bearer"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:4b @req:SSP-JWT @severity:critical
  Scenario Outline: A request whose bearer token is <problem> is refused
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the Authorization header is "<authorization>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "MISSING_OR_INVALID_HEADER_Authorization"
    And nothing reached the provider

    Examples:
      | problem                 | authorization                              |
      | absent                  |                                            |
      | not a bearer token      | Basic Z3BjOmNvbmZvcm0=                     |
      | not three parts         | Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0 |
      | not base64url           | Bearer eyJhbGciOiJub25lIn0=.e30=.          |
      | not JSON                | Bearer bm90LWpzb24.bm90LWpzb24.            |
