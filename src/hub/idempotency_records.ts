/**
 * @module Where the hub keeps the first answers to requests that carried an idempotency key: in
 * the store when it can (so they survive a restart), else in bounded process memory.
 */
import type { IdempotencyRecord, Store } from "../store/store.ts";
import { BoundedMap } from "./bounded_map.ts";

export type { IdempotencyRecord };

/** Records kept in memory when the store keeps none. */
const MAX_MEMORY_RECORDS = 10_000;

/** Remembered first answers, by session and key. */
export class IdempotencyRecords {
  readonly #store: Store;
  readonly #memory = new BoundedMap<string, IdempotencyRecord>(MAX_MEMORY_RECORDS);

  /** Uses `store` when it implements the optional idempotency methods. */
  constructor(store: Store) {
    this.#store = store;
  }

  /** The record under `key` in `session`, unless missing or expired at `now`. */
  get(session: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    if (this.#store.getIdempotency) return this.#store.getIdempotency(session, key, now);
    const record = this.#memory.get(`${session}\n${key}`);
    return Promise.resolve(record && record.expiresAt > now ? record : undefined);
  }

  /** Remembers `record` under `key` in `session`. */
  put(session: string, key: string, record: IdempotencyRecord): Promise<void> {
    if (this.#store.putIdempotency) return this.#store.putIdempotency(session, key, record);
    this.#memory.set(`${session}\n${key}`, record);
    return Promise.resolve();
  }
}
