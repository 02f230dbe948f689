@ssp
Feature: The SSP refuses what it cannot carry and reports a provider that fails
  DELETE and PATCH, which GP Connect does not use, get 405; an OPTIONS preflight is answered by the
  SSP itself, as CORS asks; a body that is not FHIR gets 415, a provider that cannot be reached gets
  502 and one that does not answer in time gets 504; the SSP's own errors are never cached
  (gpconnect-spec.md §2.4; CORE resources_error_handling, ssp_implementation_guide).

  Background:
    Given Spine in a box is running

  @step:4b @req:SSP-METHOD @req:SSP-ERROR-NO-STORE @severity:normal
  Scenario Outline: The <method> method is refused
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    But the method is "<method>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 405 and "405: Method Not Allowed"
    And nothing reached the provider

    Examples:
      | method  |
      | DELETE  |
      | PATCH   |

  @step:3b @req:SSP-CORS @severity:normal
  Scenario Outline: A CORS preflight for <interaction> is answered by the SSP, allowing <methods>
    # PTEST SSP.feature "SSP - CORS", row for row: OPTIONS to the interaction's URL succeeds and
    # Access-Control-Request-Method names the methods of that URL.
    Given a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    But the method is "OPTIONS"
    And the path below the service root is "<path>"
    When the request is sent through the SSP
    Then the SSP answers the preflight itself, allowing "<methods>"
    And nothing reached the provider

    Examples:
      | interaction            | path                                  | methods  |
      | GpcGetCareRecord       | /Patient/$gpc.getcarerecord           | POST     |
      | GpcGetStructuredRecord | /Patient/$gpc.getstructuredrecord     | POST     |
      | OrganizationSearch     | /Organization                         | GET      |
      | OrganizationRead       | /Organization/1                       | GET      |
      | PractitionerSearch     | /Practitioner                         | GET      |
      | PractitionerRead       | /Practitioner/1                       | GET      |
      | PatientSearch          | /Patient                              | GET      |
      | PatientRead            | /Patient/1                            | GET      |
      | LocationRead           | /Location/1                           | GET      |
      | RegisterPatient        | /Patient/$gpc.registerpatient         | POST     |
      | SearchForFreeSlots     | /Slot                                 | GET      |
      | AppointmentCreate      | /Appointment                          | POST     |
      | AppointmentSearch      | /Patient/1/Appointment                | GET      |
      | AppointmentAmend       | /Appointment/1                        | GET, PUT |
      | AppointmentCancel      | /Appointment/1                        | GET, PUT |
      | AppointmentRead        | /Appointment/1                        | GET, PUT |
      | MetadataRead           | /metadata                             | GET      |

  @step:6b @req:SSP-MEDIA-TYPE @severity:normal
  Scenario Outline: A booking sent as <content type> is refused
    Given a "Book an appointment" request from ASID "200000000359" to practice "A20047"
    But the "Content-Type" header is "<content type>"
    When the request is sent through the SSP
    Then the SSP refuses it with status 415 and "Unsupported_Media_Type"
    And nothing reached the provider

    Examples:
      | content type       |
      | text/plain         |
      | application/json   |
      | application/xml    |

  @step:6b @req:SSP-MEDIA-TYPE @severity:minor
  Scenario: A booking sent as FHIR XML is carried
    Given a "Book an appointment" request from ASID "200000000359" to practice "A20047"
    But the "Content-Type" header is "application/fhir+xml;charset=utf-8"
    When the request is sent through the SSP
    Then the SSP forwards it to the provider unmodified

  @step:3b @req:SSP-UNREACHABLE @req:SSP-ERROR-NO-STORE @severity:critical
  Scenario: A provider that cannot be reached gives 502
    Given the provider at practice "B82618" cannot be reached
    And a "Get the capability statement" request from ASID "200000000359" to practice "B82618"
    When the request is sent through the SSP
    Then the SSP refuses it with status 502 and "ERROR_COMMUNICATING_TO_ENDPOINT_URL_https://gpc.pcs01.datacentre.test/B82618/STU3/1/gpconnect/metadata"

  @step:3b @req:SSP-TIMEOUT @req:SSP-ERROR-NO-STORE @severity:critical
  Scenario: A provider that does not answer within the SSP's timeout gives 504
    # Spine Core (resources_error_handling.md) gives 504 with issue type transient, and allows 599
    # (ssp_implementation_guide.md); the GP Connect SSP table has no 504 row, so the display below is
    # the harness's own, patterned on the documented 502 (review C1). No consumer is judged on it.
    Given the SSP's timeout is 300 milliseconds
    And the provider at practice "A20047" takes 2000 milliseconds to answer
    And a "Get the capability statement" request from ASID "200000000359" to practice "A20047"
    When the request is sent through the SSP
    Then the SSP refuses it with status 504 and "TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_https://gpc.a20047.practice.test/A20047/STU3/1/gpconnect/metadata"
