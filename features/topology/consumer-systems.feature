@topology
Feature: Consumers on their own systems, with separate MHSs, or through a trust integration engine
  A consumer system in one organisation has its own MHS and AS records; the same product in two
  organisations has two ASIDs; two systems behind one trust integration engine have an ASID each,
  and each is accredited only for what it sends (integration_sds_registering_endpoints §1.1, §2.1, §2.2).

  Background:
    Given Spine in a box is running

  @step:2a @step:2b @req:SDS-2.2-CONSUMER-MHS-INTERACTIONS @req:SDS-2.1-CONSUMER-NOT-CMA @severity:normal
  Scenario Outline: SDS does not offer the consumer <organisation> as a GP Connect endpoint
    When SDS is asked for the GP Connect endpoint of organisation "<organisation>"
    Then SDS returns no endpoint

    Examples:
      | organisation |
      | UCC01        |
      | AGG01        |
      | RAT01        |

  @step:4b @req:TOP-SSP-FROM-ORIGINATOR @severity:critical
  Scenario Outline: The same product in <organisation> is accepted under its own ASID
    Given a "Search for free slots" request from organisation "<organisation>" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider saw "Ssp-From" as "<asid>"

    Examples:
      | organisation | practice | asid         |
      | UCC01        | A20047   | 200000000359 |
      | WIC01        | A20047   | 200000000501 |
      | WIC02        | B82618   | 200000000502 |

  @step:6b @req:SSP-SENDER-ASID @req:SDS-1.1-UNIQUE-ASID @severity:critical
  Scenario: Behind the trust's integration engine each system is accredited for what it sends
    Given a "Book an appointment" request from ASID "200000000701" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    Given a "Book an appointment" request from ASID "200000000702" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "ASID_CHECK_FAILED_MESSAGESENDER_200000000702"
