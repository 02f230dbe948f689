@ssp @mtls
Feature: Over mutual TLS the SSP checks the consumer's client certificate
  Both legs use TLS with mutual authentication; the SSP validates the consumer's certificate and
  checks that its FQDN is the one registered for the sending ASID, answering 496 when no
  certificate is given and 495 when it is not acceptable (gpconnect-spec.md §2.3–§2.5; CORE
  resources_error_handling). Spine in a box generates its own CA and certificates.

  Background:
    Given Spine in a box is running over mutual TLS

  @step:3b @req:SSP-CLIENT-CERT-FQDN @req:SSP-FORWARD @severity:critical
  Scenario: A consumer presenting the certificate for its registered FQDN is accepted
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    And the consumer presents the client certificate for "booking.ucc01.consumer.test"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:3b @req:SSP-CLIENT-CERT-REQUIRED @severity:critical
  Scenario: A consumer presenting no certificate is refused with 496
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    And the consumer presents no client certificate
    When the request is sent through the SSP
    Then the SSP refuses it with status 496 and "CLIENT_CERTIFICATE_REQUIRED"
    And nothing reached the provider

  @step:3b @req:SSP-CLIENT-CERT-FQDN @severity:critical
  Scenario: A certificate for another system's FQDN is refused with 495
    # The aggregator's certificate, presented with the urgent care centre's ASID.
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    And the consumer presents the client certificate for "mhs.agg01.aggregator.test"
    When the request is sent through the SSP
    Then the SSP refuses it with status 495 and "INVALID_CLIENT_CERTIFICATE_FQDN_mhs.agg01.aggregator.test_NOT_REGISTERED_FOR_200000000359"
    And nothing reached the provider

  @step:3b @req:SSP-CLIENT-CERT-FQDN @severity:normal
  Scenario: A certificate from a CA Spine does not trust is refused with 495
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    And the consumer presents a client certificate for "booking.ucc01.consumer.test" from an untrusted CA
    When the request is sent through the SSP
    Then the SSP refuses it with status 495 and "INVALID_CLIENT_CERTIFICATE_UNABLE_TO_VERIFY_LEAF_SIGNATURE"
