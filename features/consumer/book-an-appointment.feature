@consumer
Feature: Worked example step 6 – book the appointment
  The consumer books a slot the search offered: the slot, a location and the patient as
  participants, the booking organisation contained and pointed to by its extension, a description
  of at most 100 characters, start and end exactly the slot's (appointments_use_case_book_an_appointment;
  gpconnect-spec.md §5.6). It tells the user what happened. When the slot has gone (409) it says so
  or searches afresh, and never books that slot again.

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:6a @req:CONS-BOOK-PARTICIPANTS @severity:critical @happy-path
  Scenario: The booking names the slot, the location and the patient
    When the user books an appointment for "9693632109"
    Then the booking named a free slot the search offered, a location and the patient

  # "SHALL send an Appointment resource that conforms to the GPConnect-Appointment-1 profile": on a
  # booking nothing was set up to refuse, the practice answers 201 (review M1).
  @step:6a @req:CONS-BOOK-VALID @severity:critical @happy-path
  Scenario: The booking is a GPConnect-Appointment-1 the practice accepts
    When the user books an appointment for "9693632109"
    Then the booking was a valid GPConnect-Appointment-1 and the practice booked it

  @step:6a @req:CONS-BOOK-ORGANISATION @severity:critical
  Scenario: The booking carries the organisation that made it
    When the user books an appointment for "9693632109"
    Then the booking carried the booking organisation

  # "the contained organization resource SHALL include the `type` element with a value matching the
  # organization type sent as a searchFilter … If organization type was not passed to the
  # searchFilter then `type` SHALL not be populated" (review M2). In the default directory the
  # consumer's first organisation (PRT01) is urgent care; its second (PRT02) has no type.
  @step:6a @req:CONS-BOOK-ORG-TYPE @severity:normal
  Scenario: The booking organisation's type is the one the slot search sent
    When the user books an appointment for "9693632109"
    Then the booking organisation's type was the organisation type the slot search sent, and only then

  @step:6a @req:CONS-BOOK-ORG-TYPE @severity:normal @organisations
  Scenario: A booking from an organisation the search sent no type for carries no type
    Given PDS has the patient "9658218989" registered at B82618
    When a user at the consumer's second organisation books an appointment for "9658218989"
    Then the booking organisation's type was the organisation type the slot search sent, and only then

  @step:6a @req:CONS-BOOK-DESCRIPTION @severity:normal
  Scenario: The description fits in 100 characters
    When the user books an appointment for "9693632109"
    Then the booking had a description of at most 100 characters

  @step:6a @req:CONS-BOOK-SLOT-TIMES @severity:critical
  Scenario: The booking's times are the slot's
    When the user books an appointment for "9693632109"
    Then the booking's start and end were the slot's

  @step:6d @req:CONS-OUTCOME-SHOWN @severity:critical @happy-path
  Scenario: The user is shown the appointment booked
    When the user books an appointment for "9693632109"
    Then the consumer showed what happened

  @step:6d @req:CONS-OUTCOME-SHOWN @severity:critical
  Scenario: The user is told when the practice could not book
    Given the practice system at A20047 fails when asked to book
    When the user books an appointment for "9693632109"
    Then the consumer showed what happened

  @step:6b @req:CONS-BOOK-CONFLICT @severity:critical
  Scenario: The slot is taken a moment before it is booked
    Given another consumer takes the slot at A20047 a moment before it is booked
    When the user books an appointment for "9693632109"
    Then the consumer showed the slot was taken or searched afresh, and never booked that slot again
    And the consumer showed what happened
