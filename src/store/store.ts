/**
 * @module The storage seam: an append-only event log per session plus session records and
 * registered skills. The hub sees only this interface, so memory, SQLite and Redis stores are
 * interchangeable.
 */
import type { StoredEvent } from "../protocol/encode.ts";

export type { StoredEvent };
export { StoreError, type StoreErrorReason } from "./store_error.ts";

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
  /**
   * Append only if the session's head is still this seq; otherwise reject with a
   * {@linkcode StoreError} of reason `"conflict"` and store nothing. Lets a node that planned
   * against its view of the stream find out that another node appended meanwhile.
   * @default undefined (append after whatever the head is)
   */
  expectedHead?: number;
  /**
   * Append only to this incarnation of the session; a store shared by several nodes rejects
   * with reason `"gone"` when the session was deleted (and perhaps created again) elsewhere.
   * Single-process stores ignore it: their sessions cannot change under them.
   * @default undefined (any)
   */
  epoch?: string;
}

/**
 * What a shared store tells a watcher: `"append"` (the session's head is now `head`, appended
 * by any node), `"resync"` (notices may have been missed, e.g. after a reconnect: read what is
 * new) or `"deleted"` (the session was deleted, possibly by another node).
 */
export type StoreNotice =
  | { kind: "append"; head: number; epoch: string }
  | { kind: "resync" }
  | { kind: "deleted"; epoch: string };

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

/** A connection attached to a session, on some node. */
export interface AttachedConnection {
  /** Connection id. */
  id: string;
  /** Its role. */
  role: string;
  /** The node it is connected to. */
  node: string;
}

/** A node sharing the store, as of its last heartbeat. */
export interface NodeInfo {
  /** Node id (random per process). */
  id: string;
  /** Open connections at the last heartbeat. */
  connections: number;
  /** When the node started (ISO time). */
  startedAt: string;
  /** When it last renewed its heartbeat (ISO time). */
  seenAt: string;
}

/**
 * Presence across the nodes sharing a store: who is attached to a session on any node, and
 * which nodes are alive. Writes are best effort and never throw.
 */
export interface SharedPresence {
  /** This node's id. */
  readonly nodeId: string;
  /** Records that a connection of this node is attached to `session`. */
  attach(session: string, connection: { id: string; role: string }): void;
  /** Records that it is not any more. */
  detach(session: string, connectionId: string): void;
  /** Connections attached to `session` on every live node. */
  attached(session: string): Promise<AttachedConnection[]>;
  /** Renews this node's heartbeat with its gauges. */
  heartbeat(gauges: { connections: number }): Promise<void>;
  /** The nodes whose heartbeat is current. */
  nodes(): Promise<NodeInfo[]>;
  /** Removes this node and its attachments (on shutdown). */
  leave(): Promise<void>;
}

/** What a shared store remembers under a command's idempotency key. */
export interface IdempotentAnswer {
  /** The command as first sent (without its key), to refuse a different one. */
  fingerprint: string;
  /** The command's result, once it succeeded. */
  result?: unknown;
  /** Its coded refusal, once it was refused (`INVALID_STATE`, ...). */
  error?: { code: string; message: string };
}

/**
 * Idempotency keys shared by the nodes on one store, so a retry on another node gets the first
 * answer. A claim without an answer expires after a short while, in case its node died.
 */
export interface SharedIdempotency {
  /**
   * Claims `key` of `session` for a command; resolves `undefined` if this caller got it, else
   * what is recorded (an answer, or only the fingerprint while another node is still at work).
   */
  claim(session: string, key: string, fingerprint: string): Promise<IdempotentAnswer | undefined>;
  /** Records the answer to a claimed key. */
  record(session: string, key: string, answer: IdempotentAnswer): Promise<void>;
  /** Gives a claimed key up (the command failed for a reason worth retrying). */
  release(session: string, key: string): Promise<void>;
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
  /** The stored session with its head and last state, or `undefined`. */
  loadSession(session: string): Promise<LoadedSession | undefined>;
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
  /**
   * Present only on stores several nodes share (Redis): calls `listener` when the session's
   * stream changes, from this node or another. Notices are hints: the stream stays the source
   * of truth, so a listener reads the range it is missing. Returns the disposer.
   */
  watch?(session: string, listener: (notice: StoreNotice) => void): () => void;
  /** Present only on stores behind a network: `false` while the store cannot be reached. */
  readonly available?: boolean;
  /** Present only on stores several nodes share: presence across them. */
  readonly presence?: SharedPresence;
  /** Present only on stores several nodes share: idempotency keys across them. */
  readonly idempotency?: SharedIdempotency;
}

/** Default events kept per session. */
export const DEFAULT_MAX_EVENTS = 100_000;
