/**
 * @module The storage seam: an append-only event log per session plus session records and
 * registered skills. The hub sees only this interface, so memory, SQLite and Redis stores are
 * interchangeable.
 */
import type { StoredEvent } from "../protocol/encode.ts";

export type { StoredEvent };

/** An event to append; the store assigns its seq. */
export interface NewEvent {
  /** Event name. */
  event: string;
  /** Payload as JSON text. */
  data: string;
  /** Server time, milliseconds since the epoch. */
  ts: number;
}

/** What the store keeps about a session besides its events. */
export interface SessionRecord {
  /** Session id. */
  id: string;
  /** Free JSON metadata given at creation. */
  metadata: Record<string, unknown>;
  /** Creation time, milliseconds since the epoch. */
  createdAt: number;
  /**
   * Identifies this incarnation of the session's stream. A session deleted and created again,
   * or a wiped store, gets a new epoch, so a client's old seq is never mistaken for a new one.
   */
  epoch: string;
}

/** A stored session as loaded at start-up. */
export interface LoadedSession extends SessionRecord {
  /** Highest seq ever appended (trimmed events included). */
  head: number;
  /** The last state snapshot stored with an append, if any. */
  state?: unknown;
}

/** Options of {@linkcode Store.append}. */
export interface AppendOptions {
  /** A JSON-serialisable snapshot of the session's state, stored atomically with the events. */
  state?: unknown;
}

/** How long events are kept. */
export interface RetentionOptions {
  /**
   * Events kept per session; older ones are dropped and can no longer be replayed.
   * @default 100000
   */
  maxEventsPerSession?: number;
  /**
   * Milliseconds an event is kept; 0 keeps events regardless of age.
   * @default 0
   */
  maxAgeMs?: number;
}

/**
 * The first answer to a request that carried an idempotency key (REST publish's
 * `Idempotency-Key`), so a retry gets the same answer without appending again.
 */
export interface IdempotencyRecord {
  /** Digest of the request the key was first used with; another request is a conflict. */
  fingerprint: string;
  /** HTTP status of the first answer. */
  status: number;
  /** Body of the first answer (JSON text). */
  body: string;
  /** Milliseconds since the epoch after which the record may be forgotten. */
  expiresAt: number;
}

/** Durable (or, for tests, in-memory) storage for session streams. */
export interface Store {
  /**
   * Appends events in order, assigning consecutive seqs after the session's head, and resolves
   * with them once they are durably stored. The session must have been created.
   */
  append(
    session: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<StoredEvent[]>;
  /** Reads up to `limit` events with seq > `afterSeq`, in seq order. */
  read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest seq appended to the session (0 when none). */
  head(session: string): Promise<number>;
  /** Stores a new session record; resolves `false` when the id exists already. */
  createSession(record: SessionRecord): Promise<boolean>;
  /** All stored sessions with their heads and last state. */
  listSessions(): Promise<LoadedSession[]>;
  /** Removes a session and its events; resolves `false` when it did not exist. */
  deleteSession(session: string): Promise<boolean>;
  /** Drops events past the retention limits now; resolves how many were dropped. */
  trim(now?: number): Promise<number>;
  /** Stores (or replaces) a skill registered over the API. */
  putSkill(name: string, skill: Record<string, unknown>): Promise<void>;
  /** Skills registered over the API. */
  listSkills(): Promise<Record<string, unknown>[]>;
  /** Releases the store's resources. */
  close(): Promise<void>;
  /**
   * Optional: remembers `record` under `key` in `session` until its `expiresAt` (replacing any
   * earlier one); deleting the session forgets it. A store without these two methods still
   * works: the hub then keeps idempotency records in process memory, lost on restart.
   */
  putIdempotency?(session: string, key: string, record: IdempotencyRecord): Promise<void>;
  /** Optional: the record under `key` in `session`, unless missing or expired at `now`. */
  getIdempotency?(
    session: string,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | undefined>;
}

/** Default events kept per session. */
export const DEFAULT_MAX_EVENTS = 100_000;
