import { EventEmitter } from 'node:events';
import { appendFileSync } from 'node:fs';
import { decodeJwt, type DecodedJwt } from '../gpconnect/jwt';
import { headerValue, truncateBody, type JournalEntry, type Service } from '../gpconnect/exchange';
import { Header } from '../gpconnect/constants';

/**
 * How much the journal holds in memory. A long run (or a flood, or fuzzing) would otherwise keep
 * every exchange until the process ends. Past either limit the oldest entries of scenarios that have
 * ended go first, then (one scenario alone over the limit) the oldest of the running one; `dropped`
 * counts them, and the journal file, when there is one, still has every entry.
 */
export interface JournalLimits {
  maxEntries: number;
  /** Characters of bodies, URLs and headers together: a measure of memory, not an exact one. */
  maxChars: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { maxEntries: 20_000, maxChars: 64 * 1024 * 1024 };

/**
 * The traffic journal: every exchange with the simulated Spine, in completion order, labelled with
 * the scenario that was running. Steps and reports query it; it can also append each entry to a
 * JSON-lines file as it happens, so nothing is lost if the harness dies.
 */
export class TrafficJournal extends EventEmitter {
  private readonly items: JournalEntry[] = [];
  /** The size of each item (same index), and their total. */
  private readonly sizes: number[] = [];
  private chars = 0;
  private currentScenario: string | undefined;
  private seq = 0;
  private droppedCount = 0;
  private droppedUnmatchedCount = 0;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly file?: string,
    private readonly limits: JournalLimits = DEFAULT_JOURNAL_LIMITS,
  ) {
    super();
  }

  beginScenario(name: string): void {
    this.currentScenario = name;
  }

  endScenario(): void {
    this.currentScenario = undefined;
  }

  get scenario(): string | undefined {
    return this.currentScenario;
  }

  record(entry: Omit<JournalEntry, 'seq' | 'scenario' | 'jwt'> & { scenario?: string }): JournalEntry {
    const full: JournalEntry = {
      ...entry,
      seq: ++this.seq,
      scenario: entry.scenario ?? this.currentScenario,
      jwt: jwtOf(entry.requestHeaders),
    };
    this.items.push(full);
    this.sizes.push(sizeOf(full));
    this.chars += this.sizes[this.sizes.length - 1];
    if (this.file) appendFileSync(this.file, JSON.stringify(full) + '\n');
    this.keepWithinLimits();
    this.emit('entry', full);
    return full;
  }

  /** Entries let go of to stay within the limits (JournalLimits), in all and of those outside any scenario. */
  get dropped(): number {
    return this.droppedCount;
  }

  get droppedUnmatched(): number {
    return this.droppedUnmatchedCount;
  }

  /** The journal's own measure of what it holds (characters of bodies, URLs and headers). */
  get heldChars(): number {
    return this.chars;
  }

  private keepWithinLimits(): void {
    while (this.items.length > 1 && (this.items.length > this.limits.maxEntries || this.chars > this.limits.maxChars)) {
      let i = this.currentScenario === undefined ? 0 : this.items.findIndex((e) => e.scenario !== this.currentScenario);
      if (i < 0) i = 0;
      const [gone] = this.items.splice(i, 1);
      this.chars -= this.sizes.splice(i, 1)[0];
      this.droppedCount++;
      if (gone.scenario === undefined) this.droppedUnmatchedCount++;
    }
  }

  /** Keep track of a record still being written (a body still streaming). */
  track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Resolves once every exchange under way has been recorded. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  entries(filter: Partial<Pick<JournalEntry, 'service' | 'scenario'>> = {}): JournalEntry[] {
    return this.items.filter(
      (e) => (filter.service === undefined || e.service === filter.service) && (!('scenario' in filter) || e.scenario === filter.scenario),
    );
  }

  /** The sequence number of the latest exchange recorded (0: none yet). */
  get lastSeq(): number {
    return this.seq;
  }

  /** One scenario's exchanges recorded after `seq`, in order (read from the end: cheap however long the run). */
  entriesSince(seq: number, scenario: string): JournalEntry[] {
    const found: JournalEntry[] = [];
    for (let i = this.items.length - 1; i >= 0 && this.items[i].seq > seq; i--) if (this.items[i].scenario === scenario) found.push(this.items[i]);
    return found.reverse();
  }

  /** Exchanges that arrived while no scenario was running: reported, never dropped. */
  unmatched(): JournalEntry[] {
    return this.items.filter((e) => e.scenario === undefined);
  }

  last(service?: Service): JournalEntry | undefined {
    const list = service ? this.entries({ service }) : this.items;
    return list[list.length - 1];
  }

  clear(): void {
    this.items.length = 0;
    this.sizes.length = 0;
    this.chars = 0;
  }

  get size(): number {
    return this.items.length;
  }
}

function jwtOf(headers: Record<string, string>): DecodedJwt | undefined {
  const auth = headerValue(headers, Header.authorization);
  if (!auth || !/^Bearer\s/i.test(auth)) return undefined;
  return decodeJwt(auth.replace(/^Bearer\s+/i, ''));
}

/** Case-insensitive header lookup in a plain record (HTTP header names are case-insensitive). */
function sizeOf(entry: JournalEntry): number {
  let chars = 200 + entry.url.length + entry.target.length + entry.requestBody.length + entry.responseBody.length + (entry.fault?.length ?? 0);
  for (const headers of [entry.requestHeaders, entry.responseHeaders]) for (const [k, v] of Object.entries(headers)) chars += k.length + v.length;
  // The decoded token repeats the Authorization header, parsed.
  if (entry.jwt) chars += entry.jwt.raw.length * 2;
  return chars;
}
