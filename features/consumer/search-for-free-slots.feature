@consumer
Feature: Worked example step 4 – search for free slots
  The consumer searches the practice for free slots: status=free, start=ge and end=le once each,
  _include=Slot:schedule, over at most two weeks (appointments_use_case_search_for_free_slots;
  gpconnect-spec.md §5.3). When a search finds none it searches again with another date range
  (integration_illustrated, 4c).

  Background:
    Given PDS has the patient "9693632109" registered at A20047

  @step:4a @req:CONS-SLOT-QUERY @severity:critical
  Scenario: The search asks for free slots with their schedules
    When the user books an appointment for "9693632109"
    Then the consumer searched for free slots with the parameters the search needs

  # "either, a `date` in the format `yyyy-mm-dd` … or, a `dateTime` in the format
  # `yyyy-mm-ddThh:mm:ss+hh:mm` in (UK) local time, with the timezone offset `+00:00` for UTC and
  # `+01:00` for BST" (review M3).
  @step:4a @req:CONS-SLOT-BOUNDS @severity:normal
  Scenario: The search's bounds are dates, or UK local times with their offset
    When the user books an appointment for "9693632109"
    Then every slot search's start and end were a date, or a UK local time with its offset

  @step:4a @req:CONS-SLOT-WINDOW @severity:critical
  Scenario: A search spans at most two weeks
    When the user books an appointment for "9693632109"
    Then the consumer searched at most 14 days at a time

  @step:4c @req:CONS-SLOTS-NEXT-WINDOW @severity:normal @capability:retriesWithAnotherWindow
  Scenario: No free slot in the first two weeks, so the next range is searched
    Given A20047 has no free slot in the next 15 days
    When the user books an appointment for "9693632109"
    Then the consumer searched again with another date range
    And the consumer searched at most 14 days at a time
    And the consumer showed what happened
