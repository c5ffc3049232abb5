/**
 * @module Idempotency keys of one session's commands: a repeated key gets the first answer, a
 * key reused for a different command is refused, and a key whose command failed only because
 * the store failed is forgotten so that a retry can succeed.
 */
import type { CommandResult } from "../protocol/commands.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { BoundedMap } from "./bounded_map.ts";

const MAX_IDEMPOTENCY_KEYS = 1000;

/** Remembers the most recent keys and their results. */
export class IdempotencyKeys {
  readonly #keys = new BoundedMap<string, { fingerprint: string; result: Promise<CommandResult> }>(
    MAX_IDEMPOTENCY_KEYS,
  );

  /**
   * The earlier answer for `key`, an `IDEMPOTENCY_CONFLICT` rejection when `fingerprint`
   * differs from the first use, or `undefined` for a new key.
   */
  earlier(key: string, fingerprint: string): Promise<CommandResult> | undefined {
    const earlier = this.#keys.get(key);
    if (!earlier) return undefined;
    if (earlier.fingerprint === fingerprint) return earlier.result;
    return Promise.reject(
      new SwitchboardError(
        "IDEMPOTENCY_CONFLICT",
        `Idempotency key "${key}" was used for a different command`,
      ),
    );
  }

  /** Records the answer for `key`. */
  remember(key: string, fingerprint: string, result: Promise<CommandResult>): void {
    this.#keys.set(key, { fingerprint, result });
    // A failure to store is not an answer: let a retry with the same key try again.
    result.catch((error) => {
      const code = error instanceof SwitchboardError ? error.code : undefined;
      if (code === "STORE_FAILED" || code === "STORE_UNAVAILABLE") this.#keys.delete(key);
    });
  }
}
