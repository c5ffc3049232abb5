/**
 * @module A store that keeps everything in process memory: for tests and throw-away runs.
 */
import {
  type AppendOptions,
  DEFAULT_MAX_EVENTS,
  type IdempotencyRecord,
  type LoadedSession,
  type NewEvent,
  type RetentionOptions,
  type SessionRecord,
  type Store,
  type StoredEvent,
} from "./store.ts";

/** Options of {@linkcode MemoryStore}. */
export type MemoryStoreOptions = RetentionOptions;

interface Stream {
  /** Kept events; `events[i].seq === events[0].seq + i`. */
  events: StoredEvent[];
  record: SessionRecord;
  head: number;
  state?: unknown;
}

/** The in-memory {@linkcode Store}: appends and reads complete without I/O. */
export class MemoryStore implements Store {
  readonly #streams = new Map<string, Stream>();
  readonly #skills = new Map<string, Record<string, unknown>>();
  readonly #idempotency = new Map<string, Map<string, IdempotencyRecord>>();
  #idempotencyPuts = 0;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  /** Creates an empty store. */
  constructor(options: MemoryStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerSession ?? DEFAULT_MAX_EVENTS;
    this.#maxAgeMs = options.maxAgeMs ?? 0;
    if (!(this.#maxEvents >= 1)) throw new RangeError("maxEventsPerSession must be at least 1");
  }

  append(
    session: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<StoredEvent[]> {
    const stream = this.#streams.get(session);
    if (!stream) return Promise.reject(new Error(`Cannot append to unknown session "${session}"`));
    const stored = events.map((e) => ({
      seq: ++stream.head,
      event: e.event,
      data: e.data,
      ts: e.ts,
    }));
    stream.events.push(...stored);
    if (options?.state !== undefined) stream.state = structuredClone(options.state);
    // Trim in chunks so the array copy is amortised over many appends.
    const excess = stream.events.length - this.#maxEvents;
    if (excess > 0 && (excess >= 256 || excess * 8 >= this.#maxEvents)) {
      stream.events.splice(0, excess);
    }
    return Promise.resolve(stored);
  }

  read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const events = this.#streams.get(session)?.events;
    if (!events || events.length === 0) return Promise.resolve([]);
    const first = events[0].seq + Math.max(0, events.length - this.#maxEvents);
    const start = Math.max(afterSeq + 1, first) - events[0].seq;
    return Promise.resolve(events.slice(start, start + limit));
  }

  head(session: string): Promise<number> {
    return Promise.resolve(this.#streams.get(session)?.head ?? 0);
  }

  createSession(record: SessionRecord): Promise<boolean> {
    if (this.#streams.has(record.id)) return Promise.resolve(false);
    this.#streams.set(record.id, { events: [], record: structuredClone(record), head: 0 });
    return Promise.resolve(true);
  }

  listSessions(): Promise<LoadedSession[]> {
    return Promise.resolve(
      [...this.#streams.values()].map((s) =>
        structuredClone({
          ...s.record,
          head: s.head,
          ...(s.state === undefined ? {} : { state: s.state }),
        })
      ),
    );
  }

  deleteSession(session: string): Promise<boolean> {
    this.#idempotency.delete(session);
    return Promise.resolve(this.#streams.delete(session));
  }

  putIdempotency(session: string, key: string, record: IdempotencyRecord): Promise<void> {
    // Expired records are swept every so often, so memory follows the keys still in use.
    if (++this.#idempotencyPuts % 256 === 0) this.#sweepIdempotency(Date.now());
    let records = this.#idempotency.get(session);
    if (!records) this.#idempotency.set(session, records = new Map());
    records.set(key, { ...record });
    return Promise.resolve();
  }

  getIdempotency(
    session: string,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | undefined> {
    const record = this.#idempotency.get(session)?.get(key);
    return Promise.resolve(record && record.expiresAt > now ? { ...record } : undefined);
  }

  #sweepIdempotency(now: number): void {
    for (const [session, records] of this.#idempotency) {
      for (const [key, record] of records) if (record.expiresAt <= now) records.delete(key);
      if (records.size === 0) this.#idempotency.delete(session);
    }
  }

  trim(now = Date.now()): Promise<number> {
    let dropped = 0;
    for (const stream of this.#streams.values()) {
      const { events } = stream;
      let keepFrom = Math.max(0, events.length - this.#maxEvents);
      if (this.#maxAgeMs > 0) {
        while (keepFrom < events.length && events[keepFrom].ts < now - this.#maxAgeMs) keepFrom++;
      }
      if (keepFrom > 0) events.splice(0, keepFrom);
      dropped += keepFrom;
    }
    return Promise.resolve(dropped);
  }

  putSkill(name: string, skill: Record<string, unknown>): Promise<void> {
    this.#skills.set(name, structuredClone(skill));
    return Promise.resolve();
  }

  listSkills(): Promise<Record<string, unknown>[]> {
    return Promise.resolve([...this.#skills.values()].map((s) => structuredClone(s)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
