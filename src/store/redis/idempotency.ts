/**
 * @module Idempotency keys in Redis, one string key per command key next to the session's
 * keys: claimed with `SET NX` (so two nodes racing with the same key cannot both run the
 * command), then overwritten with the answer. A claim lives 30 s, an answer 24 h.
 */
import type { Redis } from "ioredis";
import type { IdempotentAnswer, SharedIdempotency } from "../store.ts";
import { StoreError } from "../store_error.ts";
import { sessionKeys } from "./keys.ts";

/** How long a claim without an answer holds the key (its node may have died). */
const CLAIM_TTL_MS = 30_000;
/** How long an answer is remembered. */
const ANSWER_TTL_MS = 24 * 3_600_000;

/** The Redis side of {@linkcode SharedIdempotency}. */
export class RedisIdempotency implements SharedIdempotency {
  readonly #client: Redis;

  /** Keeps keys through `client`. */
  constructor(client: Redis) {
    this.#client = client;
  }

  async claim(
    session: string,
    key: string,
    fingerprint: string,
  ): Promise<IdempotentAnswer | undefined> {
    const name = keyName(session, key);
    const claim = JSON.stringify({ fingerprint });
    const claimed = await this.#client.set(name, claim, "PX", CLAIM_TTL_MS, "NX").catch(away);
    if (claimed === "OK") return undefined;
    const recorded = await this.#client.get(name).catch(away);
    // Expired between the two calls: claim again next time round.
    return recorded === null ? { fingerprint } : JSON.parse(recorded) as IdempotentAnswer;
  }

  async record(session: string, key: string, answer: IdempotentAnswer): Promise<void> {
    await this.#client.set(keyName(session, key), JSON.stringify(answer), "PX", ANSWER_TTL_MS)
      .catch(away);
  }

  async release(session: string, key: string): Promise<void> {
    await this.#client.del(keyName(session, key)).catch(away);
  }
}

function keyName(session: string, key: string): string {
  return `${sessionKeys(session).meta.slice(0, -":meta".length)}:idem:${key}`;
}

function away(cause: Error): never {
  throw new StoreError("unavailable", `Redis is unavailable: ${cause.message}`, { cause });
}
