@provider
Feature: Book an appointment
  POST [base]/Appointment books the slots named: 201 Created with a Location header
  [base]/Appointment/[id]/_history/[vid] and the booked Appointment with its id; a slot that is no
  longer free is 409 DUPLICATE_REJECTED; a booked slot is no longer offered. An Appointment that
  breaks the profile's rules (reason or specialty sent, a participant or the booking organisation
  missing) is 422 INVALID_RESOURCE; an unknown slot is 422 INVALID_RESOURCE (PTEST, DEMO) or
  REFERENCE_NOT_FOUND (the spec's example), the sources differing
  (appointments_use_case_book_an_appointment; gpconnect-spec.md §5.6, §9 item 8). A start or end
  that is not the slots' must be refused, but the spec gives no code: 400 BAD_REQUEST and 422
  INVALID_PARAMETER or INVALID_RESOURCE are all accepted.

  The 100-character description limit is the consumer's ("Consumers SHALL impose a character limit
  of 100 characters"); a provider supports at least 100, "SHALL NOT truncate", and returns an error
  only where a description is longer than the limit it supports, with no code given. So a longer
  description is either booked whole or refused (422 INVALID_RESOURCE or INVALID_PARAMETER, or 400
  BAD_REQUEST).

  Background:
    Given the provider under test is reachable

  @step:6c @req:PROV-BOOK @severity:critical
  Scenario: Booking a free slot for the registered patient
    When the consumer books the first free slot for the registered patient
    Then the provider answers with status 201
    And the answer carries a Location header for the new appointment
    And the answer is a valid "Appointment" resource

  @step:6c @req:PROV-BOOK-DUPLICATE @req:PROV-ERROR-SYSTEM @severity:critical
  Scenario: A slot that is no longer free cannot be booked again
    When the consumer books the first free slot for the registered patient
    And the consumer books the same slot again
    Then the provider refuses it with status 409 and Spine code "DUPLICATE_REJECTED"

  @step:6c @req:PROV-BOOK-SLOT-TAKEN @severity:critical
  Scenario: A booked slot is no longer offered
    When the consumer books the first free slot for the registered patient
    Then a new search no longer offers that slot

  @step:6c @req:PROV-BOOK @severity:critical
  Scenario: The booked Appointment is the booking as sent, with the id the provider gave it
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking as prepared
    Then the provider answers with status 201
    And the answer is the booking as sent, with an id
    And the answer carries a Location header for the new appointment

  @step:6c @req:PROV-BOOK-UNKNOWN-SLOT @severity:critical
  Scenario: A booking naming a slot the practice does not have is refused
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking naming a slot the practice does not have
    Then the provider refuses the booking of an unknown slot with status 422 and Spine code "INVALID_RESOURCE" or "REFERENCE_NOT_FOUND"

  @step:6c @req:PROV-BOOK-TIMES @severity:critical
  Scenario Outline: A booking whose start or end is not the slot's is refused (<change>)
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider refuses it with one of "400 BAD_REQUEST, 422 INVALID_PARAMETER, 422 INVALID_RESOURCE"

    Examples:
      | change                                     |
      | starting 5 minutes before the slot's start |
      | ending 5 minutes after the slot's end      |

  @step:6c @req:PROV-BOOK-FORBIDDEN @severity:normal
  Scenario Outline: A booking <change> is refused: reason and specialty must not be sent
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

    Examples:
      | change           |
      | with a reason    |
      | with a specialty |

  @step:6c @req:PROV-BOOK-DESCRIPTION @severity:normal
  Scenario: A booking with a comment over 500 characters is booked whole or refused, never truncated
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with a comment of 501 characters
    Then the provider books it with the whole comment or refuses it with one of "422 INVALID_RESOURCE, 422 INVALID_PARAMETER, 400 BAD_REQUEST"

  @step:6c @req:PROV-BOOK-DESCRIPTION @req:PROV-BOOK-COMMENT @severity:minor
  Scenario: A comment of exactly 500 characters is accepted and returned whole
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with a comment of exactly 500 characters
    Then the provider answers with status 201
    And the comment sent is returned as stored

  @step:6c @req:PROV-BOOK-ADJACENT @severity:normal
  Scenario Outline: A booking of two slots <pair> is refused
    Given the consumer has prepared a booking of two free slots <pair>
    When the consumer sends the booking as prepared
    Then the provider refuses it with one of "422 INVALID_RESOURCE, 400 BAD_REQUEST"

    Examples:
      | pair                   |
      | that are not adjacent  |
      | on different schedules |

  @step:6c @req:PROV-BOOK-REQUIRED @severity:critical
  Scenario Outline: A booking <change> is refused: the patient, the location and the booking organisation are required
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

    Examples:
      | change                           |
      | without the patient participant  |
      | without the location participant |
      | without any participant          |
      | without the booking organisation |

  @step:6c @req:PROV-BOOK-DESCRIPTION @severity:normal
  Scenario: A booking with a description over 100 characters is booked whole or refused, never truncated
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with a description of 101 characters
    Then the provider books it with the whole description or refuses it with one of "422 INVALID_RESOURCE, 422 INVALID_PARAMETER, 400 BAD_REQUEST"

  @step:6c @req:PROV-BOOK-DESCRIPTION @severity:minor
  Scenario: A description of exactly 100 characters is accepted
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with a description of exactly 100 characters
    Then the provider answers with status 201
    And the answer is the booking as sent, with an id

  @step:6c @req:PROV-BOOK-REQUIRED @severity:critical
  Scenario Outline: A booking <change> is refused: start, end, status, slot and a whole contained booking organisation are required
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

    Examples:
      | change                                          |
      | without start                                   |
      | without end                                     |
      | without status                                  |
      | without slot                                    |
      | with a booking organisation without a name      |
      | with a booking organisation without a telecom   |
      | with an absolute booking organisation reference |

  @step:6c @req:PROV-BOOK-INVALID @severity:normal
  Scenario Outline: A booking <change> is refused: the Appointment must be a valid GPConnect-Appointment-1
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | change                             |
      | with an element FHIR does not know |
      | with a participant without status  |
      | sent inside a Bundle               |

  @step:6c @req:PROV-BOOK-IDENTIFIER @severity:minor
  Scenario: A booking with an identifier without a value is refused
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with an identifier without a value
    Then the provider refuses it with status 422 and Spine code "INVALID_RESOURCE"

  @step:6c @req:PROV-BOOK-SERVICE @severity:normal
  Scenario Outline: The booked Appointment carries the practice's serviceType and serviceCategory, whatever the consumer sent (<change>)
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking <change>
    Then the provider answers with status 201
    And the Appointment answered carries the practice's own serviceType and serviceCategory

    Examples:
      | change                                            |
      | as prepared                                       |
      | with a serviceCategory and serviceType of its own |

  @step:6c @req:PROV-BOOK-COMMENT @severity:normal
  Scenario: A booking with a description and a comment is booked and both are returned as stored
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with a comment
    Then the provider answers with status 201
    And the comment sent is returned as stored
    And the answer is the booking as sent, with an id

  @step:6c @req:PROV-BOOK @severity:normal
  Scenario: A booking with the delivery channel and practitioner role the slot search offered is booked, and they are returned
    Given the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer sends the booking with the delivery channel and practitioner role the slot search offered
    Then the provider answers with status 201
    And the Appointment answered carries the delivery channel and practitioner role booked

  # PTEST AppointmentBook.feature "Book single appointment for patient with optional elements": the
  # organisation type (sent as a searchFilter, then in the booking organisation) with or without the
  # delivery channel and practitioner role.
  @step:6c @req:PROV-BOOK @severity:normal
  Scenario Outline: A booking from an organisation of the type its search filtered by is booked (<change>)
    Given the consumer has searched for free slots from 1 to 8 days ahead without search filters
    And the consumer searches for the same slots with search filters naming its own organisation
    And the consumer has prepared a booking of the first free slot for the registered patient
    When the consumer, from an organisation of the type its search filtered by, sends the booking <change>
    Then the provider answers with status 201
    And the answer is the booking as sent, with an id

    Examples:
      | change                                                                   |
      | as prepared                                                              |
      | with the delivery channel and practitioner role the slot search offered |

  @step:6c @req:PROV-APPOINTMENT-VERSIONID @req:PROV-APPOINTMENT-ETAG @req:PROV-NO-STORE @severity:normal
  Scenario: The booked Appointment carries its versionId, the answer an ETag of that version, and it must not be cached
    When the consumer books the first free slot for the registered patient
    Then the provider answers with status 201
    And the Appointment answered carries its meta.versionId
    And the answer carries an ETag of that version
    And the answer carries Cache-Control with the no-store directive
