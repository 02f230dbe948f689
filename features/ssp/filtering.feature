@ssp
Feature: The SSP lets through only what the directory allows
  The SSP checks that the sending system is accredited to send the interaction, that the
  receiving practice's party key is registered to receive it, and that the two organisations have
  a mutual data sharing agreement (gpconnect-spec.md §2.3, §2.4; integration_system_topologies).

  Background:
    Given Spine in a box is running

  @step:4b @req:SSP-SENDER-ASID @severity:critical
  Scenario: A system not accredited to send the interaction is refused
    # The trust's emergency department system may search for slots but not book.
    Given a "Book an appointment" request from ASID "200000000702" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "ASID_CHECK_FAILED_MESSAGESENDER_200000000702"
    And nothing reached the provider

  @step:4b @req:SSP-SENDER-ASID @severity:critical
  Scenario: A sender ASID the directory has never heard of is refused
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the "Ssp-From" header is "123456789012"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "ASID_CHECK_FAILED_MESSAGESENDER_123456789012"

  @step:4b @req:SSP-SENDER-ASID @severity:normal
  Scenario: The same system may send what it is accredited for
    Given a "Search for free slots" request from ASID "200000000702" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:4b @req:SSP-RECEIVER-PARTY-KEY @severity:critical
  Scenario: A practice not registered to receive the interaction is refused
    # Y12345 offers Foundations only: its party key is not registered for slot search.
    Given a "Search for free slots" request from ASID "200000000359" to practice "Y12345"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_918999198994"
    And nothing reached the provider

  @step:5b @req:SSP-RECEIVER-PARTY-KEY @severity:normal
  Scenario: The same practice receives what it is registered for
    Given a "Find a patient" request from ASID "200000000359" to practice "Y12345"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:4b @req:SSP-UNKNOWN-RECEIVER @severity:normal
  Scenario: A request addressed to an ASID that is not registered is refused
    Given a "Search for free slots" request from ASID "200000000359" to practice "A20047"
    But the "Ssp-To" header is "123456789123"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "BAD_REQUEST_UNKNOWN_MESSAGERECEIVER_123456789123"

  @step:4b @req:SSP-DATA-SHARING @severity:critical
  Scenario: Organisations without a data sharing agreement cannot exchange requests
    # WIC01 shares with A20047 only.
    Given a "Search for free slots" request from ASID "200000000501" to practice "B82617"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "FOT_CHECK_FAILED_MESSAGESENDER_200000000501_MESSAGERECEIVER_918999198738"
    And nothing reached the provider

  @step:4b @req:SSP-DATA-SHARING @severity:normal
  Scenario: Organisations with an agreement can
    Given a "Search for free slots" request from ASID "200000000501" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
