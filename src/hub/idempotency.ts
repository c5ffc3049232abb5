/**
 * @module Idempotency keys of one session's commands: a repeated key gets the first answer, a
 * key reused for a different command is refused, and a key whose command failed only because
 * the store failed is forgotten so that a retry can succeed.
 */
import type { CommandResult } from "../protocol/commands.ts";
import { type ErrorCode, SwitchboardError } from "../protocol/errors.ts";
import type { SharedIdempotency } from "../store/store.ts";
import { BoundedMap } from "./bounded_map.ts";
import { storeFailure } from "./remote_feed.ts";

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
    return Promise.reject(conflict(key));
  }

  /** Records the answer for `key`. */
  remember(key: string, fingerprint: string, result: Promise<CommandResult>): void {
    this.#keys.set(key, { fingerprint, result });
    // A failure to store is not an answer: let a retry with the same key try again.
    result.catch((error) => {
      if (retryable(error)) this.#keys.delete(key);
    });
  }
}

/** Polls for another node's answer this often, this many times, before giving up. */
const WAIT_MS = 50;
const WAITS = 100;

/**
 * Runs a keyed command once across the nodes sharing a store: claims the key first; if another
 * node has it, answers with its recorded result or refusal (waiting while it is at work), or
 * refuses a different command under the same key.
 */
export async function onceAcrossNodes(
  shared: SharedIdempotency,
  ids: { session: string; key: string; fingerprint: string },
  run: () => Promise<CommandResult>,
): Promise<CommandResult> {
  const { session, key, fingerprint } = ids;
  for (let waits = 0;; waits++) {
    const earlier = await shared.claim(session, key, fingerprint).catch((cause) => {
      throw storeFailure(session, cause);
    });
    if (!earlier) break;
    if (earlier.fingerprint !== fingerprint) throw conflict(key);
    if (earlier.result) return earlier.result as CommandResult;
    if (earlier.error) {
      throw new SwitchboardError(earlier.error.code as ErrorCode, earlier.error.message);
    }
    if (waits >= WAITS) {
      throw new SwitchboardError(
        "STORE_UNAVAILABLE",
        `A command with idempotency key "${key}" is still running on another node; retry`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  try {
    const result = await run();
    await shared.record(session, key, { fingerprint, result }).catch(() => {});
    return result;
  } catch (error) {
    // A refusal is an answer too; a store failure is not, so a retry may run the command.
    if (error instanceof SwitchboardError && !retryable(error)) {
      await shared.record(session, key, { fingerprint, error: error.toBody() }).catch(() => {});
    } else {
      await shared.release(session, key).catch(() => {});
    }
    throw error;
  }
}

function retryable(error: unknown): boolean {
  const code = error instanceof SwitchboardError ? error.code : undefined;
  return code === "STORE_FAILED" || code === "STORE_UNAVAILABLE";
}

function conflict(key: string): SwitchboardError {
  return new SwitchboardError(
    "IDEMPOTENCY_CONFLICT",
    `Idempotency key "${key}" was used for a different command`,
  );
}
