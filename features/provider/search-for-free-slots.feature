@provider
Feature: Search for free slots
  GET [base]/Slot with start (ge), end (le), status=free and _include=Slot:schedule returns the
  free slots fully inside a window of at most two weeks, with their Schedules, and the
  Organization always (appointments_use_case_search_for_free_slots; known issue). Missing
  parameters are 400 BAD_REQUEST and bad values 422 INVALID_PARAMETER (gpconnect-spec.md §5.3).

  Background:
    Given the provider under test is reachable

  @step:4c @req:PROV-SLOTS @severity:critical
  Scenario: Free slots in the next week are offered with their schedules and the organisation
    When the consumer searches for free slots from 1 to 8 days ahead
    Then the provider answers with status 200
    And the answer is a valid "Free slots response" resource
    And every Slot offered is free and inside the window
    And the Bundle includes the Organization

  @step:4c @req:PROV-SLOTS-WINDOW @severity:normal
  Scenario Outline: A window of <days> days is accepted
    When the consumer searches for free slots from 1 to <end> days ahead
    Then the provider answers with status 200

    Examples:
      | days | end |
      | 0    | 1   |
      | 14   | 15  |

  @step:4c @req:PROV-SLOTS-WINDOW @req:PROV-ERROR-SYSTEM @severity:critical
  Scenario: A window of 15 days is refused
    When the consumer searches for free slots from 1 to 16 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

  @step:4c @req:PROV-SLOTS-WINDOW @severity:normal
  Scenario: A window that ends before it starts is refused
    When the consumer searches for free slots from 8 to 2 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"
