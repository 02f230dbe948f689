import { http } from 'msw/core/http';
import type { RequestHandler } from 'msw';
import { Header, SpineError } from '../../gpconnect/constants';
import type { TrafficJournal } from '../journal';
import { fhirJson, gpcOutcome } from '../../gpconnect/outcomes';
import { journaled, urlsUnder } from '../service';
import { bookAppointment, readAppointment } from './appointments';
import { updateAppointment } from './amend-cancel';
import { readResource } from './reads';
import { retrieveAppointments } from './retrieve';
import { searchResource } from './searches';
import type { ProviderContext } from './context';
import { findPatient, getCapabilityStatement, registerPatient } from './foundations';
import { applyFaults, guardBypassed, type ProviderFault } from './faults';
import { answerFormat, guard, relativePath, withStandardHeaders, type ProviderGuardOptions } from './guard';
import { answerInXml, requestInJson, type FhirXmlCodec } from './xml';
import { SERVES_JSON_ONLY, xmlFaultsOf } from './faults-xml';
import { ANSWERS_UNCOMPRESSED } from './faults-http';
import { contentCoded, honourPrefer } from './http-behaviour';
import { searchFreeSlots } from './slots';
import { interfere } from './interference';
import { addsNoise, withNoise } from './tolerance';
import { applyVariants, latitudesMet, variantGuardOptions, type ProviderVariant } from './variants';
import { diagnosticsOf } from './fault-kit';

export interface ReferenceProviderOptions {
  journal: TrafficJournal;
  /** Where the handlers answer: the registered service root, or the loopback address it is served on. */
  base: string;
  context: ProviderContext;
  guard?: ProviderGuardOptions;
  /** Deliberate supplier mistakes, to prove the provider features catch them (faults.ts). */
  faults?: ReadonlySet<ProviderFault>;
  /**
   * Lawful choices made the other way, to prove the provider features fail no one for them
   * (variants.ts). Their route choices are the context's (ProviderContext.choices).
   */
  variants?: ReadonlySet<ProviderVariant>;
  /**
   * FHIR JSON ⇄ XML (src/fhir/xml.ts): given, the provider serves application/fhir+xml as well as
   * JSON, unless a variant or the guard options say it serves JSON only (xml.ts).
   */
  xml?: FhirXmlCodec;
  /** Told, for every answer, which answer-only variants would have given it otherwise (the variant proof's probe, variants.ts latitudesMet). */
  onLatitudesMet?: (variants: ProviderVariant[]) => void;
}

/**
 * The reference GP Connect provider as MSW handlers: the provider-side checks first, then the
 * interaction the request names. The conformant baseline for provider conformance, and the provider
 * behind the SSP in consumer conformance.
 */
export function referenceProviderHandlers(options: ReferenceProviderOptions): RequestHandler[] {
  const base = options.base.replace(/\/+$/, '');
  const onFault = (message: string) => fhirJson(gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', message), 500, { [Header.cacheControl]: 'no-store' });
  const guardOptions = { ...options.guard, ...variantGuardOptions(options.variants) };
  const xml = options.xml && guardOptions.servesXml !== false && !options.faults?.has(SERVES_JSON_ONLY) ? options.xml : undefined;
  Object.assign(guardOptions, { servesXml: xml !== undefined });
  // The CapabilityStatement declares the formats served (foundations.ts); the context is the practice's own, kept by Spine in a box.
  options.context.servesXml = xml !== undefined;
  const xmlFaults = xmlFaultsOf(options.faults);
  const resolver = journaled('provider', options.journal, onFault, async ({ request: received }) => {
    const url = new URL(received.url);
    const checked = guard(options.context, received, guardOptions);
    // The routes, faults and variants read JSON: an XML body is read into JSON first (xml.ts).
    const request = xml ? await requestInJson(received, xml) : received;
    const unreadable = request instanceof Response && !(checked instanceof Response) ? request : undefined;
    const refused = (checked instanceof Response && !(options.faults?.size && guardBypassed(options.faults, await diagnosticsOf(checked)))) || unreadable !== undefined;
    const asJson = request instanceof Response ? received : request;
    const interfered = refused ? undefined : await interfere(options.context, asJson, checked instanceof Response ? undefined : checked.interaction);
    // The route reads its own copy of the body: the faults and variants read the request after it.
    const routed = async () => honourPrefer(asJson, relativePath(options.context, url), await route(options.context, asJson.clone(), url, base), options.context.choices);
    const standard = refused ? withStandardHeaders(unreadable ?? (checked as Response)) : withStandardHeaders(interfered ?? (await withNoise(options.context, await routed())));
    if (options.onLatitudesMet) options.onLatitudesMet(await latitudesMet({ request: asJson, url, response: standard }));
    const response = options.variants?.size ? await applyVariants(options.variants, { request: asJson, url, response: standard }) : standard;
    const faulted = options.faults?.size ? await applyFaults(options.faults, { request: asJson, url, response }) : response;
    // XML after the faults and variants, which read and rewrite JSON; content coding last, on the answer as given.
    const inFormat = xml && answerFormat(received, url, true) === 'xml' && !xmlFaults.keepsJson(received, url, faulted) ? xmlFaults.relabel(await answerInXml(faulted, xml, addsNoise(options.context))) : faulted;
    return options.faults?.has(ANSWERS_UNCOMPRESSED) ? inFormat : contentCoded(received, inFormat);
  });
  return [http.all(urlsUnder(base), resolver)];
}

async function route(ctx: ProviderContext, request: Request, url: URL, base: string): Promise<Response> {
  const path = url.pathname.slice(new URL(base).pathname.length);
  const method = request.method;
  if (method === 'GET' && path === '/metadata') return getCapabilityStatement(ctx);
  if (method === 'GET' && path === '/Patient') return findPatient(ctx, url);
  if (method === 'POST' && path === '/Patient/$gpc.registerpatient') return registerPatient(ctx, request);
  if (method === 'GET' && path === '/Slot') return searchFreeSlots(ctx, url);
  if (method === 'POST' && path === '/Appointment') return bookAppointment(ctx, request);
  const read = path.match(/^\/Appointment\/([A-Za-z0-9.-]{1,64})$/);
  if (method === 'GET' && read) return readAppointment(ctx, read[1]);
  if (method === 'PUT' && read) return updateAppointment(ctx, request, read[1]);
  if (method === 'GET' && /^\/Patient\/[^/]+\/Appointment$/.test(path)) return retrieveAppointments(ctx, path, url);
  const searched = searchResource(ctx, method, path, url);
  if (searched) return searched;
  const otherRead = method === 'GET' ? readResource(ctx, path) : undefined;
  if (otherRead) return otherRead;
  // The guard has matched the interaction to the path; what is left is not implemented here.
  return fhirJson(gpcOutcome('not-supported', SpineError.notImplemented, 'Not implemented', `${method} ${path} is not implemented by the reference provider`), 501);
}

