@ssp
Feature: The target URL must be the service root SDS gave, character for character
  The SSP rejects a request whose provider service root differs from nhsMhsEndPoint in SDS:
  consumers must not swap the host for an IP address, add an explicit port, change case or add a
  slash (_includes/sds_ssp_warning.html; gpconnect-spec.md §2.1, §2.4).

  Background:
    Given Spine in a box is running

  @step:3b @req:SSP-TARGET-URL @req:SDS-ENDPOINT-LOOKUP @severity:critical
  Scenario: The service root exactly as SDS gave it is accepted
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:3b @req:SSP-TARGET-URL @severity:critical
  Scenario Outline: A service root that varies from SDS (<variation>) is refused
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    But the service root is sent as "<sent root>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "ENDPOINT_https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect_CPAID_S000000821870_VARIES_FROM_TARGETURL_<sent root>/metadata"
    And nothing reached the provider

    Examples:
      | variation              | sent root                                                |
      | explicit port 443      | https://gpc.a20047.practice.test:443/A20047/STU3/1/gpconnect |
      | upper-case host        | https://GPC.A20047.practice.test/A20047/STU3/1/gpconnect |
      | lower-case path        | https://gpc.a20047.practice.test/a20047/STU3/1/gpconnect |
      | another practice       | https://gpc.a20047.practice.test/B82617/STU3/1/gpconnect |
      | plain http             | http://gpc.a20047.practice.test/A20047/STU3/1/gpconnect  |
      | longer routing segment | https://gpc.a20047.practice.test/A20047/STU3/1/gpconnectx |
