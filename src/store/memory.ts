/**
 * @module A store that keeps everything in process memory: for tests and throw-away runs.
 */
import type { NewEvent, SessionRecord, Store, StoredEvent } from "./store.ts";

/** Options of {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Events kept per session; older ones are dropped and can no longer be replayed.
   * @default 10000
   */
  maxEventsPerSession?: number;
}

interface Stream {
  /** Kept events; `events[i].seq === first + i`. */
  events: StoredEvent[];
  head: number;
}

/** The in-memory {@linkcode Store}: appends and reads complete without I/O. */
export class MemoryStore implements Store {
  readonly #streams = new Map<string, Stream>();
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #maxEvents: number;

  /** Creates an empty store. */
  constructor(options: MemoryStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerSession ?? 10_000;
    if (!(this.#maxEvents >= 1)) throw new RangeError("maxEventsPerSession must be at least 1");
  }

  append(session: string, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    let stream = this.#streams.get(session);
    if (!stream) this.#streams.set(session, stream = { events: [], head: 0 });
    const stored = events.map((e) => ({
      seq: ++stream.head,
      event: e.event,
      data: e.data,
      ts: e.ts,
    }));
    stream.events.push(...stored);
    // Trim in chunks so the array copy is amortised over many appends.
    const excess = stream.events.length - this.#maxEvents;
    if (excess > 0 && (excess >= 256 || excess * 8 >= this.#maxEvents)) {
      stream.events.splice(0, excess);
    }
    return Promise.resolve(stored);
  }

  read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const stream = this.#streams.get(session);
    if (!stream || stream.events.length === 0) return Promise.resolve([]);
    const trimmed = Math.max(0, stream.events.length - this.#maxEvents);
    const first = stream.events[0].seq + trimmed;
    const start = Math.max(afterSeq + 1, first) - stream.events[0].seq;
    return Promise.resolve(stream.events.slice(start, start + limit));
  }

  head(session: string): Promise<number> {
    return Promise.resolve(this.#streams.get(session)?.head ?? 0);
  }

  createSession(record: SessionRecord): Promise<boolean> {
    if (this.#sessions.has(record.id)) return Promise.resolve(false);
    this.#sessions.set(record.id, structuredClone(record));
    return Promise.resolve(true);
  }

  listSessions(): Promise<SessionRecord[]> {
    return Promise.resolve([...this.#sessions.values()].map((r) => structuredClone(r)));
  }

  deleteSession(session: string): Promise<boolean> {
    const existed = this.#sessions.delete(session);
    return Promise.resolve(this.#streams.delete(session) || existed);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
