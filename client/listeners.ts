/**
 * @module The listening half of the socket's API: `on`, `once`, `off`, `onAny` and `offAny`,
 * typed by the event maps.
 */
import type { Emitter, Listener } from "./_emitter.ts";
import type { AnyHandler, ListenEvents } from "./events.ts";

/** Registers handlers on an emitter the subclass fires. */
export class Listeners {
  readonly #emitter: Emitter;

  /** Wraps `emitter`. */
  constructor(emitter: Emitter) {
    this.#emitter = emitter;
  }

  /** Adds a handler; returns a function that removes it. Adding the same one twice is a no-op. */
  on<E extends keyof ListenEvents>(event: E, handler: ListenEvents[E]): () => void {
    return this.#emitter.on(event as string, handler as Listener);
  }

  /** Adds a handler that runs once; returns a function that removes it. */
  once<E extends keyof ListenEvents>(event: E, handler: ListenEvents[E]): () => void {
    return this.#emitter.on(event as string, handler as Listener, true);
  }

  /** Removes a handler, every handler of `event`, or (no arguments) every handler. */
  off<E extends keyof ListenEvents>(event?: E, handler?: ListenEvents[E]): this {
    this.#emitter.off(event as string | undefined, handler as Listener | undefined);
    return this;
  }

  /** Adds a handler of every server event; returns a function that removes it. */
  onAny(handler: AnyHandler): () => void {
    this.#emitter.any.add(handler);
    return () => this.offAny(handler);
  }

  /** Removes a catch-all handler, or (no argument) all of them. */
  offAny(handler?: AnyHandler): this {
    if (handler) this.#emitter.any.delete(handler);
    else this.#emitter.any.clear();
    return this;
  }
}
