@provider
Feature: Read an organisation, a practitioner and a location
  GET [base]/Organization/[id], /Practitioner/[id] and /Location/[id] return 200 with the resource of
  that logical id, valid against CareConnect-GPC-Organization-1, -Practitioner-1 and -Location-1
  (foundations_use_case_read_an_organisation, _read_a_practitioner, _read_a_location), with an ETag
  W/"<versionId>" and Cache-Control no-store. The ids are those a slot search includes
  (Location:managingOrganization, Schedule:actor:Practitioner, Schedule:actor:Location), as a consumer
  showing a slot reaches them. An id the practice does not hold is 404 with the error table's code for
  that resource or the catch-all NO_RECORD_FOUND.

  Background:
    Given the provider under test is reachable

  @step:4c @req:PROV-READ-ORGANISATION @severity:normal
  Scenario: The Organization a slot search included is read by its logical id
    When the consumer reads the Organization it found
    Then the answer is the resource read, valid against its profile

  @step:4c @req:PROV-READ-PRACTITIONER @severity:normal
  Scenario: A Practitioner a slot search included is read by its logical id
    When the consumer reads the Practitioner it found
    Then the answer is the resource read, valid against its profile

  @step:4c @req:PROV-READ-LOCATION @severity:normal
  Scenario: A Location a slot search included is read by its logical id
    When the consumer reads the Location it found
    Then the answer is the resource read, valid against its profile

  @step:4c @req:PROV-READ-ETAG @severity:normal
  Scenario Outline: A read of the <type> found carries its versionId as a weak ETag
    When the consumer reads the <type> it found
    Then the answer carries an ETag of the resource's versionId

    Examples:
      | type         |
      | Organization |
      | Practitioner |
      | Location     |

  @step:4c @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A read of the <type> found must not be cached
    When the consumer reads the <type> it found
    Then the answer carries Cache-Control with the no-store directive

    Examples:
      | type         |
      | Organization |
      | Practitioner |
      | Location     |

  @step:4c @req:PROV-READ-NOT-FOUND @req:PROV-ERROR-SYSTEM @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A <type> id the practice does not hold (<id>) is 404
    When the consumer reads the <type> "<id>"
    Then the provider refuses it with one of "<refusals>"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | type         | id             | refusals                                        |
      | Organization | ddBm           | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Organization | 1Zcr4          | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Organization | z.as.e         | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Organization | 1.1445.23      | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Organization | 40-9223        | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Organization | nc-sfem.mks--s | 404 ORGANISATION_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | aaBA           | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | 1ZEc2          | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | z.as.dd        | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | 1.1.22         | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | 40-9           | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Practitioner | nd-skdm.mks--s | 404 PRACTITIONER_NOT_FOUND, 404 NO_RECORD_FOUND |
      | Location     | mfpBm          | 404 NO_RECORD_FOUND                             |
      | Location     | 231Zcr64       | 404 NO_RECORD_FOUND                             |
      | Location     | th.as.e        | 404 NO_RECORD_FOUND                             |
      | Location     | 11dd4.45-23    | 404 NO_RECORD_FOUND                             |
      | Location     | 40-95-3        | 404 NO_RECORD_FOUND                             |
      | Location     | a-tm.mss..s    | 404 NO_RECORD_FOUND                             |
