@ssp
Feature: The SSP forwards accepted requests unmodified and passes the answer back
  In every "b" and "d" step of the worked example the Spine Secure Proxy checks the consumer's
  request, forwards it to the provider's registered service root exactly as it was sent, and
  streams the provider's answer back (integration_spine_secure_proxy; CORE "Proxy responsibilities"),
  adding only the RFC 7239 Forwarded header that discloses who sent it (development_general_api_guidance
  "Proxying headers").

  Background:
    Given Spine in a box is running

  @step:3b @step:3d @req:SSP-FORWARD @req:SSP-URL-FORM @severity:critical
  Scenario: The capability statement request reaches the provider as the consumer sent it
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the consumer receives the provider's answer unchanged

  @step:4b @step:4d @req:SSP-FORWARD @severity:critical
  Scenario: A slot search keeps its percent-encoded query on the way through
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the query the provider received still reads "searchFilter=https%3A%2F%2Ffhir.nhs.uk%2FSTU3%2FCodeSystem%2FGPConnect-OrganisationType-1%7Curgent-care"

  @step:6b @step:6d @req:SSP-FORWARD @severity:critical
  Scenario: A booking's body and headers reach the provider byte for byte
    Given a "Book an appointment" request from ASID "200000000359" to practice "B82617"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the consumer receives the provider's answer unchanged

  @step:5b @step:5d @req:SSP-FORWARD @severity:normal
  Scenario: The provider's own error status passes through the SSP untouched
    Given the provider at practice "A20047" answers every request with status 409
    And a "Book an appointment" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the consumer receives the provider's answer unchanged
    And the consumer receives status 409

  @step:3b @req:SSP-URL-FORM @severity:normal
  Scenario: A request that does not name a provider service root is refused
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    But the target URL is "metadata"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "INVALID_TARGET_URL_metadata"
    And nothing reached the provider

  @step:3b @req:SSP-FORWARDED @req:SSP-FORWARD @severity:normal
  Scenario: The SSP adds a Forwarded header naming who sent the request, and no other
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider learns from a Forwarded header who sent it

  @step:6b @req:SSP-FORWARDED @req:SSP-FORWARD @severity:minor
  Scenario: A Forwarded header the consumer sent is kept, the SSP's element appended
    Given a "Book an appointment" request from ASID "200000000359" to practice "A20047"
    But the "Forwarded" header is "for=192.0.2.60;proto=https"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider learns from a Forwarded header who sent it
