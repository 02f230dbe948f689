@provider @capability:servesTls
Feature: The provider's transport security
  The provider takes mutual TLS 1.2 from the SSP with the spec's cipher suites, and nothing older,
  weaker or unauthenticated (development_api_security_guidance: "Secure connection negotiation",
  the SSL/TLS protocols, "Supported ciphers", "Client certificates"; PTEST Security.feature). The
  harness connects straight to the provider's service root as the SSP would, with the profile's
  CA and client certificate, and asks for the capability statement.

  These scenarios need the provider's own TLS listener: they apply where the profile gives `tls`
  and are skipped as not applicable for a provider reached over plain HTTP.

  A refusal is the connection closed without an answer (a handshake alert), or 495/496 as the
  official suite expects; another refusal status warns where codes are checked exactly. Not
  demanded here: TLS 1.3 (the page neither asks for it nor forbids it), SSLv2 and SSLv3 (which
  the harness's OpenSSL cannot offer).

  @req:PROV-TLS-VERSION @severity:critical
  Scenario: The provider takes the SSP's connection over TLS 1.2
    When the harness connects to the provider as the SSP over "TLSv1.2"
    Then the provider answers the capability statement request over "TLSv1.2"

  @req:PROV-TLS-VERSION @severity:critical
  Scenario Outline: The provider refuses a connection over <version>
    When the harness connects to the provider as the SSP over "<version>"
    Then the provider refuses the connection

    Examples:
      | version |
      | TLSv1   |
      | TLSv1.1 |

  @req:PROV-TLS-CIPHERS @severity:normal
  Scenario Outline: The provider takes the spec's cipher suite <cipher>
    When the harness connects to the provider as the SSP offering only the cipher suite "<cipher>"
    Then the provider answers the capability statement request over "TLSv1.2"

    Examples: AESGCM+EECDH, AESGCM+EDH, AES256+EECDH, AES256+EDH for an RSA certificate, as the official suite lists them
      | cipher                      |
      | ECDHE-RSA-AES128-GCM-SHA256 |
      | ECDHE-RSA-AES256-GCM-SHA384 |
      | ECDHE-RSA-AES256-SHA384     |
      | ECDHE-RSA-AES256-SHA        |
      | DHE-RSA-AES128-GCM-SHA256   |
      | DHE-RSA-AES256-GCM-SHA384   |
      | DHE-RSA-AES256-SHA256       |
      | DHE-RSA-AES256-SHA          |

  @req:PROV-TLS-CIPHERS @severity:normal
  Scenario Outline: The provider refuses a secure cipher suite outside the spec's list: <cipher>
    When the harness connects to the provider as the SSP offering only the cipher suite "<cipher>"
    Then the provider refuses the connection

    Examples: RSA key exchange, without forward secrecy
      | cipher            |
      | AES128-SHA256     |
      | AES256-GCM-SHA384 |

  @req:PROV-TLS-CLIENT-CERT @severity:critical
  Scenario: The provider takes the SSP's client certificate
    When the harness connects to the provider with the SSP's client certificate
    Then the provider answers the capability statement request over TLS

  @req:PROV-TLS-CLIENT-CERT @severity:critical
  Scenario: The provider refuses a client without a certificate
    When the harness connects to the provider without a client certificate
    Then the provider refuses the connection

  @req:PROV-TLS-CLIENT-CERT @severity:critical
  Scenario: The provider refuses a client certificate for the SSP's name from a CA outside its chain of trust
    When the harness connects to the provider with a client certificate from a CA it does not trust
    Then the provider refuses the connection

  @req:PROV-TLS-ONLY @severity:critical
  Scenario: The provider drops plain HTTP on its TLS port
    When the harness sends the capability statement request to the provider in plain HTTP
    Then the provider drops the connection

  # The certificates come from the CA the provider trusts, which only its holder can issue from: each
  # check runs where the profile gives its certificate (tls.refusedClients), and is skipped otherwise.
  @req:PROV-TLS-CLIENT-VALID @severity:critical
  Scenario Outline: The provider refuses a client certificate from its own CA that is <state>
    When the harness connects to the provider with a client certificate from its CA that is <state>
    Then the provider refuses the connection

    Examples:
      | state   |
      | expired |
      | revoked |

  @req:PROV-TLS-SSP-FQDN @severity:critical
  Scenario: The provider refuses a client certificate from its own CA for another FQDN than the SSP's
    When the harness connects to the provider with a client certificate from its CA that is for another FQDN than the SSP's
    Then the provider refuses the connection
