@topology
Feature: The directory refuses a topology that breaks a registration rule
  Spine in a box is configured from a topology file. It is checked on load against the MUST rules
  of "Registering GP Connect systems in SDS", and a broken file stops with an error that names the
  entry and the rule, so a supplier modelling their own deployment finds the mistake at once.

  @req:SDS-1.1-UNIQUE-ASID @req:SDS-1.3-ONE-PROVIDER @req:SDS-2.1-CONSUMER-NOT-CMA @req:SDS-2.2-CONSUMER-MHS-INTERACTIONS @req:SDS-3.1-CMA @req:SDS-3.2-PROVIDER-INTERACTIONS @req:SDS-3.4-SERVICE-ROOT @req:SDS-3.5-ROOT-ONLY @severity:normal
  Scenario: The default topology keeps every rule
    Given the default topology
    When the topology is loaded
    Then it loads with every topology of the design

  @req:SDS-1.1-UNIQUE-ASID @severity:critical
  Scenario: Two organisations cannot share one ASID
    Given the default topology
    But the system at "CHC02" has the ASID of the system at "CHC01"
    When the topology is loaded
    Then loading fails naming "ASID 200000000401" and rule "SDS-1.1-UNIQUE-ASID"

  @req:SDS-1.3-ONE-PROVIDER @severity:normal
  Scenario: An organisation cannot have two provider systems
    Given the default topology
    But practice "A20047" has a second provider system with ASID "918999190001"
    When the topology is loaded
    Then loading fails naming "organisation A20047" and rule "SDS-1.3-ONE-PROVIDER"

  @req:SDS-2.1-CONSUMER-NOT-CMA @severity:critical
  Scenario: A consumer cannot be registered as a CMA endpoint
    Given the default topology
    But the consumer with ASID "200000000359" is registered as a CMA endpoint
    When the topology is loaded
    Then loading fails naming "ASID 200000000359" and rule "SDS-2.1-CONSUMER-NOT-CMA"

  @req:SDS-2.1-CONSUMER-NOT-CMA @severity:minor
  Scenario: The older topology guidance (consumers as CMA endpoints) can be allowed explicitly
    Given the default topology
    But the consumer with ASID "200000000359" is registered as a CMA endpoint
    And the topology allows consumer CMA endpoints
    When the topology is loaded
    Then it loads with every topology of the design

  @req:SDS-2.2-CONSUMER-MHS-INTERACTIONS @severity:critical
  Scenario: A consumer's MHS record cannot carry GP Connect interactions
    Given the default topology
    But the MHS record "UCC01-100001" carries the interaction "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1"
    When the topology is loaded
    Then loading fails naming "party key UCC01-100001" and rule "SDS-2.2-CONSUMER-MHS-INTERACTIONS"

  @req:SDS-3.1-CMA @severity:critical
  Scenario: A provider must be registered as a CMA endpoint
    Given the default topology
    But the CMA endpoint of the provider with ASID "918999198738" is removed
    When the topology is loaded
    Then loading fails naming "ASID 918999198738" and rule "SDS-3.1-CMA"

  @req:SDS-3.1-CMA @severity:critical
  Scenario: Hosted practices cannot share one party key
    Given the default topology
    But the provider with ASID "918999198739" uses party key "B82617-0000806"
    When the topology is loaded
    Then loading fails naming "ASID 918999198738" and rule "SDS-3.1-CMA"

  @req:SDS-3.2-PROVIDER-INTERACTIONS @severity:normal
  Scenario: A provider's interactions must be on its MHS record as well as its AS record
    Given the default topology
    But the provider with ASID "918999198994" also receives "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1" on its AS record only
    When the topology is loaded
    Then loading fails naming "party key Y12345-821871" and rule "SDS-3.2-PROVIDER-INTERACTIONS"

  @req:SDS-3.4-SERVICE-ROOT @req:SDS-3.5-ROOT-ONLY @severity:critical
  Scenario Outline: An endpoint address that is not a service root (<problem>) is refused
    Given the default topology
    But the MHS record "A20047-821870" has the address "<address>"
    When the topology is loaded
    Then loading fails naming "party key A20047-821870" and rule "<rule>"

    Examples:
      | problem                 | address                                                    | rule                 |
      | trailing slash          | https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/  | SDS-3.4-SERVICE-ROOT |
      | another practice's ODS  | https://gpc.a20047.practice.test/B82617/STU3/1/gpconnect   | SDS-3.4-SERVICE-ROOT |
      | no FHIR version         | https://gpc.a20047.practice.test/A20047/gpconnect          | SDS-3.4-SERVICE-ROOT |
      | not https               | http://gpc.a20047.practice.test/A20047/STU3/1/gpconnect    | SDS-3.4-SERVICE-ROOT |
      | host is not the FQDN    | https://other-host.practice.test/A20047/STU3/1/gpconnect   | SDS-3.4-SERVICE-ROOT |
      | names a resource        | https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata | SDS-3.5-ROOT-ONLY |

  @req:DIR-REFERENCES @severity:normal
  Scenario: A system whose organisation is not listed is refused
    Given the default topology
    But the system with ASID "200000000359" belongs to organisation "NOPE01"
    When the topology is loaded
    Then loading fails naming "ASID 200000000359" and rule "DIR-REFERENCES"
