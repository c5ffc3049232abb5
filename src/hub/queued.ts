/**
 * @module An operation that has taken its place in a session's order but is not done yet. Edges
 * wait for the place (so a connection's next frame cannot overtake it) and answer on the result.
 */

/** An operation queued in order; `result` settles once it is done (stored, replayed, ...). */
export interface Queued<T> {
  /** The operation's outcome. */
  readonly result: Promise<T>;
}

/**
 * Wraps an operation's outcome. The caller reads `result` later, so a failure is marked handled
 * here: it still reaches whoever awaits `result`, but never counts as an unhandled rejection.
 */
export function queued<T>(result: Promise<T>): Queued<T> {
  result.catch(() => {});
  return { result };
}
