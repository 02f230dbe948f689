@topology
Feature: Providers are reached practice by practice
  Each practice has its own party key and ASID registered as a CMA endpoint, and its own ODS code
  in its service root, whether it runs its own system or is hosted in a supplier's data centre
  behind one MHS host (integration_sds_registering_endpoints §3.1, §3.4).

  Background:
    Given Spine in a box is running

  @step:2a @step:2b @step:2c @step:2d @req:SDS-ENDPOINT-LOOKUP @req:SDS-DEVICE-LOOKUP @req:TOP-PROVIDER-PER-PRACTICE @req:SDS-3.1-CMA @severity:critical
  Scenario Outline: SDS gives practice <practice> its own service root, party key and ASID
    When SDS is asked for the GP Connect endpoint of organisation "<practice>"
    Then SDS returns the service root "<service root>" with party key "<party key>"
    And SDS returns the ASID "<asid>" for that party key

    Examples:
      | practice | service root                                            | party key      | asid         |
      | A20047   | https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect | A20047-821870  | 918999198993 |
      | B82617   | https://gpc.pcs01.datacentre.test/B82617/STU3/1/gpconnect | B82617-0000806 | 918999198738 |
      | B82618   | https://gpc.pcs01.datacentre.test/B82618/STU3/1/gpconnect | B82618-0000807 | 918999198739 |

  @step:3b @req:TOP-PROVIDER-PER-PRACTICE @severity:critical
  Scenario Outline: Each hosted practice's requests reach the data centre at its own service root
    Given a "Get the capability statement" request from ASID "200000000359" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider received it at the service root of practice "<practice>"

    Examples:
      | practice |
      | B82617   |
      | B82618   |

  @step:3b @req:TOP-PROVIDER-PER-PRACTICE @req:SSP-TARGET-URL @severity:critical
  Scenario: A hosted practice cannot be reached with its neighbour's ASID
    Given a "Get the capability statement" request from ASID "200000000359" to practice "B82617"
    But the "Ssp-To" header is "918999198739"
    When the request is sent through the SSP
    Then the SSP refuses it with status 400 and "ENDPOINT_https://gpc.pcs01.datacentre.test/B82618/STU3/1/gpconnect_CPAID_S000000000807_VARIES_FROM_TARGETURL_https://gpc.pcs01.datacentre.test/B82617/STU3/1/gpconnect/metadata"
