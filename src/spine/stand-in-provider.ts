import { http } from 'msw/core/http';
import type { RequestHandler } from 'msw';
import { Header, MediaType, SpineError } from '../gpconnect/constants';
import { fhirJson, gpcOutcome } from '../gpconnect/outcomes';
import { journaled, urlsUnder, type ServiceOptions } from './service';

/** How the stand-in behaves, per practice, so features can make a provider slow or broken. */
export type StandInBehaviour = { kind: 'normal' } | { kind: 'delay'; ms: number } | { kind: 'status'; status: number };

export interface StandInProviderOptions extends Omit<ServiceOptions, 'base'> {
  /** Service roots to answer on (absolute URLs, no trailing slash), keyed by practice ODS code. */
  roots: Record<string, string>;
}

/**
 * A stand-in GP Connect provider behind the SSP: enough to prove what the SSP forwards. It answers
 * `GET /metadata` with a CapabilityStatement, any other GET with an empty searchset Bundle, and a
 * POST or PUT by echoing the body; the journal holds exactly what reached it. The reference
 * provider replaces it for provider conformance.
 */
export class StandInProvider {
  private readonly behaviours = new Map<string, StandInBehaviour>();

  constructor(private readonly options: StandInProviderOptions) {}

  setBehaviour(ods: string, behaviour: StandInBehaviour): void {
    this.behaviours.set(ods, behaviour);
  }

  reset(): void {
    this.behaviours.clear();
  }

  handlers(): RequestHandler[] {
    return Object.entries(this.options.roots).flatMap(([ods, root]) => {
      const onFault = (message: string) => fhirJson(gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', message), 500);
      return [http.all(urlsUnder(root), journaled('provider', this.options.journal, onFault, ({ request }) => this.answer(ods, root, request)))];
    });
  }

  private async answer(ods: string, root: string, request: Request): Promise<Response> {
    const behaviour = this.behaviours.get(ods) ?? { kind: 'normal' };
    if (behaviour.kind === 'delay') await new Promise((r) => setTimeout(r, behaviour.ms));
    if (behaviour.kind === 'status') {
      return fhirJson(gpcOutcome('exception', SpineError.internalServerError, 'Unexpected internal server error', `stand-in told to answer ${behaviour.status}`), behaviour.status, noStore);
    }
    const path = new URL(request.url).pathname.slice(new URL(root).pathname.length);
    if (request.method === 'GET' && path === '/metadata') return fhirJson(capabilityStatement(ods), 200, noStore);
    if (request.method === 'GET') return fhirJson({ resourceType: 'Bundle', type: 'searchset', entry: [] }, 200, noStore);
    const body = await request.text();
    return new Response(body, { status: 200, headers: { [Header.contentType]: request.headers.get(Header.contentType) ?? MediaType.fhirJson, ...noStore } });
  }
}

const noStore = { [Header.cacheControl]: 'no-store' };

function capabilityStatement(ods: string) {
  return {
    resourceType: 'CapabilityStatement',
    version: '1.2.9',
    name: `Stand-in GP Connect provider for ${ods}`,
    status: 'active',
    date: '2026-01-01',
    publisher: 'gpc-conform Spine in a box',
    kind: 'instance',
    fhirVersion: '3.0.1',
    acceptUnknown: 'both',
    format: [MediaType.fhirJson, MediaType.fhirXml],
    rest: [{ mode: 'server', security: { cors: true }, resource: [], operation: [] }],
  };
}
