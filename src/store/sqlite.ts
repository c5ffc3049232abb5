/**
 * @module The embedded default store on Deno's built-in `node:sqlite`: WAL journal, and group
 * commit: every append requested within one turn of the event loop, across all sessions, is
 * written in one transaction, and each resolves only after that transaction commits.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { clearImmediate, setImmediate } from "node:timers";
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
  StoreError,
} from "./store.ts";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./_sqlite_schema.ts";

/** Options of {@linkcode SqliteStore.open}. */
export interface SqliteStoreOptions extends RetentionOptions {
  /**
   * `"full"` syncs the write-ahead log at every commit, so an acknowledged event survives power
   * loss; `"normal"` survives process crashes only, and commits faster.
   * @default "full"
   */
  synchronous?: "full" | "normal";
}

const SELECT_SESSIONS = "SELECT id, epoch, metadata, created_at, head, state FROM sessions";

/** Every this many events a session's stream is trimmed to its count limit during appends. */
const TRIM_CHUNK = 512;

interface PendingAppend {
  session: string;
  events: readonly NewEvent[];
  state: unknown;
  expectedHead: number | undefined;
  resolve: (stored: StoredEvent[]) => void;
  reject: (error: unknown) => void;
}

/** A {@linkcode Store} in one SQLite file. One process per file. */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #heads = new Map<string, number>();
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  readonly #sql: Record<
    | "insertEvent"
    | "updateHead"
    | "readEvents"
    | "insertSession"
    | "deleteEvents"
    | "deleteSession"
    | "trimCount"
    | "trimAge"
    | "putSkill"
    | "putIdempotency"
    | "getIdempotency"
    | "deleteIdempotency"
    | "expireIdempotency",
    StatementSync
  >;
  #idempotencyPuts = 0;
  #pending: PendingAppend[] = [];
  #flushTimer: ReturnType<typeof setImmediate> | undefined;
  readonly #flushSoon = () => this.#flush();

  private constructor(db: DatabaseSync, options: SqliteStoreOptions) {
    this.#db = db;
    this.#maxEvents = options.maxEventsPerSession ?? DEFAULT_MAX_EVENTS;
    this.#maxAgeMs = options.maxAgeMs ?? 0;
    this.#sql = {
      insertEvent: db.prepare(
        "INSERT INTO events (session, seq, event, data, ts) VALUES (?, ?, ?, ?, ?)",
      ),
      updateHead: db.prepare(
        "UPDATE sessions SET head = ?, state = coalesce(?, state) WHERE id = ?",
      ),
      readEvents: db.prepare(
        "SELECT seq, event, data, ts FROM events WHERE session = ? AND seq > ? ORDER BY seq LIMIT ?",
      ),
      insertSession: db.prepare(
        "INSERT OR IGNORE INTO sessions (id, epoch, metadata, created_at, head) VALUES (?, ?, ?, ?, 0)",
      ),
      deleteEvents: db.prepare("DELETE FROM events WHERE session = ?"),
      deleteSession: db.prepare("DELETE FROM sessions WHERE id = ?"),
      trimCount: db.prepare("DELETE FROM events WHERE session = ? AND seq <= ?"),
      trimAge: db.prepare("DELETE FROM events WHERE ts < ?"),
      putSkill: db.prepare("INSERT OR REPLACE INTO skills (name, body) VALUES (?, ?)"),
      putIdempotency: db.prepare(
        "INSERT OR REPLACE INTO idempotency (session, key, fingerprint, status, body, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      getIdempotency: db.prepare(
        "SELECT fingerprint, status, body, expires_at FROM idempotency WHERE session = ? AND key = ? AND expires_at > ?",
      ),
      deleteIdempotency: db.prepare("DELETE FROM idempotency WHERE session = ?"),
      expireIdempotency: db.prepare("DELETE FROM idempotency WHERE expires_at <= ?"),
    };
    for (const row of db.prepare("SELECT id, head FROM sessions").all()) {
      this.#heads.set(row.id as string, row.head as number);
    }
  }

  /**
   * Opens (creating if needed) the database at `path`. Throws an `Error` that names the path
   * when the file cannot be opened, is not a database, or has a newer schema.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
        PRAGMA synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"};`);
      const version = (db.prepare("PRAGMA user_version").get()?.user_version ?? 0) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `its schema version ${version} is newer than this server's ${SCHEMA_VERSION}`,
        );
      }
      db.exec(SCHEMA_SQL);
      return new SqliteStore(db, options);
    } catch (cause) {
      db?.close();
      throw new Error(`Cannot open store "sqlite:${path}": ${(cause as Error).message}`, { cause });
    }
  }

  append(
    session: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<StoredEvent[]> {
    return new Promise((resolve, reject) => {
      this.#pending.push({
        session,
        events,
        state: options?.state,
        expectedHead: options?.expectedHead,
        resolve,
        reject,
      });
      // After the I/O of this turn, not a microtask: frames already received get to join the
      // batch. Not `setTimeout(0)` either: on Deno that waits a millisecond or more (2.4 ms on
      // average measured here), which capped a session at a few thousand events per second.
      this.#flushTimer ??= setImmediate(this.#flushSoon);
    });
  }

  read(session: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    // Past the count limit an event is gone, whether or not the trim has deleted it yet.
    const floor = (this.#heads.get(session) ?? 0) - this.#maxEvents;
    const rows = this.#sql.readEvents.all(session, Math.max(afterSeq, floor), limit);
    return Promise.resolve(rows as unknown as StoredEvent[]);
  }

  head(session: string): Promise<number> {
    return Promise.resolve(this.#heads.get(session) ?? 0);
  }

  createSession(record: SessionRecord): Promise<boolean> {
    const { changes } = this.#sql.insertSession.run(
      record.id,
      record.epoch,
      JSON.stringify(record.metadata),
      record.createdAt,
    );
    if (changes > 0) this.#heads.set(record.id, 0);
    return Promise.resolve(changes > 0);
  }

  listSessions(): Promise<LoadedSession[]> {
    const rows = this.#db.prepare(`${SELECT_SESSIONS}`).all();
    return Promise.resolve(rows.map(toLoaded));
  }

  loadSession(session: string): Promise<LoadedSession | undefined> {
    const row = this.#db.prepare(`${SELECT_SESSIONS} WHERE id = ?`).get(session);
    return Promise.resolve(row && toLoaded(row));
  }

  deleteSession(session: string): Promise<boolean> {
    const existed = this.#heads.delete(session);
    this.#transaction(() => {
      this.#sql.deleteEvents.run(session);
      this.#sql.deleteIdempotency.run(session);
      this.#sql.deleteSession.run(session);
    });
    return Promise.resolve(existed);
  }

  trim(now = Date.now()): Promise<number> {
    let dropped = 0;
    this.#transaction(() => {
      for (const [session, head] of this.#heads) {
        if (head > this.#maxEvents) {
          dropped += Number(this.#sql.trimCount.run(session, head - this.#maxEvents).changes);
        }
      }
      if (this.#maxAgeMs > 0) {
        dropped += Number(this.#sql.trimAge.run(now - this.#maxAgeMs).changes);
      }
    });
    return Promise.resolve(dropped);
  }

  putSkill(name: string, skill: Record<string, unknown>): Promise<void> {
    this.#sql.putSkill.run(name, JSON.stringify(skill));
    return Promise.resolve();
  }

  putIdempotency(session: string, key: string, record: IdempotencyRecord): Promise<void> {
    // Expired records are deleted every so often, so the table follows the keys still in use.
    if (++this.#idempotencyPuts % 256 === 0) this.#sql.expireIdempotency.run(Date.now());
    const { fingerprint, status, body, expiresAt } = record;
    this.#sql.putIdempotency.run(session, key, fingerprint, status, body, expiresAt);
    return Promise.resolve();
  }

  getIdempotency(
    session: string,
    key: string,
    now: number,
  ): Promise<IdempotencyRecord | undefined> {
    const row = this.#sql.getIdempotency.get(session, key, now);
    if (row === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      fingerprint: row.fingerprint as string,
      status: row.status as number,
      body: row.body as string,
      expiresAt: row.expires_at as number,
    });
  }

  listSkills(): Promise<Record<string, unknown>[]> {
    const rows = this.#db.prepare("SELECT body FROM skills ORDER BY name").all();
    return Promise.resolve(rows.map((row) => JSON.parse(row.body as string)));
  }

  /** Writes what is pending and closes the file; later calls do nothing. */
  close(): Promise<void> {
    if (!this.#db.isOpen) return Promise.resolve();
    if (this.#flushTimer !== undefined) clearImmediate(this.#flushTimer);
    if (this.#pending.length > 0) this.#flush();
    this.#db.close();
    return Promise.resolve();
  }

  /** Writes every pending append in one transaction, then settles them all. */
  #flush(): void {
    this.#flushTimer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    const accepted: { pending: PendingAppend; stored: StoredEvent[] }[] = [];
    // Heads advance in this map and reach #heads only once the transaction has committed.
    const heads = new Map<string, number>();
    // The last state given per session: a later append's state replaces an earlier one's.
    const states = new Map<string, unknown>();
    try {
      this.#transaction(() => {
        for (const pending of batch) {
          const base = heads.get(pending.session) ?? this.#heads.get(pending.session);
          if (base === undefined) {
            pending.reject(
              new StoreError("gone", `Cannot append to unknown session "${pending.session}"`),
            );
            continue;
          }
          if (pending.expectedHead !== undefined && pending.expectedHead !== base) {
            pending.reject(
              new StoreError(
                "conflict",
                `Session "${pending.session}" is at ${base}, not ${pending.expectedHead}`,
                { head: base },
              ),
            );
            continue;
          }
          const stored = pending.events.map((e, i) => ({
            seq: base + i + 1,
            event: e.event,
            data: e.data,
            ts: e.ts,
          }));
          const head = base + stored.length;
          for (const s of stored) {
            this.#sql.insertEvent.run(pending.session, s.seq, s.event, s.data, s.ts);
          }
          // Delete past the count limit in chunks, so a busy session's file stays bounded.
          if (head % TRIM_CHUNK < stored.length && head > this.#maxEvents) {
            this.#sql.trimCount.run(pending.session, head - this.#maxEvents);
          }
          heads.set(pending.session, head);
          if (pending.state !== undefined) states.set(pending.session, pending.state);
          accepted.push({ pending, stored });
        }
        // One row update per session and transaction, however many appends it carried.
        for (const [session, head] of heads) {
          const state = states.get(session);
          this.#sql.updateHead.run(
            head,
            state === undefined ? null : JSON.stringify(state),
            session,
          );
        }
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const [session, head] of heads) this.#heads.set(session, head);
    for (const { pending, stored } of accepted) pending.resolve(stored);
  }

  #transaction(work: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.#db.exec("COMMIT");
    } catch (error) {
      // SQLite may already have rolled back (e.g. on a full disk); that is fine.
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

/** A `sessions` row as a {@linkcode LoadedSession}. */
function toLoaded(row: Record<string, unknown>): LoadedSession {
  return {
    id: row.id as string,
    epoch: row.epoch as string,
    metadata: JSON.parse(row.metadata as string),
    createdAt: row.created_at as number,
    head: row.head as number,
    ...(row.state === null ? {} : { state: JSON.parse(row.state as string) }),
  };
}
