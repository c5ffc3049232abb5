/**
 * @module The sessions a hub knows: loading them from the store, creating them on first use
 * (once, however many callers race), and deleting them.
 */
import { SwitchboardError } from "../protocol/errors.ts";
import type { LoadedSession, SessionRecord, Store } from "../store/store.ts";
import { StoreError } from "../store/store_error.ts";
import { storeFailure } from "./remote_feed.ts";
import type { ExecutionSnapshot } from "./execution.ts";
import { Session, type SessionContext } from "./session.ts";

/** Sessions by id, kept in step with the store. */
export class SessionDirectory {
  readonly #sessions = new Map<string, Session>();
  readonly #opening = new Map<string, Promise<Session>>();
  readonly #deleting = new Map<string, Promise<void>>();
  readonly #store: Store;
  readonly #context: SessionContext;

  /** Creates an empty directory over `store`; sessions get `context`. */
  constructor(store: Store, context: SessionContext) {
    this.#store = store;
    this.#context = { ...context, onGone: (session) => this.#gone(session) };
  }

  /** Loads the sessions the store already holds (after a restart), with their state. */
  async load(): Promise<void> {
    for (const stored of await this.#store.listSessions()) {
      if (!this.#sessions.has(stored.id)) this.#sessions.set(stored.id, this.#fromStored(stored));
    }
  }

  /**
   * The session, loading it from a shared store when another node created it; fails with
   * `SESSION_NOT_FOUND`. A single-node store holds nothing the directory has not loaded.
   */
  async find(id: string): Promise<Session> {
    const known = this.#sessions.get(id);
    if (known || !this.#store.watch) return known ?? this.existing(id);
    const stored = await this.#store.loadSession(id).catch((cause) => {
      throw storeFailure(id, cause);
    });
    if (!stored) return this.existing(id);
    const session = this.#sessions.get(id) ?? this.#fromStored(stored);
    this.#sessions.set(id, session);
    return session;
  }

  /** The session, or `undefined`. */
  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  /** The session, or a `SESSION_NOT_FOUND` error. */
  existing(id: string): Session {
    const session = this.#sessions.get(id);
    if (!session) throw new SwitchboardError("SESSION_NOT_FOUND", `No session "${id}"`);
    return session;
  }

  /** Every session. */
  values(): IterableIterator<Session> {
    return this.#sessions.values();
  }

  /** Number of sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Creates a session; a taken id fails with `SESSION_EXISTS`. */
  create(id: string, metadata: Record<string, unknown>): Promise<Session> {
    if (this.#sessions.has(id) || this.#opening.has(id)) throw exists(id);
    return this.open(id, metadata, true);
  }

  /**
   * Returns the session, creating and storing it first if it does not exist yet (`exclusive`:
   * fail with `SESSION_EXISTS` if the store has it already, e.g. from another node).
   */
  open(id: string, metadata: Record<string, unknown> = {}, exclusive = false): Promise<Session> {
    const existing = this.#sessions.get(id);
    if (existing) return Promise.resolve(existing);
    let opening = this.#opening.get(id);
    if (!opening) {
      opening = (async () => {
        try {
          await this.#deleting.get(id);
          const record = this.#record(id, metadata);
          let session: Session;
          if (await this.#store.createSession(record)) {
            session = new Session(record, await this.#store.head(id), this.#context);
          } else {
            // Created meanwhile, by another node: take the stored record, epoch and state.
            const stored = await this.#store.loadSession(id);
            if (exclusive || !stored) throw exists(id);
            session = this.#fromStored(stored);
          }
          this.#sessions.set(id, session);
          return session;
        } catch (error) {
          throw error instanceof StoreError ? storeFailure(id, error) : error;
        } finally {
          this.#opening.delete(id);
        }
      })();
      this.#opening.set(id, opening);
    }
    return opening;
  }

  /** Tells the session's subscribers it is gone, then removes it from the store. */
  async delete(id: string): Promise<void> {
    const session = await this.find(id);
    this.#sessions.delete(id);
    session.markDeleted();
    // Until the store has forgotten it, the id cannot be opened again (see open()).
    const deleting = this.#store.deleteSession(id);
    this.#deleting.set(id, deleting.then(() => {}, () => {}));
    try {
      await deleting;
    } finally {
      this.#deleting.delete(id);
    }
  }

  /** Drops a session another node deleted; its subscribers hear `session:deleted`. */
  #gone(session: Session): void {
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    session.markDeleted();
  }

  #fromStored(stored: LoadedSession): Session {
    const session = new Session(stored, stored.head, this.#context);
    if (stored.state !== undefined) session.execution.restore(stored.state as ExecutionSnapshot);
    return session;
  }

  #record(id: string, metadata: Record<string, unknown>): SessionRecord {
    return {
      id,
      metadata,
      createdAt: this.#context.clock(),
      epoch: this.#context.newId().slice(0, 8),
    };
  }
}

function exists(id: string): SwitchboardError {
  return new SwitchboardError("SESSION_EXISTS", `Session "${id}" exists already`);
}
