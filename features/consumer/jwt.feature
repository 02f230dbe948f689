@consumer
Feature: The JWT on every request
  Every request carries a new unsecured JWT (alg none, trailing dot) made out to the provider's
  service root, valid for exactly five minutes from when it is made, for direct care, asking for
  the scope of its interaction, and naming the requesting device, organisation and practitioner,
  the logged-on user being its subject (integration_cross_organisation_audit_and_provenance;
  gpconnect-spec.md §4). The practitioner is the user who asked: the harness gives every scenario a
  user of its own and hands it to the consumer with every action, so no fixed "system" user can pass.

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-UNSECURED @severity:critical
  Scenario: The JWT is unsecured
    When the user books an appointment for "9693632109"
    Then every JWT was unsecured, with the trailing dot

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-EXPIRY @severity:critical
  Scenario: The JWT expires five minutes after it is issued
    When the user books an appointment for "9693632109"
    Then every JWT expired exactly 300 seconds after it was issued

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-IAT @severity:normal
  Scenario: The JWT is made for the request
    When the user books an appointment for "9693632109"
    Then every JWT was issued when it was sent

  # "Consumer system SHALL generate a new JWT for each API request": a request sent again after a
  # timeout is a new request (review M14).
  @step:6a @req:CONS-JWT-IAT @severity:normal
  Scenario: A request sent again carries a JWT of its own
    Given the practice system at A20047 answers bookings later than the SSP waits
    When the user books an appointment for "9693632109"
    Then every request carried a JWT made for it

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-AUD @severity:critical
  Scenario: The JWT's audience is the practice's service root
    When the user books an appointment for "9693632109"
    Then every JWT's audience was the service root SDS gave

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-REASON @severity:normal
  Scenario: The reason for the request is direct care
    When the user books an appointment for "9693632109"
    Then every JWT gave direct care as the reason for the request

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-SCOPE @severity:critical
  Scenario: The scope is the one for the interaction
    When the user books an appointment for "9693632109"
    Then every JWT asked for the scope of its interaction

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-ISS @severity:normal
  Scenario: The issuer is the consumer's endpoint
    When the user books an appointment for "9693632109"
    Then every JWT named the consumer's endpoint as its issuer

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-DEVICE @severity:normal
  Scenario: The requesting device is described
    When the user books an appointment for "9693632109"
    Then every JWT described the requesting device

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-ORGANIZATION @severity:critical
  Scenario: The requesting organisation is named by its ODS code
    When the user books an appointment for "9693632109"
    Then every JWT named the requesting organisation by its ODS code

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-PRACTITIONER @severity:critical
  Scenario: The requesting practitioner is the logged-on user
    When the user books an appointment for "9693632109"
    Then every JWT described the requesting practitioner

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-SUB @severity:normal
  Scenario: The subject is the requesting practitioner
    When the user books an appointment for "9693632109"
    Then every JWT's subject was the requesting practitioner

  @step:3a @step:4a @step:5a @step:6a @req:CONS-JWT-USER @severity:critical
  Scenario: The requesting practitioner is the user who asked
    When the user books an appointment for "9693632109"
    Then every JWT named the user who asked

  # "the value UNK if the user is not logged on with an NHS smartcard"
  @users @step:6a @req:CONS-JWT-USER @severity:critical
  Scenario: A user logged on without a smartcard is named with UNK for the SDS ids
    Given the user is logged on without a smartcard
    When the user books an appointment for "9693632109"
    Then every JWT named the user who asked

  # The user who cancels is not always the one who booked: each request names the user who asked for it.
  @users @action:cancel @req:CONS-JWT-USER @severity:critical
  Scenario: Another user's cancellation names that user, not the one who booked
    Given the user has booked an appointment for "9693632109"
    When another user cancels that appointment, giving the reason "The patient is feeling better"
    Then every JWT named the user who asked
