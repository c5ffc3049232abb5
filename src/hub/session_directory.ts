/**
 * @module The sessions a hub knows: loading them from the store, creating them on first use
 * (once, however many callers race), and deleting them.
 */
import { SwitchboardError } from "../protocol/errors.ts";
import type { SessionRecord, Store } from "../store/store.ts";
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
    this.#context = context;
  }

  /** Loads the sessions the store already holds (after a restart), with their state. */
  async load(): Promise<void> {
    for (const stored of await this.#store.listSessions()) {
      if (this.#sessions.has(stored.id)) continue;
      const session = new Session(stored, stored.head, this.#context);
      if (stored.state !== undefined) session.execution.restore(stored.state as ExecutionSnapshot);
      this.#sessions.set(stored.id, session);
    }
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
    if (this.#sessions.has(id) || this.#opening.has(id)) {
      throw new SwitchboardError("SESSION_EXISTS", `Session "${id}" exists already`);
    }
    return this.open(id, metadata);
  }

  /** Returns the session, creating and storing it first if it does not exist yet. */
  open(id: string, metadata: Record<string, unknown> = {}): Promise<Session> {
    const existing = this.#sessions.get(id);
    if (existing) return Promise.resolve(existing);
    let opening = this.#opening.get(id);
    if (!opening) {
      opening = (async () => {
        try {
          await this.#deleting.get(id);
          const record = this.#record(id, metadata);
          await this.#store.createSession(record);
          const session = new Session(record, await this.#store.head(id), this.#context);
          this.#sessions.set(id, session);
          return session;
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
    const session = this.existing(id);
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

  #record(id: string, metadata: Record<string, unknown>): SessionRecord {
    return {
      id,
      metadata,
      createdAt: this.#context.clock(),
      epoch: this.#context.newId().slice(0, 8),
    };
  }
}
