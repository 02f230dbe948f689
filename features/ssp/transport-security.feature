@ssp @mtls
Feature: The SSP takes only TLS 1.2 with the spec's cipher suites and valid client certificates
  A consumer reaches the SSP over TLS only ("Transport level security SHALL be via TLS/HTTPS",
  Spine Core ssp_implementation_guide), with one of the spec's cipher suites
  (development_api_security_guidance "Supported ciphers": AESGCM+EECDH, AESGCM+EDH, AES256+EECDH,
  AES256+EDH) and a client certificate from Spine's CA that has neither expired nor been revoked (495
  "Used when the client has provided an invalid client certificate"). As the official suite checks the
  real SSP (PTEST SSP.feature): plain HTTP closed, redirected with Strict-Transport-Security, or 497;
  each of its eight suites taken alone over TLS 1.2; a suite outside the list refused in the handshake;
  an expired or revoked certificate refused with 495, 496 or a closed connection.

  Background:
    Given Spine in a box is running over mutual TLS
    And a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    And the consumer presents the client certificate for "booking.ucc01.consumer.test"

  @step:3b @req:SSP-TLS-ONLY @severity:critical
  Scenario: Plain HTTP to the SSP's TLS port is not served
    When the consumer sends the request to the SSP over plain HTTP
    Then the SSP does not serve the request unencrypted

  @step:3b @req:SSP-TLS-CIPHERS @severity:critical
  Scenario Outline: The SSP takes the spec's cipher suite <cipher>
    When the consumer connects to the SSP offering only the cipher suite "<cipher>"
    Then the SSP answers the request over that connection

    Examples:
      | cipher                      |
      | ECDHE-RSA-AES128-GCM-SHA256 |
      | ECDHE-RSA-AES256-GCM-SHA384 |
      | ECDHE-RSA-AES256-SHA384     |
      | ECDHE-RSA-AES256-SHA        |
      | DHE-RSA-AES128-GCM-SHA256   |
      | DHE-RSA-AES256-GCM-SHA384   |
      | DHE-RSA-AES256-SHA256       |
      | DHE-RSA-AES256-SHA          |

  @step:3b @req:SSP-TLS-CIPHERS @severity:critical
  Scenario Outline: The SSP refuses a secure cipher suite outside the spec's list: <cipher>
    When the consumer connects to the SSP offering only the cipher suite "<cipher>"
    Then the SSP refuses the connection

    Examples:
      | cipher            |
      | AES128-SHA256     |
      | AES256-GCM-SHA384 |

  @step:3b @req:SSP-CLIENT-CERT-VALID @severity:critical
  Scenario Outline: A client certificate for the consumer's own FQDN that is <state> is refused
    Given the consumer presents a client certificate for "booking.ucc01.consumer.test" that is <state>
    When the request is sent to the SSP over that certificate
    Then the SSP refuses the client certificate
    And nothing reached the provider

    Examples:
      | state   |
      | expired |
      | revoked |
