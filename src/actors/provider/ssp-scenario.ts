import type { JournalEntry } from '../../gpconnect/exchange';
import type { GpcOperation } from '../../gpconnect/operations';
import type { RawResponse } from '../../http/raw-client';
import type { SpineInABox } from '../../spine/spine';
import { need } from '../scenario-state';
import type { SspSeen } from '../../rules/ssp/seen';
import { prepareRequest, providerExchanges, providerRootPath, sendThroughSsp, type PreparedRequest } from './ssp-exchange';

/**
 * One SSP scenario: the request the harness, playing a consumer, prepares and may spoil, the SSP's
 * answer, and what reached the provider behind it.
 */
export class SspScenario {
  private prepared?: PreparedRequest;
  private answered?: RawResponse;
  /** The client certificate the harness presents as the consumer over mutual TLS (undefined: none). */
  clientCertificate?: { cert: string; key: string };

  constructor(
    private readonly spine: SpineInABox,
    private readonly scenarioId: string,
  ) {}

  get request(): PreparedRequest {
    return need(this.prepared, 'request');
  }

  get response(): RawResponse {
    return need(this.answered, 'response');
  }

  async prepare(operation: GpcOperation, fromAsid: string, practice: string): Promise<void> {
    this.prepared = await prepareRequest(this.spine, operation, fromAsid, practice);
  }

  async send(): Promise<void> {
    this.answered = await sendThroughSsp(this.spine, this.request, this.clientCertificate);
  }

  /** What reached the provider in this scenario. */
  reachedProvider(): Promise<JournalEntry[]> {
    return providerExchanges(this.spine, this.scenarioId);
  }

  /** The root path of a practice's service root on the provider's host. */
  rootPathOf(practice: string): string {
    return providerRootPath(this.spine, practice);
  }

  /** What the scenario saw, for the judges (src/rules/ssp/): what was sent, where it should arrive, the answer, what arrived. */
  async seen(): Promise<SspSeen> {
    const request = this.request;
    return {
      sent: { method: request.method, headers: request.headers, body: request.body },
      expectedTarget: providerRootPath(this.spine, request.practice, request.serviceRoot) + request.relativeTarget,
      response: this.response,
      received: await this.reachedProvider(),
    };
  }
}
