@consumer
Feature: Every request through the Spine Secure Proxy
  Each GP Connect request goes to {ssp}/{service root}/{path}, with the service root exactly as SDS
  gave it, and carries the Ssp-* headers: a fresh Ssp-TraceID, Ssp-From the consumer's ASID for the
  organisation the request comes from, Ssp-To the ASID SDS gave, Ssp-InteractionID the interaction;
  FHIR JSON asked for and sent; query values percent-encoded (integration_spine_secure_proxy,
  development_general_api_guidance; gpconnect-spec.md §2.1, §2.2, §2.7, §5.1). Judged on every
  request of a booking: metadata (3a), slots (4a), the patient (5a) and the booking (6a).

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:3a @step:4a @step:5a @step:6a @req:CONS-VIA-SSP @severity:blocker
  Scenario: No request goes round the SSP
    When the user books an appointment for "9693632109"
    Then every GP Connect request went through the SSP

  @step:3a @step:4a @step:5a @step:6a @req:CONS-SERVICE-ROOT @severity:blocker
  Scenario: The service root is used exactly as SDS gave it
    When the user books an appointment for "9693632109"
    Then every SSP target began with the service root exactly as SDS gave it

  @step:3a @step:4a @step:5a @step:6a @req:CONS-SSP-TO @severity:critical
  Scenario: Ssp-To is the practice's ASID from SDS
    When the user books an appointment for "9693632109"
    Then every request named the ASID SDS gave in Ssp-To

  @step:3a @step:4a @step:5a @step:6a @req:CONS-SSP-FROM @severity:critical
  Scenario: Ssp-From is the consumer's ASID for the user's organisation
    When the user books an appointment for "9693632109"
    Then every request named the ASID of the organisation it came from in Ssp-From

  @step:3a @step:4a @step:5a @step:6a @req:CONS-TRACE-ID @severity:normal
  Scenario: Every request has a trace ID of its own
    When the user books an appointment for "9693632109"
    Then every request carried a fresh Ssp-TraceID

  @step:3a @step:4a @step:5a @step:6a @req:CONS-INTERACTION-ID @severity:critical
  Scenario: Every request names the interaction it performs
    When the user books an appointment for "9693632109"
    Then every request named its interaction in Ssp-InteractionID

  # Only the charset is a SHALL (development_general_api_guidance "Character encoding"): no Accept
  # (the server defaults to JSON), a space before charset (a "should not") and XML are not failed.
  @step:6a @req:CONS-CONTENT-TYPE @severity:normal
  Scenario: A request body declares its character encoding as UTF-8
    When the user books an appointment for "9693632109"
    Then every request body was sent with charset=utf-8

  @step:4a @step:5a @req:CONS-QUERY-ENCODED @severity:normal
  Scenario: Query values are percent-encoded
    When the user books an appointment for "9693632109"
    Then every query was percent-encoded
