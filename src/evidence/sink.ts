import { Header } from '../gpconnect/constants';
import { headerValue, type JournalEntry, type Service } from '../gpconnect/exchange';
import type { TrafficJournal } from '../spine/journal';

/** An exchange the harness made itself that no service of Spine in a box saw: sent straight to a provider outside it. */
export type OwnExchange = Omit<JournalEntry, 'seq' | 'scenario' | 'jwt'>;

/**
 * Where an actor puts the evidence of what it did, and reads what Spine in a box recorded of its
 * requests. The running harness backs it with the traffic journal (journalSink), so every exchange
 * reaches the report by the one road, attached to the step that caused it.
 */
export interface EvidenceSink {
  record(exchange: OwnExchange): void;
  /** What a service of Spine in a box recorded of the request with this Ssp-TraceID, once it has finished recording. */
  recordedBy(service: Service, traceId: string): Promise<JournalEntry | undefined>;
}

export function journalSink(journal: TrafficJournal): EvidenceSink {
  return {
    record: (exchange) => void journal.record(exchange),
    async recordedBy(service, traceId) {
      await journal.settled();
      return journal
        .entries({ service })
        .reverse()
        .find((e) => headerValue(e.requestHeaders, Header.sspTraceId) === traceId);
    },
  };
}
