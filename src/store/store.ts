/**
 * @module The storage seam: an append-only event log per session plus session records. The hub
 * sees only this interface, so memory, SQLite and Redis stores are interchangeable.
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

/** Durable (or, for tests, in-memory) storage for session streams. */
export interface Store {
  /**
   * Appends events in order, assigning consecutive seqs after the session's head, and resolves
   * with them once they are stored. Creates the session's stream if it has none.
   */
  append(session: string, events: readonly NewEvent[]): Promise<StoredEvent[]>;
  /** Reads up to `limit` events with seq > `afterSeq`, in seq order. */
  read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest seq appended to the session (0 when none). */
  head(session: string): Promise<number>;
  /** Stores a new session record; resolves `false` when the id exists already. */
  createSession(record: SessionRecord): Promise<boolean>;
  /** All session records. */
  listSessions(): Promise<SessionRecord[]>;
  /** Removes a session and its events; resolves `false` when it did not exist. */
  deleteSession(session: string): Promise<boolean>;
  /** Releases the store's resources. */
  close(): Promise<void>;
}
