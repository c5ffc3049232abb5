/**
 * @module Every timer a socket starts, so one call can clear them all.
 */

/** A set of timeouts that can be cleared one by one or all at once. */
export class Timers {
  readonly #ids = new Set<ReturnType<typeof setTimeout>>();

  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  set(fn: () => void, ms: number): () => void {
    const id = setTimeout(() => {
      this.#ids.delete(id);
      fn();
    }, ms);
    this.#ids.add(id);
    return () => {
      clearTimeout(id);
      this.#ids.delete(id);
    };
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const id of this.#ids) clearTimeout(id);
    this.#ids.clear();
  }
}
