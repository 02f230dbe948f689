/**
 * FHIR XML both ways (src/fhir/xml.ts): every spec example survives JSON → XML → JSON (key order aside),
 * and what cannot be read or written is an error that names what is wrong.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FhirXmlError, fhirFormatOf, fromXml, presentOnlyConverters, prettyXml, readFhirBody, toXml, xmlResourceTypes } from '../../src/fhir/xml';
import { definitionBundles } from '../../src/fhir/definitions';
import { PACKAGE_ROOT } from '../../src/package-root';

const EXAMPLES = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'gpconnect-examples');
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8'))] as [string, J])
  .filter(([, j]) => typeof j.resourceType === 'string');

/** Keys sorted, so that two resources compare whatever order their keys came in. */
const sorted = (v: J): J => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);

/**
 * The same resource up to STU3's cardinality: three spec examples give a repeating element as an
 * object (Location.telecom, Organization.address in the slots Bundle) or a single one as a list of
 * one (Location.address), which XML writes once either way (see xml.ts).
 */
function sameUpToCardinality(actual: J, expected: J): boolean {
  if (Array.isArray(actual) !== Array.isArray(expected)) {
    const [list, one] = Array.isArray(actual) ? [actual, expected] : [expected, actual];
    return list.length === 1 && sameUpToCardinality(list[0], one);
  }
  if (Array.isArray(actual)) return actual.length === expected.length && actual.every((a: J, i: number) => sameUpToCardinality(a, expected[i]));
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    const keys = Object.keys(actual).sort();
    return JSON.stringify(keys) === JSON.stringify(Object.keys(expected).sort()) && keys.every((k) => sameUpToCardinality(actual[k], expected[k]));
  }
  return actual === expected;
}

describe('FHIR XML round trip', () => {
  test('the spec examples are there to test', () => assert.ok(examples.length >= 25, `${examples.length} examples`));
  for (const [name, json] of examples) {
    test(`${name}: JSON → XML → JSON is the same resource`, () => {
      const xml = toXml(json);
      assert.match(xml, new RegExp(`^<\\?xml[^>]*\\?><${json.resourceType} xmlns="http://hl7.org/fhir">`));
      const back = fromXml(xml);
      assert.ok(sameUpToCardinality(back, json), JSON.stringify(sorted(back)));
      assert.deepEqual(sorted(fromXml(toXml(back))), sorted(back));
    });
  }
  test('a primitive with an extension and an id (the _element form) and a narrative survive', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Synthetic &amp; test</p></div>' },
      birthDate: '1970-01-01',
      _birthDate: { id: 'b', extension: [{ url: 'http://example.org/x', valueString: 'y' }] },
      name: [{ family: 'Test', given: ['A', 'B'], _given: [null, { extension: [{ url: 'http://example.org/g', valueBoolean: true }] }] }],
    };
    assert.deepEqual(sorted(fromXml(toXml(patient))), sorted(patient));
  });
  test('a string with a newline, a tab, a carriage return and markup survives, each escaped so any XML parser reads it back', () => {
    const appointment = { resourceType: 'Appointment', status: 'booked', comment: 'one\ntwo\tthree\r\nfour & <b> "q" \'a\' é 🙂' };
    const xml = toXml(appointment);
    assert.ok(!/[\t\r]/.test(xml), xml);
    assert.match(xml, /one&#xA;two&#x9;three&#xD;&#xA;four &amp; &lt;b&gt;/);
    assert.deepEqual(fromXml(xml), appointment);
  });
  test('a decimal comes back a JSON number, in a resource and in a Bundle entry (FHIR.js reads it as a string)', () => {
    const xml = '<Location xmlns="http://hl7.org/fhir"><position><longitude value="-1.50"/><latitude value="53.80"/></position></Location>';
    assert.deepEqual(fromXml(xml), { resourceType: 'Location', position: { longitude: -1.5, latitude: 53.8 } });
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Location', position: { longitude: -1.5, latitude: 53.8 } } }] };
    assert.deepEqual(fromXml(toXml(bundle)), bundle);
  });
  test('the resource types the vendored definitions convert are those GP Connect uses', () => {
    for (const t of ['Appointment', 'Slot', 'Schedule', 'Patient', 'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Device', 'OperationOutcome', 'Bundle', 'Parameters', 'CapabilityStatement']) {
      assert.ok(xmlResourceTypes().includes(t), t);
    }
  });
});

describe("FHIR.js's converters, skipping absent elements, give what FHIR.js gives", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Fhir, ParseConformance, Versions } = require('fhir') as typeof import('fhir');
  const parser = new ParseConformance(false, Versions.STU3);
  parser.parseBundle(definitionBundles().core as never);
  const own = new Fhir(parser);
  const fast = presentOnlyConverters(parser);
  const edgeCases: J[] = [
    // a primitive's extension and id without a value, an id on a complex element, a narrative, a repeating primitive with gaps
    { resourceType: 'Patient', id: 'p1', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Synthetic &amp; test</p></div>' }, _birthDate: { id: 'b', extension: [{ url: 'http://example.org/x', valueString: 'y' }] }, name: [{ id: 'n1', family: 'Test', given: ['A', 'B'], _given: [null, { extension: [{ url: 'http://example.org/g', valueBoolean: true }] }] }], active: false, multipleBirthInteger: 0 },
    // nested extensions (the url attribute), a contained resource, comments, a decimal and escapes
    { resourceType: 'Appointment', status: 'booked', contained: [{ resourceType: 'Organization', id: 'o', name: 'A & B' }], extension: [{ url: 'http://example.org/outer', extension: [{ url: 'inner', valueCode: 'x' }] }], comment: 'one\ntwo <b>', fhir_comments: ['a note'], priority: 0 },
    { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [{ fullUrl: 'urn:x', resource: { resourceType: 'Location', position: { longitude: -1.5, latitude: 53.8 } }, search: { mode: 'match' } }] },
    { resourceType: 'Parameters', parameter: [{ name: 'registerPatient', resource: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9690937286' }] } }] },
    { resourceType: 'OperationOutcome' },
  ];
  const resources = [...examples.map(([, j]) => j), ...edgeCases];
  test('JSON to XML: the same text, resource by resource', () => {
    for (const resource of resources) assert.equal(fast.objToXml(resource), own.objToXml(resource), JSON.stringify(resource).slice(0, 200));
  });
  test('XML to JSON: the same resource, from its XML and from XML with unknown elements, comments and attributes', () => {
    const texts = [
      ...resources.map((r) => own.objToXml(r)),
      '<Patient xmlns="http://hl7.org/fhir"><!-- c --><id value="1"/><bogus value="x"/><name id="n"><family value="A"><extension url="http://example.org/e"><valueString value="v"/></extension></family><given value="B"/><given value="C"/></name><gender value="female"/></Patient>',
      '<Location xmlns="http://hl7.org/fhir"><position><longitude value="-1.50"/><latitude value="53.80"/></position></Location>',
    ];
    for (const text of texts) assert.deepEqual(fast.xmlToObj(text), own.xmlToObj(text), text.slice(0, 200));
  });
});

describe('FHIR XML errors name what is wrong', () => {
  const rejects = (text: string, pattern: RegExp) => assert.throws(() => fromXml(text), (e: Error) => e instanceof FhirXmlError && pattern.test(e.message), `${text} → ${pattern}`);
  test('malformed XML', () => {
    rejects('not xml', /not well-formed XML \(line 1, column \d+\)/);
    rejects('<Patient xmlns="http://hl7.org/fhir"><id value="1"/>', /not well-formed XML/);
    rejects('<Patient xmlns="http://hl7.org/fhir"><id value="1"/', /not well-formed XML/);
    rejects('<Patient xmlns="http://hl7.org/fhir"><id value="1"></Patient>', /not well-formed XML/);
    rejects('<Patient xmlns="http://hl7.org/fhir"/><Patient xmlns="http://hl7.org/fhir"/>', /2 root elements/);
    rejects('', /empty/);
  });
  test('a root that is not FHIR', () => {
    rejects('<Patient><id value="1"/></Patient>', /not in the FHIR namespace http:\/\/hl7.org\/fhir \(it is in no namespace\)/);
    rejects('<html xmlns="http://www.w3.org/1999/xhtml"/>', /<html> is not in the FHIR namespace/);
    rejects('<Foo xmlns="http://hl7.org/fhir"/>', /"Foo" is not an STU3 resource type/);
    rejects('<Address xmlns="http://hl7.org/fhir"/>', /"Address" is not an STU3 resource type/);
  });
  test('an STU3 resource type missing from the vendored subset is named as such', () => {
    rejects('<Observation xmlns="http://hl7.org/fhir"/>', /Observation is an STU3 resource type the vendored FHIR definitions \(data\/fhir\/fhir-stu3-core.json\) do not hold/);
    assert.throws(() => toXml({ resourceType: 'Observation', id: '1' }), /Observation is an STU3 resource type the vendored FHIR definitions/);
  });
  test('an element STU3 has not is named, not dropped', () => {
    rejects('<Patient xmlns="http://hl7.org/fhir"><id value="1"/><bogus value="x"/></Patient>', /Patient.bogus is not an STU3 element/);
    rejects('<Patient xmlns="http://hl7.org/fhir"><name><family value="A"/><nickname value="x"/></name></Patient>', /Patient.name.nickname is not an STU3 element/);
    assert.throws(() => toXml({ resourceType: 'Patient', id: '1', bogus: 1 }), /Patient.bogus is not an STU3 element/);
    assert.throws(() => toXml({ resourceType: 'Location', address: [{ city: 'A' }, { city: 'B' }] }), /Location.address repeats 2 times, but STU3 allows it once/);
    assert.throws(() => toXml('x'), FhirXmlError);
  });
  test('an answer read as a consumer reads it leaves an unknown element out, but still refuses what is not FHIR XML', () => {
    assert.deepEqual(fromXml('<Patient xmlns="http://hl7.org/fhir"><harnessUnknown><note value="x"/></harnessUnknown><id value="1"/></Patient>', { unknownElements: 'ignore' }), { resourceType: 'Patient', id: '1' });
    assert.throws(() => fromXml('<Patient xmlns="http://hl7.org/fhir"><id value="1"/>', { unknownElements: 'ignore' }), /not well-formed XML/);
    assert.throws(() => fromXml('<Observation xmlns="http://hl7.org/fhir"/>', { unknownElements: 'ignore' }), /vendored FHIR definitions/);
  });
  test('a contained resource in a Bundle entry is checked too', () => {
    assert.throws(() => toXml({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', wrong: true } }] }), /Patient.wrong is not an STU3 element/);
  });
});

describe('media types and pretty text', () => {
  test('the FHIR formats by MIME type and _format short form', () => {
    assert.equal(fhirFormatOf('application/fhir+xml;charset=utf-8'), 'xml');
    assert.equal(fhirFormatOf('application/fhir+json'), 'json');
    assert.equal(fhirFormatOf('application/fhir xml'), 'xml');
    assert.equal(fhirFormatOf('xml'), undefined);
    assert.equal(fhirFormatOf('xml', true), 'xml');
    assert.equal(fhirFormatOf('application/xml'), undefined);
    assert.equal(fhirFormatOf(null), undefined);
  });
  test('a body is read in the format its Content-Type names', () => {
    const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] };
    assert.deepEqual(readFhirBody(toXml(oo), 'application/fhir+xml;charset=utf-8'), oo);
    assert.deepEqual(readFhirBody(JSON.stringify(oo), 'application/fhir+json'), oo);
  });
  test('pretty XML indents, and keeps unreadable text as it was', () => {
    const pretty = prettyXml(toXml({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'a < b & "c"' }] }));
    assert.equal(
      pretty,
      '<?xml version="1.0" encoding="UTF-8"?>\n<OperationOutcome xmlns="http://hl7.org/fhir">\n  <issue>\n    <severity value="error"/>\n    <code value="invalid"/>\n    <diagnostics value="a &lt; b &amp; &quot;c&quot;"/>\n  </issue>\n</OperationOutcome>\n',
    );
    assert.deepEqual(fromXml(pretty), { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'a < b & "c"' }] });
    assert.equal(prettyXml('<a>'), '<a>');
  });
});
