@provider
Feature: Read a patient
  GET [base]/Patient/[id] returns 200 with the CareConnect-GPC-Patient-1 Patient of that logical id
  (foundations_use_case_read_a_patient), with an ETag W/"<versionId>" (development_general_api_guidance
  "Managing resource contention") and Cache-Control no-store. The id is the one Find a patient gave, as
  a consumer reads it. An id the practice does not hold is 404 with PATIENT_NOT_FOUND or the catch-all
  NO_RECORD_FOUND (the error page's table); a PDS-sensitive patient is 404 PATIENT_NOT_FOUND, read by the
  logical id the profile gives (testData.sensitivePatientId), since no consumer can find it.

  Background:
    Given the provider under test is reachable

  @step:5c @req:PROV-READ-PATIENT @severity:critical
  Scenario: The patient Find a patient found is read by its logical id
    When the consumer reads the Patient it found
    Then the answer is the resource read, valid against its profile

  @step:5c @req:PROV-PATIENT-POPULATED @severity:normal
  Scenario: The patient read carries its versionId, official name, birth date, gender, preferred branch surgery and managing organisation
    When the consumer reads the Patient it found
    Then the provider answers with status 200
    And every Patient answered carries the fields a provider SHALL populate

  @step:5c @req:PROV-READ-ETAG @severity:normal
  Scenario: A Patient read carries the Patient's versionId as a weak ETag
    When the consumer reads the Patient it found
    Then the answer carries an ETag of the resource's versionId

  @step:5c @req:PROV-NO-STORE @severity:normal
  Scenario: A Patient read must not be cached
    When the consumer reads the Patient it found
    Then the answer carries Cache-Control with the no-store directive

  @step:5c @req:PROV-READ-NOT-FOUND @req:PROV-ERROR-SYSTEM @req:PROV-NO-STORE @severity:normal
  Scenario Outline: A Patient id the practice does not hold (<id>) is 404
    When the consumer reads the Patient "<id>"
    Then the provider refuses it with one of "404 PATIENT_NOT_FOUND, 404 NO_RECORD_FOUND"
    And the answer carries Cache-Control with the no-store directive

    Examples:
      | id                                                         |
      | SomthingIncorrectWhichIsNotTheOnProviderSystem             |
      | 4543567638475665845564986758479086840564796854665748763454 |
      | 1.1.22                                                     |
      | aaBA                                                       |
      | 1ZEc2                                                      |
      | z.as.dd                                                    |
      | 40-9                                                       |
      | nd-skdm.mks--s                                             |

  @step:5c @req:PROV-READ-PATIENT-SENSITIVE @req:PROV-ERROR-SYSTEM @severity:critical
  Scenario: A PDS-sensitive patient is not read: 404 PATIENT_NOT_FOUND
    When the consumer reads the PDS-sensitive patient the profile gives
    Then the provider refuses it with status 404 and Spine code "PATIENT_NOT_FOUND"
