@consumer @action:cancel
Feature: Cancel an appointment
  A consumer cancels a patient's future appointment by sending it back to the practice with its
  status cancelled and the reason given, changing nothing else (appointments_use_case_cancel_an_appointment).
  The request goes through the SSP as every GP Connect request does, naming the cancel interaction
  and asking for patient/*.write; If-Match, when sent, names the version the practice last gave.
  Scenarios here run when the consumer's profile declares the action cancel.

  Background:
    Given PDS has the patient "9693632109" registered at A20047
    And the user has booked an appointment for "9693632109"

  @req:CONS-CANCEL-INTERACTION @severity:critical
  Scenario: The cancellation names the cancel interaction
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation named the cancel interaction in Ssp-InteractionID
    And every GP Connect request went through the SSP

  @req:CONS-CANCEL-SCOPE @severity:critical
  Scenario: The cancellation asks for the patient write scope
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation's JWT asked for patient/*.write

  @req:CONS-CANCEL-STATUS @severity:critical
  Scenario: The cancellation sends the appointment with status cancelled
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation sent a GPConnect-Appointment-1 Appointment with status cancelled

  @req:CONS-CANCEL-REASON @severity:critical
  Scenario: The cancellation carries the reason
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation carried the cancellation reason extension with the reason

  # "Only the following data elements can be modified when performing an appointment cancellation":
  # the practice refuses any other change, so the consumer reads the appointment and changes it in place.
  @req:CONS-CANCEL-UNCHANGED @severity:critical
  Scenario: The cancellation changes nothing but the status and the reason
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation changed nothing but the status and the cancellation reason of the appointment as read

  @req:CONS-CANCEL-IF-MATCH @severity:normal
  Scenario: A cancellation that sends If-Match names the current version
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the cancellation's If-Match, if sent, named the version the practice last gave

  # A consumer whose ASID is accredited to book but not to cancel meets the SSP's 403: it shows the
  # refusal and does not send the cancellation again (the same rule as for any refused request).
  @req:CONS-SSP-REFUSAL @severity:normal
  Scenario: A consumer not accredited to cancel shows the SSP's refusal and does not send it again
    Given the consumer's ASID at the user's organisation is not accredited to cancel appointments
    When the user cancels that appointment, giving the reason "The patient is feeling better"
    Then the consumer showed the refusal and did not send the refused request again
