@topology
Feature: The SSP and the directory for the rest of Appointment Management
  Cancel, amend and retrieve go through the SSP as booking does: a consumer system sends only the
  interactions its ASID is accredited for (an aggregator's clinics may book but not cancel), and a
  practice hosted in a supplier's data centre receives them at its own service root, through its
  own party key and ASID (integration_spine_secure_proxy; integration_sds_registering_endpoints §3.4).

  Background:
    Given Spine in a box is running

  # The aggregator's clinic at CHC01 is accredited for the worked example's interactions only.
  @req:SSP-SENDER-ASID @severity:critical
  Scenario: A consumer accredited to book but not to cancel is refused when it cancels
    Given a "Cancel an appointment" request from ASID "200000000401" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP refuses it with status 403 and "ASID_CHECK_FAILED_MESSAGESENDER_200000000401"
    And nothing reached the provider

  @req:SSP-SENDER-ASID @severity:normal
  Scenario: The same consumer's booking goes through
    Given a "Book an appointment" request from ASID "200000000401" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @req:TOP-PROVIDER-PER-PRACTICE @severity:critical
  Scenario Outline: A hosted practice receives <use case> at its own service root
    Given the consumer with ASID "200000000359" is accredited to send "<use case>"
    And a "<use case>" request from ASID "200000000359" to practice "<practice>"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified
    And the provider received it at the service root of practice "<practice>"

    Examples:
      | use case                          | practice |
      | Cancel an appointment             | B82617   |
      | Amend an appointment              | B82618   |
      | Retrieve a patient's appointments | B82617   |
