@provider @capability:retrieveAppointments
Feature: Retrieve a patient's appointments
  GET [base]/Patient/[id]/Appointment?start=ge[date]&start=le[date] returns the patient's future
  appointments within the range, in a Bundle of type searchset, for the logical id Find a patient
  gave (appointments_use_case_retrieve_a_patients_appointments). Provider systems "SHALL support the
  search prefixes ge and le", "SHALL return an error if any part of the consumer requested search
  range is in the past", "if either of the date parameters contain a time element" and "if either
  of the two start date parameters are not sent". A provider that declares
  capabilities.retrieveAppointments false in its profile skips this feature.

  Background:
    Given the provider under test is reachable

  @step:6c @req:PROV-RETRIEVE @req:PROV-NO-STORE @severity:critical
  Scenario: The appointment booked is among the patient's appointments retrieved, and the answer must not be cached
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead
    Then the provider answers with status 200
    And the answer is a searchset Bundle of valid Appointments
    And the appointment booked is among those retrieved, as booked
    And the answer carries Cache-Control with the no-store directive

  @step:6c @req:PROV-RETRIEVE @severity:normal
  Scenario Outline: <count> appointments booked are all retrieved
    Given the consumer has booked the first <count> free slots for the registered patient, one after the other
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead
    Then the provider answers with status 200
    And the answer is a searchset Bundle of valid Appointments
    And every appointment booked is among those retrieved, as booked
    And every Appointment retrieved is the patient's and starts within the range asked for, not before today

    Examples:
      | count |
      | 2     |
      | 3     |

  @step:6c @req:PROV-RETRIEVE @severity:normal
  Scenario: Every participant of the appointments retrieved can be read
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead
    Then the provider answers with status 200
    And every participant of the Appointments retrieved reads as the resource it names

  @step:6c @req:PROV-RETRIEVE @severity:minor
  Scenario: A parameter the page does not name (_sort=date) is ignored
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead, also sending "_sort" as "date"
    Then the provider answers with status 200
    And the answer is a searchset Bundle of valid Appointments
    And the appointment booked is among those retrieved, as booked

  @step:6c @req:PROV-RETRIEVE-CONTENT @severity:critical
  Scenario: Only the patient's own appointments within the range asked for are retrieved
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead
    Then the provider answers with status 200
    And every Appointment retrieved is the patient's and starts within the range asked for, not before today

  @step:6c @req:PROV-RETRIEVE-CONTENT @severity:normal
  Scenario: An appointment before the range asked for is not retrieved
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from the day after the one booked
    Then the provider answers with status 200
    And the appointment booked is not among those retrieved
    And every Appointment retrieved is the patient's and starts within the range asked for, not before today

  @step:6c @req:PROV-RETRIEVE-ELEMENTS @severity:normal
  Scenario: Each appointment retrieved declares its profile and carries its version, the practice's serviceType, its booking organisation and UK local times
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead
    Then the provider answers with status 200
    And every Appointment retrieved declares its profile and carries its versionId, serviceType, booking organisation and UK local times, and no reason or specialty

  @step:6c @req:PROV-RETRIEVE-EMPTY @severity:normal
  Scenario: A range in which the patient has no appointment gives an empty searchset Bundle
    When the consumer retrieves the registered patient's appointments from 300 to 301 days ahead
    Then the provider answers with status 200
    And the answer is a searchset Bundle of valid Appointments
    And the Bundle holds no Appointment retrieved

  @step:6c @req:PROV-RETRIEVE-NOT-FOUND @req:PROV-NO-STORE @severity:normal
  Scenario Outline: The appointments of a patient id the provider does not hold (<id>) are answered 404
    When the consumer retrieves the appointments of the patient with the logical id "<id>" from 0 to 14 days ahead
    Then the provider refuses it with one of "404 PATIENT_NOT_FOUND, 404 NO_RECORD_FOUND"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | id   |
      | null |
      | dd   |

  @step:6c @req:PROV-RETRIEVE-DATES @severity:normal
  Scenario Outline: A retrieval with only one start parameter (<prefix>) is refused
    When the consumer retrieves the registered patient's appointments with only the start parameter "<prefix>" 7 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | prefix |
      | le     |
      | ge     |

  @step:6c @req:PROV-RETRIEVE-DATES @severity:normal
  Scenario Outline: A retrieval whose start parameters are not one ge and one le (<first> and <second>) is refused
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead with the prefixes "<first>" and "<second>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | first     | second    |
      | ge        | lt        |
      | ge        | gt        |
      | ge        | eq        |
      | ge        | ge        |
      | lt        | le        |
      | gt        | le        |
      | eqs       | le        |
      | le        | le        |
      | random123 | random123 |

  @step:6c @req:PROV-RETRIEVE-DATES @severity:normal
  Scenario Outline: A retrieval whose <bound> date carries a time (<form>) is refused
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead with the <bound> date written as "<form>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | bound | form                           |
      | upper | a date-time without an offset  |
      | upper | a date-time in UTC with Z      |
      | upper | a date-time with the UK offset |
      | lower | a date-time without an offset  |
      | lower | a date-time in UTC with Z      |
      | lower | a date-time with the UK offset |

  @step:6c @req:PROV-RETRIEVE-DATE-PRECISION @severity:minor
  Scenario Outline: A retrieval whose <bound> date is not a whole date (<form>) should be refused
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead with the <bound> date written as "<form>"
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

    Examples:
      | bound | form                   |
      | upper | a year only            |
      | upper | a year and month only  |
      | lower | a year only            |
      | lower | a year and month only  |

  @step:6c @req:PROV-RETRIEVE-PAST @severity:normal
  Scenario Outline: A retrieval from <from> to <to> days ahead asks for appointments in the past and is refused, saying why
    When the consumer retrieves the registered patient's appointments from <from> to <to> days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"
    And the refusal says that appointments in the past cannot be requested

    Examples:
      | from | to  |
      | -30  | -1  |
      | -1   | 14  |

  @step:6c @req:PROV-RETRIEVE-RANGE @severity:normal
  Scenario: A retrieval whose le date is before its ge date defines no valid range and is refused
    When the consumer retrieves the registered patient's appointments from 14 to 7 days ahead
    Then the provider refuses it with status 422 and Spine code "INVALID_PARAMETER"

  @step:6c @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: A retrieval with _format <format> and Accept <accept> answers FHIR JSON
    Given the consumer has booked the first free slot for the registered patient
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead directly with Accept "<accept>" and _format "<format>"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8

    Examples:
      | accept                | format                |
      | application/fhir+json | application/fhir+json |
      | application/fhir+xml  | application/fhir+json |

  @step:6c @req:PROV-JWT-SCOPE @severity:normal @capability:authorisesByScope
  Scenario Outline: A provider that authorises by scope refuses the scope <scope> for Retrieve a patient's appointments
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead directly with the scope "<scope>"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"

    Examples:
      | scope                |
      | organization/*.write |
      | patient/*.write      |

  @step:6c @req:PROV-SSP-HEADERS @req:PROV-NO-STORE @severity:normal
  Scenario: A retrieval under the interaction ID of another interaction is refused, and the refusal must not be cached
    When the consumer retrieves the registered patient's appointments from 0 to 14 days ahead directly with the Ssp-InteractionID of "searchOrganization"
    Then the provider refuses it with status 400 and Spine code "BAD_REQUEST"
    And the answer carries Cache-Control with the no-store directive
