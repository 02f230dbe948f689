/**
 * FHIR STU3 XML (https://hl7.org/fhir/STU3/xml.html) both ways, through FHIR.js (the `fhir` package)
 * loaded with the vendored STU3 base definitions (definitions.ts). GP Connect: "Servers SHOULD
 * support XML: application/fhir+xml" (development_general_api_guidance "Content types").
 *
 * FHIR.js converts by the definitions and silently drops whatever they do not describe: an element
 * the resource type has not, a repeating element given as a JSON object, a single one given as an
 * array, the whole resource when its type is unknown, and the rest of a document that is cut short.
 * This wrapper makes the conversion faithful or says why it cannot be:
 * - toXml: an element given as an object where STU3 repeats it is read as a list of one, a list of one
 *   where STU3 allows one as the one (two spec examples do this: Location.address as a list,
 *   Location.telecom as an object); a longer list where one is allowed, or an element STU3 does not
 *   have, is an error naming the path;
 * - fromXml: the text must be well-formed XML with one root element in the FHIR namespace naming an
 *   STU3 resource type the vendored definitions hold; every element must be one STU3 has (checked by
 *   writing the result back and comparing the element trees), or the error names the first that is not.
 *
 * The vendored core subset holds only the resource types GP Connect uses (Appointment, Slot, Schedule,
 * Patient, Organization, Practitioner, PractitionerRole, Location, Device, OperationOutcome, Bundle,
 * Parameters, CapabilityStatement): another STU3 type is reported as missing from the subset, not as
 * unknown to FHIR.
 */
import { createRequire } from 'node:module';
import { FHIR_STU3_RESOURCE_TYPES, MediaType, type FhirFormat } from '../gpconnect/constants';
import { DEFINITION_FILES, definitionBundles, type Json } from './definitions';

export const FHIR_NAMESPACE = 'http://hl7.org/fhir';
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** What cannot be read or written as FHIR XML, in words a supplier can act on. */
export class FhirXmlError extends Error {
  override name = 'FhirXmlError';
}

// ---------------------------------------------------------------------------------------------
// FHIR.js, once per process

interface Property {
  _name: string;
  _type?: string;
  _multiple?: boolean;
  _properties?: Property[];
}
interface TypeDefinition {
  _type?: string;
  _kind?: string;
  _properties: Property[];
}
interface FhirJs {
  objToXml(resource: Json): string;
  xmlToObj(xml: string): Json;
}
interface Loaded {
  fhir: FhirJs;
  types: Record<string, TypeDefinition>;
}

let loaded: Loaded | undefined;

/** FHIR.js's two converters, as far as they are used here (their walkers are private in its typings). */
interface ToXmlWalker {
  convert(resource: Json): string;
  propertyToXML(parent: unknown, parentType: unknown, obj: Json | undefined, name: string, parentPropertyType?: string): void;
}
interface ToJsWalker {
  convert(xml: string): Json;
  propertyToJS(xmlObj: XmlJsElement, obj: Json, property: Property, surroundDecimalsWith: unknown): void;
}
interface XmlJsElement {
  elements?: Array<{ name?: string }>;
  attributes?: Record<string, unknown>;
}

/**
 * FHIR.js's converters, made to skip the elements a resource does not have. FHIR.js walks every
 * element its definitions give a type, present or not (and every child of an absent one), looking
 * each up by name in a list: most of a conversion's time, and 60 % of a consumer run that speaks
 * XML (profiled). An absent element adds nothing to either side: to XML, FHIR.js writes an element
 * only when it has a value, attributes or children; from XML, it reads a property only when an
 * element or attribute of that name is there. So skipping them gives the same text and the same
 * resource (test/unit/fhir-xml.test.ts compares both with FHIR.js's own, resource by resource).
 */
export function presentOnlyConverters(parser: unknown): FhirJs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConvertToXml } = require('fhir/convertToXml') as { ConvertToXml: new (parser: unknown) => ToXmlWalker };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConvertToJs } = require('fhir/convertToJs') as { ConvertToJs: new (parser: unknown) => ToJsWalker };
  class PresentToXml extends ConvertToXml {
    override propertyToXML(parent: unknown, parentType: unknown, obj: Json | undefined, name: string, parentPropertyType?: string): void {
      if (!obj || (obj[name] === undefined && obj[`_${name}`] === undefined)) return;
      super.propertyToXML(parent, parentType, obj, name, parentPropertyType);
    }
  }
  const namesIn = new WeakMap<XmlJsElement, Set<string>>();
  class PresentToJs extends ConvertToJs {
    override propertyToJS(xmlObj: XmlJsElement, obj: Json, property: Property, surroundDecimalsWith: unknown): void {
      let names = namesIn.get(xmlObj);
      if (!names) {
        names = new Set([...(xmlObj.elements ?? []).map((e) => e.name ?? ''), ...Object.keys(xmlObj.attributes ?? {})]);
        namesIn.set(xmlObj, names);
      }
      if (!names.has(property._name)) return;
      super.propertyToJS(xmlObj, obj, property, surroundDecimalsWith);
    }
  }
  const toXml = new PresentToXml(parser);
  const toJs = new PresentToJs(parser);
  return { objToXml: (resource) => toXml.convert(resource), xmlToObj: (xml) => toJs.convert(xml) };
}

function fhirJs(): Loaded {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ParseConformance, Versions } = require('fhir') as typeof import('fhir');
  const parser = new ParseConformance(false, Versions.STU3);
  parser.parseBundle(definitionBundles().core as never);
  loaded = { fhir: presentOnlyConverters(parser), types: parser.parsedStructureDefinitions as unknown as Record<string, TypeDefinition> };
  return loaded;
}

/** The resource types the vendored definitions let us convert. */
export function xmlResourceTypes(): string[] {
  const { types } = fhirJs();
  return Object.keys(types).filter((t) => types[t]._kind === 'resource' && FHIR_STU3_RESOURCE_TYPES.includes(t));
}

function checkResourceType(type: unknown, where: string): TypeDefinition {
  const { types } = fhirJs();
  if (typeof type !== 'string' || type === '') throw new FhirXmlError(`${where} has no resourceType`);
  const definition = types[type];
  if (definition && definition._kind === 'resource' && FHIR_STU3_RESOURCE_TYPES.includes(type)) return definition;
  if (FHIR_STU3_RESOURCE_TYPES.includes(type)) {
    throw new FhirXmlError(`${where}: ${type} is an STU3 resource type the vendored FHIR definitions (${DEFINITION_FILES.core}) do not hold, so it cannot be converted to or from XML`);
  }
  throw new FhirXmlError(`${where}: ${JSON.stringify(type)} is not an STU3 resource type`);
}

// ---------------------------------------------------------------------------------------------
// JSON → XML

/** The definition a property's children are read by: its own, a `#Type.path` reference, or its data type's. */
function childrenOf(property: Property): Property[] | undefined {
  const { types } = fhirJs();
  const type = property._type ?? '';
  if (type.startsWith('#')) {
    const [resource, ...path] = type.slice(1).split('.');
    let current: { _properties?: Property[] } | undefined = types[resource];
    for (const step of path) current = current?._properties?.find((p) => p._name === step);
    return current?._properties;
  }
  if (property._properties && property._properties.length > 0) return property._properties;
  return types[type]?._properties;
}

const PRIMITIVES = new Set(['boolean', 'integer', 'string', 'decimal', 'uri', 'url', 'canonical', 'base64Binary', 'instant', 'date', 'dateTime', 'time', 'code', 'oid', 'id', 'markdown', 'unsignedInt', 'positiveInt', 'uuid', 'xhtml']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `value` with each element's cardinality as STU3 has it, or an error naming the first
 * element XML cannot carry. `path` names where we are (Patient.name[0]).
 */
function normalise(value: Json, properties: Property[], path: string): Json {
  const out: Json = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === 'resourceType' || key === 'fhir_comments') {
      out[key] = raw;
      continue;
    }
    const property = properties.find((p) => p._name === key);
    if (!property) throw new FhirXmlError(`${path}.${key} is not an STU3 element, so XML cannot carry it`);
    let items: unknown[];
    if (property._multiple) items = Array.isArray(raw) ? raw : [raw];
    else if (Array.isArray(raw)) {
      if (raw.length !== 1) throw new FhirXmlError(`${path}.${key} repeats ${raw.length} times, but STU3 allows it once`);
      items = raw;
    } else items = [raw];
    const converted = items.map((item, i) => {
      const at = property._multiple ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (!isObject(item)) return item;
      if (property._type === 'Resource') return normaliseResource(item, at);
      if (PRIMITIVES.has(property._type ?? '')) return item;
      const children = childrenOf(property);
      return children ? normalise(item, children, at) : item;
    });
    out[key] = property._multiple ? converted : converted[0];
  }
  return out;
}

function normaliseResource(resource: Json, where: string): Json {
  const definition = checkResourceType(resource.resourceType, where);
  return normalise(resource, definition._properties, String(resource.resourceType));
}

/** A FHIR resource (JSON object) as FHIR XML, with the XML declaration; throws FhirXmlError when XML cannot carry it faithfully. */
export function toXml(resource: unknown): string {
  if (!isObject(resource)) throw new FhirXmlError('a FHIR resource is a JSON object');
  const normalised = normaliseResource(resource, 'the resource');
  // FHIR.js escapes a newline in an attribute value (&#xA;) but writes a tab or a carriage return as it is,
  // which an XML parser normalises to a space (XML 1.0 §3.3.3): escaped here. FHIR.js writes no
  // whitespace between elements, so every tab or CR in its output is inside a value or the narrative.
  return fhirJs().fhir.objToXml(normalised).replace(/\t/g, '&#x9;').replace(/\r/g, '&#xD;');
}

// ---------------------------------------------------------------------------------------------
// XML → JSON

interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
type XmlNode = XmlElement | { text: string } | { comment: string } | { cdata: string };

interface SaxTag {
  name: string;
  local: string;
  uri: string;
  attributes: Record<string, { value: string; local: string; uri: string; prefix: string }>;
}
interface SaxParser {
  line: number;
  column: number;
  onerror: (e: Error) => void;
  onopentag: (tag: SaxTag) => void;
  onclosetag: () => void;
  ontext: (t: string) => void;
  oncdata: (t: string) => void;
  oncomment: (t: string) => void;
  write(s: string): SaxParser;
  close(): SaxParser;
}
interface Sax {
  parser(strict: boolean, options: { xmlns: boolean; position: boolean }): SaxParser;
}

let sax: Sax | undefined;
/** sax, the XML reader FHIR.js itself reads with (through xml-js), resolved as FHIR.js resolves it. */
function saxModule(): Sax {
  if (!sax) {
    const fromFhir = createRequire(require.resolve('fhir'));
    const fromXmlJs = createRequire(fromFhir.resolve('xml-js'));
    sax = fromXmlJs('sax') as Sax;
  }
  return sax;
}

/** Reads well-formed XML into an element tree; throws FhirXmlError with the line and column of the first fault. */
export function parseXmlTree(text: string): XmlElement {
  const parser = saxModule().parser(true, { xmlns: true, position: true });
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let failure: string | undefined;
  parser.onerror = (e) => {
    failure ??= e.message.split('\n')[0];
    throw e;
  };
  parser.onopentag = (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, a] of Object.entries(tag.attributes)) if (!(name === 'xmlns' || name.startsWith('xmlns:'))) attributes[a.local] = a.value;
    const element: XmlElement = { name: tag.local, uri: tag.uri, attributes, children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else roots.push(element);
    stack.push(element);
  };
  parser.onclosetag = () => void stack.pop();
  parser.ontext = (t) => {
    if (stack.length > 0) stack[stack.length - 1].children.push({ text: t });
  };
  parser.oncdata = (t) => {
    if (stack.length > 0) stack[stack.length - 1].children.push({ cdata: t });
  };
  parser.oncomment = (t) => {
    if (stack.length > 0) stack[stack.length - 1].children.push({ comment: t });
  };
  try {
    parser.write(text).close();
  } catch {
    throw new FhirXmlError(`not well-formed XML (line ${parser.line + 1}, column ${parser.column + 1}): ${failure ?? 'unreadable'}`);
  }
  if (stack.length > 0) throw new FhirXmlError(`not well-formed XML: <${stack[stack.length - 1].name}> is never closed`);
  if (roots.length === 0) throw new FhirXmlError('not XML: no root element');
  if (roots.length > 1) throw new FhirXmlError(`not well-formed XML: ${roots.length} root elements (<${roots.map((r) => r.name).join('>, <')}>), a FHIR resource has one`);
  return roots[0];
}

const isElement = (n: XmlNode): n is XmlElement => 'name' in n;

/**
 * The first element of `given` (a FHIR XML tree) that `written` (the same resource written back by
 * FHIR.js) has not: what FHIR.js dropped in reading. The xhtml narrative is compared as one element.
 */
function firstDropped(given: XmlElement, written: XmlElement, path: string): string | undefined {
  if (given.uri === XHTML_NAMESPACE) return undefined;
  const remaining = written.children.filter(isElement);
  for (const child of given.children.filter(isElement)) {
    const at = `${path}.${child.name}`;
    if (child.uri !== FHIR_NAMESPACE && child.uri !== XHTML_NAMESPACE) return `${at} (namespace ${child.uri || 'none'})`;
    const index = remaining.findIndex((w) => w.name === child.name && firstDropped(child, w, at) === undefined);
    if (index === -1) {
      const sameName = remaining.find((w) => w.name === child.name);
      return sameName ? firstDropped(child, sameName, at) ?? at : at;
    }
    remaining.splice(index, 1);
  }
  if ('value' in given.attributes && !('value' in written.attributes)) return `${path}/@value`;
  return undefined;
}

export interface FromXmlOptions {
  /**
   * What to do with an element STU3 has not where it stands: an error naming it (the default), or
   * leave it out, as a consumer reading an answer does ("Consumers SHALL ignore unknown extensions and
   * elements", development_general_api_guidance).
   */
  unknownElements?: 'error' | 'ignore';
}

/**
 * FHIR.js reads a decimal (`<longitude value="-1.50"/>`) into a JSON string ("-1.50"), where FHIR JSON
 * has a number (json.html: decimals are JSON numbers): put right in place, by the definitions, so the
 * validator and the judges see what a JSON answer would give.
 */
function decimalsAsNumbers(value: Json, properties: Property[]): void {
  for (const [key, raw] of Object.entries(value)) {
    const property = properties.find((p) => p._name === key);
    if (!property) continue;
    const items = Array.isArray(raw) ? raw : [raw];
    if (property._type === 'decimal') {
      const numbers = items.map((item) => (typeof item === 'string' && item.trim() !== '' && Number.isFinite(Number(item)) ? Number(item) : item));
      value[key] = Array.isArray(raw) ? numbers : numbers[0];
      continue;
    }
    for (const item of items) {
      if (!isObject(item)) continue;
      if (property._type === 'Resource') {
        const definition = fhirJs().types[String(item.resourceType)];
        if (definition) decimalsAsNumbers(item, definition._properties);
      } else if (!PRIMITIVES.has(property._type ?? '')) {
        const children = childrenOf(property);
        if (children) decimalsAsNumbers(item, children);
      }
    }
  }
}

/** A FHIR XML document as the FHIR JSON resource; throws FhirXmlError naming what is wrong. */
export function fromXml(text: string, options: FromXmlOptions = {}): Json {
  if (typeof text !== 'string' || text.trim() === '') throw new FhirXmlError('no XML: the body is empty');
  const root = parseXmlTree(text);
  if (root.uri !== FHIR_NAMESPACE) {
    throw new FhirXmlError(`the root element <${root.name}> is not in the FHIR namespace ${FHIR_NAMESPACE} (it is in ${root.uri ? root.uri : 'no namespace'})`);
  }
  checkResourceType(root.name, 'the root element');
  let resource: Json;
  try {
    resource = fhirJs().fhir.xmlToObj(text);
  } catch (e) {
    throw new FhirXmlError(`not readable as FHIR XML: ${(e as Error).message}`);
  }
  decimalsAsNumbers(resource, checkResourceType(resource.resourceType, 'the root element')._properties);
  if (options.unknownElements === 'ignore') return resource;
  const written = parseXmlTree(toXml(resource));
  const dropped = firstDropped(root, written, root.name);
  if (dropped) throw new FhirXmlError(`${dropped} is not an STU3 element where it stands, so it cannot be read`);
  return resource;
}

// ---------------------------------------------------------------------------------------------
// Media types and pretty text

/**
 * The FHIR format a Content-Type or `_format` value names: `application/fhir+json` or
 * `application/fhir+xml` (parameters aside), and in `_format` also the short forms `json` and `xml`
 * (STU3 http.html#mime-type). Undefined for anything else.
 */
export function fhirFormatOf(mediaType: string | null | undefined, shortForms = false): FhirFormat | undefined {
  if (!mediaType) return undefined;
  const type = mediaType.split(';')[0].trim().toLowerCase().replace(/^application\/fhir (json|xml)$/, 'application/fhir+$1');
  if (type === MediaType.fhirJson || (shortForms && type === 'json')) return 'json';
  if (type === MediaType.fhirXml || (shortForms && type === 'xml')) return 'xml';
  return undefined;
}

export const isFhirXml = (mediaType: string | null | undefined) => fhirFormatOf(mediaType) === 'xml';

/** A body in either FHIR format, read as JSON; throws (FhirXmlError, SyntaxError) when it cannot be read. */
export function readFhirBody(text: string, contentType: string | null | undefined): Json {
  return isFhirXml(contentType) ? fromXml(text) : (JSON.parse(text) as Json);
}

/** The resource written in a format: JSON (the wire form) or XML. */
export function writeFhir(resource: Json, format: FhirFormat): string {
  return format === 'xml' ? toXml(resource) : JSON.stringify(resource);
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** XML indented two spaces an element, for people to read (evidence); text that is not well-formed comes back as it was. */
export function prettyXml(text: string): string {
  let root: XmlElement;
  try {
    root = parseXmlTree(text);
  } catch {
    return text;
  }
  const lines: string[] = [];
  const write = (el: XmlElement, depth: number, parentUri: string) => {
    const pad = '  '.repeat(depth);
    const ns = el.uri !== parentUri && el.uri ? ` xmlns="${el.uri}"` : '';
    const attrs = ns + Object.entries(el.attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
    const children = el.children.filter((c) => !('text' in c && c.text.trim() === ''));
    if (children.length === 0) return void lines.push(`${pad}<${el.name}${attrs}/>`);
    if (children.every((c) => !isElement(c))) {
      const inner = children.map((c) => ('text' in c ? escapeText(c.text) : 'cdata' in c ? `<![CDATA[${c.cdata}]]>` : `<!--${(c as { comment: string }).comment}-->`)).join('');
      return void lines.push(`${pad}<${el.name}${attrs}>${inner}</${el.name}>`);
    }
    lines.push(`${pad}<${el.name}${attrs}>`);
    for (const c of children) {
      if (isElement(c)) write(c, depth + 1, el.uri);
      else if ('text' in c) lines.push(`${pad}  ${escapeText(c.text.trim())}`);
      else if ('cdata' in c) lines.push(`${pad}  <![CDATA[${c.cdata}]]>`);
      else lines.push(`${pad}  <!--${c.comment}-->`);
    }
    lines.push(`${pad}</${el.name}>`);
  };
  write(root, 0, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${lines.join('\n')}\n`;
}

/** The codec the reference provider is handed to serve XML (src/spine/provider/xml.ts FhirXmlCodec). */
export const FHIR_XML_CODEC = { toXml, fromXml } as const;
