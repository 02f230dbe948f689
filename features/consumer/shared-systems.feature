@consumer @organisations
Feature: A consumer behind a shared MHS or a portal
  One consumer system serving several organisations (an aggregator behind a shared MHS, a supplier's
  hosted system, a regional portal) has an ASID per organisation: each request carries the ASID and
  the ODS code of the organisation it comes from, never the hosting organisation's
  (integration_system_topologies; gpconnect-spec.md §2.2, §2.6). Run when the consumer's profile
  names two or more originating organisations.

  @step:3a @step:4a @step:5a @step:6a @req:CONS-SSP-FROM @severity:blocker
  Scenario: Two organisations book through the same system, each under its own ASID
    Given PDS has the patient "9693632109" registered at A20047
    And PDS has the patient "9658218989" registered at B82618
    When a user at the consumer's first organisation books an appointment for "9693632109"
    And a user at the consumer's second organisation books an appointment for "9658218989"
    Then every request named the ASID of the organisation it came from in Ssp-From
    And the consumer showed what happened

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-ORGANIZATION @severity:critical
  Scenario: Each organisation is named in its own requests' JWT
    Given PDS has the patient "9693632109" registered at A20047
    And PDS has the patient "9658218989" registered at B82618
    When a user at the consumer's first organisation books an appointment for "9693632109"
    And a user at the consumer's second organisation books an appointment for "9658218989"
    Then every JWT named the requesting organisation by its ODS code
