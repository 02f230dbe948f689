import { http, type RequestHandler } from 'msw';
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
import { guard, relativePath, withStandardHeaders, type ProviderGuardOptions } from './guard';
import { ANSWERS_UNCOMPRESSED } from './faults-http';
import { contentCoded, honourPrefer } from './http-behaviour';
import { searchFreeSlots } from './slots';
import { interfere } from './interference';
import { withNoise } from './tolerance';
import { applyVariants, variantGuardOptions, type ProviderVariant } from './variants';
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
  const resolver = journaled('provider', options.journal, onFault, async ({ request }) => {
    const url = new URL(request.url);
    const checked = guard(options.context, request, guardOptions);
    const refused = checked instanceof Response && !(options.faults?.size && guardBypassed(options.faults, await diagnosticsOf(checked)));
    const interfered = refused ? undefined : await interfere(options.context, request, checked instanceof Response ? undefined : checked.interaction);
    // The route reads its own copy of the body: the faults and variants read the request after it.
    const routed = async () => honourPrefer(request, relativePath(options.context, url), await route(options.context, request.clone(), url, base), options.context.choices);
    const standard = refused ? withStandardHeaders(checked as Response) : withStandardHeaders(interfered ?? (await withNoise(options.context, await routed())));
    const response = options.variants?.size ? await applyVariants(options.variants, { request, url, response: standard }) : standard;
    const faulted = options.faults?.size ? await applyFaults(options.faults, { request, url, response }) : response;
    // Content coding last, on the answer as given: the faults and variants read the JSON body.
    return options.faults?.has(ANSWERS_UNCOMPRESSED) ? faulted : contentCoded(request, faulted);
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

