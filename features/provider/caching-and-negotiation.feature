@provider
Feature: Caching, content negotiation and compression on every interaction
  Every answer of every interaction carries Cache-Control: no-store, errors included ("Providers
  SHALL use the following HTTP header to ensure that no intermediaries cache responses"); every
  interaction answers FHIR JSON when _format or Accept asks for application/fhir+json ("Servers
  SHALL support JSON", "Servers SHALL support the optional _format parameter"); and every
  interaction answers gzip-encoded when Accept-Encoding asks for gzip ("clients/servers SHALL
  support GZIP compression. Compression is requested by setting the Accept-Encoding header to
  gzip"), all in development_general_api_guidance. XML (a SHOULD) is not asked for here.
  Requests with a changed header are sent straight to the service root, as the SSP forwards them;
  what an interaction needs first (a patient's id, a booking) is asked for as a consumer would.

  Background:
    Given the provider under test is reachable

  @req:PROV-NO-STORE @severity:normal
  Scenario Outline: The answer to "<interaction>" must not be cached
    When the consumer makes the "<interaction>" request
    Then the answer carries Cache-Control with the no-store directive

    @step:3c
    Examples: Foundations: the capability statement
      | interaction                  |
      | get the capability statement |

    @step:5c
    Examples: Foundations: patients
      | interaction     |
      | find a patient  |
      | read a patient  |

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        |
      | register a patient |

    @step:4c
    Examples: Search for free slots
      | interaction           |
      | search for free slots |

    @step:6c
    Examples: Book an appointment
      | interaction         |
      | book an appointment |

    @step:6c @capability:readAppointment
    Examples: Read an appointment
      | interaction         |
      | read an appointment |

    @step:5c
    Examples: Errors are not cached either
      | interaction                               |
      | find a patient by a nine-digit NHS number |
      | get the capability statement at /Metadata |

    @step:6c
    Examples: A refused booking is not cached either
      | interaction                            |
      | book a slot the practice does not have |

  @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with _format=<format> answers FHIR JSON
    When the consumer makes the "<interaction>" request directly with _format "<format>"
    Then the provider answers with status <status>
    And the answer is FHIR JSON in UTF-8

    @step:3c
    Examples: Foundations: the capability statement
      | interaction                  | format                | status |
      | get the capability statement | application/fhir+json | 200    |

    @step:5c
    Examples: Foundations: patients
      | interaction    | format                | status |
      | find a patient | application/fhir+json | 200    |
      | find a patient | json                  | 200    |
      | read a patient | application/fhir+json | 200    |

    @step:4c
    Examples: Foundations: the organisation, practitioner and location a slot search includes
      | interaction          | format                | status |
      | read an organisation | application/fhir+json | 200    |
      | read a practitioner  | application/fhir+json | 200    |
      | read a location      | application/fhir+json | 200    |

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        | format                | status |
      | register a patient | application/fhir+json | 200    |

    @step:4c
    Examples: Search for free slots
      | interaction           | format                | status |
      | search for free slots | application/fhir+json | 200    |
      | search for free slots | json                  | 200    |

    @step:6c
    Examples: Book an appointment
      | interaction         | format                | status |
      | book an appointment | application/fhir+json | 201    |

    @step:6c @capability:readAppointment
    Examples: Read an appointment
      | interaction         | format                | status |
      | read an appointment | application/fhir+json | 200    |

  @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with Accept: application/fhir+json answers FHIR JSON
    When the consumer makes the "<interaction>" request directly with "Accept" set to "application/fhir+json"
    Then the provider answers with status <status>
    And the answer is FHIR JSON in UTF-8

    @step:3c
    Examples: Foundations: the capability statement
      | interaction                  | status |
      | get the capability statement | 200    |

    @step:5c
    Examples: Foundations: patients
      | interaction    | status |
      | find a patient | 200    |
      | read a patient | 200    |

    @step:4c
    Examples: Foundations: the organisation, practitioner and location a slot search includes
      | interaction          | status |
      | read an organisation | 200    |
      | read a practitioner  | 200    |
      | read a location      | 200    |

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        | status |
      | register a patient | 200    |

    @step:4c
    Examples: Search for free slots
      | interaction           | status |
      | search for free slots | 200    |

    @step:6c
    Examples: Book an appointment
      | interaction         | status |
      | book an appointment | 201    |

    @step:6c @capability:readAppointment
    Examples: Read an appointment
      | interaction         | status |
      | read an appointment | 200    |

  # As the official tests send it (PTEST *Read.feature, PatientSearch.feature, AppointmentBook.feature "... sending
  # the Accept header and _format parameter"): "If both are present, the _format parameter overrides the Accept
  # header value in the request" (development_general_api_guidance), so XML asked in Accept is answered in JSON.
  @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with Accept: application/fhir+xml and _format=application/fhir+json answers FHIR JSON
    When the consumer makes the "<interaction>" request directly with _format "application/fhir+json" and "Accept" set to "application/fhir+xml"
    Then the provider answers with status <status>
    And the answer is FHIR JSON in UTF-8

    @step:5c
    Examples: Foundations: patients
      | interaction    | status |
      | find a patient | 200    |
      | read a patient | 200    |

    @step:4c
    Examples: Foundations: the organisation, practitioner and location a slot search includes
      | interaction          | status |
      | read an organisation | 200    |
      | read a practitioner  | 200    |
      | read a location      | 200    |

    @step:4c
    Examples: Search for free slots
      | interaction           | status |
      | search for free slots | 200    |

    @step:6c
    Examples: Book an appointment
      | interaction         | status |
      | book an appointment | 201    |

    @step:6c @capability:readAppointment
    Examples: Read an appointment
      | interaction         | status |
      | read an appointment | 200    |

  @step:5c @req:PROV-CONTENT-NEGOTIATION @severity:minor
  Scenario Outline: Find a patient with _format before the identifier, and Accept: <accept>, answers FHIR JSON
    When the consumer makes the "find a patient with _format before the identifier" request directly with "Accept" set to "<accept>"
    Then the provider answers with status 200
    And the answer is FHIR JSON in UTF-8
    And the Bundle holds 1 Patient

    Examples:
      | accept                |
      | application/fhir+json |
      | application/fhir+xml  |

  @req:PROV-GZIP @severity:normal
  Scenario Outline: "<interaction>" asked with Accept-Encoding: gzip answers gzip-encoded FHIR JSON
    When the consumer makes the "<interaction>" request directly with "Accept-Encoding" set to "gzip"
    Then the provider answers with status <status>
    And the answer is gzip-encoded
    And the answer is FHIR JSON in UTF-8

    @step:3c
    Examples: Foundations: the capability statement
      | interaction                  | status |
      | get the capability statement | 200    |

    @step:5c
    Examples: Foundations: patients
      | interaction    | status |
      | find a patient | 200    |
      | read a patient | 200    |

    @step:4c
    Examples: Foundations: the organisation, practitioner and location a slot search includes
      | interaction          | status |
      | read an organisation | 200    |
      | read a practitioner  | 200    |
      | read a location      | 200    |

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        | status |
      | register a patient | 200    |

    @step:4c
    Examples: Search for free slots
      | interaction           | status |
      | search for free slots | 200    |

    @step:6c
    Examples: Book an appointment
      | interaction         | status |
      | book an appointment | 201    |

    @step:6c @capability:readAppointment
    Examples: Read an appointment
      | interaction         | status |
      | read an appointment | 200    |
