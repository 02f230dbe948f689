@ssp
Feature: The SSP throttles a sender past its allowance and shields a provider past its global one
  Throttling is off in Spine in a box unless a scenario or `--ssp-throttle` turns it on. When on, a
  sender past its allowance is answered 429 Too Many Requests (RFC 6585), a provider that has had its
  global allowance from all senders together 503 Service Unavailable, each with a Spine
  OperationOutcome, and every answer tells the consumer its allowance in X-Rate-Limit-Limit,
  -Remaining and -Reset (CORE ssp_implementation_guide). The displays are the harness's: no source
  gives the SSP's own. What a consumer does with these answers is for consumer features to judge.

  Background:
    Given Spine in a box is running

  @step:3b @req:SSP-THROTTLE-SENDER @req:SSP-RATE-LIMIT-HEADERS @req:SSP-ERROR-NO-STORE @severity:normal
  Scenario: A sender past its allowance is answered 429 Too Many Requests
    Given the SSP allows 2 requests a minute from each sender
    And a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP 3 times
    Then the SSP refuses it with status 429 and "TOO_MANY_REQUESTS_MESSAGESENDER_200000000359"
    And the SSP's answer carries the rate limit 2 with 0 remaining
    And the provider received the request 2 times

  @step:3b @step:3d @req:SSP-RATE-LIMIT-HEADERS @req:SSP-FORWARD @severity:minor
  Scenario: Within its allowance a sender's answers tell it what remains
    Given the SSP allows 2 requests a minute from each sender
    And a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the consumer receives the provider's answer unchanged
    And the SSP's answer carries the rate limit 2 with 1 remaining

  @step:4b @req:SSP-THROTTLE-PROVIDER @req:SSP-ERROR-NO-STORE @severity:normal
  Scenario: A provider past its global allowance, from all senders together, is shielded with 503
    Given the SSP allows 2 requests a minute to each provider
    And a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    And the request is sent through the SSP 2 times
    And a "Search for free slots" request from ASID "200000000501" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP refuses it with status 503 and "SERVICE_UNAVAILABLE_MESSAGERECEIVER_918999198993"
    And the provider received the request 2 times
