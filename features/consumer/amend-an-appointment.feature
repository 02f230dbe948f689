@consumer @action:amend
Feature: Amend an appointment
  A consumer amends the description or the comment of a patient's future appointment, and nothing
  else, by sending it back to the practice as it read it with those changed
  (appointments_use_case_amend_an_appointment): through the SSP, naming the update interaction and
  asking for patient/*.write, within 100 characters of description and 500 of comment, never with a
  cancellation reason; If-Match, when sent, names the version the practice last gave. Scenarios here
  run when the consumer's profile declares the action amend.

  Background:
    Given PDS has the patient "9693632109" registered at A20047
    And the user has booked an appointment for "9693632109"

  @req:CONS-AMEND-INTERACTION @severity:critical
  Scenario: The amendment names the update interaction
    When the user changes that appointment's comment to "Please call the patient on arrival"
    Then the amendment named the update interaction in Ssp-InteractionID
    And every GP Connect request went through the SSP

  @req:CONS-AMEND-SCOPE @severity:critical
  Scenario: The amendment asks for the patient write scope
    When the user changes that appointment's comment to "Please call the patient on arrival"
    Then the amendment's JWT asked for patient/*.write

  @req:CONS-AMEND-ONLY-ALLOWED @severity:critical
  Scenario: The amendment changes only the description and the comment
    When the user changes that appointment's description to "Review of blood pressure" and its comment to "Please call the patient on arrival"
    Then the amendment changed only the description and the comment of the appointment as read

  @req:CONS-AMEND-NO-CANCELLATION @severity:critical
  Scenario: The amendment carries no cancellation reason
    When the user changes that appointment's comment to "Please call the patient on arrival"
    Then the amendment carried no cancellation reason and was not of a cancelled appointment

  @req:CONS-AMEND-LIMITS @severity:normal
  Scenario: The amendment's description and comment are within their limits
    When the user changes that appointment's comment to "Please call the patient on arrival"
    Then the amendment's description had at most 100 characters and its comment at most 500

  @req:CONS-AMEND-IF-MATCH @severity:normal
  Scenario: An amendment that sends If-Match names the current version
    When the user changes that appointment's comment to "Please call the patient on arrival"
    Then the amendment's If-Match, if sent, named the version the practice last gave
