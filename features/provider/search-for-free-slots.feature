@provider
Feature: Search for free slots
  GET [base]/Slot with start (ge), end (le), status=free and _include=Slot:schedule returns the
  free slots fully inside a window of at most two weeks, with their Schedules, and the
  Organization always (appointments_use_case_search_for_free_slots; known issue). Missing
  parameters (start, end, status) are 400 BAD_REQUEST and bad values (a status other than free,
  prefixes other than ge/le, date-times without an offset, partial dates, windows over 14 days or
  reversed) 422 INVALID_PARAMETER (gpconnect-spec.md §5.3, §9 item 9; the official provider tests).
  A search without _include=Slot:schedule must be refused, but the spec gives no code: 400
  BAD_REQUEST (the demonstrator) and 422 INVALID_PARAMETER or INVALID_RESOURCE are all accepted.
  Search filters naming the consumer's ODS code and organisation type may add slots set aside for
  it; unknown search filters are ignored.

  The ge/le prefixes and the UK offset (+00:00 in GMT, +01:00 in BST) are what "Consumer systems
  SHALL send"; the provider's listed errors do not include them, the official tests never send a
  wrong offset or a missing prefix, and only the demonstrator refuses them. So refusing those runs
  only for a provider that declares capabilities.refusesWrongOffsets or refusesMissingPrefix:
  true; one that reads them as what they plainly mean is conformant.

  Background:
    Given the provider under test is reachable

  @step:4c @req:PROV-SLOTS @req:PROV-NO-STORE @severity:critical
  Scenario: Free slots in the next week are offered with their schedules and the organisation
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And every Slot offered is free and inside the window
    And the Bundle includes the Organization
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-BUNDLE-FULLURL @severity:minor
  Scenario: The slots offered are given no fullUrl (providers SHOULD NOT populate Bundle.entry.fullUrl)
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And the "Free slots response" gives its entries no fullUrl

  @step:4c @req:PROV-SLOTS-WINDOW @severity:normal
  Scenario Outline: A window of <days> days is accepted
    When the consumer searches for free slots from 1 to <end> days ahead
    Then the provider answers with status 200

    Examples:
      | days | end |
      | 0    | 1   |
      | 14   | 15  |

  @step:4c @req:PROV-SLOTS-WINDOW @req:PROV-ERROR-SYSTEM @req:PROV-NO-STORE @severity:critical
  Scenario: A window of 15 days is refused
    When the consumer searches for free slots from 1 to 16 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"
    And the answer carries Cache-Control with the no-store directive

  @step:4c @req:PROV-SLOTS-WINDOW @severity:normal
  Scenario: A window that ends before it starts is refused
    When the consumer searches for free slots from 8 to 2 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

  @step:4c @req:PROV-SLOTS-MISSING @severity:critical
  Scenario Outline: A search without the <parameter> parameter is refused as a bad request
    When the consumer searches for free slots from 1 to 8 days ahead without the "<parameter>" parameter
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | parameter |
      | start     |
      | end       |
      | status    |

  @step:4c @req:PROV-SLOTS-STATUS @severity:normal
  Scenario Outline: A status other than free is refused
    When the consumer searches for free slots from 1 to 8 days ahead with status "<status>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | status           |
      | busy             |
      | busy-tentative   |
      | entered-in-error |

  @step:4c @req:PROV-SLOTS-PREFIX @severity:normal
  Scenario Outline: start must have the prefix ge and end the prefix le (start "<start>", end "<end>")
    When the consumer searches for free slots from 1 to 8 days ahead with the prefixes "<start>" and "<end>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | start | end |
      | gt    | le  |
      | eq    | le  |
      | lt    | le  |
      | ge    | lt  |
      | ge    | eq  |
      | ge    | ge  |
      | le    | ge  |
      | ne    | ne  |
      | gt    | ne  |
      | ne    | lt  |
      | ge    | ne  |
      | ne    | le  |

  @step:4c @req:PROV-SLOTS-PREFIX @severity:minor @capability:refusesMissingPrefix
  Scenario Outline: A provider that refuses a missing prefix refuses start "<start>", end "<end>"
    When the consumer searches for free slots from 1 to 8 days ahead with the prefixes "<start>" and "<end>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | start | end |
      |       | le  |
      | ge    |     |

  @step:4c @req:PROV-SLOTS-DATE-FORMAT @severity:normal
  Scenario Outline: A <bound> written as <form> is accepted
    When the consumer searches for free slots from 1 to 8 days ahead with the <bound> written as "<form>"
    Then the provider answers with status 200

    Examples:
      | bound | form                           |
      | start | a date-time with the UK offset |
      | end   | a date-time with the UK offset |

  @step:4c @req:PROV-SLOTS-DATE-FORMAT @severity:normal
  Scenario: Both bounds written as date-times with the UK offset are accepted
    When the consumer searches for free slots from 1 to 8 days ahead with both bounds written as "a date-time with the UK offset"
    Then the provider answers with status 200

  @step:4c @req:PROV-SLOTS-DATE-FORMAT @severity:normal
  Scenario Outline: A <parameter> parameter sent as "<value>", with no prefix and no date, is refused
    When the consumer searches for free slots from 1 to 8 days ahead with the <parameter> parameter set to "<value>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | parameter | value            |
      | start     |                  |
      | end       |                  |
      | start     | invalidStartDate |
      | end       | invalidEndDate   |

  @step:4c @req:PROV-SLOTS-DATE-FORMAT @severity:normal
  Scenario Outline: A <bound> written as <form> is refused
    When the consumer searches for free slots from 1 to 8 days ahead with the <bound> written as "<form>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | bound | form                                 |
      | start | a date-time without an offset        |
      | end   | a date-time without an offset        |
      | start | a year and month only                |
      | end   | a year only                          |
      | start | a date that does not exist           |

  @step:4c @req:PROV-SLOTS-DATE-FORMAT @severity:minor @capability:refusesWrongOffsets
  Scenario Outline: A provider that refuses offsets other than the UK one refuses a <bound> written as <form>
    When the consumer searches for free slots from 1 to 8 days ahead with the <bound> written as "<form>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | bound | form                                 |
      | start | a date-time in UTC with Z            |
      | start | a date-time with the wrong UK offset |
      | end   | a date-time in UTC with Z            |
      | end   | a date-time with the wrong UK offset |

  @step:4c @req:PROV-SLOTS-INCLUDE @req:PROV-SLOTS @severity:critical
  Scenario: With _include=Slot:schedule alone, each Slot's Schedule and the Organization are returned
    When the consumer searches for free slots from 1 to 8 days ahead with only _include=Slot:schedule
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And the Bundle includes the Schedule of every Slot offered
    And the Bundle includes the Organization

  @step:4c @req:PROV-SLOTS-INCLUDE @severity:normal
  Scenario Outline: _include:recurse=<include> returns the <actor> of each Schedule
    When the consumer searches for free slots from 1 to 8 days ahead with _include=Slot:schedule and _include:recurse=<include>
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And the Bundle includes the <actor> of every Schedule offered

    Examples:
      | include                     | actor        |
      | Schedule:actor:Practitioner | Practitioner |
      | Schedule:actor:Location     | Location     |

  @step:4c @req:PROV-SLOTS-ACTORS-ASKED @req:PROV-SLOTS-INCLUDE @severity:normal
  Scenario Outline: _include:recurse=<include> alone returns no <other>
    When the consumer searches for free slots from 1 to 8 days ahead with _include=Slot:schedule and _include:recurse=<include>
    Then the provider answers with status 200
    And the Bundle includes the <actor> of every Schedule offered
    And the Bundle has no <other>

    Examples:
      | include                     | actor        | other        |
      | Schedule:actor:Practitioner | Practitioner | Location     |
      | Schedule:actor:Location     | Location     | Practitioner |

  @step:4c @req:PROV-SLOTS-ASSOCIATED @req:PROV-SLOTS-LOCATION-ORG @severity:normal
  Scenario: Every resource beside the Slots belongs to them, and each Location names its managing organisation
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And the Bundle holds only resources associated with the Slots offered
    And every Location returned names its managing organisation, which the Bundle includes

  @step:4c @req:PROV-SLOTS-LOCAL-TIME @req:PROV-SLOTS-SERVICE-TYPE @severity:normal
  Scenario: Slot and planning horizon times are UK local time, and each Slot describes its type
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And every slot and planning horizon time is UK local time with the offset right for its date
    And every Slot offered describes its slot type

  @step:4c @req:PROV-SLOTS-INCLUDE @severity:critical
  Scenario: A search without _include=Slot:schedule is refused
    When the consumer searches for free slots from 1 to 8 days ahead without _include=Slot:schedule
    Then the provider refuses it with one of "400 BAD_REQUEST, 422 INVALID_PARAMETER, 422 INVALID_RESOURCE"

  @step:4c @req:PROV-SLOTS-FILTER @req:PROV-SLOTS @severity:normal
  Scenario: Search filters naming the booking organisation's ODS code and organisation type still offer every unrestricted slot
    Given the consumer has searched for free slots from 1 to 8 days ahead without search filters
    When the consumer searches for the same slots with search filters naming its own organisation
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And every Slot offered is free and inside the window
    And every slot offered without search filters is offered too
    And the Bundle includes the Organization

  @step:4c @req:PROV-SLOTS-FILTER @req:PROV-SLOTS @severity:normal
  Scenario Outline: Search filters naming another organisation (type "<type>", ODS code "<ods>") still offer every unrestricted slot
    Given the consumer has searched for free slots from 1 to 8 days ahead without search filters
    When the consumer searches for the same slots with search filters naming the organisation type "<type>" and the ODS code "<ods>"
    Then the provider answers with status 200
    And every Slot offered is free and inside the window
    And every slot offered without search filters is offered too

    Examples:
      | type        | ods    |
      | urgent-care |        |
      | gp-practice |        |
      | oncology    |        |
      |             | A20047 |
      |             | B81016 |
      |             | M85015 |
      |             | RNR01  |
      | urgent-care | A20047 |
      | urgent-care | B81016 |
      | urgent-care | M85015 |
      | urgent-care | RNR01  |
      | gp-practice | A20047 |
      | gp-practice | B81016 |
      | gp-practice | M85015 |
      | gp-practice | RNR01  |
      | oncology    | A20047 |
      | oncology    | B81016 |
      | oncology    | M85015 |
      | oncology    | RNR01  |

  @step:4c @req:PROV-SLOTS-FILTER @severity:normal
  Scenario Outline: An unknown search filter is ignored, not refused
    Given the consumer has searched for free slots from 1 to 8 days ahead without search filters
    When the consumer searches for the same slots with the search filter "<filter>"
    Then the provider answers with status 200
    And every slot offered without search filters is offered too

    Examples:
      | filter                                                  |
      | https://fhir.example.test/Id/unknown-filter\|ABC123     |
      | https://fhir.nhs.uk/Id/sds-user-id\|G13579135           |
