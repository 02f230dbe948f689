@topology
Feature: Shared consumer systems send each organisation's own ASID
  A system used by several organisations — behind a shared MHS, hosted in a supplier's data
  centre, or a regional portal — has a unique ASID per organisation, and Ssp-From must be the ASID
  of the organisation making the request, never the hosting or provisioning organisation's
  (integration_sds_registering_endpoints §1.1, §2.3; integration_system_topologies). The SSP
  filters each organisation by its own data sharing agreements.

  Background:
    Given Spine in a box is running

  @req:SDS-2.3-SHARED-PARTY-KEY @req:SDS-1.1-UNIQUE-ASID @severity:normal
  Scenario Outline: In the <topology> topology the organisations share a party key but not an ASID
    Then the systems of topology "<topology>" share party key "<party key>"
    And each of them has its own ASID

    Examples:
      | topology                 | party key     |
      | consumer-shared-mhs      | AGG01-200001  |
      | consumer-supplier-hosted | SUP01-400001  |
      | consumer-regional-portal | RSP01-600001  |

  @step:4b @req:TOP-SSP-FROM-ORIGINATOR @req:TOP-FILTER-PER-ORGANISATION @severity:critical
  Scenario Outline: <organisation>'s request through the <topology> topology carries its own ASID and is accepted
    Given a "Search for free slots" request from organisation "<organisation>" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider saw "Ssp-From" as "<asid>"

    Examples:
      | topology                 | organisation | practice | asid         |
      | consumer-shared-mhs      | CHC01        | A20047   | 200000000401 |
      | consumer-shared-mhs      | CHC02        | B82617   | 200000000402 |
      | consumer-supplier-hosted | OOH01        | A20047   | 200000000601 |
      | consumer-supplier-hosted | OOH02        | B82617   | 200000000602 |
      | consumer-regional-portal | PRT01        | A20047   | 200000000801 |
      | consumer-regional-portal | PRT02        | B82618   | 200000000802 |

  @step:4b @req:TOP-SSP-FROM-ORIGINATOR @severity:critical
  Scenario Outline: A request stamped with the <role>'s ASID is refused for a practice that shares only with the originating organisation
    Given a "Search for free slots" request from ASID "<hosting asid>" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "FOT_CHECK_FAILED_MESSAGESENDER_<hosting asid>_MESSAGERECEIVER_<practice asid>"

    Examples:
      | role                        | hosting asid | practice | practice asid |
      | aggregator                  | 200000000400 | A20047   | 918999198993  |
      | portal's provisioning trust | 200000000800 | A20047   | 918999198993  |

  @step:4b @req:TOP-FILTER-PER-ORGANISATION @severity:critical
  Scenario Outline: An organisation's agreements do not extend to its neighbour on the same system
    Given a "Search for free slots" request from organisation "<organisation>" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "FOT_CHECK_FAILED_MESSAGESENDER_<asid>_MESSAGERECEIVER_<practice asid>"

    Examples:
      | organisation | asid         | practice | practice asid |
      | CHC02        | 200000000402 | A20047   | 918999198993  |
      | OOH02        | 200000000602 | A20047   | 918999198993  |
      | PRT02        | 200000000802 | A20047   | 918999198993  |
