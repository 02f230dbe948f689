import type { JournalEntry } from '../../gpconnect/exchange';
import type { GpcOperation } from '../../gpconnect/operations';
import { ExchangeFailed, type RawResponse } from '../../http/raw-client';
import type { SpineInABox } from '../../spine/spine';
import { need } from '../scenario-state';
import type { SspSeen } from '../../rules/ssp/seen';
import { prepareRequest, providerExchanges, providerRootPath, sendThroughSsp, type PreparedRequest, type SspConnection } from './ssp-exchange';
import type { SspTransportOutcome } from '../../rules/ssp/transport';

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

  /**
   * The request sent over a connection the scenario chooses (cipher suites, or plain HTTP to the TLS
   * port): what came back, or that the SSP closed the connection without an answer.
   */
  async attempt(how: Omit<SspConnection, 'cert' | 'key'>): Promise<SspTransportOutcome> {
    try {
      const response = await sendThroughSsp(this.spine, this.request, { ...this.clientCertificate, ...how }, 5_000);
      this.answered = response;
      return { kind: 'answered', status: response.status, headers: response.headers };
    } catch (error) {
      if (error instanceof ExchangeFailed) return { kind: 'closed', reason: error.message };
      throw error;
    }
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
