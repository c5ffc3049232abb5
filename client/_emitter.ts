/**
 * @module A minimal event emitter: `on()` returns its own disposer, the same function is never
 * registered twice for an event, catch-all handlers see server events, and a throwing handler
 * cannot stop the others.
 */

/** Any handler: `never[]` parameters accept every function type without `any`. */
export type Listener = (...args: never[]) => void;

type Call = (...args: unknown[]) => void;

/** Handlers by event name, each keyed by the function the caller registered. */
export class Emitter {
  readonly #events = new Map<string, Map<Listener, Call>>();
  /** Catch-all handlers, called with the event name first. */
  readonly any: Set<Listener> = new Set();

  /** Adds `fn` (once only, if `once`); returns a function that removes it. */
  on(event: string, fn: Listener, once?: boolean): () => void {
    let handlers = this.#events.get(event);
    if (!handlers) this.#events.set(event, handlers = new Map());
    const off = () => this.off(event, fn);
    handlers.set(
      fn,
      once
        ? (...args) => {
          off();
          (fn as Call)(...args);
        }
        : fn as Call,
    );
    return off;
  }

  /** Removes `fn` from `event`, every handler of `event`, or (no arguments) every handler. */
  off(event?: string, fn?: Listener): void {
    if (event === undefined) this.#events.clear();
    else if (fn === undefined) this.#events.delete(event);
    else this.#events.get(event)?.delete(fn);
  }

  /** Calls `event`'s handlers in order, then (if `any`) the catch-all ones with `event` first. */
  emit(event: string, args: unknown[], any?: boolean): void {
    const handlers = [...this.#events.get(event)?.values() ?? []];
    const catchAll = any ? [...this.any] : [];
    for (const fn of handlers) call(fn, args);
    for (const fn of catchAll) call(fn as Call, [event, ...args]);
  }
}

/** Calls `fn`; an exception is reported as uncaught without unwinding the caller. */
function call(fn: Call, args: unknown[]): void {
  try {
    fn(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
