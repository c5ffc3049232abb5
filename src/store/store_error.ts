/**
 * @module The one error class stores throw for expected failures, so the hub can tell a lost
 * race (re-plan), a vanished session and an unreachable backend apart without parsing messages.
 */

/**
 * Why a store refused: `"conflict"` (the head was not the expected one), `"gone"` (no such
 * session, or it was deleted and created again under a new epoch) or `"unavailable"` (the
 * backend cannot be reached now; retrying later may work).
 */
export type StoreErrorReason = "conflict" | "gone" | "unavailable";

/** An expected store failure with a reason. */
export class StoreError extends Error {
  /** Why the store refused. */
  readonly reason: StoreErrorReason;
  /** For `"conflict"`: the head the store has. */
  readonly head: number | undefined;

  /** Creates an error; `head` goes with a `"conflict"`. */
  constructor(
    reason: StoreErrorReason,
    message: string,
    options: ErrorOptions & { head?: number } = {},
  ) {
    super(message, options);
    this.name = "StoreError";
    this.reason = reason;
    this.head = options.head;
  }
}
