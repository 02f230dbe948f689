@provider
Feature: FHIR XML on every interaction, where the provider serves it
  "Servers SHALL support JSON: application/fhir+json", "Servers SHOULD support XML:
  application/fhir+xml"; "Servers SHALL support the optional _format parameter in order to allow the
  client to specify the response format by its MIME-type. If both are present, the _format parameter
  overrides the Accept header value"; "Where no Accept header or _format parameter is sent with a
  request but there is a Content-Type header, such as in a POST request, the server SHALL return the
  response using the format type within the Content-Type header"; "If a server receives a request
  for a format that it does not support, it SHALL return an HTTP status code of 415"
  (development_general_api_guidance "Content types", "Wire format representations").
  XML is a SHOULD: a provider that serves it declares capabilities.xml: true in its profile, and then
  every interaction is asked for in XML (by _format and by Accept), every body is sent in XML too, and
  each answer must be FHIR XML whose resource is valid. A provider that does not declare it is asked
  once, and not serving XML is a warning, never a failure.
  Requests in XML are sent straight to the service root, as the SSP forwards them.

  Background:
    Given the provider under test is reachable

  @step:3c @req:PROV-XML @req:PROV-CONTENT-NEGOTIATION @severity:minor
  Scenario: The provider serves FHIR XML, which it should
    When the capability statement is asked for directly with Accept "application/fhir+xml" and _format "application/fhir+xml"
    Then the provider answers in XML, or refuses the format with 415
    And the provider serves XML

  @step:3c @capability:xml @req:PROV-XML-FORMATS @severity:minor
  Scenario: A provider that serves XML lists it among the formats of its capability statement
    When the consumer makes the "get the capability statement" request
    Then the provider answers with status 200
    And the capability statement lists application/fhir+xml among its formats

  @capability:xml @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with _format=application/fhir+xml answers FHIR XML
    When the consumer makes the "<interaction>" request directly with _format "application/fhir+xml"
    Then the provider answers with status <status>
    And the answer is FHIR XML in UTF-8, a valid resource

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

    @step:6c @capability:retrieveAppointments
    Examples: Retrieve a patient's appointments
      | interaction                                    | status |
      | retrieve the registered patient's appointments | 200    |

    @step:4c @capability:searchOrganisation
    Examples: Search for an organisation
      | interaction                | status |
      | search for an organisation | 200    |

    @step:4c @capability:searchPractitioner
    Examples: Search for a practitioner
      | interaction               | status |
      | search for a practitioner | 200    |

    @step:amend @capability:amendAppointment
    Examples: Amend an appointment
      | interaction          | status |
      | amend an appointment | 200    |

    @step:cancel @capability:cancelAppointment
    Examples: Cancel an appointment
      | interaction           | status |
      | cancel an appointment | 200    |

  @capability:xml @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with Accept: application/fhir+xml answers FHIR XML
    When the consumer makes the "<interaction>" request directly with "Accept" set to "application/fhir+xml"
    Then the provider answers with status <status>
    And the answer is FHIR XML in UTF-8, a valid resource

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

    @step:6c @capability:retrieveAppointments
    Examples: Retrieve a patient's appointments
      | interaction                                    | status |
      | retrieve the registered patient's appointments | 200    |

    @step:4c @capability:searchOrganisation
    Examples: Search for an organisation
      | interaction                | status |
      | search for an organisation | 200    |

    @step:4c @capability:searchPractitioner
    Examples: Search for a practitioner
      | interaction               | status |
      | search for a practitioner | 200    |

  

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        | status |
      | register a patient | 200    |

    @step:amend @capability:amendAppointment
    Examples: Amend an appointment
      | interaction          | status |
      | amend an appointment | 200    |

    @step:cancel @capability:cancelAppointment
    Examples: Cancel an appointment
      | interaction           | status |
      | cancel an appointment | 200    |

# As the official tests send it (PTEST FHIR.feature, AppointmentBook.feature "... sending the Accept header and
  # _format parameter"): _format overrides Accept, so JSON asked in Accept and XML in _format is answered in XML.
  @capability:xml @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: "<interaction>" with Accept: application/fhir+json and _format=application/fhir+xml answers FHIR XML
    When the consumer makes the "<interaction>" request directly with _format "application/fhir+xml" and "Accept" set to "application/fhir+json"
    Then the provider answers with status <status>
    And the answer is FHIR XML in UTF-8, a valid resource

    @step:3c
    Examples:
      | interaction                  | status |
      | get the capability statement | 200    |

    @step:5c
    Examples:
      | interaction    | status |
      | find a patient | 200    |

    @step:4c
    Examples:
      | interaction           | status |
      | search for free slots | 200    |

  @capability:xml @req:PROV-XML-BODY @severity:normal
  Scenario Outline: "<interaction>" sent in XML, with neither Accept nor _format, is read and answered in XML
    When the consumer makes the "<interaction>" request directly with its body in XML and no Accept header
    Then the provider answers with status <status>
    And the answer is FHIR XML in UTF-8, a valid resource

    @step:5c @capability:registerPatient @registersAgain
    Examples: Foundations: registration
      | interaction        | status |
      | register a patient | 200    |

    @step:6c
    Examples: Book an appointment
      | interaction         | status |
      | book an appointment | 201    |

    @step:amend @capability:amendAppointment
    Examples: Amend an appointment
      | interaction          | status |
      | amend an appointment | 200    |

    @step:cancel @capability:cancelAppointment
    Examples: Cancel an appointment
      | interaction           | status |
      | cancel an appointment | 200    |

  @capability:xml @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: An error of "<interaction>", XML asked for by _format, is an OperationOutcome in XML
    When the consumer makes the "<interaction>" request directly with _format "application/fhir+xml"
    Then the provider answers with an error, an OperationOutcome in FHIR XML in UTF-8

    @step:5c
    Examples:
      | interaction                                     |
      | find a patient by a nine-digit NHS number       |
      | read an organisation the practice does not hold |

  @capability:xml @req:PROV-CONTENT-NEGOTIATION @severity:normal
  Scenario Outline: An error of "<interaction>", XML asked for by Accept, is an OperationOutcome in XML
    When the consumer makes the "<interaction>" request directly with "Accept" set to "application/fhir+xml"
    Then the provider answers with an error, an OperationOutcome in FHIR XML in UTF-8

    @step:5c
    Examples:
      | interaction                               |
      | find a patient by a nine-digit NHS number |

  @capability:xml @req:PROV-XML-BODY @severity:normal
  Scenario: A booking sent in XML that the provider refuses is refused in XML
    When the consumer makes the "book a slot the practice does not have" request directly with its body in XML and no Accept header
    Then the provider answers with an error, an OperationOutcome in FHIR XML in UTF-8
